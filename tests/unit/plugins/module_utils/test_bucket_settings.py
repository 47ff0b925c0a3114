# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import botocore.session
import pytest
from botocore.validate import ParamValidator
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.bucket_settings import BucketSettingsError

ACCOUNT = "880161310235"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
OTHER_KEY = "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SSE_S3 = {"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False}
SSE_KMS = {"algorithm": "aws:kms", "kms_key_arn": KEY, "bucket_key_enabled": True}
S3_MODEL = botocore.session.get_session().get_service_model("s3")


def state(versioning="Disabled", encryption=None, object_ownership=None, region="us-east-1"):
    return bucket_settings.bucket_state("stats-data-tgt", region, versioning, encryption, object_ownership)


def desired(**options):
    return bucket_settings.desired_settings("stats-data-tgt", **options)


def assert_valid_request(operation, **params):
    shape = S3_MODEL.operation_model(operation).input_shape
    report = ParamValidator().validate(dict(Bucket="stats-data-tgt", **params), shape)
    assert not report.has_errors(), report.generate_report()


# --- desired settings -----------------------------------------------------------------------------


def test_unset_options_leave_every_attribute_alone():
    assert desired() == {"name": "stats-data-tgt", "versioning": None, "encryption": None, "object_ownership": None}
    assert bucket_settings.plan_changes(desired(), state("Suspended", SSE_S3, "ObjectWriter")) == {}


@pytest.mark.parametrize("versioning, status", [(True, "Enabled"), (False, "Suspended"), (None, None)])
def test_versioning_option_maps_to_the_s3_status(versioning, status):
    assert desired(versioning=versioning)["versioning"] == status


def test_encryption_is_sse_kms_with_bucket_key_by_default():
    assert desired(encryption={"kms_key_arn": KEY})["encryption"] == SSE_KMS
    assert desired(encryption={"kms_key_arn": KEY, "bucket_key_enabled": False})["encryption"]["bucket_key_enabled"] is False


@pytest.mark.parametrize(
    "key, words",
    [
        ("alias/replica", "encryption.kms_key_arn: .*alias"),
        ("0987dcba-09fe-87dc-65ba-ab0987654321", "encryption.kms_key_arn: .*full KMS key ARN"),
        (None, "encryption.kms_key_arn: .*full KMS key ARN"),
    ],
)
def test_encryption_key_must_be_a_full_key_arn(key, words):
    with pytest.raises(BucketSettingsError, match=words):
        desired(encryption={"kms_key_arn": key})


def test_key_of_another_account_is_accepted():
    assert desired(encryption={"kms_key_arn": OTHER_KEY})["encryption"]["kms_key_arn"] == OTHER_KEY


@pytest.mark.parametrize("name", ["Stats", "ab", "a..b", "arn:aws:s3:::stats-data-tgt"])
def test_invalid_bucket_name_names_the_option(name):
    with pytest.raises(BucketSettingsError, match="^name: "):
        bucket_settings.desired_settings(name)


def test_unknown_object_ownership_is_refused():
    with pytest.raises(BucketSettingsError, match="object_ownership: 'BucketOwner' is not one of BucketOwnerEnforced"):
        desired(object_ownership="BucketOwner")


def test_key_in_the_bucket_region_passes_and_no_encryption_needs_no_region():
    bucket_settings.check_key_region(desired(encryption={"kms_key_arn": KEY}), "us-east-1")
    bucket_settings.check_key_region(desired(), "eu-west-1")


def test_key_in_another_region_is_refused_naming_both_regions():
    with pytest.raises(BucketSettingsError) as raised:
        bucket_settings.check_key_region(desired(encryption={"kms_key_arn": KEY}), "eu-west-1")
    message = str(raised.value)
    assert message.startswith("encryption.kms_key_arn: the key is in region us-east-1 but bucket 'stats-data-tgt' is in eu-west-1")
    assert message.endswith("replica key) in eu-west-1")


# --- what AWS answered ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response, status",
    [({}, "Disabled"), (None, "Disabled"), ({"Status": "Enabled"}, "Enabled"), ({"Status": "Suspended", "MFADelete": "Disabled"}, "Suspended")],
)
def test_versioning_status(response, status):
    assert bucket_settings.versioning_status(response) == status


