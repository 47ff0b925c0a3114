# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_bucket_notification_entry (writer module_utils/writers/notification) against botocore's Stubber.

moto drops EventBridgeConfiguration when it answers GetBucketNotificationConfiguration, so only a stub
can show that a bucket's EventBridge setting survives our merge.
"""

import pytest
from aws_stubs import ACCOUNT
from aws_stubs import run
from aws_stubs import stubbed
from botocore.exceptions import ClientError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import notification

BUCKET = "stats-data-src"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:replication-alerts"
QUEUE = {"Id": "other-team-uploads", "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:uploads", "Events": ["s3:ObjectCreated:*"],
         "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "incoming/"}]}}}
LAMBDA = {"Id": "thumbnails", "LambdaFunctionArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:thumbs", "Events": ["s3:ObjectCreated:Put"]}
OURS = {"id": "s3-crossaccount-replication-failures", "destination_arn": TOPIC, "events": ["s3:Replication:OperationFailedReplication"]}
OURS_S3 = {"Id": OURS["id"], "TopicArn": TOPIC, "Events": OURS["events"]}
THEIRS = {"QueueConfigurations": [QUEUE], "LambdaFunctionConfigurations": [LAMBDA], "EventBridgeConfiguration": {}}


def answer(stubber, configuration):
    stubber.add_response("get_bucket_notification_configuration", dict(configuration), {"Bucket": BUCKET})


def expect_put(stubber, configuration):
    stubber.add_response("put_bucket_notification_configuration", {}, {"Bucket": BUCKET, "NotificationConfiguration": configuration})


def args(*entries):
    return {"bucket": BUCKET, "entries": list(entries) or [OURS]}


def test_our_entry_joins_the_other_teams_queue_lambda_and_eventbridge_setting():
    after = dict(THEIRS, TopicConfigurations=[OURS_S3])
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], THEIRS)
        expect_put(stubs["s3"], after)
        answer(stubs["s3"], after)
        planned = run(notification.WRITER, aws, args())
    assert planned["changed"] is True and planned["rounds"] == 1
    assert planned["result"]["entries"] == [OURS_S3]
    assert planned["diff"]["before_header"] == f"account {ACCOUNT}: s3://{BUCKET} (notification configuration)"
    assert planned["diff"]["before"] == THEIRS and planned["diff"]["after"] == after


def test_a_converged_configuration_is_not_written_whatever_order_and_case_s3_answers_in():
    rewritten = dict(QUEUE, Filter={"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}})
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], {"TopicConfigurations": [OURS_S3], "QueueConfigurations": [rewritten], "LambdaFunctionConfigurations": [LAMBDA]})
        planned = run(notification.WRITER, aws, args())
    assert planned["changed"] is False
    assert stubs["s3"].operations() == ["GetBucketNotificationConfiguration"]


def test_check_mode_reads_only():
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], THEIRS)
        planned = run(notification.WRITER, aws, args(), check_mode=True)
    assert planned["changed"] is True and planned["after"]["TopicConfigurations"] == [OURS_S3]
    assert stubs["s3"].operations() == ["GetBucketNotificationConfiguration"]


def test_a_changed_entry_is_replaced_in_place_of_its_id():
    old = dict(OURS_S3, TopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:old-topic")
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], {"TopicConfigurations": [old], "QueueConfigurations": [QUEUE]})
        planned = run(notification.WRITER, aws, args(), check_mode=True)
    assert planned["after"] == {"TopicConfigurations": [OURS_S3], "QueueConfigurations": [QUEUE]}


def test_absent_removes_only_our_entry_and_keeps_eventbridge():
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], dict(THEIRS, TopicConfigurations=[OURS_S3]))
        expect_put(stubs["s3"], THEIRS)
        answer(stubs["s3"], THEIRS)
        planned = run(notification.WRITER, aws, args({"id": OURS["id"], "state": "absent"}))
    assert planned["changed"] is True and planned["result"]["entries"] == []


def test_removing_the_last_entry_writes_an_empty_configuration():
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], {"TopicConfigurations": [OURS_S3]})
        expect_put(stubs["s3"], {})
        answer(stubs["s3"], {})
        assert run(notification.WRITER, aws, args({"id": OURS["id"], "state": "absent"}))["changed"] is True


def test_an_overlapping_entry_of_another_team_is_refused_before_any_write():
    theirs = {"Id": "ops-replication", "TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:ops", "Events": ["s3:Replication:*"]}
    with stubbed("s3") as (aws, stubs):
        answer(stubs["s3"], {"TopicConfigurations": [theirs]})
        with pytest.raises(runner.WriteRefused) as refused:
            run(notification.WRITER, aws, args())
    assert "entry ops-replication" in str(refused.value) and "s3:Replication:OperationFailedReplication" in str(refused.value)
    assert f"arn:aws:sns:us-east-1:{ACCOUNT}:ops" in str(refused.value)
    assert stubs["s3"].operations() == ["GetBucketNotificationConfiguration"]


@pytest.mark.parametrize("entry, words", [
    (dict(OURS, destination_arn=f"arn:aws:s3:::{BUCKET}"), "destination_arn"),
    (dict(OURS, events=["ObjectCreated"]), "not S3 event types"),
    (dict(OURS, events=[]), "at least one event type"),
])
def test_bad_entries_are_refused_before_any_call(entry, words):
    with stubbed("s3") as (aws, stubs):
        with pytest.raises(runner.WriteRefused) as refused:
            run(notification.WRITER, aws, args(entry))
    assert words in str(refused.value) and stubs["s3"].operations() == []


def test_two_entries_with_one_id_are_refused():
    with stubbed("s3") as (aws, _stubs):
        with pytest.raises(runner.WriteRefused, match="appear more than once"):
            run(notification.WRITER, aws, args(OURS, dict(OURS, events=["s3:ObjectRemoved:*"])))


def test_a_failed_destination_test_says_what_the_topic_must_allow():
    error = ClientError({"Error": {"Code": "InvalidArgument", "Message": "Unable to validate the following destination configurations"}},
                        "PutBucketNotificationConfiguration")
    message = notification.describe_failure(AwsCallFailure("PutBucketNotificationConfiguration failed", error), BUCKET)
    assert "s3.amazonaws.com" in message and "aws:SourceArn" in message and "kms:GenerateDataKey" in message


def test_state_from_facts_needs_the_notification_read():
    facts = {"account_id": ACCOUNT, "buckets": {BUCKET: {"name": BUCKET, "exists": True, "notification": None, "errors": {}}}}
    params = runner.validated(notification.WRITER, args())
    assert notification.WRITER.state_from_facts(facts, params) is runner.UNKNOWN
    facts["buckets"][BUCKET]["notification"] = {}
    assert notification.WRITER.state_from_facts(facts, params)["configuration"] == {}
