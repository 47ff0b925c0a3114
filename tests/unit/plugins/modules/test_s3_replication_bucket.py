# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_bucket against botocore's Stubber: every request is checked against the S3 model,
and an unexpected call (a write in check mode, a second read) fails the test."""

import json

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.bucket_settings import BucketSettingsError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_bucket as module

NAME = "stats-data-tgt"
ACCOUNT = "880161310235"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
EU_KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
SSE_S3 = {"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False}
SSE_KMS = {"algorithm": "aws:kms", "kms_key_arn": KEY, "bucket_key_enabled": True}
SSE_S3_CONFIGURATION = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}
SSE_KMS_CONFIGURATION = bucket_settings.encryption_request(SSE_KMS)
OWNED = {"Bucket": NAME, "ExpectedBucketOwner": ACCOUNT}


@pytest.fixture(name="s3")
def s3_fixture():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture(name="api")
def api_fixture(s3, monkeypatch):
    monkeypatch.setattr(module, "S3_RETRY_DELAY", 0)
    return module.BucketApi(RetryingBotoClientWrapper(s3[0], module.s3_retry()), NAME, ACCOUNT)


@pytest.fixture(name="stub")
def stub_fixture(s3):
    return S3Answers(s3[1])


class S3Answers:
    """Queues the S3 answers of one run; bucket calls always carry the expected owner."""

    def __init__(self, stubber):
        self.stubber = stubber

    def ok(self, operation, response=None, **params):
        self.stubber.add_response(operation, response or {}, dict(OWNED, **params))

    def error(self, operation, code, status=404, **params):
        self.stubber.add_client_error(operation, service_error_code=code, http_status_code=status, expected_params=dict(OWNED, **params))

    def existing(self, region="us-east-1", versioning=None, encryption=None, ownership=None):
        self.ok("head_bucket", {"BucketRegion": region})
        self.settings(versioning, encryption, ownership)

    def settings(self, versioning=None, encryption=None, ownership=None):
        self.ok("get_bucket_versioning", {"Status": versioning} if versioning else {})
        if encryption:
            self.ok("get_bucket_encryption", {"ServerSideEncryptionConfiguration": encryption})
        else:
            self.error("get_bucket_encryption", "ServerSideEncryptionConfigurationNotFoundError")
        if ownership:
            self.ok("get_bucket_ownership_controls", {"OwnershipControls": bucket_settings.ownership_request(ownership)})
        else:
            self.error("get_bucket_ownership_controls", "OwnershipControlsNotFoundError")

    def missing(self):
        self.error("head_bucket", "404")


def desired(**options):
    return bucket_settings.desired_settings(NAME, **options)


def ensure(api, wanted, create=False, region="us-east-1", check_mode=False):
    return module.ensure_bucket(api, wanted, create, region, "aws", check_mode)


def state(region="us-east-1", versioning="Disabled", encryption=None, ownership=None):
    return bucket_settings.bucket_state(NAME, region, versioning, encryption, ownership)


DESTINATION = {"versioning": True, "encryption": {"kms_key_arn": KEY}, "object_ownership": "BucketOwnerEnforced"}


# --- existing buckets -----------------------------------------------------------------------------


def test_bucket_already_ready_is_read_once_and_not_written(api, stub):
    stub.existing(versioning="Enabled", encryption=SSE_KMS_CONFIGURATION, ownership="BucketOwnerEnforced")
    changed, before, after = ensure(api, desired(**DESTINATION))
    assert not changed
    assert before == after == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")


def test_destination_settings_are_written(api, stub):
    stub.existing(encryption=SSE_S3_CONFIGURATION, ownership="ObjectWriter")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_encryption", ServerSideEncryptionConfiguration=SSE_KMS_CONFIGURATION)
    stub.ok("put_bucket_ownership_controls", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    changed, before, after = ensure(api, desired(**DESTINATION))
    assert changed
    assert before == state(encryption=SSE_S3, ownership="ObjectWriter")
    assert after == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")


def test_source_versioning_leaves_encryption_and_ownership_alone(api, stub):
    stub.existing(encryption=SSE_S3_CONFIGURATION, ownership="ObjectWriter")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    changed, _before, after = ensure(api, desired(versioning=True))
    assert changed
    assert after == state(versioning="Enabled", encryption=SSE_S3, ownership="ObjectWriter")


def test_check_mode_on_an_existing_bucket_writes_nothing(api, stub):
    stub.existing(encryption=SSE_S3_CONFIGURATION)
    changed, _before, after = ensure(api, desired(**DESTINATION), check_mode=True)
    assert changed
    assert after == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")


def test_bucket_in_another_region_reports_its_region_and_needs_a_key_there(api, stub):
    stub.existing(region="eu-west-1", versioning="Enabled")
    changed, _before, after = ensure(api, desired(versioning=True))
    assert not changed and after["region"] == "eu-west-1"
    stub.ok("head_bucket", {"BucketRegion": "eu-west-1"})
    with pytest.raises(BucketSettingsError, match="the key is in region us-east-1 but bucket 'stats-data-tgt' is in eu-west-1"):
        ensure(api, desired(encryption={"kms_key_arn": KEY}))


def test_region_comes_from_the_header_when_the_body_has_none(api, stub):
    stub.ok("head_bucket", {"ResponseMetadata": {"HTTPHeaders": {"x-amz-bucket-region": "eu-west-1"}}})
    assert api.locate() == "eu-west-1"


def test_suspending_a_replicating_bucket_is_refused_before_any_write(api, stub):
    stub.existing(versioning="Enabled")
    stub.ok("get_bucket_replication", {"ReplicationConfiguration": {"Role": "arn:aws:iam::211258069784:role/r", "Rules": []}})
    with pytest.raises(BucketSettingsError, match="has a replication configuration"):
        ensure(api, desired(versioning=False))


def test_suspending_a_bucket_without_replication(api, stub):
    stub.existing(versioning="Enabled")
    stub.error("get_bucket_replication", "ReplicationConfigurationNotFoundError")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Suspended"})
    changed, _before, after = ensure(api, desired(versioning=False))
    assert changed and after["versioning"] == "Suspended"


def test_versioning_false_on_a_never_versioned_bucket_reads_no_replication_and_writes_nothing(api, stub):
    stub.existing()
    changed, _before, after = ensure(api, desired(versioning=False))
    assert not changed and after["versioning"] == "Disabled"


def test_forbidden_bucket_names_bucket_and_account(api, stub):
    stub.error("head_bucket", "403", status=403)
    with pytest.raises(BucketSettingsError) as raised:
        ensure(api, desired(**DESTINATION), create=True)
    assert str(raised.value) == bucket_settings.forbidden_bucket_message(NAME, ACCOUNT)


def test_failing_write_reports_operation_bucket_and_account(api, stub):
    stub.existing()
    stub.error("put_bucket_versioning", "AccessDenied", status=403, VersioningConfiguration={"Status": "Enabled"})
    with pytest.raises(module.AwsCallError) as raised:
        ensure(api, desired(versioning=True))
    assert raised.value.message == f"put_bucket_versioning failed for bucket '{NAME}' in account {ACCOUNT}"


# --- missing buckets ------------------------------------------------------------------------------


def test_missing_bucket_without_create_fails_before_any_write(api, stub):
    stub.missing()
    with pytest.raises(BucketSettingsError) as raised:
        ensure(api, desired(**DESTINATION))
    assert str(raised.value) == f"bucket '{NAME}' does not exist in account {ACCOUNT}; create it or set create: true"


def test_check_mode_on_a_missing_bucket_shows_the_bucket_that_would_exist(api, stub):
    stub.missing()
    changed, before, after = ensure(api, desired(**DESTINATION), create=True, check_mode=True)
    assert changed
    assert before == {"name": NAME, "exists": False}
    assert after == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")


def test_check_mode_on_a_missing_bucket_shows_s3_defaults_for_unset_options(api, stub):
    stub.missing()
    _changed, _before, after = ensure(api, desired(versioning=True), create=True, region="eu-west-1", check_mode=True)
    assert after == state(region="eu-west-1", versioning="Enabled", encryption=SSE_S3, ownership="BucketOwnerEnforced")


def test_creating_in_us_east_1_has_no_location_constraint(api, stub, s3):
    stub.missing()
    s3[1].add_response("create_bucket", {}, {"Bucket": NAME, "ObjectOwnership": "BucketOwnerEnforced"})
    stub.settings(encryption=SSE_S3_CONFIGURATION, ownership="BucketOwnerEnforced")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_encryption", ServerSideEncryptionConfiguration=SSE_KMS_CONFIGURATION)
    changed, before, after = ensure(api, desired(**DESTINATION), create=True)
    assert changed
    assert before == {"name": NAME, "exists": False}
    assert after == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")


def test_creating_elsewhere_sets_the_location_and_retries_stale_reads(api, stub, s3):
    stub.missing()
    s3[1].add_response("create_bucket", {}, {"Bucket": NAME, "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}})
    stub.error("get_bucket_versioning", "NoSuchBucket")
    stub.error("get_bucket_versioning", "NoSuchBucket")
    stub.ok("get_bucket_versioning", {})
    stub.error("get_bucket_encryption", "ServerSideEncryptionConfigurationNotFoundError")
    stub.ok("get_bucket_ownership_controls", {"OwnershipControls": bucket_settings.ownership_request("BucketOwnerEnforced")})
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_encryption", ServerSideEncryptionConfiguration=bucket_settings.encryption_request(dict(SSE_KMS, kms_key_arn=EU_KEY)))
    changed, _before, after = ensure(api, desired(versioning=True, encryption={"kms_key_arn": EU_KEY}), create=True, region="eu-west-1")
    assert changed
    assert after == state(region="eu-west-1", versioning="Enabled", encryption=dict(SSE_KMS, kms_key_arn=EU_KEY), ownership="BucketOwnerEnforced")


def test_stale_reads_are_retried_only_a_bounded_number_of_times(api, stub):
    for _attempt in range(module.S3_RETRIES):
        stub.error("get_bucket_versioning", "NoSuchBucket")
    with pytest.raises(module.AwsCallError):
        api.versioning()
    for _attempt in range(module.S3_RETRIES - 1):
        stub.error("get_bucket_versioning", "NoSuchBucket")
    stub.ok("get_bucket_versioning", {"Status": "Enabled"})
    assert api.versioning() == "Enabled"


def test_key_region_is_checked_against_the_region_the_bucket_would_get(api, stub):
    stub.missing()
    with pytest.raises(BucketSettingsError, match="is in eu-west-1"):
        ensure(api, desired(encryption={"kms_key_arn": KEY}), create=True, region="eu-west-1")


def test_creating_needs_a_region(api, stub):
    stub.missing()
    with pytest.raises(BucketSettingsError, match="^region: "):
        ensure(api, desired(versioning=True), create=True, region=None)


def test_name_taken_by_another_account(api, stub, s3):
    stub.missing()
    s3[1].add_client_error("create_bucket", service_error_code="BucketAlreadyExists", http_status_code=409, expected_params={"Bucket": NAME})
    with pytest.raises(BucketSettingsError) as raised:
        ensure(api, desired(), create=True)
    assert str(raised.value) == bucket_settings.name_taken_message(NAME, ACCOUNT)


def test_bucket_we_already_own_counts_as_created(api, stub, s3):
    stub.missing()
    s3[1].add_client_error("create_bucket", service_error_code="BucketAlreadyOwnedByYou", http_status_code=409, expected_params={"Bucket": NAME})
    stub.settings(versioning="Enabled")
    changed, _before, after = ensure(api, desired(versioning=True), create=True)
    assert changed and after == state(versioning="Enabled")


# --- main -----------------------------------------------------------------------------------------


@pytest.fixture(name="run_main")
def run_main_fixture(s3, monkeypatch, capsys):
    monkeypatch.setattr(module, "caller_identity", lambda _module: (ACCOUNT, "aws"))
    monkeypatch.setattr(module, "S3_RETRY_DELAY", 0)
    clients = []

    def client(_self, service, retry_decorator=None, **_params):
        clients.append(service)
        return RetryingBotoClientWrapper(s3[0], retry_decorator)

    monkeypatch.setattr(AnsibleS3CrossAccountModule, "client", client)

    def run(args):
        with patch_module_args(dict(args, region="us-east-1")):
            with pytest.raises(SystemExit):
                module.main()
        return json.loads(capsys.readouterr().out), clients

    return run


def test_main_check_mode_on_a_missing_bucket(run_main, stub):
    stub.missing()
    result, _clients = run_main(dict(name=NAME, create=True, _ansible_check_mode=True, **DESTINATION))
    assert result["changed"] is True
    assert result["bucket"] == dict(state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced"), exists=False)
    assert result["diff"]["before"] == {"name": NAME, "exists": False}
    assert result["diff"]["after"]["exists"] is True


def test_main_reports_an_existing_bucket(run_main, stub):
    stub.existing(versioning="Enabled", encryption=SSE_KMS_CONFIGURATION)
    result, _clients = run_main(dict(name=NAME, versioning=True))
    assert result["changed"] is False
    assert result["bucket"] == state(versioning="Enabled", encryption=SSE_KMS)


def test_main_refuses_bad_input_before_calling_aws(run_main):
    result, clients = run_main(dict(name=NAME, encryption={"kms_key_arn": "alias/replica"}))
    assert result["failed"] is True
    assert result["msg"].startswith("encryption.kms_key_arn: 'alias/replica' is a KMS alias")
    assert not clients


def test_main_fails_clearly_on_a_missing_bucket(run_main, stub):
    stub.missing()
    result, _clients = run_main(dict(name=NAME, versioning=True))
    assert result["failed"] is True
    assert result["msg"] == f"bucket '{NAME}' does not exist in account {ACCOUNT}; create it or set create: true"


def test_main_reports_aws_errors_with_the_operation(run_main, stub):
    stub.existing()
    stub.error("put_bucket_versioning", "AccessDenied", status=403, VersioningConfiguration={"Status": "Enabled"})
    result, _clients = run_main(dict(name=NAME, versioning=True))
    assert result["failed"] is True
    assert result["msg"].startswith(f"put_bucket_versioning failed for bucket '{NAME}' in account {ACCOUNT}")
    assert result["error"]["code"] == "AccessDenied"
