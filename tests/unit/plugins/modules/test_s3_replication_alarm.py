# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_alarm (writer module_utils/writers/alarms) against botocore's Stubber."""

import pytest
from aws_stubs import ACCOUNT
from aws_stubs import run
from aws_stubs import stubbed

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alarms

TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:replication-alerts"
RULE_ALARMS = replication_alerts.rule_alarms("stats-data-src", "stats-data-tgt", "all-objects", TOPIC, latency_seconds=900)
FAILED = RULE_ALARMS[0]
LATENCY = RULE_ALARMS[1]


def as_described(item, **changes):
    """The alarm as DescribeAlarms answers it after our PutMetricAlarm."""
    described = dict(alarms.request(runner.validated(alarms.WRITER, {"alarms": [item]})["alarms"][0]), StateValue="OK",
                     AlarmArn=f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{item['name']}")
    described.update(changes)
    return described


def answer(stubber, *described):
    names = [FAILED["name"], LATENCY["name"]]
    stubber.add_response("describe_alarms", {"MetricAlarms": list(described)}, {"AlarmNames": names, "AlarmTypes": ["MetricAlarm"]})


def test_missing_alarms_are_put_with_the_rules_dimensions_and_the_topic():
    with stubbed("cloudwatch") as (aws, stubs):
        cloudwatch = stubs["cloudwatch"]
        answer(cloudwatch)
        cloudwatch.add_response("put_metric_alarm", {}, None)
        cloudwatch.add_response("put_metric_alarm", {}, None)
        answer(cloudwatch, as_described(FAILED), as_described(LATENCY))
        planned = run(alarms.WRITER, aws, {"alarms": RULE_ALARMS})
    failed, latency = cloudwatch.params_of("PutMetricAlarm")
    assert planned["changed"] is True and planned["rounds"] == 1
    assert failed["MetricName"] == "OperationsFailedReplication" and failed["Statistic"] == "Sum" and failed["Threshold"] == 0.0
    assert failed["ComparisonOperator"] == "GreaterThanThreshold" and failed["Namespace"] == "AWS/S3" and failed["AlarmActions"] == [TOPIC]
    dimensions = {d["Name"]: d["Value"] for d in failed["Dimensions"]}
    assert dimensions == {"SourceBucket": "stats-data-src", "DestinationBucket": "stats-data-tgt", "RuleId": "all-objects"}
    assert latency["MetricName"] == "ReplicationLatency" and latency["Statistic"] == "Maximum" and latency["Threshold"] == 900.0


def test_converged_alarms_are_not_written_and_other_settings_are_carried_over():
    ok_actions = {"OKActions": [f"arn:aws:sns:us-east-1:{ACCOUNT}:ops"]}
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"], as_described(FAILED, **ok_actions), as_described(LATENCY))
        assert run(alarms.WRITER, aws, {"alarms": RULE_ALARMS})["changed"] is False
        answer(stubs["cloudwatch"], as_described(FAILED, Threshold=5.0, **ok_actions), as_described(LATENCY))
        planned = run(alarms.WRITER, aws, {"alarms": RULE_ALARMS}, check_mode=True)
    assert planned["changed"] is True and [put["AlarmName"] for put in planned["put"]] == [FAILED["name"]]
    assert planned["put"][0]["OKActions"] == ok_actions["OKActions"] and planned["put"][0]["Threshold"] == 0.0


def test_absent_alarms_are_deleted_once_and_missing_ones_are_fine():
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"], as_described(FAILED))
        stubs["cloudwatch"].add_response("delete_alarms", {}, {"AlarmNames": [FAILED["name"]]})
        answer(stubs["cloudwatch"])
        planned = run(alarms.WRITER, aws, {"alarms": replication_alerts.absent_alarms("stats-data-src", "all-objects")})
    assert planned["changed"] is True and planned["delete"] == [FAILED["name"]]


@pytest.mark.parametrize("item, words", [
    ({"name": "a", "metric": "ReplicationLatency"}, "source_bucket, destination_bucket, rule_id, threshold required"),
    (dict(FAILED, period=90), "not a multiple of 60"),
    ({"name": "x" * 256, "state": "absent"}, "1 to 255 characters"),
])
def test_bad_alarms_are_refused_before_any_call(item, words):
    with stubbed("cloudwatch") as (aws, stubs):
        with pytest.raises(runner.WriteRefused, match=words):
            run(alarms.WRITER, aws, {"alarms": [item]})
    assert stubs["cloudwatch"].operations() == []


def test_alarm_names_stay_within_255_characters_and_distinct():
    long_id = "r" * 255
    names = replication_alerts.alarm_names("b" * 63, long_id)
    assert all(len(name) <= 255 for name in names) and len(set(names)) == 2
    assert replication_alerts.alarm_names("b" * 63, long_id) != replication_alerts.alarm_names("b" * 63, long_id[:-1] + "s")


def test_without_a_latency_threshold_the_latency_alarm_is_absent():
    items = replication_alerts.rule_alarms("src", "dst", "r", TOPIC)
    assert [item.get("state", "present") for item in items] == ["present", "absent"]
