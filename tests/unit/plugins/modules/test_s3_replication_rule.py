# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy
from unittest.mock import MagicMock
from unittest.mock import call
from unittest.mock import patch

import botocore
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import s3_replication_api as api
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.replication_rules import build_rule
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_rule as module_code

MODULE = "ansible_collections.s3_crossaccount.replication.plugins.modules.s3_replication_rule"
BUCKET = "stats-data-src"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
FOREIGN_RULE = {
    "ID": "analytics-team-logs",
    "Priority": 10,
    "Status": "Enabled",
    "Filter": {"Prefix": "logs/"},
    "DeleteMarkerReplication": {"Status": "Disabled"},
    "Destination": {"Bucket": "arn:aws:s3:::logs-archive-tgt"},
}


def client_error(code, message="error", operation="GetBucketReplication", headers=None):
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RequestId": "01234567-89ab-cdef-0123-456789abcdef", "HTTPHeaders": headers or {}},
    }
    return botocore.exceptions.ClientError(response, operation)


def params(**overrides):
    values = {name: spec.get("default") for name, spec in module_code.ARGUMENT_SPEC.items()}
    values.update(
        bucket=BUCKET, id="ours", role_arn=ROLE, destination_bucket="stats-data-tgt", destination_account="880161310235", destination_region="us-east-1"
    )
    values.update(overrides)
    return values


def our_rule(**overrides):
    return build_rule(params(**overrides), {"Rules": [FOREIGN_RULE]})


def configuration(*rules):
    return {"Role": ROLE, "Rules": [copy.deepcopy(rule) for rule in rules]}


# Thin wrappers


def test_get_replication_returns_the_configuration():
    client = MagicMock()
    client.get_bucket_replication.return_value = {"ReplicationConfiguration": configuration(FOREIGN_RULE), "ResponseMetadata": {}}
    assert api.get_replication(client, BUCKET) == configuration(FOREIGN_RULE)
    client.get_bucket_replication.assert_called_once_with(aws_retry=True, Bucket=BUCKET)


def test_get_replication_without_configuration_is_none():
    client = MagicMock()
    client.get_bucket_replication.side_effect = client_error("ReplicationConfigurationNotFoundError")
    assert api.get_replication(client, BUCKET) is None


def test_get_replication_other_errors_propagate():
    client = MagicMock()
    client.get_bucket_replication.side_effect = client_error("NoSuchBucket")
    with pytest.raises(botocore.exceptions.ClientError):
        api.get_replication(client, BUCKET)


def test_put_and_delete_are_retried_calls():
    client = MagicMock()
    api.put_replication(client, BUCKET, configuration(FOREIGN_RULE))
    api.delete_replication(client, BUCKET)
    client.put_bucket_replication.assert_called_once_with(aws_retry=True, Bucket=BUCKET, ReplicationConfiguration=configuration(FOREIGN_RULE))
    client.delete_bucket_replication.assert_called_once_with(aws_retry=True, Bucket=BUCKET)


def test_retry_decorator_retries_throttling_and_conflicts():
    calls = []

    @api.TransientRetry.jittered_backoff(retries=3, delay=0, max_delay=0, catch_extra_error_codes=api.EXTRA_RETRY_CODES)
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise client_error("SlowDown" if len(calls) == 1 else "OperationAborted")
        return "done"

    assert flaky() == "done"
    assert len(calls) == 3
    assert api.retry_decorator() is not None


# Stale reads after a write


def test_wait_treats_not_found_right_after_create_as_stale():
    written = configuration(FOREIGN_RULE)
    client = MagicMock()
    client.get_bucket_replication.side_effect = [
        client_error("ReplicationConfigurationNotFoundError"),
        {"ReplicationConfiguration": {"Role": ROLE, "Rules": []}},
        {"ReplicationConfiguration": copy.deepcopy(written)},
    ]
    sleep = MagicMock()
    seen, consistent = api.wait_for_replication(client, BUCKET, written, attempts=5, delay=0.5, sleep=sleep)
    assert consistent
    assert seen == written
    assert sleep.call_args_list == [call(0.5), call(0.5)]


def test_wait_accepts_normalised_equivalents():
    written = configuration(our_rule())
    as_read = copy.deepcopy(written)
    as_read["Rules"][0]["Filter"] = {}
    client = MagicMock()
    client.get_bucket_replication.return_value = {"ReplicationConfiguration": as_read}
    seen, consistent = api.wait_for_replication(client, BUCKET, written, sleep=MagicMock())
    assert consistent and seen == as_read