def rule(algorithm, key=None, **extra):
    default = {"SSEAlgorithm": algorithm}
    if key:
        default["KMSMasterKeyID"] = key
    return {"Rules": [dict({"ApplyServerSideEncryptionByDefault": default}, **extra)]}


@pytest.mark.parametrize(
    "configuration, expected",
    [
        (None, None),
        ({"Rules": []}, None),
        (rule("AES256"), SSE_S3),
        (rule("AES256", BucketKeyEnabled=False), SSE_S3),
        (rule("aws:kms", KEY, BucketKeyEnabled=True), SSE_KMS),
        (rule("aws:kms", "0987dcba-09fe-87dc-65ba-ab0987654321", BucketKeyEnabled=True), SSE_KMS),
        (rule("aws:kms", KEY), dict(SSE_KMS, bucket_key_enabled=False)),
        (rule("aws:kms"), {"algorithm": "aws:kms", "kms_key_arn": None, "bucket_key_enabled": False}),
        (
            rule("aws:kms", "alias/replica"),
            {"algorithm": "aws:kms", "kms_key_arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/replica", "bucket_key_enabled": False},
        ),
        (rule("aws:kms:dsse", KEY), {"algorithm": "aws:kms:dsse", "kms_key_arn": KEY, "bucket_key_enabled": False}),
    ],
)
def test_encryption_is_normalised(configuration, expected):
    assert bucket_settings.encryption_settings(configuration, "aws", "us-east-1", ACCOUNT) == expected


def test_bare_key_id_expands_in_the_bucket_partition_and_region():
    assert bucket_settings.kms_key_as_arn("mrk-1234", "aws-cn", "cn-north-1", ACCOUNT) == f"arn:aws-cn:kms:cn-north-1:{ACCOUNT}:key/mrk-1234"


@pytest.mark.parametrize(
    "controls, expected",
    [(None, None), ({"Rules": []}, None), ({"Rules": [{"ObjectOwnership": "ObjectWriter"}]}, "ObjectWriter")],
)
def test_object_ownership_setting(controls, expected):
    assert bucket_settings.object_ownership_setting(controls) == expected


# --- changes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "current, change",
    [("Disabled", {"versioning": "Enabled"}), ("Suspended", {"versioning": "Enabled"}), ("Enabled", {})],
)
def test_enabling_versioning(current, change):
    assert bucket_settings.plan_changes(desired(versioning=True), state(current)) == change


@pytest.mark.parametrize("current", ["Disabled", "Suspended"])
def test_versioning_false_on_an_unversioned_or_suspended_bucket_is_a_no_op(current):
    assert not bucket_settings.suspension_requested(desired(versioning=False), state(current))
    assert bucket_settings.plan_changes(desired(versioning=False), state(current), replication_configured=True) == {}


def test_versioning_false_suspends_a_versioned_bucket_without_replication():
    assert bucket_settings.suspension_requested(desired(versioning=False), state("Enabled"))
    assert bucket_settings.plan_changes(desired(versioning=False), state("Enabled")) == {"versioning": "Suspended"}


def test_suspending_a_replicating_bucket_is_refused():
    with pytest.raises(BucketSettingsError, match="versioning: bucket 'stats-data-tgt' has a replication configuration"):
        bucket_settings.plan_changes(desired(versioning=False), state("Enabled"), replication_configured=True)


@pytest.mark.parametrize(
    "current",
    [
        None,
        SSE_S3,
        dict(SSE_KMS, kms_key_arn=OTHER_KEY),
        dict(SSE_KMS, bucket_key_enabled=False),
        dict(SSE_KMS, algorithm="aws:kms:dsse"),
        {"algorithm": "aws:kms", "kms_key_arn": None, "bucket_key_enabled": True},
    ],
)
def test_encryption_that_differs_is_replaced(current):
    assert bucket_settings.plan_changes(desired(encryption={"kms_key_arn": KEY}), state(encryption=current)) == {"encryption": SSE_KMS}


def test_encryption_that_matches_is_left_alone():
    assert bucket_settings.plan_changes(desired(encryption={"kms_key_arn": KEY}), state(encryption=SSE_KMS)) == {}


