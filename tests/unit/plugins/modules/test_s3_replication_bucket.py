# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_bucket (writer module_utils/writers/bucket) against botocore's Stubber: every request is checked
against the S3 model, and an unexpected call (a write in check mode, a second read) fails the test even where the
code turns botocore errors into AwsCallFailure."""

import json

import boto3
import pytest
from module_args import patch_module_args
from botocore.stub import Stubber
from aws_stubs import RecordingStubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import modules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import retries
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.bucket_settings import BucketSettingsError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_bucket

NAME = "stats-data-tgt"
ACCOUNT = "880161310235"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
EU_KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
SSE_S3 = {"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False}
SSE_KMS = {"algorithm": "aws:kms", "kms_key_arn": KEY, "bucket_key_enabled": True}
SSE_S3_CONFIGURATION = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}
SSE_KMS_CONFIGURATION = bucket_settings.encryption_request(SSE_KMS)
OWNED = {"Bucket": NAME, "ExpectedBucketOwner": ACCOUNT}
DESTINATION = {"versioning": True, "encryption": {"kms_key_arn": KEY}, "object_ownership": "BucketOwnerEnforced"}
HEADER = f"account {ACCOUNT}: s3://{NAME} (bucket settings)"
RETRIES = 3


# --- Stubber-backed client ---------------------------------------------------------------------


def raw_client(service):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


@pytest.fixture(name="s3")
def s3_fixture():
    client = raw_client("s3")
    stubber = RecordingStubber(client)
    with stubber:
        yield client, stubber
    assert stubber.violations == []
    stubber.assert_no_pending_responses()


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

    def create(self, code=None, **params):
        expected = dict({"Bucket": NAME}, **params)
        if code:
            self.stubber.add_client_error("create_bucket", service_error_code=code, http_status_code=409, expected_params=expected)
        else:
            self.stubber.add_response("create_bucket", {}, expected)

    def operations(self):
        return [name for name, _params in self.stubber.calls]


def stubbed_aws(client):
    """runner.Aws in ``region`` on the stubbed client, wrapped in the collection's retry (as every writer test builds it)."""
    wrapped = RetryingBotoClientWrapper(client, retries.transient_retry(retries=RETRIES, delay=0, max_delay=0))
    return lambda region: runner.Aws(clients={"s3": wrapped}, account_id=ACCOUNT, partition="aws", region=region)


@pytest.fixture(name="aws")
def aws_fixture(s3):
    return stubbed_aws(s3[0])


class ClientMaker:
    """The module side of runner.Aws: the stubbed client, retrying transient errors and the codes the writer asks for,
    as AnsibleS3CrossAccountModule.aws_client does (without its delays). runner.Aws(clients=...) ignores those codes."""

    def __init__(self, client):
        self._client = client
        self.region = None
        self.made = []

    def aws_client(self, service, region=None, extra_codes=()):
        self.made.append((service, tuple(extra_codes)))
        retry = retries.transient_retry(retries=RETRIES, delay=0, max_delay=0, catch_extra_error_codes=list(extra_codes))
        return RetryingBotoClientWrapper(self._client, retry)

    def aws(self, region):
        self.region = region
        return runner.Aws(module=self, account_id=ACCOUNT, partition="aws")


@pytest.fixture(name="maker")
def maker_fixture(s3):
    return ClientMaker(s3[0])


def ensure(aws_in, args, region="us-east-1", check_mode=False):
    """The write module's run: ``aws_in(region)`` is the runner.Aws it runs with."""
    return runner.run_write(bucket.WRITER, aws_in(region), runner.validated(bucket.WRITER, dict(args, name=NAME)), check_mode)


def state(region="us-east-1", versioning="Disabled", encryption=None, ownership=None):
    return bucket_settings.bucket_state(NAME, region, versioning, encryption, ownership)


# --- existing buckets -----------------------------------------------------------------------------


