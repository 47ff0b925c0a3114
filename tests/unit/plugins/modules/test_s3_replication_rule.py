# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_rule (writer module_utils/writers/replication) against botocore's Stubber: every request is checked
against the S3 model, and an unexpected call (a write in check mode, a re-read after a failed write) fails the test
even where the code turns botocore errors into AwsCallFailure."""

import copy
import json
import time
import types

import boto3
import botocore
import pytest
from module_args import patch_module_args
from botocore.stub import Stubber
from aws_stubs import NO_SETTLE
from aws_stubs import RecordingStubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import modules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import retries
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.replication_rules import ReplicationRuleError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.replication_rules import build_rule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.replication_rules import with_defaults
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import replication
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_rule

SOURCE_ACCOUNT = "211258069784"
BUCKET = "stats-data-src"
DESTINATION = "stats-data-tgt"
ROLE = f"arn:aws:iam::{SOURCE_ACCOUNT}:role/s3-replication-role"
KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
FOREIGN_RULE = {
    "ID": "analytics-team-logs",
    "Priority": 10,
    "Status": "Enabled",
    "Filter": {"Prefix": "logs/"},
    "DeleteMarkerReplication": {"Status": "Disabled"},
    "Destination": {"Bucket": "arn:aws:s3:::logs-archive-tgt"},
}
HEADER = f"account {SOURCE_ACCOUNT}: s3://{BUCKET} (replication configuration)"
RETRIES = 3


# --- Stubber-backed client ---------------------------------------------------------------------


def raw_client(service):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


class S3:
    """Queues the S3 answers of one run and tells which calls were made."""

    def __init__(self, stubber):
        self.stubber = stubber

    def configuration(self, configuration):
        if configuration is None:
            self.fails("get_bucket_replication", "ReplicationConfigurationNotFoundError")
        else:
            self.stubber.add_response("get_bucket_replication", {"ReplicationConfiguration": copy.deepcopy(configuration)}, {"Bucket": BUCKET})

    def fails(self, operation, code, message="error", status=404, headers=None, **params):
        expected = dict({"Bucket": BUCKET}, **params)
        self.stubber.add_client_error(operation, code, message, status, expected_params=expected, response_meta={"HTTPHeaders": headers or {}})

    def put(self, configuration):
        self.stubber.add_response("put_bucket_replication", {}, {"Bucket": BUCKET, "ReplicationConfiguration": configuration})

    def delete(self):
        self.stubber.add_response("delete_bucket_replication", {}, {"Bucket": BUCKET})

    def destination_region(self, region=None, status=200):
        headers = {"x-amz-bucket-region": region} if region else {}
        if status == 200:
            self.stubber.add_response("head_bucket", {"ResponseMetadata": {"HTTPHeaders": headers}}, {"Bucket": DESTINATION})
        else:
            self.stubber.add_client_error("head_bucket", str(status), http_status_code=status, expected_params={"Bucket": DESTINATION},
                                          response_meta={"HTTPHeaders": headers})

    def operations(self):
        return [name for name, _params in self.stubber.calls]


@pytest.fixture(name="s3")
def s3_fixture():
    client = raw_client("s3")
    stubber = RecordingStubber(client)
    with stubber:
        yield client, S3(stubber)
    assert stubber.violations == []
    stubber.assert_no_pending_responses()


@pytest.fixture(name="stub")
def stub_fixture(s3):
    return s3[1]


class ClientMaker:
    """The module side of runner.Aws: the stubbed client, retrying transient errors and the codes the writer asks for,
    as AnsibleS3CrossAccountModule.aws_client does (without its delays)."""

    region = "us-east-1"

    def __init__(self, client):
        self._client = client
        self.made = []

    def aws_client(self, service, region=None, extra_codes=()):
        self.made.append((service, tuple(extra_codes)))
        retry = retries.transient_retry(retries=RETRIES, delay=0, max_delay=0, catch_extra_error_codes=list(extra_codes))
        return RetryingBotoClientWrapper(self._client, retry)


@pytest.fixture(name="aws")
def aws_fixture(s3):
    wrapped = RetryingBotoClientWrapper(s3[0], retries.transient_retry(retries=RETRIES, delay=0, max_delay=0))
    return runner.Aws(clients={"s3": wrapped}, account_id=SOURCE_ACCOUNT, partition="aws", region="us-east-1")


@pytest.fixture(name="maker")
def maker_fixture(s3):
    return ClientMaker(s3[0])


def args(**overrides):
    values = {"bucket": BUCKET, "id": "ours", "role_arn": ROLE, "destination_bucket": DESTINATION, "destination_account": "880161310235",
              "destination_region": "us-east-1"}
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def params(**overrides):
    return runner.validated(replication.WRITER, args(**overrides))


def aws_of(maker):
    return runner.Aws(module=maker, account_id=SOURCE_ACCOUNT, partition="aws", region="us-east-1")


# The read-back after a write (runner.run_write checks that the write shows) reads at once: the tests never sleep.


def run(aws, check_mode=False, verification=NO_SETTLE, **overrides):
    return runner.run_write(replication.WRITER, aws, params(**overrides), check_mode, verification=verification)


def our_rule(configuration=None, **overrides):
    """The rule the options describe, merged into ``configuration`` (default: one with FOREIGN_RULE)."""
    options = replication.rule_options(params(**overrides))[0]
    return build_rule(with_defaults(options), configuration if configuration is not None else {"Rules": [FOREIGN_RULE]})


def configuration(*rules, role=ROLE):
    return {"Role": role, "Rules": [copy.deepcopy(rule) for rule in rules]}


def client_error(code, message="error", operation="GetBucketReplication"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPHeaders": {}}}, operation)


# --- reading the configuration --------------------------------------------------------------------


def test_the_configuration_is_read_from_the_bucket(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE, our_rule()))
    result = run(aws)
    assert result["changed"] is False
    assert result["result"]["configuration"] == configuration(FOREIGN_RULE, our_rule())
    assert stub.operations() == ["GetBucketReplication"]


def test_no_configuration_yet_is_none(aws, stub):
    stub.configuration(None)
    result = run(aws, check_mode=True)
    assert result["before"] is None and result["diff"]["before"] == {}


def test_read_failure_names_the_bucket(aws, stub):
    stub.fails("get_bucket_replication", "NoSuchBucket")
    with pytest.raises(AwsCallFailure) as caught:
        run(aws)
    assert "Source bucket 'stats-data-src' does not exist" in caught.value.message
    assert caught.value.code == "NoSuchBucket"


# --- retries ------------------------------------------------------------------------------------


def test_writes_are_retried_calls(aws, stub):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    stub.fails("put_bucket_replication", "SlowDown", status=503, ReplicationConfiguration=written)
    stub.put(written)
    stub.configuration(written)
    assert run(aws)["changed"] is True
    stub.configuration(configuration(our_rule(configuration())))
    stub.fails("delete_bucket_replication", "SlowDown", status=503)
    stub.delete()
    stub.configuration(None)
    assert run(aws, state="absent")["changed"] is True


def test_writes_retry_throttling_and_conflicting_operations(maker, stub):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    stub.fails("put_bucket_replication", "SlowDown", status=503, ReplicationConfiguration=written)
    stub.fails("put_bucket_replication", "OperationAborted", status=409, ReplicationConfiguration=written)
    stub.put(written)
    stub.configuration(written)
    assert run(aws_of(maker))["changed"] is True
    assert ("s3", ("OperationAborted",)) in maker.made


# --- the read-back after a write -----------------------------------------------------------------


class FakeTime:
    """Verification's sleep and clock: a sleep moves the clock on, nothing really waits."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now


