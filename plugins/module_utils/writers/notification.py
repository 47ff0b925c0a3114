# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_bucket_notification_entry: entries merged by Id into a bucket's notification configuration (see module_utils/writers/runner).

Every other topic, queue and Lambda entry, and the EventBridge setting, is written back exactly as
read (module_utils/s3/bucket_notifications).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_notifications
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import bucket_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import read_document
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer

MODULE = "s3_bucket_notification_entry"
ENTRY_OPTIONS = dict(
    id=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    destination_arn=dict(type="str"),
    events=dict(type="list", elements="str", default=[]),
    filter_prefix=dict(type="str"),
    filter_suffix=dict(type="str"),
)
ARGUMENT_SPEC = dict(
    bucket=dict(type="str", required=True),
    entries=dict(type="list", elements="dict", required=True, options=ENTRY_OPTIONS),
)


def _checked_entries(params):
    try:
        bucket_notifications.validate_entries(params["entries"])
    except bucket_notifications.NotificationEntryError as error:
        raise WriteRefused(str(error)) from None
    return params["entries"]


def describe_failure(failure, bucket):
    """S3 tests each destination when the configuration is written: say what the destination must allow."""
    text = ((getattr(failure.error, "response", None) or {}).get("Error") or {}).get("Message", "")
    if failure.code == "InvalidArgument" and "validate" in text.lower():
        return (
            f"S3 could not send a test message to a destination of bucket {bucket}'s notification configuration ({text}): the topic's (or "
            "queue's, function's) policy must let s3.amazonaws.com publish with aws:SourceArn = the bucket's ARN and aws:SourceAccount = its "
            "account (s3_replication_alert_topic writes that statement), and an SSE-KMS topic's key must let s3.amazonaws.com use it "
            "(kms:GenerateDataKey*, kms:Decrypt); docs/monitoring.md"
        )
    if failure.code in ("AccessDenied", "AllAccessDisabled"):
        return f"Access denied to the notification configuration of bucket {bucket}: the credentials need s3:GetBucketNotification and s3:PutBucketNotification"
    return f"Could not write the notification configuration of bucket {bucket}"


class NotificationWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    MERGED = True

    def read_state(self, aws, params):
        bucket = bucket_of(params)
        _checked_entries(params)
        configuration = read_document(aws, bucket, aws_s3.get_notification)
        return {"bucket": bucket, "configuration": configuration, "account_id": aws.account_id}

    def state_from_facts(self, account_facts, params):
        bucket = bucket_of(params)
        facts = (account_facts.get("buckets") or {}).get(bucket)
        if not facts or facts.get("exists") is not True or facts.get("notification") is None or "notification" in (facts.get("errors") or {}):
            return UNKNOWN
        return {"bucket": bucket, "configuration": facts["notification"], "account_id": account_facts.get("account_id")}

    def document(self, state):
        """The configuration as read, comparable (run_write tells a stale read from another writer's by it)."""
        return bucket_notifications.canonical(state["configuration"])

    def plan(self, params, state):
        entries = _checked_entries(params)
        before = state["configuration"] or {}
        problems = bucket_notifications.overlaps(before, entries)
        if problems:
            raise WriteRefused(f"s3://{state['bucket']} notification configuration: " + " | ".join(problems))
        after = bucket_notifications.merged(before, entries)
        changed = not bucket_notifications.same_configuration(before, after)
        header = resource_header(state.get("account_id"), f"s3://{state['bucket']} (notification configuration)")
        ours = [bucket_notifications.find_entry(after, entry["id"]) for entry in entries if entry["state"] == "present"]
        return make_plan(changed, before, after if changed else before, header, result={"configuration": after, "entries": ours})

    def apply(self, aws, params, planned):
        bucket = bucket_of(params)
        try:
            aws_s3.put_notification(aws.client("s3", ("OperationAborted",)), bucket, planned["after"])
        except AwsCallFailure as failure:
            raise AwsCallFailure(describe_failure(failure, bucket), failure.error) from None
        return {}

    def applied(self, account_facts, params, planned):
        account_facts["buckets"][params["bucket"]]["notification"] = planned["after"]


WRITER = NotificationWriter()
