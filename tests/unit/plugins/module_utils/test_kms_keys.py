import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as pd

OWNER = "880161310235"
KEY_ID = "0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_ARN = f"arn:aws:kms:us-east-1:{OWNER}:key/{KEY_ID}"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
OWNER_STATEMENT = {
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
    "Action": "kms:*",
    "Resource": "*",
}
FOREIGN = {"Sid": "OtherTeam", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/etl"}, "Action": "kms:Decrypt", "Resource": "*"}
KEY_POLICY = {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [OWNER_STATEMENT, FOREIGN]}


def metadata(**changes):
    result = {"KeyId": KEY_ID, "Arn": KEY_ARN, "KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}
    result.update(changes)
    return result


@pytest.mark.parametrize(
    "given, sent",
    [
        (KEY_ID, KEY_ID),
        (KEY_ARN, KEY_ARN),
        ("mrk-" + "a" * 32, "mrk-" + "a" * 32),
        ("alias/replica", "alias/replica"),
        ("replica-key", "alias/replica-key"),
        (f"arn:aws:kms:us-east-1:{OWNER}:alias/replica", f"arn:aws:kms:us-east-1:{OWNER}:alias/replica"),
    ],
)
def test_key_references(given, sent):
    assert kms_keys.key_reference(given) == sent


@pytest.mark.parametrize("aws_managed", ["alias/aws/s3", "aws/s3", f"arn:aws:kms:us-east-1:{OWNER}:alias/aws/s3"])
def test_aws_managed_aliases_are_refused_before_any_call(aws_managed):
    with pytest.raises(kms_keys.KmsKeyError, match="AWS-managed key.*customer-managed"):
        kms_keys.key_reference(aws_managed)


@pytest.mark.parametrize("bad, words", [("", "empty"), ("arn:aws:s3:::bucket", "not a KMS key"), ("alias/has space", "valid alias")])
def test_bad_key_references(bad, words):
    with pytest.raises(kms_keys.KmsKeyError, match=words):
        kms_keys.key_reference(bad)


def test_a_usable_key_has_no_refusal_reasons():
    assert kms_keys.key_refusal_reasons(metadata()) == []
    assert kms_keys.check_key(metadata()) == metadata()


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"KeyManager": "AWS"}, "AWS-managed key"),
        ({"KeyState": "Disabled"}, "Disabled, not Enabled"),
        ({"KeyState": "PendingDeletion"}, "PendingDeletion"),
        ({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}, "symmetric"),
        ({"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}, "ENCRYPT_DECRYPT"),
    ],
)
def test_unusable_keys_are_refused_with_the_reason(changes, words):
    with pytest.raises(kms_keys.KmsKeyError, match=words):
        kms_keys.check_key(metadata(**changes))


def test_older_metadata_spelling_of_the_key_spec_is_understood():
    old = metadata(CustomerMasterKeySpec="SYMMETRIC_DEFAULT")
    del old["KeySpec"]
    assert kms_keys.key_refusal_reasons(old) == []


def test_removal_only_needs_a_customer_managed_key():
    assert kms_keys.key_refusal_reasons(metadata(KeyState="Disabled"), removing=True) == []
    assert kms_keys.key_refusal_reasons(metadata(KeyManager="AWS"), removing=True)


def test_operations_are_normalised_per_mode():
    assert kms_keys.normalise_operations(["Encrypt", "kms:decrypt", "kms:Encrypt"], "policy") == ["kms:Decrypt", "kms:Encrypt"]
    assert kms_keys.normalise_operations(["kms:Encrypt", "GenerateDataKey"], "grant") == ["Encrypt", "GenerateDataKey"]


@pytest.mark.parametrize(
    "operations, mode, words",
    [
        ([], "policy", "empty"),
        (["kms:*"], "policy", "wildcard"),
        (["kms:ReEncrypt*"], "grant", "wildcard"),
        (["kms:ReEncrypt"], "policy", "not allowed"),
        (["kms:PutKeyPolicy"], "policy", "not allowed"),
        (["ListGrants"], "grant", "not allowed"),
    ],
)
def test_bad_operations_are_refused(operations, mode, words):
    with pytest.raises(kms_keys.KmsKeyError, match=words):
        kms_keys.normalise_operations(operations, mode)