@pytest.fixture(name="fake_time")
def fake_time_fixture():
    return FakeTime()


def timed(fake_time, rounds=3):
    """Settles 1 second, and reads a stale configuration again for up to 3 seconds before writing again."""
    return runner.Verification(settle_seconds=1, rounds=rounds, consistency_seconds=3, sleep=fake_time.sleep, clock=fake_time.clock, jitter=lambda: 0)


def test_a_stale_read_is_read_again_without_a_second_write(aws, stub, fake_time):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    stub.put(written)
    stub.configuration(configuration(FOREIGN_RULE))
    stub.configuration(written)
    result = run(aws, verification=timed(fake_time))
    assert result["changed"] is True and result["rounds"] == 1
    assert stub.operations() == ["GetBucketReplication", "PutBucketReplication", "GetBucketReplication", "GetBucketReplication"]
    assert fake_time.sleeps == [1, 1]


def test_not_found_right_after_the_first_write_is_a_stale_read(aws, stub, fake_time):
    written = configuration(our_rule(configuration()))
    stub.configuration(None)
    stub.put(written)
    stub.configuration(None)
    stub.configuration(written)
    assert run(aws, verification=timed(fake_time))["rounds"] == 1
    assert stub.operations().count("PutBucketReplication") == 1


def test_a_read_back_as_s3_rewrote_it_shows_the_write(aws, stub, fake_time):
    written = configuration(our_rule(configuration()))
    as_read = copy.deepcopy(written)
    as_read["Rules"][0]["Filter"] = {}
    stub.configuration(None)
    stub.put(written)
    stub.configuration(as_read)
    assert run(aws, verification=timed(fake_time))["rounds"] == 1
    assert fake_time.sleeps == [1]


