# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Failure alerts of replication (``replication_alerts``, docs/monitoring.md): every name and document, and the checks.

In the source account and region:

* an SNS topic (given, or created with this collection's tag), whose policy gets, merged by Sid, one
  statement per source bucket letting ``s3.amazonaws.com`` publish for that bucket only
  (``aws:SourceArn`` = the bucket ARN, ``aws:SourceAccount``) and one letting CloudWatch publish for
  that bucket's alarms only;
* one entry of the source bucket's notification configuration, Id ``NOTIFICATION_ID``, sending the
  failure events of the bucket's rules to the topic (``OperationMissedThreshold`` too when a rule has
  Replication Time Control);
* per rule, a CloudWatch alarm on ``OperationsFailedReplication > 0`` and, with
  ``alarm_latency_seconds``, one on ``ReplicationLatency``, both acting on the topic.

Names derive from the bucket and rule only, so teardown finds them again. A topic encrypted with
SSE-KMS takes events only when its key lets S3 and CloudWatch use it (:func:`topic_key_problems`).
"""

import hashlib

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_notifications
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import evaluation as pe

FAILURE_EVENT = "s3:Replication:OperationFailedReplication"
MISSED_THRESHOLD_EVENT = "s3:Replication:OperationMissedThreshold"
NOTIFICATION_ID = "s3-crossaccount-replication-failures"
ALARM_PREFIX = "s3-replication"
MANAGED_TAG = {"managed-by": "s3_crossaccount.replication"}
S3_PUBLISH_SID = "S3ReplAlertsS3Publish"
ALARM_PUBLISH_SID = "S3ReplAlertsAlarmPublish"
OUR_SID_PREFIXES = (S3_PUBLISH_SID, ALARM_PUBLISH_SID)
S3_SERVICE = "s3.amazonaws.com"
CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com"
KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
AWS_MANAGED_SNS_KEY = "alias/aws/sns"
FAILED_METRIC = "OperationsFailedReplication"
LATENCY_METRIC = "ReplicationLatency"
MAX_ALARM_NAME = 255
DIGEST_LENGTH = 10


def _digest(*parts):
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


# --- the topic ---------------------------------------------------------------------------------------


def topic_arn_of(alerts, source, partition="aws"):
    """The topic's ARN: the given one, or that of the topic to create in the source account and region."""
    if alerts.get("topic_arn"):
        return alerts["topic_arn"]
    return arns.topic_arn(source["account_id"], source["region"], alerts["create_topic"], partition)


def metrics_enabled(rule):
    """Whether an S3 replication rule (as S3 answers it) has replication metrics, which failure events and alarms need."""
    return (((rule or {}).get("Destination") or {}).get("Metrics") or {}).get("Status") == "Enabled"


def _publish_statement(sid, service, topic_arn, source_arn, account_id):
    """Lets ``service`` publish to the topic for ``source_arn`` of ``account_id`` only (no confused deputy)."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {"ArnLike": {"aws:SourceArn": source_arn}, "StringEquals": {"aws:SourceAccount": account_id}},
    }


def s3_publish_statement(topic_arn, bucket, account_id, partition="aws"):
    return _publish_statement(S3_PUBLISH_SID + _digest(topic_arn, bucket), S3_SERVICE, topic_arn, arns.bucket_arn(bucket, partition), account_id)


def alarm_arn_pattern(bucket, account_id, region, partition="aws"):
    return f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:{ALARM_PREFIX}/{bucket}/*"


def alarm_publish_statement(topic_arn, bucket, account_id, region, partition="aws"):
    return _publish_statement(ALARM_PUBLISH_SID + _digest(topic_arn, bucket), CLOUDWATCH_SERVICE, topic_arn,
                              alarm_arn_pattern(bucket, account_id, region, partition), account_id)


def topic_statements(topic_arn, bucket, account_id, region, partition="aws"):
    """The two statements one source bucket needs in the topic's policy."""
    return [s3_publish_statement(topic_arn, bucket, account_id, partition), alarm_publish_statement(topic_arn, bucket, account_id, region, partition)]


def is_our_sid(sid):
    return str(sid or "").startswith(OUR_SID_PREFIXES)


def _publish_request(topic_arn, service, source_arn, account_id):
    return pe.make_request("sns:Publish", topic_arn, service=service, context={"aws:SourceArn": source_arn, "aws:SourceAccount": account_id})


def publish_allowed(policy, topic_arn, service, source_arn, account_id):
    """True / False / None (cannot be told offline): whether the topic policy lets ``service`` publish for ``source_arn``."""
    result = pe.evaluate_policy(policy or {}, _publish_request(topic_arn, service, source_arn, account_id))
    if result["denied_by"]:
        return False
    if result["allowed_by"] or result["delegated_by"]:
        return True if not result["uncertain"] else None
    return None if result["uncertain"] else False