def test_wait_is_bounded():
    client = MagicMock()
    client.get_bucket_replication.return_value = {"ReplicationConfiguration": configuration(FOREIGN_RULE)}
    sleep = MagicMock()
    seen, consistent = api.wait_for_replication(client, BUCKET, configuration(), attempts=4, delay=1, sleep=sleep)
    assert not consistent
    assert seen == configuration(FOREIGN_RULE)
    assert client.get_bucket_replication.call_count == 4
    assert sleep.call_count == 3


def test_wait_after_delete_until_not_found():
    client = MagicMock()
    client.get_bucket_replication.side_effect = [
        {"ReplicationConfiguration": configuration(FOREIGN_RULE)},
        client_error("ReplicationConfigurationNotFoundError"),
    ]
    seen, consistent = api.wait_for_replication(client, BUCKET, None, sleep=MagicMock())
    assert consistent and seen is None


def test_bucket_region_from_headers_or_forbidden_answer():
    client = MagicMock()
    client.head_bucket.return_value = {"ResponseMetadata": {"HTTPHeaders": {"x-amz-bucket-region": "eu-west-1"}}}
    assert api.bucket_region(client, "stats-data-tgt") == "eu-west-1"
    client.head_bucket.side_effect = client_error("403", "Forbidden", "HeadBucket", {"x-amz-bucket-region": "us-west-2"})
    assert api.bucket_region(client, "stats-data-tgt") == "us-west-2"
    client.head_bucket.side_effect = client_error("404", "Not Found", "HeadBucket")
    assert api.bucket_region(client, "stats-data-tgt") is None


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
def test_describe_error(error, fragments):
    message = api.describe_error(error, BUCKET, "write")
    for fragment in fragments:
        assert fragment in message


# Module steps with the wrappers patched


@patch(MODULE + ".get_replication")
def test_read_failure_names_the_bucket(m_get):
    m_get.side_effect = client_error("NoSuchBucket")
    with pytest.raises(AwsCallFailure) as caught:
        module_code.read_configuration(MagicMock(), BUCKET)
    assert "Source bucket 'stats-data-src' does not exist" in caught.value.message
    assert caught.value.error is m_get.side_effect


@patch(MODULE + ".bucket_region")
@patch(MODULE + ".get_replication")
def test_plan_looks_up_destination_region_only_when_needed(m_get, m_region):
    m_get.return_value = configuration(FOREIGN_RULE)
    m_region.return_value = "eu-west-1"
    module_code.make_plan(MagicMock(), params(destination_region=None))
    m_region.assert_not_called()
    with pytest.raises(module_code.ReplicationRuleError) as caught:
        module_code.make_plan(MagicMock(), params(destination_region=None, replica_kms_key_arn=KEY))
    assert "the destination bucket is in eu-west-1" in str(caught.value)
    m_region.assert_called_once()


@patch(MODULE + ".bucket_region")
@patch(MODULE + ".get_replication")
def test_unknown_destination_region_skips_the_region_check(m_get, m_region):
    m_get.return_value = None
    m_region.side_effect = client_error("AccessDenied", operation="HeadBucket")
    plan = module_code.make_plan(MagicMock(), params(destination_region=None, replica_kms_key_arn=KEY))
    assert plan["changed"]


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_check_mode_writes_nothing(m_get, m_put, m_wait):
    m_get.return_value = configuration(FOREIGN_RULE)
    plan = module_code.make_plan(MagicMock(), params())
    after, warnings = module_code.apply_plan(MagicMock(), True, BUCKET, plan)
    assert plan["changed"]
    assert after["Rules"][0] == FOREIGN_RULE and after["Rules"][1]["ID"] == "ours"
    assert warnings == []
    m_put.assert_not_called()
    m_wait.assert_not_called()


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_apply_writes_whole_configuration_and_waits(m_get, m_put, m_wait):
    m_get.return_value = configuration(FOREIGN_RULE)
    client = MagicMock()
    plan = module_code.make_plan(client, params())
    m_wait.return_value = (plan["after"], True)
    after, warnings = module_code.apply_plan(client, False, BUCKET, plan)
    m_put.assert_called_once_with(client, BUCKET, plan["after"])
    m_wait.assert_called_once_with(client, BUCKET, plan["after"])
    assert after == plan["after"] and warnings == []


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_stale_read_after_write_is_a_warning(m_get, m_put, m_wait):
    m_get.return_value = None
    plan = module_code.make_plan(MagicMock(), params())
    m_wait.return_value = (None, False)
    after, warnings = module_code.apply_plan(MagicMock(), False, BUCKET, plan)
    assert after == plan["after"]
    assert "eventually consistent" in warnings[0]