def test_after_a_delete_it_reads_until_there_is_no_configuration(aws, stub, fake_time):
    stub.configuration(configuration(our_rule(configuration())))
    stub.delete()
    stub.configuration(configuration(our_rule(configuration())))
    stub.configuration(None)
    result = run(aws, verification=timed(fake_time), state="absent")
    assert result["rounds"] == 1
    assert stub.operations() == ["GetBucketReplication", "DeleteBucketReplication", "GetBucketReplication", "GetBucketReplication"]


def test_after_consistency_seconds_of_stale_reads_the_write_is_repeated(aws, stub, fake_time):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    stub.put(written)
    for _second in range(3):
        stub.configuration(configuration(FOREIGN_RULE))
    stub.put(written)
    stub.configuration(written)
    result = run(aws, verification=timed(fake_time))
    assert result["rounds"] == 2
    first_round = ["GetBucketReplication", "PutBucketReplication"] + ["GetBucketReplication"] * 3
    assert stub.operations() == first_round + ["PutBucketReplication", "GetBucketReplication"]
    assert fake_time.sleeps == [1, 1, 1, 1]


def test_stale_reads_end_in_a_failure_after_the_rounds(aws, stub, fake_time):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    for _round in range(2):
        stub.put(written)
        for _second in range(3):
            stub.configuration(configuration(FOREIGN_RULE))
    with pytest.raises(AwsCallFailure) as caught:
        run(aws, verification=timed(fake_time, rounds=2))
    assert caught.value.message.startswith(f"{HEADER}: after 2 writes our entries are still not there (S3 or IAM still shows the document as it was")
    assert "replication_lock" in caught.value.message
    assert stub.operations().count("PutBucketReplication") == 2


# --- the destination bucket's region ----------------------------------------------------------