def key_statement_text(topic_arn):
    """The key-policy statement an SSE-KMS topic's key needs (for the messages)."""
    return (
        '{"Sid": "AllowS3AndCloudWatchToUseTheKey", "Effect": "Allow", "Principal": {"Service": ["s3.amazonaws.com", "cloudwatch.amazonaws.com"]}, '
        f'"Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"}} (the key of topic {topic_arn})'
    )


def topic_key_problems(topic, key, label):
    """``(problems, notes)`` of an SSE-KMS topic: its key must let S3 and CloudWatch encrypt what they publish."""
    key_reference = (topic or {}).get("kms_master_key_id")
    if not key_reference:
        return [], []
    arn = topic["arn"]
    fix = f"add to the key policy: {key_statement_text(arn)}"
    metadata = (key or {}).get("metadata") or {}
    if key_reference == AWS_MANAGED_SNS_KEY or metadata.get("KeyManager") == "AWS":
        return [f"{label}: topic {arn} is encrypted with the AWS managed key aws/sns, whose key policy cannot let S3 or CloudWatch use it, so "
                "S3 refuses the notification configuration and alarms cannot publish: encrypt the topic with a customer managed key instead "
                f"and {fix}, or turn the topic's encryption off"], []
    if not key or key.get("exists") is not True or not key.get("policy"):
        errors = "; ".join(((key or {}).get("errors") or {}).values()) or "not read"
        return [], [f"{label}: topic {arn} is encrypted with KMS key {key_reference}, whose policy could not be read ({errors}): make sure it lets "
                    f"S3 and CloudWatch use the key; {fix}"]
    missing = []
    for service in (S3_SERVICE, CLOUDWATCH_SERVICE):
        for action in KEY_ACTIONS:
            result = pe.evaluate_policy(key["policy"], pe.make_request(action, metadata.get("Arn") or "*", service=service))
            if result["denied_by"] or not (result["allowed_by"] or result["delegated_by"] or result["uncertain"]):
                missing.append(f"{service} {action}")
    if missing:
        return [f"{label}: topic {arn} is encrypted with KMS key {metadata.get('Arn') or key_reference}, whose key policy does not allow "
                f"{', '.join(missing)}: S3 would refuse the notification configuration and alarms could not publish; {fix}"], []
    return [], []


# --- the notification entry ----------------------------------------------------------------------------


def failure_events(rules):
    """The failure events of rules (S3 rule options): OperationMissedThreshold only exists with Replication Time Control."""
    events = [FAILURE_EVENT]
    if any(rule.get("replication_time_control") for rule in rules):
        events.append(MISSED_THRESHOLD_EVENT)
    return events


def notification_entry(topic_arn, rules):
    return {"id": NOTIFICATION_ID, "destination_arn": topic_arn, "events": failure_events(rules), "state": "present"}


def notification_problems(configuration, topic_arn, rules, label):
    """Why S3 would refuse our entry next to the bucket's others (overlapping event types and keys)."""
    return [f"{label}: {problem}" for problem in bucket_notifications.overlaps(configuration, [notification_entry(topic_arn, rules)])]


# --- alarms ------------------------------------------------------------------------------------------------


def alarm_name(bucket, rule_id, kind):
    """``s3-replication/BUCKET/RULE/KIND``, the rule id shortened with a digest when the name would pass 255 characters."""
    name = f"{ALARM_PREFIX}/{bucket}/{rule_id}/{kind}"
    if len(name) <= MAX_ALARM_NAME:
        return name
    room = MAX_ALARM_NAME - len(f"{ALARM_PREFIX}/{bucket}//{kind}") - DIGEST_LENGTH - 1
    return f"{ALARM_PREFIX}/{bucket}/{rule_id[:room]}-{_digest(rule_id)}/{kind}"


def alarm_names(bucket, rule_id):
    return [alarm_name(bucket, rule_id, "failed-operations"), alarm_name(bucket, rule_id, "latency")]


def rule_alarms(source_bucket, destination_bucket, rule_id, topic_arn, latency_seconds=None):
    """The s3_replication_alarm ``alarms`` items of one rule: the failed-operations alarm, and the latency alarm (absent without a threshold)."""
    common = {"source_bucket": source_bucket, "destination_bucket": destination_bucket, "rule_id": rule_id, "alarm_actions": [topic_arn]}
    failed, latency = alarm_names(source_bucket, rule_id)
    alarms = [dict(common, name=failed, metric=FAILED_METRIC, threshold=0, description=(
        f"S3 replication of {source_bucket} rule {rule_id} to {destination_bucket}: operations failed. See docs/monitoring.md "
        "(s3_crossaccount.replication)."))]
    if latency_seconds:
        alarms.append(dict(common, name=latency, metric=LATENCY_METRIC, threshold=latency_seconds, description=(
            f"S3 replication of {source_bucket} rule {rule_id} to {destination_bucket}: latency above {latency_seconds} s. See docs/monitoring.md "
            "(s3_crossaccount.replication).")))
    else:
        alarms.append({"name": latency, "state": "absent"})
    return alarms


def absent_alarms(source_bucket, rule_id):
    return [{"name": name, "state": "absent"} for name in alarm_names(source_bucket, rule_id)]