@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_unchanged_rule_is_not_written(m_get, m_put):
    m_get.return_value = configuration(FOREIGN_RULE, our_rule())
    plan = module_code.make_plan(MagicMock(), params())
    assert not plan["changed"]
    after, _warnings = module_code.apply_plan(MagicMock(), False, BUCKET, plan)
    assert after == configuration(FOREIGN_RULE, our_rule())
    m_put.assert_not_called()


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".delete_replication")
@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_absent_last_rule_deletes_the_configuration(m_get, m_put, m_delete, m_wait):
    m_get.return_value = configuration(our_rule())
    m_wait.return_value = (None, True)
    client = MagicMock()
    plan = module_code.make_plan(client, params(state="absent"))
    after, _warnings = module_code.apply_plan(client, False, BUCKET, plan)
    assert after is None
    m_delete.assert_called_once_with(client, BUCKET)
    m_put.assert_not_called()
    m_wait.assert_called_once_with(client, BUCKET, None)


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".put_replication")
def test_write_failure_on_unversioned_source(m_put, m_wait):
    m_put.side_effect = client_error(
        "InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration", "PutBucketReplication"
    )
    with pytest.raises(AwsCallFailure) as caught:
        module_code.write_configuration(MagicMock(), BUCKET, configuration(FOREIGN_RULE))
    assert "Versioning must be Enabled on source bucket 'stats-data-src'" in caught.value.message
    m_wait.assert_not_called()


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".delete_replication")
def test_delete_failure_is_described(m_delete, m_wait):
    m_delete.side_effect = client_error("InternalError", "boom", "DeleteBucketReplication")
    with pytest.raises(AwsCallFailure) as caught:
        module_code.write_configuration(MagicMock(), BUCKET, None)
    assert caught.value.message == "Could not delete the replication configuration of bucket 'stats-data-src'"


# main(): the module object patched


class ModuleExit(Exception):
    pass


def run_main(module_params, check_mode=False):
    module = MagicMock()
    module.params = module_params
    module.check_mode = check_mode
    module.exit_json.side_effect = ModuleExit
    module.fail_json.side_effect = ModuleExit
    module.fail_json_aws.side_effect = ModuleExit
    with patch(MODULE + ".AnsibleS3CrossAccountModule", return_value=module):
        with pytest.raises(ModuleExit):
            module_code.main()
    return module


@patch(MODULE + ".wait_for_replication")
@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_main_reports_rule_configuration_and_diff(m_get, m_put, m_wait):
    m_get.return_value = configuration(FOREIGN_RULE)
    m_wait.side_effect = lambda client, bucket, written: (written, True)
    module = run_main(params(replica_kms_key_arn=KEY))
    result = module.exit_json.call_args.kwargs
    assert result["changed"] is True
    assert result["rule"]["ID"] == "ours"
    assert result["rule"]["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert result["configuration"]["Rules"][0] == FOREIGN_RULE
    assert result["diff"]["before"] == configuration(FOREIGN_RULE)
    assert result["diff"]["after"] == result["configuration"]
    m_put.assert_called_once()


@patch(MODULE + ".put_replication")
@patch(MODULE + ".get_replication")
def test_main_invalid_input_fails_before_any_write(m_get, m_put):
    m_get.return_value = configuration(FOREIGN_RULE)
    module = run_main(params(replica_kms_key_arn="alias/stats-replica", replication_time_control=True, metrics=False))
    failure = module.fail_json.call_args.kwargs
    assert failure["msg"].startswith("Invalid replication rule 'ours' for bucket 'stats-data-src': ")
    assert len(failure["problems"]) == 2
    assert any(problem.startswith("replica_kms_key_arn: 'alias/stats-replica' is a KMS alias") for problem in failure["problems"])
    m_put.assert_not_called()


@patch(MODULE + ".get_replication")
def test_main_aws_error_goes_through_fail_json_aws(m_get):
    m_get.side_effect = client_error("NoSuchBucket")
    module = run_main(params())
    args = module.fail_json_aws.call_args
    assert args.args[0] is m_get.side_effect
    assert "Source bucket 'stats-data-src' does not exist" in args.kwargs["msg"]


@patch(MODULE + ".get_replication")
def test_main_absent_when_nothing_there(m_get):
    m_get.return_value = None
    module = run_main(params(state="absent"), check_mode=True)
    result = module.exit_json.call_args.kwargs
    assert result == {"changed": False, "rule": None, "configuration": {}, "diff": result["diff"]}


@patch(MODULE + ".get_replication")
def test_main_warns_about_role_replacement(m_get):
    m_get.return_value = {"Role": "arn:aws:iam::211258069784:role/old", "Rules": [FOREIGN_RULE]}
    module = run_main(params(replace_role=True), check_mode=True)
    assert "for every rule" in module.warn.call_args.args[0]
    assert module.exit_json.call_args.kwargs["configuration"]["Role"] == ROLE
