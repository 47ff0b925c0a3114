# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_alert_topic (writer module_utils/writers/alert_topic) against botocore's Stubber."""

import json

import pytest
from aws_stubs import ACCOUNT
from aws_stubs import run
from aws_stubs import stubbed

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alert_topic

TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:replication-alerts"
STATEMENTS = replication_alerts.topic_statements(TOPIC, "stats-data-src", ACCOUNT, "us-east-1")
OTHER_BUCKET = replication_alerts.topic_statements(TOPIC, "other-src", ACCOUNT, "us-east-1")
EMAIL = {"protocol": "email", "endpoint": "data-platform@example.com"}
OPS = {"SubscriptionArn": f"{TOPIC}:ops", "Protocol": "sqs", "Endpoint": f"arn:aws:sqs:us-east-1:{ACCOUNT}:ops", "Owner": ACCOUNT, "TopicArn": TOPIC}
OURS_SUBSCRIBED = {"SubscriptionArn": f"{TOPIC}:mail", "Protocol": "email", "Endpoint": EMAIL["endpoint"], "Owner": ACCOUNT, "TopicArn": TOPIC}


def default_policy():
    return alert_topic.default_policy(TOPIC, ACCOUNT)


def answer(stubber, policy=None, subscriptions=(), tags=None, kms_key=None):
    attributes = {"TopicArn": TOPIC, "Policy": json.dumps(policy or default_policy())}
    if kms_key:
        attributes["KmsMasterKeyId"] = kms_key
    stubber.add_response("get_topic_attributes", {"Attributes": attributes}, {"TopicArn": TOPIC})
    stubber.add_response("list_subscriptions_by_topic", {"Subscriptions": list(subscriptions)}, {"TopicArn": TOPIC})
    stubber.add_response("list_tags_for_resource", {"Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}, {"ResourceArn": TOPIC})


def missing(stubber):
    stubber.add_client_error("get_topic_attributes", "NotFound", http_status_code=404, expected_params={"TopicArn": TOPIC})


def policy_with(*statements):
    policy = default_policy()
    policy["Statement"] += [dict(statement) for group in statements for statement in group]
    return policy


def written_policy(stubber):
    (params,) = stubber.params_of("SetTopicAttributes")
    assert params["AttributeName"] == "Policy"
    return json.loads(params["AttributeValue"])


def present(**extra):
    return dict({"topic_arn": TOPIC, "statements": STATEMENTS, "subscriptions": [EMAIL]}, **extra)


def test_a_missing_topic_is_created_tagged_with_our_statements_and_subscription():
    with stubbed("sns") as (aws, stubs):
        sns = stubs["sns"]
        missing(sns)
        tags = [{"Key": "managed-by", "Value": "s3_crossaccount.replication"}]
        sns.add_response("create_topic", {"TopicArn": TOPIC}, {"Name": "replication-alerts", "Tags": tags})
        sns.add_response("set_topic_attributes", {}, None)
        sns.add_response("subscribe", {"SubscriptionArn": "pending confirmation"}, {"TopicArn": TOPIC, "Protocol": "email", "Endpoint": EMAIL["endpoint"]})
        answer(sns, policy_with(STATEMENTS), [OURS_SUBSCRIBED], replication_alerts.MANAGED_TAG)
        planned = run(alert_topic.WRITER, aws, present(create=True))
    assert planned["changed"] is True and planned["diff"]["after_header"] == f"account {ACCOUNT}: SNS topic {TOPIC} (created)"
    assert written_policy(sns)["Statement"][1:] == STATEMENTS
    assert written_policy(sns)["Statement"][0]["Sid"] == "__default_statement_ID"


def test_a_missing_topic_without_create_is_refused():
    with stubbed("sns") as (aws, stubs):
        missing(stubs["sns"])
        with pytest.raises(runner.WriteRefused, match="does not exist: create it, or set create: true"):
            run(alert_topic.WRITER, aws, present())


def test_other_statements_and_subscriptions_stay_and_a_converged_topic_is_not_written():
    foreign = {"Sid": "OpsPublish", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sns:Publish", "Resource": TOPIC}
    with stubbed("sns") as (aws, stubs):
        sns = stubs["sns"]
        answer(sns, policy_with([foreign]), [OPS])
        sns.add_response("set_topic_attributes", {}, None)
        sns.add_response("subscribe", {"SubscriptionArn": "pending confirmation"}, None)
        answer(sns, policy_with([foreign], STATEMENTS), [OPS, OURS_SUBSCRIBED])
        assert run(alert_topic.WRITER, aws, present())["changed"] is True
        assert [s["Sid"] for s in written_policy(sns)["Statement"]] == ["__default_statement_ID", "OpsPublish"] + [s["Sid"] for s in STATEMENTS]
        answer(sns, policy_with([foreign], STATEMENTS), [OPS, OURS_SUBSCRIBED])
        assert run(alert_topic.WRITER, aws, present())["changed"] is False


def test_check_mode_reads_only():
    with stubbed("sns") as (aws, stubs):
        answer(stubs["sns"])
        planned = run(alert_topic.WRITER, aws, present(), check_mode=True)
    assert planned["changed"] is True and planned["changes"]["subscribe"] == [("email", EMAIL["endpoint"])]
    assert stubs["sns"].operations() == ["GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource"]


def absent(**extra):
    return dict({"topic_arn": TOPIC, "state": "absent", "statements": [{"Sid": s["Sid"]} for s in STATEMENTS], "subscriptions": [EMAIL],
                 "delete_when_unused": True}, **extra)


def test_a_topic_we_created_and_nothing_else_uses_is_deleted():
    with stubbed("sns") as (aws, stubs):
        answer(stubs["sns"], policy_with(STATEMENTS), [OURS_SUBSCRIBED], replication_alerts.MANAGED_TAG)
        stubs["sns"].add_response("delete_topic", {}, {"TopicArn": TOPIC})
        missing(stubs["sns"])
        planned = run(alert_topic.WRITER, aws, absent())
    assert planned["changed"] is True and planned["result"]["kept_because"] == []


@pytest.mark.parametrize("subscriptions, tags, statements, reason", [
    ([OURS_SUBSCRIBED, OPS], replication_alerts.MANAGED_TAG, [STATEMENTS], "other subscriptions use it: sqs:"),
    ([OURS_SUBSCRIBED], {}, [STATEMENTS], "does not carry this collection's tag"),
    ([OURS_SUBSCRIBED], replication_alerts.MANAGED_TAG, [STATEMENTS, OTHER_BUCKET], "other source buckets still send alerts to it"),
])
def test_a_topic_still_in_use_keeps_its_other_parts_and_says_why(subscriptions, tags, statements, reason):
    with stubbed("sns") as (aws, stubs):
        sns = stubs["sns"]
        answer(sns, policy_with(*statements), subscriptions, tags)
        sns.add_response("set_topic_attributes", {}, None)
        sns.add_response("unsubscribe", {}, {"SubscriptionArn": OURS_SUBSCRIBED["SubscriptionArn"]})
        answer(sns, policy_with(*statements[1:]), [s for s in subscriptions if s is not OURS_SUBSCRIBED], tags)
        planned = run(alert_topic.WRITER, aws, absent())
    assert any(reason in text for text in planned["result"]["kept_because"]), planned["result"]["kept_because"]
    assert planned["warnings"] and reason in planned["warnings"][0]
    assert [s["Sid"] for s in written_policy(sns)["Statement"]] == ["__default_statement_ID"] + [s["Sid"] for group in statements[1:] for s in group]


def test_a_pending_email_subscription_cannot_be_removed_and_is_not_tried():
    pending = dict(OURS_SUBSCRIBED, SubscriptionArn="PendingConfirmation")
    with stubbed("sns") as (aws, stubs):
        answer(stubs["sns"], default_policy(), [pending, OPS])
        planned = run(alert_topic.WRITER, aws, absent(delete_when_unused=False), check_mode=True)
    assert planned["changed"] is False and planned["changes"]["unsubscribe"] == []


def test_a_topic_of_another_account_is_refused():
    other = "arn:aws:sns:us-east-1:444455556666:alerts"
    with pytest.raises(runner.WriteRefused, match="in account 444455556666"):
        alert_topic.WRITER.plan(runner.validated(alert_topic.WRITER, {"topic_arn": other}), {"exists": True, "account_id": ACCOUNT})


def test_a_fifo_topic_is_refused_before_any_call():
    with stubbed("sns") as (aws, stubs):
        with pytest.raises(runner.WriteRefused, match="FIFO"):
            run(alert_topic.WRITER, aws, present(topic_arn=TOPIC + ".fifo"))
    assert stubs["sns"].operations() == []