@pytest.mark.parametrize("current, change", [(None, True), ("ObjectWriter", True), ("BucketOwnerEnforced", False)])
def test_object_ownership_change(current, change):
    changes = bucket_settings.plan_changes(desired(object_ownership="BucketOwnerEnforced"), state(object_ownership=current))
    assert changes == ({"object_ownership": "BucketOwnerEnforced"} if change else {})


def test_predicted_state_applies_changes_without_touching_the_current_state():
    current = state("Disabled", SSE_S3, "ObjectWriter")
    after = bucket_settings.predicted_state(current, {"versioning": "Enabled", "encryption": SSE_KMS})
    assert after == state("Enabled", SSE_KMS, "ObjectWriter")
    assert current == state("Disabled", SSE_S3, "ObjectWriter")


def test_new_bucket_has_the_s3_defaults_and_the_requested_ownership():
    assert bucket_settings.new_bucket_state("b-1", "eu-west-1") == {
        "name": "b-1",
        "exists": True,
        "region": "eu-west-1",
        "versioning": "Disabled",
        "encryption": SSE_S3,
        "object_ownership": "BucketOwnerEnforced",
    }
    assert bucket_settings.new_bucket_state("b-1", "eu-west-1", "ObjectWriter")["object_ownership"] == "ObjectWriter"
    assert bucket_settings.missing_bucket_state("b-1") == {"name": "b-1", "exists": False}


OPTIONS = st.fixed_dictionaries(
    {
        "versioning": st.sampled_from([None, True, False]),
        "encryption": st.sampled_from([None, {"kms_key_arn": KEY}, {"kms_key_arn": OTHER_KEY, "bucket_key_enabled": False}]),
        "object_ownership": st.sampled_from((None,) + bucket_settings.OBJECT_OWNERSHIP_CHOICES),
    }
)
STATES = st.builds(
    state,
    versioning=st.sampled_from(["Disabled", "Enabled", "Suspended"]),
    encryption=st.sampled_from([None, SSE_S3, SSE_KMS, dict(SSE_KMS, bucket_key_enabled=False)]),
    object_ownership=st.sampled_from((None,) + bucket_settings.OBJECT_OWNERSHIP_CHOICES),
)


@given(OPTIONS, STATES)
def test_the_state_after_the_changes_needs_no_further_change(options, current):
    wanted = desired(**options)
    after = bucket_settings.predicted_state(current, bucket_settings.plan_changes(wanted, current))
    assert bucket_settings.plan_changes(wanted, after) == {}
    for attribute in bucket_settings.MANAGED_ATTRIBUTES:
        if wanted[attribute] is None:
            assert after[attribute] == current[attribute]


# --- requests and messages ------------------------------------------------------------------------


def test_requests_match_the_s3_api_model():
    assert_valid_request("PutBucketVersioning", VersioningConfiguration=bucket_settings.versioning_request("Enabled"))
    assert_valid_request("PutBucketEncryption", ServerSideEncryptionConfiguration=bucket_settings.encryption_request(SSE_KMS))
    assert_valid_request("PutBucketOwnershipControls", OwnershipControls=bucket_settings.ownership_request("BucketOwnerEnforced"))


def test_encryption_request_is_one_rule_that_reads_back_as_the_desired_encryption():
    request = bucket_settings.encryption_request(SSE_KMS)
    assert request == {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY}, "BucketKeyEnabled": True}]}
    assert bucket_settings.encryption_settings(request, "aws", "us-east-1", ACCOUNT) == SSE_KMS


def test_messages_name_the_bucket_the_account_and_the_fix():
    assert bucket_settings.missing_bucket_message("b-1", ACCOUNT) == f"bucket 'b-1' does not exist in account {ACCOUNT}; create it or set create: true"
    forbidden = bucket_settings.forbidden_bucket_message("b-1", ACCOUNT)
    assert "'b-1'" in forbidden and ACCOUNT in forbidden and "another AWS account" in forbidden
    taken = bucket_settings.name_taken_message("b-1", ACCOUNT)
    assert "'b-1'" in taken and ACCOUNT in taken and "choose another name" in taken