def test_destination_region_from_the_headers_is_checked_against_the_replica_key(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    stub.destination_region("eu-west-1")
    with pytest.raises(ReplicationRuleError, match="the destination bucket is in eu-west-1"):
        run(aws, destination_region=None, replica_kms_key_arn=KEY)


def test_destination_region_from_a_forbidden_answer(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    stub.destination_region("us-west-2", status=403)
    with pytest.raises(ReplicationRuleError, match="the destination bucket is in us-west-2"):
        run(aws, destination_region=None, replica_kms_key_arn=KEY)


def test_destination_region_is_looked_up_only_when_needed(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    run(aws, check_mode=True, destination_region=None)
    stub.configuration(configuration(FOREIGN_RULE))
    run(aws, check_mode=True, replica_kms_key_arn=KEY)
    assert stub.operations() == ["GetBucketReplication", "GetBucketReplication"]


@pytest.mark.parametrize("status", [404, 403])
def test_unknown_destination_region_skips_the_region_check(aws, stub, status):
    stub.configuration(None)
    stub.destination_region(None, status=status)
    assert run(aws, check_mode=True, destination_region=None, replica_kms_key_arn=KEY)["changed"]


# --- errors described -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, fragments",
    [
        (client_error("NoSuchBucket"), ["Source bucket 'stats-data-src' does not exist"]),
        (
            client_error("InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration"),
            ["Versioning must be Enabled on source bucket 'stats-data-src'", "versioning: true"],
        ),
        (client_error("InvalidRequest", "Destination bucket must have versioning enabled."), ["The destination bucket must have versioning Enabled"]),
        (client_error("AccessDenied", "Access Denied"), ["s3:PutReplicationConfiguration", "iam:PassRole"]),
        (client_error("InternalError", "boom"), ["Could not write the replication configuration of bucket 'stats-data-src'"]),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="https://s3"), ["Could not write the replication configuration"]),
    ],
)
def test_describe_failure(error, fragments):
    message = replication.describe_failure(AwsCallFailure("PutBucketReplication failed", error), BUCKET, "write")
    for fragment in fragments:
        assert fragment in message


# --- plan and write -----------------------------------------------------------------------------


def test_check_mode_writes_nothing(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    result = run(aws, check_mode=True)
    assert result["changed"]
    assert result["after"]["Rules"][0] == FOREIGN_RULE and result["after"]["Rules"][1]["ID"] == "ours"
    assert result["warnings"] == []
    assert stub.operations() == ["GetBucketReplication"]


def test_the_whole_configuration_is_written_and_read_back(aws, stub):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    stub.put(written)
    stub.configuration(written)
    result = run(aws)
    assert result["after"] == written and result["warnings"] == []
    assert result["result"]["configuration"] == written and result["result"]["rule"] == our_rule()
    assert stub.operations() == ["GetBucketReplication", "PutBucketReplication", "GetBucketReplication"]


def test_unchanged_rule_is_not_written(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE, our_rule()))
    result = run(aws)
    assert not result["changed"]
    assert result["result"]["configuration"] == configuration(FOREIGN_RULE, our_rule())
    assert stub.operations() == ["GetBucketReplication"]


def test_absent_last_rule_deletes_the_configuration(aws, stub):
    stub.configuration(configuration(our_rule(configuration())))
    stub.delete()
    stub.configuration(None)
    result = run(aws, state="absent")
    assert result["after"] is None and result["result"]["configuration"] == {}
    assert result["diff"]["after_header"] == f"{HEADER} (deleted: no rule is left)"
    assert stub.operations() == ["GetBucketReplication", "DeleteBucketReplication", "GetBucketReplication"]


def test_write_failure_on_unversioned_source(aws, stub):
    written = configuration(FOREIGN_RULE, our_rule())
    stub.configuration(configuration(FOREIGN_RULE))
    stub.fails(
        "put_bucket_replication",
        "InvalidRequest",
        "Versioning must be 'Enabled' on the bucket to apply a replication configuration",
        400,
        ReplicationConfiguration=written,
    )
    with pytest.raises(AwsCallFailure) as caught:
        run(aws)
    assert "Versioning must be Enabled on source bucket 'stats-data-src'" in caught.value.message
    assert stub.operations() == ["GetBucketReplication", "PutBucketReplication"]


def test_delete_failure_is_described(aws, stub):
    stub.configuration(configuration(our_rule(configuration())))
    stub.fails("delete_bucket_replication", "InternalError", "boom", 500)
    stub.fails("delete_bucket_replication", "InternalError", "boom", 500)
    stub.fails("delete_bucket_replication", "InternalError", "boom", 500)
    with pytest.raises(AwsCallFailure) as caught:
        run(aws, state="absent")
    assert caught.value.message == "Could not delete the replication configuration of bucket 'stats-data-src'"


def test_changing_the_role_of_other_rules_needs_replace_role(aws, stub):
    current = configuration(FOREIGN_RULE, role=f"arn:aws:iam::{SOURCE_ACCOUNT}:role/old")
    stub.configuration(current)
    with pytest.raises(ReplicationRuleError, match="set replace_role: true"):
        run(aws, check_mode=True)
    stub.configuration(current)
    result = run(aws, check_mode=True, replace_role=True)
    assert "for every rule" in result["warnings"][0]
    assert result["after"]["Role"] == ROLE


