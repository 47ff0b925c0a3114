# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The names and documents of replication_alerts, and the checks of an SSE-KMS topic's key and the topic policy."""

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts

SRC = "211258069784"
TOPIC = f"arn:aws:sns:us-east-1:{SRC}:replication-alerts"
KEY = f"arn:aws:kms:us-east-1:{SRC}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROOT = {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:root"}, "Action": "kms:*", "Resource": "*"}
SERVICES = {"Sid": "Services", "Effect": "Allow", "Principal": {"Service": ["s3.amazonaws.com", "cloudwatch.amazonaws.com"]},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"}


def key(*statements, manager="CUSTOMER"):
    return {"reference": KEY, "exists": True, "errors": {}, "metadata": {"Arn": KEY, "KeyManager": manager},
            "policy": {"Version": "2012-10-17", "Statement": list(statements)}}


def topic(kms_key=KEY):
    return {"arn": TOPIC, "exists": True, "kms_master_key_id": kms_key}


def test_the_topic_arn_is_the_given_one_or_that_of_the_topic_to_create():
    source = {"account_id": SRC, "region": "eu-west-1"}
    assert alerts.topic_arn_of({"topic_arn": TOPIC}, source) == TOPIC
    assert alerts.topic_arn_of({"create_topic": "alerts"}, source) == f"arn:aws:sns:eu-west-1:{SRC}:alerts"


def test_s3_may_publish_for_its_bucket_and_account_only():
    policy = {"Statement": alerts.topic_statements(TOPIC, "stats-data-src", SRC, "us-east-1")}
    bucket = "arn:aws:s3:::stats-data-src"
    assert alerts.publish_allowed(policy, TOPIC, alerts.S3_SERVICE, bucket, SRC) is True
    assert alerts.publish_allowed(policy, TOPIC, alerts.S3_SERVICE, "arn:aws:s3:::other-bucket", SRC) is False
    assert alerts.publish_allowed(policy, TOPIC, alerts.S3_SERVICE, bucket, "444455556666") is False
    alarm = f"arn:aws:cloudwatch:us-east-1:{SRC}:alarm:s3-replication/stats-data-src/all-objects/failed-operations"
    assert alerts.publish_allowed(policy, TOPIC, alerts.CLOUDWATCH_SERVICE, alarm, SRC) is True
    assert alerts.publish_allowed(policy, TOPIC, alerts.CLOUDWATCH_SERVICE, alarm.replace("stats-data-src", "other"), SRC) is False


def test_statement_sids_differ_per_bucket_and_are_ours():
    first = alerts.topic_statements(TOPIC, "a-bucket", SRC, "us-east-1")
    second = alerts.topic_statements(TOPIC, "b-bucket", SRC, "us-east-1")
    sids = [s["Sid"] for s in first + second]
    assert len(set(sids)) == 4 and all(alerts.is_our_sid(sid) for sid in sids) and sids[0].isalnum()
    assert not alerts.is_our_sid("__default_statement_ID")


def test_an_unencrypted_topic_needs_nothing():
    assert alerts.topic_key_problems(topic(None), None, "replication_alerts.topic_arn") == ([], [])


def test_the_aws_managed_sns_key_is_refused_with_the_fix():
    problems, _notes = alerts.topic_key_problems(topic("alias/aws/sns"), None, "replication_alerts.topic_arn")
    assert "AWS managed key aws/sns" in problems[0] and "customer managed key" in problems[0] and problems[0].startswith("replication_alerts.topic_arn")


@pytest.mark.parametrize("statements, missing", [
    ((ROOT,), ["s3.amazonaws.com kms:GenerateDataKey", "cloudwatch.amazonaws.com kms:Decrypt"]),
    ((ROOT, dict(SERVICES, Principal={"Service": "s3.amazonaws.com"})), ["cloudwatch.amazonaws.com kms:GenerateDataKey"]),
    ((ROOT, SERVICES), []),
    ((ROOT, SERVICES, dict(SERVICES, Sid="Deny", Effect="Deny", Action="kms:Decrypt")), ["s3.amazonaws.com kms:Decrypt"]),
])
def test_a_customer_key_must_let_s3_and_cloudwatch_use_it(statements, missing):
    problems, notes = alerts.topic_key_problems(topic(), key(*statements), "replication_alerts.topic_arn")
    assert notes == []
    for words in missing:
        assert words in problems[0]
    assert bool(problems) is bool(missing)
    if problems:
        assert "kms:GenerateDataKey*" in problems[0] and "add to the key policy" in problems[0]


def test_an_unreadable_key_is_a_note_not_a_refusal():
    unread = {"reference": KEY, "exists": None, "errors": {"metadata": "AccessDeniedException: no"}, "metadata": None, "policy": None}
    problems, notes = alerts.topic_key_problems(topic(), unread, "x")
    assert problems == [] and "AccessDeniedException" in notes[0]


def test_the_missed_threshold_event_comes_with_replication_time_control_only():
    assert alerts.failure_events([{"replication_time_control": False}]) == [alerts.FAILURE_EVENT]
    assert alerts.failure_events([{}, {"replication_time_control": True}]) == [alerts.FAILURE_EVENT, alerts.MISSED_THRESHOLD_EVENT]


def test_an_overlapping_entry_is_named_with_the_variable():
    configuration = {"QueueConfigurations": [{"Id": "ops", "QueueArn": f"arn:aws:sqs:us-east-1:{SRC}:q", "Events": ["s3:Replication:*"]}]}
    problems = alerts.notification_problems(configuration, TOPIC, [{}], "replication_alerts (bucket stats-data-src)")
    assert problems[0].startswith("replication_alerts (bucket stats-data-src): entry ops")
