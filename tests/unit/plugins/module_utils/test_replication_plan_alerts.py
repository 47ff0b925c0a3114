# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""replication_alerts in the planner: what is read (nothing more without it), the writes in their phases, the refusals before
any write, convergence, teardown, and the status playbook's reads. Facts are in s3_replication_info's shape; ``converge`` applies
the planned writes with each writer's own plan."""

import pytest
from test_replication_plan import DST_ACCOUNT
from test_replication_plan import SRC
from test_replication_plan import SRC_ACCOUNT
from test_replication_plan import converge
from test_replication_plan import fresh_estate
from test_replication_plan import hosts
from test_replication_plan import key
from test_replication_plan import one_pair
from test_replication_plan import pair_vars
from test_replication_plan import plan_run
from test_replication_plan import two_way_estate
from test_replication_plan import two_way_pair
from test_replication_plan import written

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import planner

TOPIC = f"arn:aws:sns:us-east-1:{SRC}:replication-alerts"
EMAIL = {"protocol": "email", "endpoint": "data-platform@example.com"}
CREATE = {"create_topic": "replication-alerts", "subscriptions": [EMAIL], "alarm_latency_seconds": 900}
QUEUE = {"Id": "other-team-uploads", "QueueArn": f"arn:aws:sqs:us-east-1:{SRC}:uploads", "Events": ["s3:ObjectCreated:*"]}
ALARMS = replication_alerts.alarm_names("src-data", "all-objects")
TOPIC_KEY = f"arn:aws:kms:us-east-1:{SRC}:key/99999999-2222-3333-4444-555555555555"


def alerted(alerts=None, **extra):
    return one_pair(replication_alerts=dict(alerts or CREATE), **extra)


def missing_topic(arn=TOPIC):
    return {"arn": arn, "exists": False, "policy": None, "kms_master_key_id": None, "subscriptions": [], "tags": {}, "errors": {}}


def estate(notification=None, topic=None):
    """A fresh estate read with the alert reads: the source bucket's notification configuration, the topic and the alarms."""
    read = fresh_estate()
    source = read[SRC_ACCOUNT]
    source["buckets"]["src-data"]["notification"] = {"QueueConfigurations": [QUEUE]} if notification is None else notification
    source["topics"] = {TOPIC: topic or missing_topic()}
    source["alarms"] = {name: {"name": name, "exists": False, "alarm": None, "errors": {}} for name in ALARMS}
    return read


def existing_topic(**changes):
    topic = dict(missing_topic(), exists=True, policy={"Version": "2012-10-17", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": TOPIC,
        "Condition": {"StringEquals": {"AWS:SourceOwner": SRC}}}]})
    topic.update(changes)
    return topic


def args_of(plan, module):
    return [write["args"] for write in plan["writes"] if write["module"] == module]


# --- reads -------------------------------------------------------------------------------------------------


def test_without_alerts_nothing_more_is_read():
    for playbook in ("replicate", "teardown"):
        read = planner.plan_pairs(one_pair(), playbook)["accounts"][SRC_ACCOUNT]["read"]
        assert "notification" not in read["bucket_attributes"] and "sns_topics" not in read and "alarm_names" not in read


def test_with_alerts_the_source_account_also_reads_the_notification_configuration_topic_and_alarms():
    stage = planner.plan_pairs(alerted())
    read = stage["accounts"][SRC_ACCOUNT]["read"]
    assert read["bucket_attributes"][-1] == "notification" and read["sns_topics"] == [TOPIC] and read["alarm_names"] == ALARMS
    assert "sns_topics" not in stage["accounts"][DST_ACCOUNT]["read"]


# --- writes ------------------------------------------------------------------------------------------------