def test_bucket_already_ready_is_read_once_and_not_written(aws, stub):
    stub.existing(versioning="Enabled", encryption=SSE_KMS_CONFIGURATION, ownership="BucketOwnerEnforced")
    result = ensure(aws, DESTINATION)
    assert not result["changed"]
    assert result["before"] == result["after"] == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")
    assert result["diff"]["before_header"] == HEADER


def test_destination_settings_are_written(aws, stub):
    stub.existing(encryption=SSE_S3_CONFIGURATION, ownership="ObjectWriter")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_encryption", ServerSideEncryptionConfiguration=SSE_KMS_CONFIGURATION)
    stub.ok("put_bucket_ownership_controls", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    result = ensure(aws, DESTINATION)
    assert result["changed"]
    assert result["before"] == state(encryption=SSE_S3, ownership="ObjectWriter")
    assert result["after"] == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")
    assert result["result"]["bucket"] == dict(result["after"], exists=True)


def test_source_versioning_leaves_encryption_and_ownership_alone(aws, stub):
    stub.existing(encryption=SSE_S3_CONFIGURATION, ownership="ObjectWriter")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    result = ensure(aws, {"versioning": True})
    assert result["changed"]
    assert result["after"] == state(versioning="Enabled", encryption=SSE_S3, ownership="ObjectWriter")


def test_check_mode_on_an_existing_bucket_writes_nothing(aws, stub):
    stub.existing(encryption=SSE_S3_CONFIGURATION)
    result = ensure(aws, DESTINATION, check_mode=True)
    assert result["changed"]
    assert result["after"] == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")
    assert not [name for name in stub.operations() if name.startswith(("Put", "Create"))]


def test_bucket_in_another_region_reports_its_region_and_needs_a_key_there(aws, stub):
    stub.existing(region="eu-west-1", versioning="Enabled")
    result = ensure(aws, {"versioning": True})
    assert not result["changed"] and result["after"]["region"] == "eu-west-1"
    stub.existing(region="eu-west-1", versioning="Enabled")
    with pytest.raises(BucketSettingsError, match="the key is in region us-east-1 but bucket 'stats-data-tgt' is in eu-west-1"):
        ensure(aws, {"encryption": {"kms_key_arn": KEY}})


def test_region_comes_from_the_header_when_the_body_has_none(aws, stub):
    stub.ok("head_bucket", {"ResponseMetadata": {"HTTPHeaders": {"x-amz-bucket-region": "eu-west-1"}}})
    stub.settings(versioning="Enabled")
    assert ensure(aws, {"versioning": True})["after"]["region"] == "eu-west-1"


def test_suspending_a_replicating_bucket_is_refused_before_any_write(aws, stub):
    stub.existing(versioning="Enabled")
    stub.ok("get_bucket_replication", {"ReplicationConfiguration": {"Role": "arn:aws:iam::211258069784:role/r", "Rules": []}})
    with pytest.raises(BucketSettingsError, match="has a replication configuration"):
        ensure(aws, {"versioning": False})


def test_suspending_a_bucket_without_replication(aws, stub):
    stub.existing(versioning="Enabled")
    stub.error("get_bucket_replication", "ReplicationConfigurationNotFoundError")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Suspended"})
    result = ensure(aws, {"versioning": False})
    assert result["changed"] and result["after"]["versioning"] == "Suspended"


def test_versioning_false_on_a_never_versioned_bucket_reads_no_replication_and_writes_nothing(aws, stub):
    stub.existing()
    result = ensure(aws, {"versioning": False})
    assert not result["changed"] and result["after"]["versioning"] == "Disabled"
    assert "GetBucketReplication" not in stub.operations()


def test_forbidden_bucket_names_bucket_and_account(aws, stub):
    stub.error("head_bucket", "403", status=403)
    with pytest.raises(BucketSettingsError) as raised:
        ensure(aws, dict(DESTINATION, create=True))
    assert str(raised.value) == bucket_settings.forbidden_bucket_message(NAME, ACCOUNT)


def test_failing_write_reports_operation_bucket_and_account(aws, stub):
    stub.existing()
    stub.error("put_bucket_versioning", "AccessDenied", status=403, VersioningConfiguration={"Status": "Enabled"})
    with pytest.raises(AwsCallFailure) as raised:
        ensure(aws, {"versioning": True})
    assert raised.value.message == f"PutBucketVersioning failed for bucket '{NAME}' in account {ACCOUNT}"
    assert raised.value.code == "AccessDenied"


# --- missing buckets ------------------------------------------------------------------------------


def test_missing_bucket_without_create_fails_before_any_write(aws, stub):
    stub.missing()
    with pytest.raises(BucketSettingsError) as raised:
        ensure(aws, DESTINATION)
    assert str(raised.value) == f"bucket '{NAME}' does not exist in account {ACCOUNT}; create it or set create: true"
    assert stub.operations() == ["HeadBucket"]


def test_check_mode_on_a_missing_bucket_shows_the_bucket_that_would_exist(aws, stub):
    stub.missing()
    result = ensure(aws, dict(DESTINATION, create=True), check_mode=True)
    assert result["changed"]
    assert result["before"] is None and result["diff"]["before"] == {}
    assert result["after"] == state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced")
    assert result["result"]["bucket"] == dict(result["after"], exists=False)
    assert result["diff"]["after_header"] == f"{HEADER} (created)"
    assert stub.operations() == ["HeadBucket"]


def test_check_mode_on_a_missing_bucket_shows_s3_defaults_for_unset_options(aws, stub):
    stub.missing()
    result = ensure(aws, {"versioning": True, "create": True}, region="eu-west-1", check_mode=True)
    assert result["after"] == state(region="eu-west-1", versioning="Enabled", encryption=SSE_S3, ownership="BucketOwnerEnforced")


def test_creating_in_us_east_1_has_no_location_constraint(aws, stub):
    stub.missing()
    stub.create(ObjectOwnership="BucketOwnerEnforced")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_encryption", ServerSideEncryptionConfiguration=SSE_KMS_CONFIGURATION)
    result = ensure(aws, dict(DESTINATION, create=True))
    assert result["changed"]
    assert result["before"] is None
    assert result["result"]["bucket"] == dict(state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced"), exists=True)


def test_creating_elsewhere_sets_the_location_and_retries_stale_writes(maker, stub):
    stub.missing()
    stub.create(CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    for _stale in range(RETRIES - 1):
        stub.error("put_bucket_versioning", "NoSuchBucket", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    stub.ok("put_bucket_encryption", ServerSideEncryptionConfiguration=bucket_settings.encryption_request(dict(SSE_KMS, kms_key_arn=EU_KEY)))
    result = ensure(maker.aws, {"versioning": True, "encryption": {"kms_key_arn": EU_KEY}, "create": True}, region="eu-west-1")
    assert result["changed"]
    after = state(region="eu-west-1", versioning="Enabled", encryption=dict(SSE_KMS, kms_key_arn=EU_KEY), ownership="BucketOwnerEnforced")
    assert result["result"]["bucket"] == dict(after, exists=True)
    assert set(maker.made) == {("s3", bucket.EXTRA_RETRY_CODES)}


def test_stale_answers_are_retried_only_a_bounded_number_of_times(maker, stub):
    stub.missing()
    stub.create()
    for _stale in range(RETRIES):
        stub.error("put_bucket_versioning", "NoSuchBucket", VersioningConfiguration={"Status": "Enabled"})
    with pytest.raises(AwsCallFailure, match="PutBucketVersioning failed") as raised:
        ensure(maker.aws, {"versioning": True, "create": True})
    assert raised.value.code == "NoSuchBucket"


def test_key_region_is_checked_against_the_region_the_bucket_would_get(aws, stub):
    stub.missing()
    with pytest.raises(BucketSettingsError, match="is in eu-west-1"):
        ensure(aws, {"encryption": {"kms_key_arn": KEY}, "create": True}, region="eu-west-1")


def test_creating_needs_a_region(aws, stub):
    stub.missing()
    with pytest.raises(BucketSettingsError, match="^region: "):
        ensure(aws, {"versioning": True, "create": True}, region=None)


def test_name_taken_by_another_account(aws, stub):
    stub.missing()
    stub.create("BucketAlreadyExists")
    with pytest.raises(BucketSettingsError) as raised:
        ensure(aws, {"create": True})
    assert str(raised.value) == bucket_settings.name_taken_message(NAME, ACCOUNT)


def test_bucket_we_already_own_counts_as_created(aws, stub):
    stub.missing()
    stub.create("BucketAlreadyOwnedByYou")
    stub.ok("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    result = ensure(aws, {"versioning": True, "create": True})
    assert result["changed"]
    assert result["result"]["bucket"] == dict(state(versioning="Enabled", encryption=SSE_S3, ownership="BucketOwnerEnforced"), exists=True)


def test_bad_input_is_refused_before_any_client_is_made(maker, stub):
    with pytest.raises(BucketSettingsError, match="^encryption.kms_key_arn: 'alias/replica' is a KMS alias"):
        ensure(maker.aws, {"encryption": {"kms_key_arn": "alias/replica"}})
    assert maker.made == []


# --- main -----------------------------------------------------------------------------------------


@pytest.fixture(name="run_main")
def run_main_fixture(s3, monkeypatch, capsys):
    sts = raw_client("sts")
    sts_stubber = Stubber(sts)
    sts_stubber.add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/s", "UserId": "AROA:s"})
    raw = {"s3": s3[0], "sts": sts}
    clients = []

    def make_client(_self, service, retry, _region, _extra_params):
        clients.append(service)
        return RetryingBotoClientWrapper(raw[service], retry)

    monkeypatch.setattr(AnsibleS3CrossAccountModule, "_make_client", make_client)
    monkeypatch.setattr(modules, "transient_retry", lambda **options: retries.transient_retry(**dict(options, retries=RETRIES, delay=0, max_delay=0)))

    def run(args):
        with sts_stubber, patch_module_args(dict(args, region="us-east-1")):
            with pytest.raises(SystemExit):
                s3_replication_bucket.main()
        return json.loads(capsys.readouterr().out), clients

    return run


def test_main_check_mode_on_a_missing_bucket(run_main, stub):
    stub.missing()
    result, _clients = run_main(dict(name=NAME, create=True, _ansible_check_mode=True, _ansible_diff=True, **DESTINATION))
    assert result["changed"] is True
    assert result["bucket"] == dict(state(versioning="Enabled", encryption=SSE_KMS, ownership="BucketOwnerEnforced"), exists=False)
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["versioning"] == "Enabled"
    assert result["diff"]["before_header"] == HEADER


def test_main_reports_an_existing_bucket(run_main, stub):
    stub.existing(versioning="Enabled", encryption=SSE_KMS_CONFIGURATION)
    result, _clients = run_main(dict(name=NAME, versioning=True))
    assert result["changed"] is False
    assert result["bucket"] == state(versioning="Enabled", encryption=SSE_KMS)
    assert "diff" not in result


def test_main_refuses_bad_input_before_calling_aws(run_main):
    result, clients = run_main(dict(name=NAME, encryption={"kms_key_arn": "alias/replica"}))
    assert result["failed"] is True
    assert result["msg"].startswith("encryption.kms_key_arn: 'alias/replica' is a KMS alias")
    assert not clients


def test_main_fails_clearly_on_a_missing_bucket(run_main, stub):
    stub.missing()
    result, clients = run_main(dict(name=NAME, versioning=True))
    assert result["failed"] is True
    assert result["msg"] == f"bucket '{NAME}' does not exist in account {ACCOUNT}; create it or set create: true"
    assert sorted(clients) == ["s3", "sts"]


def test_main_reports_aws_errors_with_the_operation(run_main, stub):
    stub.existing()
    stub.error("put_bucket_versioning", "AccessDenied", status=403, VersioningConfiguration={"Status": "Enabled"})
    result, _clients = run_main(dict(name=NAME, versioning=True))
    assert result["failed"] is True
    assert result["msg"].startswith(f"PutBucketVersioning failed for bucket '{NAME}' in account {ACCOUNT}")
    assert result["error"]["code"] == "AccessDenied"
