#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_bucket_notification_entry
short_description: Add or remove entries of a bucket's notification configuration by Id, keeping every other setting
version_added: 0.3.0
description:
  - C(PutBucketNotificationConfiguration) replaces the whole configuration (every topic, queue and Lambda entry and the
    EventBridge setting). This module reads it, merges the given entries by Id (an entry with the same Id is replaced, in the
    list of its destination's kind, a new one appended), removes the entries listed with O(entries[].state=absent), and writes
    everything else back exactly as read, C(EventBridgeConfiguration) included.
  - The destination's kind follows from its ARN (SNS topic, SQS queue or Lambda function).
  - S3 refuses two entries of one bucket for the same event type and overlapping keys; such an entry is refused before
    anything is written, naming the other entry.
  - S3 sends a test message to every destination when the configuration is written, so the topic's (queue's, function's)
    policy must let C(s3.amazonaws.com) publish for the bucket first
    (M(s3_crossaccount.replication.s3_replication_alert_topic) writes that statement).
  - Diffs show the whole configuration before and after, headed by the account and the bucket.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description: The bucket name or its ARN (C(arn:aws:s3:::NAME)). The bucket must exist.
    type: str
    required: true
  entries:
    description: The entries to put (O(entries[].state=present)) or remove.
    type: list
    elements: dict
    required: true
    suboptions:
      id:
        description: The entry's Id, unique in the bucket's configuration (up to 255 characters).
        type: str
        required: true
      state:
        description: V(present) adds or replaces the entry with this Id; V(absent) removes it.
        type: str
        choices: [present, absent]
        default: present
      destination_arn:
        description: ARN of the SNS topic, SQS queue or Lambda function that receives the events. Required with O(entries[].state=present).
        type: str
      events:
        description:
          - The S3 event types, for example C(s3:Replication:OperationFailedReplication) or C(s3:ObjectCreated:*).
            Required with O(entries[].state=present).
        type: list
        elements: str
        default: []
      filter_prefix:
        description: Only keys with this prefix.
        type: str
      filter_suffix:
        description: Only keys with this suffix.
        type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Send the replication failures of stats-data-src to a topic, next to the bucket's other notifications
  s3_crossaccount.replication.s3_bucket_notification_entry:
    profile: prod
    region: us-east-1
    bucket: stats-data-src
    entries:
      - id: s3-crossaccount-replication-failures
        destination_arn: arn:aws:sns:us-east-1:211258069784:replication-alerts
        events:
          - s3:Replication:OperationFailedReplication
          - s3:Replication:OperationMissedThreshold

- name: Remove that entry again (the other entries stay)
  s3_crossaccount.replication.s3_bucket_notification_entry:
    profile: prod
    region: us-east-1
    bucket: stats-data-src
    entries:
      - id: s3-crossaccount-replication-failures
        state: absent
"""

RETURN = r"""
configuration:
  description: The bucket's whole notification configuration after the run (what it would be in check mode).
  returned: always
  type: dict
  sample:
    TopicConfigurations:
      - Id: s3-crossaccount-replication-failures
        TopicArn: arn:aws:sns:us-east-1:211258069784:replication-alerts
        Events: [s3:Replication:OperationFailedReplication]
    QueueConfigurations:
      - Id: other-team-uploads
        QueueArn: arn:aws:sqs:us-east-1:211258069784:uploads
        Events: ["s3:ObjectCreated:*"]
    EventBridgeConfiguration: {}
entries:
  description: The entries with the given Ids after the run (none for O(entries[].state=absent)), in the S3 API shape.
  returned: always
  type: list
  elements: dict
  sample:
    - Id: s3-crossaccount-replication-failures
      TopicArn: arn:aws:sns:us-east-1:211258069784:replication-alerts
      Events: [s3:Replication:OperationFailedReplication]
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import notification


def main():
    run_module(notification.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