# --- several rules ------------------------------------------------------------------------------


def rule_entry(rule_id, **options):
    return dict({"id": rule_id, "destination_bucket": DESTINATION, "destination_account": "880161310235", "destination_region": "us-east-1"}, **options)


def rules_params(*rules, **top):
    return runner.validated(replication.WRITER, dict({"bucket": BUCKET, "role_arn": ROLE, "rules": list(rules)}, **top))


def test_several_rules_are_merged_in_one_write(aws, stub):
    first = build_rule(with_defaults(rule_entry("first")), {"Rules": [FOREIGN_RULE]})
    second = build_rule(with_defaults(rule_entry("second", filter={"prefix": "daily/"})), {"Rules": [FOREIGN_RULE, first]})
    gone = dict(FOREIGN_RULE, ID="gone", Priority=3)
    written = configuration(FOREIGN_RULE, first, second)
    stub.configuration(configuration(FOREIGN_RULE, gone))
    stub.put(written)
    stub.configuration(written)
    listed = rules_params(rule_entry("first"), rule_entry("second", filter={"prefix": "daily/"}), {"id": "gone", "state": "absent"})
    result = runner.run_write(replication.WRITER, aws, listed, False, verification=NO_SETTLE)
    assert result["changed"] is True
    assert result["result"]["rules"] == [first, second, None]
    assert "rule" not in result["result"]
    assert stub.operations().count("PutBucketReplication") == 1


def test_a_rules_write_whose_read_back_shows_it_is_reported_once(aws, stub, fake_time):
    current = configuration(FOREIGN_RULE, role=f"arn:aws:iam::{SOURCE_ACCOUNT}:role/old")
    listed = rules_params(rule_entry("first"), rule_entry("second", filter={"prefix": "daily/"}), replace_role=True)
    written = replication.WRITER.plan(listed, {"bucket": BUCKET, "configuration": current, "region_hints": {}, "account_id": SOURCE_ACCOUNT})["after"]
    stub.configuration(current)
    stub.put(written)
    stub.configuration(written)
    result = runner.run_write(replication.WRITER, aws, listed, False, verification=timed(fake_time))
    assert result["changed"] is True and result["rounds"] == 1
    assert len(result["warnings"]) == 1 and "for every rule" in result["warnings"][0]
    assert [rule["ID"] for rule in result["result"]["rules"]] == ["first", "second"]
    assert result["result"]["configuration"] == written
    assert stub.operations() == ["GetBucketReplication", "PutBucketReplication", "GetBucketReplication"]


