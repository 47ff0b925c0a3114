# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's finding failure-alerts: information when a failed replication would go unnoticed, a warning when alerts set up would reach no one."""

import pytest
from doctor_facts import SRC
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import rule

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts

TOPIC = f"arn:aws:sns:us-east-1:{SRC}:replication-alerts"
METRICS = {"Status": "Enabled"}


def alerts_finding(facts):
    found = [item for item in diagnose(facts)["findings"] if item["id"] == "failure-alerts"]
    assert len(found) <= 1
    return found[0] if found else None


def entry(events=(replication_alerts.FAILURE_EVENT,), prefix=None):
    item = {"Id": "alerts", "TopicArn": TOPIC, "Events": list(events)}
    if prefix:
        item["Filter"] = {"Key": {"FilterRules": [{"Name": "Prefix", "Value": prefix}]}}
    return item


def wired(notification=None, metrics=True, **rule_changes):
    facts = converged()
    source = facts["source"]["buckets"]["stats-data-src"]
    destination = dict(rule()["Destination"], **({"Metrics": METRICS} if metrics else {}))
    source["replication"]["Rules"] = [rule(Destination=destination, **rule_changes)]
    source["notification"] = {"TopicConfigurations": [entry()]} if notification is None else notification
    return facts


def with_topic(facts, policy_statements, kms_key=None):
    facts["source"]["topics"] = {TOPIC: {"arn": TOPIC, "exists": True, "kms_master_key_id": kms_key, "subscriptions": [], "tags": {}, "errors": {},
                                         "policy": {"Version": "2012-10-17", "Statement": policy_statements}}}
    return facts


def with_alarms(facts, *alarms):
    facts["source"]["alarms"] = {alarm["AlarmName"]: {"name": alarm["AlarmName"], "exists": True, "alarm": alarm, "errors": {}} for alarm in alarms}
    return facts


def failed_alarm(rule_id="all-objects", actions=(TOPIC,)):
    return {"AlarmName": "a", "MetricName": "OperationsFailedReplication", "AlarmActions": list(actions),
            "Dimensions": [{"Name": "SourceBucket", "Value": "stats-data-src"}, {"Name": "DestinationBucket", "Value": "stats-data-tgt"},
                           {"Name": "RuleId", "Value": rule_id}]}


def test_without_the_notification_configuration_in_the_facts_the_doctor_says_nothing():
    assert alerts_finding(converged()) is None


def test_a_rule_with_metrics_and_an_entry_for_its_failures_is_ok():
    assert alerts_finding(wired())["status"] == "ok"
    assert alerts_finding(wired({"QueueConfigurations": [dict(entry(["s3:Replication:*"]), QueueArn="arn:aws:sqs:us-east-1:1:q")]}))["status"] == "ok"


@pytest.mark.parametrize("facts, words", [
    (wired({}), "no entry of the notification configuration sends s3:Replication:OperationFailedReplication for rule all-objects"),
    (wired({"TopicConfigurations": [entry(["s3:ObjectCreated:*"])]}), "no entry"),
    (wired({"TopicConfigurations": [entry(prefix="logs/")]}), "no entry"),
    (wired(metrics=False), "rule all-objects has no replication metrics"),
])
def test_unwired_failures_inform_with_the_fix_and_leave_the_headline_ok(facts, words):
    found = alerts_finding(facts)
    assert found["status"] == "info" and words in found["message"] and "would go unnoticed" in found["message"]
    assert diagnose(facts)["status"] == "ok"
    assert "replication_alerts" in found["fix"] and "docs/monitoring.md" in found["fix"]


def test_unwired_failures_warn_when_the_run_asked_for_alerts():
    asked = with_alarms(wired({}))
    found = alerts_finding(asked)
    assert found["status"] == "warn" and "no failure alerts, a failed replication would go unnoticed" in found["message"]
    assert diagnose(asked)["status"] == "warn"


def test_an_unreadable_notification_configuration_warns():
    facts = converged()
    facts["source"]["buckets"]["stats-data-src"]["errors"]["notification"] = "AccessDenied: no"
    assert "AccessDenied" in alerts_finding(facts)["message"]


def test_a_topic_that_does_not_let_s3_publish_for_the_bucket_warns():
    ours = replication_alerts.topic_statements(TOPIC, "stats-data-src", SRC, "us-east-1")
    assert alerts_finding(with_topic(wired(), ours))["status"] == "ok"
    others = replication_alerts.topic_statements(TOPIC, "other-bucket", SRC, "us-east-1")
    found = alerts_finding(with_topic(wired(), others))
    assert found["status"] == "warn" and "does not let s3.amazonaws.com publish for arn:aws:s3:::stats-data-src" in found["message"]


def test_a_topic_encrypted_with_the_aws_managed_key_warns():
    ours = replication_alerts.topic_statements(TOPIC, "stats-data-src", SRC, "us-east-1")
    found = alerts_finding(with_topic(wired(), ours, kms_key="alias/aws/sns"))
    assert found["status"] == "warn" and "AWS managed key aws/sns" in found["message"]


def test_read_alarms_must_hold_one_on_the_rules_failed_operations_with_an_action():
    assert alerts_finding(with_alarms(wired(), failed_alarm()))["status"] == "ok"
    for alarm in (failed_alarm("other-rule"), failed_alarm(actions=())):
        found = alerts_finding(with_alarms(wired(), alarm))
        assert found["status"] == "warn" and "no CloudWatch alarm on OperationsFailedReplication" in found["message"]
