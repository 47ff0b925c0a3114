# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper of the alerts_* and status_* molecule scenarios, acting in the source account of the harness with boto3.

python alerts_harness.py foreign                  another team's notifications on stats-data-src (a queue, a topic, EventBridge)
                                                  and its dashboard other-team-ops
python alerts_harness.py foreign-dashboard NAME   another team's dashboard NAME (no marker of ours)
python alerts_harness.py state                    the source account's alert state as JSON (read-only)
python alerts_harness.py subscribe-other TOPIC    another team's queue subscribes to TOPIC
python alerts_harness.py unsubscribe-other TOPIC  and stops again
python alerts_harness.py metrics FAILED LATENCY   what S3 would publish for rule all-objects (PutMetricData, AWS/S3)
"""

import datetime
import json
import sys

import boto3
import botocore.exceptions

PROFILE, REGION = "prod", "us-east-1"
SOURCE_BUCKET, DESTINATION_BUCKET, RULE = "stats-data-src", "stats-data-tgt", "all-objects"
OTHER_QUEUE, OTHER_TOPIC, OTHER_SUBSCRIBER = "other-team-uploads", "other-team-deletions", "other-team-ops"
OTHER_DASHBOARD = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 12, "height": 2, "properties": {"markdown": "Billing team: S3 costs"}}]}


def client(service):
    return boto3.Session(profile_name=PROFILE, region_name=REGION).client(service)


def queue_arn(name):
    sqs = client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def foreign():
    topic = client("sns").create_topic(Name=OTHER_TOPIC)["TopicArn"]
    client("s3").put_bucket_notification_configuration(Bucket=SOURCE_BUCKET, NotificationConfiguration={
        "QueueConfigurations": [{"Id": OTHER_QUEUE, "QueueArn": queue_arn(OTHER_QUEUE), "Events": ["s3:ObjectCreated:*"],
                                 "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}}}],
        "TopicConfigurations": [{"Id": OTHER_TOPIC, "TopicArn": topic, "Events": ["s3:ObjectRemoved:*"]}],
        "EventBridgeConfiguration": {},
    })
    foreign_dashboard(OTHER_SUBSCRIBER)


def foreign_dashboard(name):
    client("cloudwatch").put_dashboard(DashboardName=name, DashboardBody=json.dumps(OTHER_DASHBOARD))


def subscribe_other(topic):
    client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(OTHER_SUBSCRIBER))


def unsubscribe_other(topic):
    sns = client("sns")
    for item in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]:
        if item["Endpoint"].endswith(f":{OTHER_SUBSCRIBER}"):
            sns.unsubscribe(SubscriptionArn=item["SubscriptionArn"])


def _topic(sns, arn):
    policy = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
    return {
        "statements": {s.get("Sid", ""): {"principal": s.get("Principal"), "condition": s.get("Condition")} for s in policy["Statement"]},
        "subscriptions": sorted(f"{s['Protocol']}:{s['Endpoint']}" for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]),
        "tags": {tag["Key"]: tag["Value"] for tag in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]},
    }


def _alarm(alarm):
    return {"metric": alarm["MetricName"], "namespace": alarm["Namespace"], "threshold": alarm["Threshold"], "actions": alarm["AlarmActions"],
            "dimensions": {d["Name"]: d["Value"] for d in alarm["Dimensions"]}}


def _dashboards(cloudwatch):
    names = [entry["DashboardName"] for entry in cloudwatch.list_dashboards()["DashboardEntries"]]
    return {name: json.loads(cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"]) for name in names}


def state():
    s3, sns = client("s3"), client("sns")
    notification = {k: v for k, v in s3.get_bucket_notification_configuration(Bucket=SOURCE_BUCKET).items() if k != "ResponseMetadata"}
    try:
        rules = s3.get_bucket_replication(Bucket=SOURCE_BUCKET)["ReplicationConfiguration"]["Rules"]
    except botocore.exceptions.ClientError:
        rules = []
    topics = [topic["TopicArn"] for topic in sns.list_topics()["Topics"]]
    return {
        "notification": notification,
        "topics": {arn.rsplit(":", 1)[-1]: _topic(sns, arn) for arn in topics},
        "alarms": {alarm["AlarmName"]: _alarm(alarm) for alarm in client("cloudwatch").describe_alarms()["MetricAlarms"]},
        "rules": {rule["ID"]: {"metrics": rule["Destination"].get("Metrics"), "rtc": rule["Destination"].get("ReplicationTime")} for rule in rules},
        "dashboards": _dashboards(client("cloudwatch")),
    }


def metrics(failed, latency):
    dimensions = [{"Name": "SourceBucket", "Value": SOURCE_BUCKET}, {"Name": "DestinationBucket", "Value": DESTINATION_BUCKET},
                  {"Name": "RuleId", "Value": RULE}]
    now = datetime.datetime.now(datetime.timezone.utc)
    data = [("OperationsFailedReplication", float(failed)), ("ReplicationLatency", float(latency)), ("OperationsPendingReplication", 0.0),
            ("BytesPendingReplication", 0.0)]
    client("cloudwatch").put_metric_data(Namespace="AWS/S3", MetricData=[
        {"MetricName": name, "Dimensions": dimensions, "Value": value, "Timestamp": now} for name, value in data])


def main(argv):
    commands = {"foreign": foreign, "foreign-dashboard": foreign_dashboard, "subscribe-other": subscribe_other,
                "unsubscribe-other": unsubscribe_other, "metrics": metrics}
    if argv[1:2] == ["state"]:
        json.dump(state(), sys.stdout, indent=1, sort_keys=True)
    elif argv[1:2] and argv[1] in commands:
        commands[argv[1]](*argv[2:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