def test_several_rules_in_check_mode(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    result = runner.run_write(replication.WRITER, aws, rules_params(rule_entry("first"), {"id": "gone", "state": "absent"}), True)
    assert result["changed"] is True
    assert [rule and rule["ID"] for rule in result["result"]["rules"]] == ["first", None]
    assert stub.operations() == ["GetBucketReplication"]


def test_duplicate_rule_ids_are_refused_before_any_call(maker, stub):
    with pytest.raises(runner.WriteRefused, match="the ids first appear more than once"):
        runner.run_write(replication.WRITER, aws_of(maker), rules_params(rule_entry("first"), rule_entry("second"), rule_entry("first")), False)
    assert stub.operations() == []
    assert maker.made == []


def test_problems_of_several_rules_are_reported_together(aws, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    bad = rules_params(
        rule_entry("first", replica_kms_key_arn="alias/stats-replica"), rule_entry("fine"), rule_entry("second", replication_time_control=True, metrics=False)
    )
    with pytest.raises(ReplicationRuleError) as caught:
        runner.run_write(replication.WRITER, aws, bad, False)
    assert [problem.split(":")[0] for problem in caught.value.problems] == ["rule 'first'", "rule 'second'"]
    assert stub.operations() == ["GetBucketReplication"]


def test_an_empty_rules_list_is_refused(aws, stub):
    with pytest.raises(runner.WriteRefused, match="rules is empty"):
        runner.run_write(replication.WRITER, aws, rules_params(), False)


# --- main ---------------------------------------------------------------------------------------


@pytest.fixture(name="run_main")
def run_main_fixture(s3, monkeypatch, capsys):
    sts = raw_client("sts")
    sts_stubber = Stubber(sts)
    sts_stubber.add_response("get_caller_identity", {"Account": SOURCE_ACCOUNT, "Arn": f"arn:aws:sts::{SOURCE_ACCOUNT}:assumed-role/d/s", "UserId": "A:s"})
    raw = {"s3": s3[0], "sts": sts}

    def make_client(_self, service, retry, _region, _extra_params):
        return RetryingBotoClientWrapper(raw[service], retry)

    monkeypatch.setattr(AnsibleS3CrossAccountModule, "_make_client", make_client)
    monkeypatch.setattr(modules, "transient_retry", lambda **options: retries.transient_retry(**dict(options, retries=RETRIES, delay=0, max_delay=0)))
    # The module's read-back settles at once, and any sleep of the runner fails the test.
    monkeypatch.setattr(runner, "SETTLE_SECONDS", 0)
    monkeypatch.setattr(runner, "time", types.SimpleNamespace(monotonic=time.monotonic, sleep=lambda seconds: pytest.fail(f"runner slept {seconds}s")))

    def run_module(module_args):
        with sts_stubber, patch_module_args(dict(module_args, region="us-east-1")):
            with pytest.raises(SystemExit):
                s3_replication_rule.main()
        return json.loads(capsys.readouterr().out)

    return run_module


def test_main_reports_rule_configuration_and_diff(run_main, stub):
    written = configuration(FOREIGN_RULE, our_rule(replica_kms_key_arn=KEY))
    stub.configuration(configuration(FOREIGN_RULE))
    stub.put(written)
    stub.configuration(written)
    result = run_main(dict(args(replica_kms_key_arn=KEY), _ansible_diff=True))
    assert result["changed"] is True
    assert result["rule"]["ID"] == "ours"
    assert result["rule"]["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert result["configuration"]["Rules"][0] == FOREIGN_RULE
    assert result["diff"]["before"] == configuration(FOREIGN_RULE)
    assert result["diff"]["after"] == result["configuration"]
    assert result["diff"]["before_header"] == HEADER


def test_main_invalid_input_fails_before_any_write(run_main, stub):
    stub.configuration(configuration(FOREIGN_RULE))
    result = run_main(args(replica_kms_key_arn="alias/stats-replica", replication_time_control=True, metrics=False))
    assert result["failed"] is True
    assert result["msg"].startswith("rule 'ours': ")
    assert len(result["problems"]) == 2
    assert any(problem.startswith("rule 'ours': replica_kms_key_arn: 'alias/stats-replica' is a KMS alias") for problem in result["problems"])
    assert stub.operations() == ["GetBucketReplication"]


def test_main_aws_error_goes_through_fail_json_aws(run_main, stub):
    stub.fails("get_bucket_replication", "NoSuchBucket")
    result = run_main(args())
    assert result["failed"] is True
    assert "Source bucket 'stats-data-src' does not exist" in result["msg"]
    assert result["error"]["code"] == "NoSuchBucket"


def test_main_absent_when_nothing_there(run_main, stub):
    stub.configuration(None)
    result = run_main(dict(args(state="absent"), _ansible_check_mode=True))
    assert result["changed"] is False
    assert result["rule"] is None and result["rules"] == [None] and result["configuration"] == {}


def test_main_warns_about_role_replacement(run_main, stub):
    stub.configuration({"Role": f"arn:aws:iam::{SOURCE_ACCOUNT}:role/old", "Rules": [FOREIGN_RULE]})
    result = run_main(dict(args(replace_role=True), _ansible_check_mode=True))
    assert len(result["warnings"]) == 1 and "for every rule" in json.dumps(result["warnings"])
    assert result["configuration"]["Role"] == ROLE
