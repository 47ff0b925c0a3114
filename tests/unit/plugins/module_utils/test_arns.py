import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns

KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"


def test_key_arn_parses_into_its_parts():
    assert arns.parse_kms_key_arn(KEY) == {
        "partition": "aws",
        "region": "us-east-1",
        "account_id": "880161310235",
        "key_id": "0987dcba-09fe-87dc-65ba-ab0987654321",
    }


@pytest.mark.parametrize(
    "value, words",
    [
        ("alias/aws/s3", "alias"),
        ("arn:aws:kms:us-east-1:880161310235:alias/replica", "alias"),
        ("0987dcba-09fe-87dc-65ba-ab0987654321", "full KMS key ARN"),
        ("arn:aws:kms:us-east-1:880161310235:key/not-a-key", "no valid key id"),
        ("arn:aws:s3:::bucket", "full KMS key ARN"),
    ],
)
def test_key_references_that_are_not_full_arns_are_refused(value, words):
    with pytest.raises(ValueError, match=words):
        arns.parse_kms_key_arn(value)


@pytest.mark.parametrize("name", ["stats-data-src", "a.b-c", "abc"])
def test_valid_bucket_names(name):
    assert arns.bucket_name(name) == name
    assert arns.bucket_arn(name) == f"arn:aws:s3:::{name}"
    assert arns.bucket_name(f"arn:aws:s3:::{name}") == name


@pytest.mark.parametrize("name", ["ab", "Upper", "a..b", "192.168.1.1", "-abc", "xn--abc", "abc-s3alias", "a_b", "arn:aws:s3:::x/y"])
def test_invalid_bucket_names(name):
    with pytest.raises(ValueError):
        arns.bucket_name(name)


def test_role_arn_round_trip():
    arn = arns.role_arn("211258069784", "s3-replication-role")
    assert arn == "arn:aws:iam::211258069784:role/s3-replication-role"
    assert arns.parse_role_arn(arn)["role_name"] == "s3-replication-role"
    assert arns.parse_role_arn("arn:aws:iam::211258069784:role/svc/r")["path"] == "/svc/"


@pytest.mark.parametrize("value", ["21125806978", "2112580697845", "abc", ""])
def test_account_ids_must_be_twelve_digits(value):
    with pytest.raises(ValueError, match="12 digits"):
        arns.validate_account_id(value)
