# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_apply: several writes in one module run, grouped, each reported on its own; against botocore's Stubber."""

import json

import boto3
import pytest
from module_args import patch_module_args
from aws_stubs import RecordingStubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import modules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import retries
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_apply as apply_module

ACCOUNT = "880161310235"
BUCKET = "stats-data-tgt"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
STATEMENT = {"Sid": "ReplicationObjects", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["s3:ReplicateObject"],
             "Resource": f"arn:aws:s3:::{BUCKET}/*"}
OWNER_STATEMENT = {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}
METADATA = {"AWSAccountId": ACCOUNT, "KeyId": "0987dcba-09fe-87dc-65ba-ab0987654321", "Arn": KEY_ARN, "KeyState": "Enabled", "KeyManager": "CUSTOMER",
            "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}


# --- Stubber-backed clients ---------------------------------------------------------------------


@pytest.fixture(name="stubbed")
def stubbed_fixture():
    """service -> (raw client, stubber), activated for the test and checked after it."""
    made = {}
    for service in ("s3", "kms"):
        raw = boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        made[service] = (raw, RecordingStubber(raw))
        made[service][1].activate()
    yield made
    for _raw, stubber in made.values():
        stubber.deactivate()
        assert stubber.violations == []
        stubber.assert_no_pending_responses()


@pytest.fixture(name="aws")
def aws_fixture(stubbed):
    retry = retries.transient_retry(retries=3, delay=0, max_delay=0)
    clients = {service: RetryingBotoClientWrapper(raw, retry) for service, (raw, _stubber) in stubbed.items()}
    return runner.Aws(clients=clients, account_id=ACCOUNT, partition="aws", region="us-east-1")


def policy_answer(stubber, *statements, bucket=BUCKET):
    stubber.add_response("get_bucket_policy", {"Policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}, {"Bucket": bucket})


def key_answers(stubber):
    stubber.add_response("describe_key", {"KeyMetadata": METADATA}, {"KeyId": KEY_ARN})
    stubber.add_response("get_key_policy", {"Policy": json.dumps({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT]})},
                         {"KeyId": KEY_ARN, "PolicyName": "default"})


def policy_write(bucket=BUCKET, group=None, statements=(STATEMENT,)):
    return {"module": "s3_bucket_policy_statement", "args": {"bucket": bucket, "statements": list(statements)}, "pending": False, "group": group}


def key_write(group=None):
    args = {"key_id": KEY_ARN, "statements": [{"sid": "ReplicaEncrypt", "principals": [ROLE], "operations": ["Encrypt"]}]}
    return {"module": "kms_key_access", "args": args, "pending": False, "group": group}


# --- in_groups ----------------------------------------------------------------------------------


def test_in_groups_keeps_the_order_within_each_group_and_of_the_groups():
    writes = [{"group": "a", "n": 0}, {"n": 1}, {"group": "a", "n": 2}, {"group": "b", "n": 3}, {"group": None, "n": 4}, {"group": "b", "n": 5}]
    grouped = apply_module.in_groups(writes)
    assert [[index for index, _write in group] for group in grouped] == [[0, 2], [1], [3, 5], [4]]
    assert all(write["n"] == index for group in grouped for index, write in group)


def test_in_groups_of_nothing_is_nothing():
    assert apply_module.in_groups([]) == []


# --- run_one ------------------------------------------------------------------------------------


def test_run_one_reports_what_the_write_returns(aws, stubbed):
    policy_answer(stubbed["s3"][1])
    returned, diff, warnings, failure = apply_module.run_one(aws, policy_write(), check_mode=True)
    assert failure is None and warnings == []
    assert returned["module"] == "s3_bucket_policy_statement" and returned["changed"] is True
    assert returned["resource"] == f"account {ACCOUNT}: s3://{BUCKET} (bucket policy)"
    assert returned["statements"] == [STATEMENT]
    assert diff["before"] == {"Version": "2012-10-17", "Statement": []} and diff["after"]["Statement"] == [STATEMENT]
    assert stubbed["s3"][1].operations() == ["GetBucketPolicy"]


def test_run_one_gives_no_diff_when_nothing_changes(aws, stubbed):
    policy_answer(stubbed["s3"][1], STATEMENT)
    returned, diff, _warnings, failure = apply_module.run_one(aws, policy_write(), check_mode=False)
    assert returned["changed"] is False and diff is None and failure is None


@pytest.mark.parametrize(
    "item, words",
    [
        (policy_write(bucket="Bad_Bucket"), "s3_bucket_policy_statement Bad_Bucket: bucket: "),
        (policy_write(statements=[{"Sid": "NoEffect"}]), f"s3_bucket_policy_statement {BUCKET}: statements: "),
        ({"module": "s3_replication_bucket", "args": {"create": True}, "pending": False}, "s3_replication_bucket None: s3_replication_bucket: "),
        ({"module": "kms_key_access", "args": {"key_id": "alias/aws/s3", "sid": "A", "principals": [ROLE], "operations": ["Encrypt"]}, "pending": False},
         "kms_key_access alias/aws/s3: alias/aws/s3 is an AWS-managed key"),
    ],
)
def test_run_one_reports_a_refusal_without_raising(aws, stubbed, item, words):
    returned, diff, warnings, failure = apply_module.run_one(aws, item, check_mode=False)
    assert failure.startswith(words)
    assert returned == {"module": item["module"], "resource": returned["resource"], "changed": False}
    assert diff is None and warnings == []
    assert stubbed["s3"][1].operations() == [] and stubbed["kms"][1].operations() == []


def test_run_one_takes_the_other_name_of_kms_key_access_without_a_warning(aws, stubbed):
    key_answers(stubbed["kms"][1])
    returned, diff, warnings, failure = apply_module.run_one(aws, dict(key_write(), module="kms_key_grant"), check_mode=True)
    assert failure is None and returned["module"] == "kms_key_grant" and returned["changed"] is True and diff
    assert warnings == []
    assert stubbed["kms"][1].operations() == ["DescribeKey", "GetKeyPolicy"]


def test_run_one_reports_an_aws_failure_with_the_aws_error(aws, stubbed):
    stubbed["s3"][1].add_client_error("get_bucket_policy", "AccessDenied", "Access Denied", 403, expected_params={"Bucket": BUCKET})
    returned, diff, _warnings, failure = apply_module.run_one(aws, policy_write(), check_mode=False)
    assert failure == f"s3_bucket_policy_statement {BUCKET}: GetBucketPolicy failed for bucket '{BUCKET}' (AccessDenied: Access Denied)"
    assert returned["changed"] is False and diff is None


def test_run_one_passes_the_warnings_of_the_write(aws, stubbed):
    stubbed["s3"][1].add_response("get_bucket_replication", {"ReplicationConfiguration": {"Role": "arn:aws:iam::211258069784:role/old", "Rules": [
        {"ID": "theirs", "Priority": 1, "Status": "Enabled", "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
         "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}]}}, {"Bucket": "stats-data-src"})
    item = {"module": "s3_replication_rule", "pending": False, "args": {
        "bucket": "stats-data-src", "id": "ours", "role_arn": ROLE, "replace_role": True, "destination_bucket": BUCKET, "destination_account": ACCOUNT,
        "destination_region": "us-east-1"}}
    returned, _diff, warnings, failure = apply_module.run_one(aws, item, check_mode=True)
    assert failure is None and returned["changed"] is True
    assert len(warnings) == 1 and "for every rule" in warnings[0]


def test_run_one_shows_a_pending_resource_from_nothing_in_check_mode(aws, stubbed):
    returned, diff, _warnings, failure = apply_module.run_one(aws, dict(policy_write(), pending=True), check_mode=True)
    assert failure is None and returned["changed"] is True and diff["before"] == {}
    assert stubbed["s3"][1].operations() == []


# --- main ---------------------------------------------------------------------------------------


@pytest.fixture(name="run_main")
def run_main_fixture(stubbed, monkeypatch, capsys):
    def make_client(_self, service, retry, _region, _extra_params):
        return RetryingBotoClientWrapper(stubbed[service][0], retry)

    monkeypatch.setattr(AnsibleS3CrossAccountModule, "_make_client", make_client)
    monkeypatch.setattr(modules, "transient_retry", lambda **options: retries.transient_retry(**dict(options, retries=3, delay=0, max_delay=0)))

    def run(module_args):
        with patch_module_args(dict(module_args, region="us-east-1", account_id=ACCOUNT)):
            with pytest.raises(SystemExit):
                apply_module.main()
        return json.loads(capsys.readouterr().out)

    return run


def test_results_keep_the_order_of_the_writes(run_main, stubbed):
    other = "stats-logs-tgt"
    policy_answer(stubbed["s3"][1], bucket=BUCKET)
    policy_answer(stubbed["s3"][1], bucket=other)
    key_answers(stubbed["kms"][1])
    other_statement = dict(STATEMENT, Resource=f"arn:aws:s3:::{other}/*")
    writes = [policy_write(group="s3"), key_write(group="kms"), policy_write(bucket=other, group="s3", statements=[other_statement])]
    result = run_main({"writes": writes, "_ansible_check_mode": True, "_ansible_diff": True, "max_concurrency": 1})
    assert [write["module"] for write in result["writes"]] == ["s3_bucket_policy_statement", "kms_key_access", "s3_bucket_policy_statement"]
    assert [write["resource"] for write in result["writes"]] == [
        f"account {ACCOUNT}: s3://{BUCKET} (bucket policy)", f"account {ACCOUNT}: {KEY_ARN} (key policy)", f"account {ACCOUNT}: s3://{other} (bucket policy)"]
    assert result["changed"] is True and len(result["diff"]) == 3
    assert [params["Bucket"] for _name, params in stubbed["s3"][1].calls] == [BUCKET, other]


def test_every_write_runs_and_each_failure_is_named(run_main, stubbed):
    stubbed["s3"][1].add_client_error("get_bucket_policy", "AccessDenied", "Access Denied", 403, expected_params={"Bucket": BUCKET})
    key_answers(stubbed["kms"][1])
    result = run_main({"writes": [policy_write(), key_write(), policy_write(bucket="Bad_Bucket")], "_ansible_check_mode": True})
    assert result["failed"] is True
    assert [write["changed"] for write in result["writes"]] == [False, True, False]
    assert [failure.split(":")[0] for failure in result["failed_writes"]] == [f"s3_bucket_policy_statement {BUCKET}", "s3_bucket_policy_statement Bad_Bucket"]
    assert result["msg"] == " | ".join(result["failed_writes"])


def test_a_write_warning_is_returned_once_without_a_deprecation(run_main, stubbed):
    """amazon.aws 10.1 would hand warn()'s warnings to exit_json again, which ansible-core 2.19 answers with a DEPRECATION WARNING."""
    stubbed["s3"][1].add_response("get_bucket_replication", {"ReplicationConfiguration": {"Role": "arn:aws:iam::211258069784:role/old", "Rules": [
        {"ID": "theirs", "Priority": 1, "Status": "Enabled", "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
         "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}]}}, {"Bucket": "stats-data-src"})
    write = {"module": "s3_replication_rule", "args": {
        "bucket": "stats-data-src", "id": "ours", "role_arn": ROLE, "replace_role": True, "destination_bucket": BUCKET, "destination_account": ACCOUNT,
        "destination_region": "us-east-1"}}
    result = run_main({"writes": [write], "_ansible_check_mode": True})
    warnings = [str(warning.get("event", {}).get("msg") if isinstance(warning, dict) else warning) for warning in result["warnings"]]
    assert len(warnings) == 1 and "for every rule" in warnings[0]
    assert not any("Passing `warnings`" in str(deprecation) for deprecation in result.get("deprecations", []))