def test_alerts_add_the_topic_before_the_notification_entry_and_the_alarms():
    _stage, plan = plan_run(alerted(), estate())
    assert (SRC_ACCOUNT, "roles", "s3_replication_alert_topic") in written(plan)
    assert (SRC_ACCOUNT, "rules", "s3_bucket_notification_entry") in written(plan)
    assert (SRC_ACCOUNT, "rules", "s3_replication_alarm") in written(plan)
    topic = args_of(plan, "s3_replication_alert_topic")[0]
    assert topic["create"] is True and topic["subscriptions"] == [EMAIL] and topic["topic_arn"] == TOPIC
    s3_statement = topic["statements"][0]
    assert s3_statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert s3_statement["Condition"] == {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::src-data"}, "StringEquals": {"aws:SourceAccount": SRC}}
    entry = args_of(plan, "s3_bucket_notification_entry")[0]["entries"][0]
    assert entry["destination_arn"] == TOPIC and entry["events"] == [replication_alerts.FAILURE_EVENT]
    alarms = args_of(plan, "s3_replication_alarm")[0]["alarms"]
    assert [(alarm["name"], alarm["metric"], alarm["threshold"]) for alarm in alarms] == [
        (ALARMS[0], "OperationsFailedReplication", 0), (ALARMS[1], "ReplicationLatency", 900)]


@pytest.mark.parametrize("rule, metrics", [
    ({"id": "all-objects"}, {"Status": "Enabled"}),
    ({"id": "all-objects", "replication_time_control": True}, {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}),
])
def test_alerts_turn_metrics_on_with_the_event_threshold_only_with_rtc(rule, metrics):
    _stage, plan = plan_run(alerted(replication_rules=[rule]), estate())
    after = converge(plan, estate())
    written_rule = after[SRC_ACCOUNT]["buckets"]["src-data"]["replication"]["Rules"][0]
    assert written_rule["Destination"]["Metrics"] == metrics
    events = args_of(plan, "s3_bucket_notification_entry")[0]["entries"][0]["events"]
    assert (replication_alerts.MISSED_THRESHOLD_EVENT in events) is bool(rule.get("replication_time_control"))


def test_without_alerts_no_metrics_are_added():
    _stage, plan = plan_run(one_pair(), fresh_estate())
    rule = args_of(plan, "s3_replication_rule")[0]["rules"][0]
    assert "metrics" not in rule


def test_alerts_converge_keep_the_other_teams_entry_and_the_verdict_is_clean():
    _stage, plan = plan_run(alerted(), estate())
    assert plan["verdicts"] == {}
    after = converge(plan, estate())
    assert after[SRC_ACCOUNT]["buckets"]["src-data"]["notification"]["QueueConfigurations"] == [QUEUE]
    _stage, again = plan_run(alerted(), after)
    assert again["writes"] == [] and again["refused"] == {}


def test_without_the_entry_the_verdict_warns_that_failures_would_go_unnoticed():
    _stage, plan = plan_run(alerted(), estate())
    plan_without_entry = [write for write in plan["writes"] if write["module"] != "s3_bucket_notification_entry"]
    predicted = planner.predicted_facts(plan_without_entry, estate())
    verdicts = planner.verdicts(plan["pairs"], predicted)
    assert any("failure-alerts" in line and "would go unnoticed" in line for line in verdicts["localhost"]["warn"])


def test_a_given_topic_is_not_created_and_must_exist():
    alerts = {"topic_arn": TOPIC, "subscriptions": []}
    _stage, plan = plan_run(alerted(alerts), estate())
    assert "replication_alerts.topic_arn: topic " + TOPIC + " does not exist in account" in plan["refused"]["localhost"][0]
    assert plan["writes"] == []
    _stage, plan = plan_run(alerted(alerts), estate(topic=existing_topic()))
    assert args_of(plan, "s3_replication_alert_topic")[0]["create"] is False and plan["refused"] == {}


@pytest.mark.parametrize("change, words", [
    (lambda read: read[SRC_ACCOUNT]["buckets"]["src-data"].update(notification={"TopicConfigurations": [
        {"Id": "ops", "TopicArn": f"arn:aws:sns:us-east-1:{SRC}:ops", "Events": ["s3:Replication:*"]}]}), ["entry ops", "Configurations overlap"]),
    (lambda read: read[SRC_ACCOUNT]["topics"][TOPIC].update(existing_topic(kms_master_key_id="alias/aws/sns")), ["AWS managed key aws/sns"]),
    (lambda read: (read[SRC_ACCOUNT]["topics"][TOPIC].update(existing_topic(kms_master_key_id="alias/alerts")),
                   read[SRC_ACCOUNT]["keys"].update({"alias/alerts": dict(key(TOPIC_KEY), reference="alias/alerts")})),
     ["does not allow s3.amazonaws.com kms:GenerateDataKey", "add to the key policy"]),
    (lambda read: read[SRC_ACCOUNT]["topics"][TOPIC].update(exists=None, errors={"attributes": "AuthorizationError: no"}), ["could not read topic"]),
])
def test_what_would_keep_alerts_from_working_refuses_the_pair_before_any_write(change, words):
    read = estate()
    change(read)
    _stage, plan = plan_run(alerted(), read)
    text = " | ".join(plan["refused"].get("localhost", []))
    assert all(word in text for word in words), text
    assert text.startswith("replication_alerts") and plan["writes"] == []


def test_pairs_of_one_source_bucket_must_agree_on_its_alerts():
    first = pair_vars(1, replication_alerts=CREATE)
    second = pair_vars(2, replication_alerts=dict(CREATE, create_topic="other-alerts"))
    second["replication_source"]["bucket"] = "src1-data"
    second["replication_rules"] = [{"id": "second"}]
    stage = planner.plan_pairs(hosts(first, second))
    assert any("the source bucket's failure alerts" in problem for problem in stage["refused"]["pair-02"])
    third = pair_vars(3)
    third["replication_source"]["bucket"] = "src1-data"
    third["replication_rules"] = [{"id": "third"}]
    assert "pair-02" not in planner.plan_pairs(hosts(first, third))["refused"]


def test_an_absent_rule_loses_its_alarms():
    rules = [{"id": "all-objects"}, {"id": "old", "state": "absent"}]
    _stage, plan = plan_run(alerted(replication_rules=rules), estate())
    alarms = args_of(plan, "s3_replication_alarm")[0]["alarms"]
    assert [alarm.get("state", "present") for alarm in alarms if "/old/" in alarm["name"]] == ["absent", "absent"]


# --- teardown ------------------------------------------------------------------------------------------------


def replicated_with_alerts(alerts=None, topic=None):
    read = estate(topic=topic)
    _stage, plan = plan_run(alerted(alerts), read)
    return converge(plan, read)


def test_teardown_removes_our_entry_alarms_and_the_topic_we_created_then_nothing():
    read = replicated_with_alerts()
    _stage, plan = plan_run(alerted(), read, "teardown")
    topic = args_of(plan, "s3_replication_alert_topic")[0]
    assert topic["state"] == "absent" and topic["delete_when_unused"] is True
    assert [write["phase"] for write in plan["writes"] if write["module"] == "s3_replication_alert_topic"] == ["roles"]
    after = converge(plan, read)
    source = after[SRC_ACCOUNT]
    assert source["buckets"]["src-data"]["notification"] == {"QueueConfigurations": [QUEUE]}
    assert source["topics"][TOPIC]["exists"] is False
    assert all(source["alarms"][name]["exists"] is False for name in ALARMS)
    _stage, again = plan_run(alerted(), after, "teardown")
    assert again["writes"] == []


def test_teardown_keeps_a_given_topic_without_our_statements_and_subscription():
    alerts = {"topic_arn": TOPIC, "subscriptions": [EMAIL]}
    read = replicated_with_alerts(alerts, existing_topic())
    assert len(read[SRC_ACCOUNT]["topics"][TOPIC]["policy"]["Statement"]) == 3
    read[SRC_ACCOUNT]["topics"][TOPIC]["subscriptions"] = [dict(EMAIL, arn=f"{TOPIC}:1")]
    _stage, plan = plan_run(alerted(alerts), read, "teardown")
    assert args_of(plan, "s3_replication_alert_topic")[0]["delete_when_unused"] is False
    after = converge(plan, read)
    topic = after[SRC_ACCOUNT]["topics"][TOPIC]
    assert topic["exists"] is True and [s["Sid"] for s in topic["policy"]["Statement"]] == ["__default_statement_ID"] and topic["subscriptions"] == []


# --- status ----------------------------------------------------------------------------------------------------


def test_status_reads_like_the_doctor_and_asks_each_source_account_for_metrics_and_a_sample():
    rules = [{"id": "logs", "filter": {"prefix": "logs/2026/"}}, {"id": "logs-eu", "filter": {"prefix": "logs/2025/"}}]
    stage = planner.plan_pairs(one_pair(replication_rules=rules), "status")
    assert "notification" in stage["accounts"][SRC_ACCOUNT]["read"]["bucket_attributes"]
    plan = planner.plan_writes(stage, fresh_estate())
    (read,) = plan["status_reads"]["aws-211258069784-us-east-1"]
    assert read["key"] == SRC_ACCOUNT and read["args"]["hours"] == 3
    assert [rule["rule_id"] for rule in read["args"]["rules"]] == ["logs", "logs-eu"]
    assert read["args"]["samples"] == [{"bucket": "src-data", "prefix": "logs/202", "size": 20, "scan": 1000}]
    assert plan["writes"] == [] and plan["reads"] is not None


def test_status_sample_prefix_wins_over_the_rules_prefixes():
    stage = planner.plan_pairs(one_pair(status_sample_prefix="daily/", status_sample_size=5), "status")
    plan = planner.plan_writes(stage, fresh_estate())
    assert plan["status_reads"]["aws-211258069784-us-east-1"][0]["args"]["samples"][0]["prefix"] == "daily/"


def test_status_with_two_way_reads_both_directions_each_from_its_source_account():
    stage = planner.plan_pairs(two_way_pair(), "status")
    plan = planner.plan_writes(stage, two_way_estate())
    reads = {read["key"]: read["args"] for worker_reads in plan["status_reads"].values() for read in worker_reads}
    assert sorted(reads) == sorted([SRC_ACCOUNT, DST_ACCOUNT])
    forward, reverse = reads[SRC_ACCOUNT], reads[DST_ACCOUNT]
    assert [(rule["source_bucket"], rule["rule_id"]) for rule in forward["rules"]] == [("src-data", "all-objects")]
    assert [rule["rule_id"] for rule in reverse["rules"]] == ["all-objects-reverse"]
    assert reverse["rules"][0]["destination_bucket"] == "src-data" and reverse["samples"][0]["bucket"] == reverse["rules"][0]["source_bucket"]