@pytest.mark.parametrize("bad", ["*", "role/x", "arn:aws:s3:::bucket", "12345"])
def test_bad_principals_are_refused(bad):
    with pytest.raises(kms_keys.KmsKeyError, match="principal"):
        kms_keys.normalise_principal(bad)


def test_key_policy_statement_shape():
    condition = {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
    assert kms_keys.key_policy_statement("ReplicaEncrypt", [ROLE], ["Encrypt"], condition) == {
        "Sid": "ReplicaEncrypt",
        "Effect": "Allow",
        "Principal": {"AWS": ROLE},
        "Action": ["kms:Encrypt"],
        "Resource": "*",
        "Condition": condition,
    }
    two = kms_keys.key_policy_statement("Two", [ROLE, "211258069784"], ["kms:Decrypt"])
    assert two["Principal"] == {"AWS": [ROLE, "arn:aws:iam::211258069784:root"]}
    assert "Condition" not in two


def test_key_policy_statement_needs_principals_and_a_valid_sid():
    with pytest.raises(kms_keys.KmsKeyError, match="principals is empty"):
        kms_keys.key_policy_statement("Ours", [], ["Encrypt"])
    with pytest.raises(pd.PolicyDocumentError, match="letters and digits"):
        kms_keys.key_policy_statement("our-sid", [ROLE], ["Encrypt"])


@pytest.mark.parametrize(
    "statement, expected",
    [
        (OWNER_STATEMENT, True),
        ({**OWNER_STATEMENT, "Principal": {"AWS": OWNER}}, True),
        ({**OWNER_STATEMENT, "Principal": {"AWS": [ROLE, f"arn:aws:iam::{OWNER}:root"]}, "Action": ["kms:*"]}, True),
        ({**OWNER_STATEMENT, "Action": "*"}, True),
        ({**OWNER_STATEMENT, "Effect": "Deny"}, False),
        ({**OWNER_STATEMENT, "Action": "kms:Decrypt"}, False),
        ({**OWNER_STATEMENT, "Principal": {"AWS": "arn:aws:iam::444455556666:root"}}, False),
        ({**OWNER_STATEMENT, "Principal": "*"}, False),
        (FOREIGN, False),
    ],
)
def test_owner_access_detection(statement, expected):
    assert kms_keys.grants_owner_access(statement, OWNER) is expected


def test_plan_adds_our_statement_and_keeps_the_others():
    ours = kms_keys.key_policy_statement("ReplicaEncrypt", [ROLE], ["Encrypt"])
    after = kms_keys.plan_key_policy(KEY_POLICY, OWNER, "ReplicaEncrypt", ours)
    assert after["Statement"] == [OWNER_STATEMENT, FOREIGN, ours]
    assert after["Id"] == "key-default-1"
    assert kms_keys.plan_key_policy(after, OWNER, "ReplicaEncrypt", ours) == after
    assert kms_keys.plan_key_policy(after, OWNER, "ReplicaEncrypt") == KEY_POLICY


def test_plan_refuses_a_sid_that_names_the_owner_statement():
    owner_with_alnum_sid = {**OWNER_STATEMENT, "Sid": "EnableRoot"}
    current = {"Version": "2012-10-17", "Statement": [owner_with_alnum_sid, FOREIGN]}
    ours = kms_keys.key_policy_statement("EnableRoot", [ROLE], ["Encrypt"])
    for statement in (ours, None):
        with pytest.raises(kms_keys.KmsKeyError, match="administrative access"):
            kms_keys.plan_key_policy(current, OWNER, "EnableRoot", statement)


def test_plan_refuses_a_result_without_owner_access_when_there_was_some():
    # The owner's access here comes from a statement with our Sid that also names our role,
    # so it does not look like the owner's; replacing it would still lock the owner out.
    shared = {"Sid": "Shared", "Effect": "Allow", "Principal": {"AWS": [ROLE, f"arn:aws:iam::{OWNER}:root"]}, "Action": ["kms:*"], "Resource": "*"}
    current = {"Version": "2012-10-17", "Statement": [shared]}
    assert kms_keys.has_owner_access(current, OWNER)
    with pytest.raises(kms_keys.KmsKeyError):
        kms_keys.plan_key_policy(current, OWNER, "Shared", kms_keys.key_policy_statement("Shared", [ROLE], ["Encrypt"]))


def test_plan_allows_a_policy_that_never_had_owner_access():
    current = {"Version": "2012-10-17", "Statement": [FOREIGN]}
    ours = kms_keys.key_policy_statement("Ours", [ROLE], ["Encrypt"])
    assert kms_keys.plan_key_policy(current, OWNER, "Ours", ours)["Statement"] == [FOREIGN, ours]


def test_grant_constraints():
    assert kms_keys.grant_constraints() is None
    assert kms_keys.grant_constraints({"aws:s3:arn": "arn:aws:s3:::dst"}, {}) == {"EncryptionContextEquals": {"aws:s3:arn": "arn:aws:s3:::dst"}}
    both = kms_keys.grant_constraints({"a": "1"}, {"b": "2"})
    assert both == {"EncryptionContextEquals": {"a": "1"}, "EncryptionContextSubset": {"b": "2"}}
    with pytest.raises(kms_keys.KmsKeyError, match="strings to strings"):
        kms_keys.grant_constraints({"a": 1})


def test_desired_grant_shape_and_validation():
    assert kms_keys.desired_grant("replication", ROLE, ["kms:Encrypt"], None, "211258069784") == {
        "Name": "replication",
        "GranteePrincipal": ROLE,
        "Operations": ["Encrypt"],
        "RetiringPrincipal": "arn:aws:iam::211258069784:root",
    }
    with pytest.raises(kms_keys.KmsKeyError, match="grant name"):
        kms_keys.desired_grant("bad name", ROLE, ["Encrypt"])
    with pytest.raises(kms_keys.KmsKeyError, match="DescribeKey"):
        kms_keys.desired_grant("g", ROLE, ["Encrypt", "DescribeKey"], {"EncryptionContextSubset": {"a": "b"}})


def grant(grant_id, name="replication", **changes):
    result = {"KeyId": KEY_ARN, "GrantId": grant_id, "Name": name, "GranteePrincipal": ROLE, "Operations": ["Encrypt", "Decrypt"], "Constraints": {}}
    result.update(changes)
    return result


def test_grant_comparison_ignores_order_and_empty_values():
    desired = kms_keys.desired_grant("replication", ROLE, ["Decrypt", "Encrypt"])
    assert kms_keys.grant_matches(grant("g1"), desired)
    assert kms_keys.grant_matches(grant("g1", Constraints=None, RetiringPrincipal=None), desired)
    assert not kms_keys.grant_matches(grant("g1", Operations=["Encrypt"]), desired)
    assert not kms_keys.grant_matches(grant("g1", GranteePrincipal="arn:aws:iam::211258069784:role/other"), desired)
    assert not kms_keys.grant_matches(grant("g1", Constraints={"EncryptionContextSubset": {"a": "b"}}), desired)
    assert not kms_keys.grant_matches(grant("g1", RetiringPrincipal=ROLE), desired)


def test_plan_named_grants():
    desired = kms_keys.desired_grant("replication", ROLE, ["Decrypt", "Encrypt"])
    foreign = grant("f1", name="other-team")
    same, stale = grant("g1"), grant("g0", Operations=["Encrypt"])
    assert kms_keys.plan_named_grants([foreign], "replication", desired) == (None, desired, [])
    assert kms_keys.plan_named_grants([foreign, same], "replication", desired) == (same, None, [])
    assert kms_keys.plan_named_grants([stale, foreign], "replication", desired) == (None, desired, [stale])
    assert kms_keys.plan_named_grants([stale, same, foreign], "replication", desired) == (same, None, [stale])
    assert kms_keys.plan_named_grants([stale, same, foreign], "replication") == (None, None, [stale, same])


def test_duplicate_grants_are_the_identical_copies_of_a_retried_create():
    desired = kms_keys.desired_grant("replication", "arn:aws:iam::111122223333:role/r", ["Encrypt"])
    created = dict(desired, GrantId="g-created")
    copy = dict(desired, GrantId="g-copy")
    different = dict(desired, GrantId="g-other", Operations=["Decrypt"])
    foreign = dict(desired, GrantId="g-foreign", Name="other-team")
    assert kms_keys.duplicate_grants([created, copy, different, foreign], desired, "g-created") == [copy]
    assert kms_keys.duplicate_grants([created], desired, "g-created") == []
