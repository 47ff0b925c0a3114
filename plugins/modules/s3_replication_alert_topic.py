#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_alert_topic
short_description: The SNS topic of replication alerts, its policy statements merged by Sid, and its subscriptions
version_added: 0.3.0
description:
  - With O(state=present), creates the topic when it is missing and O(create=true) (tagged C(managed-by=s3_crossaccount.replication)),
    merges O(statements) into the topic's access policy by Sid (every other statement is kept), and subscribes the
    O(subscriptions) that are not subscribed yet. Other subscriptions are never touched.
  - With O(state=absent), removes the statements with these Sids and these subscriptions (an email subscription still
    pending confirmation cannot be removed; it expires). With O(delete_when_unused=true) the topic is deleted instead when this
    collection created it (its tag), no other subscription is left and no other statement of this collection (another
    source bucket's) still uses it; otherwise the reason it stays is reported.
  - C(playbooks/replicate.yml) writes the statements that let C(s3.amazonaws.com) publish for one source bucket
    (C(aws:SourceArn), C(aws:SourceAccount)) and CloudWatch publish for that bucket's alarms (docs/monitoring.md).
  - An SSE-KMS encrypted topic takes S3's and CloudWatch's messages only when its key lets those services use it; the
    playbooks check that before writing.
  - Diffs show the policy and the subscriptions, headed by the account and the topic.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  topic_arn:
    description: The topic's ARN (for a topic to create, the ARN it will have in this account and region).
    type: str
    required: true
  state:
    description: V(present) creates or updates; V(absent) removes the statements and subscriptions (and the topic, see O(delete_when_unused)).
    type: str
    choices: [present, absent]
    default: present
  create:
    description: Create the topic when it does not exist; V(false) refuses a missing topic.
    type: bool
    default: false
  statements:
    description:
      - Access-policy statements, each with a unique Sid of letters and digits; merged by Sid (O(state=present)) or removed by Sid.
    type: list
    elements: dict
    default: []
  subscriptions:
    description: Subscriptions to add (O(state=present)) or remove (O(state=absent)), matched by protocol and endpoint.
    type: list
    elements: dict
    default: []
    suboptions:
      protocol:
        description: The subscription's protocol.
        type: str
        required: true
        choices: [email, email-json, sqs, lambda, https, http, sms, firehose, application]
      endpoint:
        description: The endpoint (an address, a queue or function ARN, a URL ...).
        type: str
        required: true
  delete_when_unused:
    description: With O(state=absent), delete the topic when this collection created it and nothing else uses it.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: A topic for the replication failures of stats-data-src, with an e-mail subscription
  s3_crossaccount.replication.s3_replication_alert_topic:
    profile: prod
    region: us-east-1
    topic_arn: arn:aws:sns:us-east-1:211258069784:replication-alerts
    create: true
    statements:
      - Sid: S3PublishStatsDataSrc
        Effect: Allow
        Principal: {Service: s3.amazonaws.com}
        Action: sns:Publish
        Resource: arn:aws:sns:us-east-1:211258069784:replication-alerts
        Condition:
          ArnLike: {"aws:SourceArn": "arn:aws:s3:::stats-data-src"}
          StringEquals: {"aws:SourceAccount": "211258069784"}
    subscriptions:
      - protocol: email
        endpoint: data-platform@example.com

- name: Remove them again, and the topic when nothing else uses it
  s3_crossaccount.replication.s3_replication_alert_topic:
    profile: prod
    region: us-east-1
    topic_arn: arn:aws:sns:us-east-1:211258069784:replication-alerts
    state: absent
    delete_when_unused: true
    statements:
      - Sid: S3PublishStatsDataSrc
    subscriptions:
      - protocol: email
        endpoint: data-platform@example.com
"""

RETURN = r"""
topic:
  description: The topic after the run (what it would be in check mode); null when it is gone.
  returned: always
  type: dict
  sample:
    arn: arn:aws:sns:us-east-1:211258069784:replication-alerts
    exists: true
    policy: {"Version": "2008-10-17", "Statement": []}
    subscriptions: ["email:data-platform@example.com"]
kept_because:
  description: With O(state=absent), why the topic was not deleted.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: ["other subscriptions use it: sqs:arn:aws:sqs:us-east-1:211258069784:ops"]
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alert_topic


def main():
    run_module(alert_topic.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
