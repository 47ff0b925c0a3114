#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_alarm
short_description: CloudWatch alarms on the replication metrics of S3 replication rules
version_added: 0.3.0
description:
  - Each item of O(alarms) is one CloudWatch metric alarm, by name, on one S3 replication metric of one rule (namespace
    C(AWS/S3), dimensions C(SourceBucket), C(DestinationBucket), C(RuleId)). S3 publishes these metrics only for rules with
    replication metrics enabled (C(Metrics) C(Status=Enabled)), in the source bucket's region.
  - An alarm whose definition differs is written with C(PutMetricAlarm); its OK and insufficient-data actions, datapoints to
    alarm and unit are carried over as read, its tags are never touched. O(alarms[].state=absent) deletes the alarm.
  - Missing data is not breaching (a rule that replicates nothing is not an alarm).
  - For a single alarm with every CloudWatch option, M(amazon.aws.cloudwatch_metric_alarm) is the general module; this one
    knows the replication metrics and is what the playbooks' planner calls.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  alarms:
    description: The alarms.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The alarm's name (up to 255 characters).
        type: str
        required: true
      state:
        description: V(present) creates or updates the alarm; V(absent) deletes it.
        type: str
        choices: [present, absent]
        default: present
      metric:
        description: The replication metric. Required with O(alarms[].state=present).
        type: str
        choices: [OperationsFailedReplication, ReplicationLatency, OperationsPendingReplication, BytesPendingReplication]
      source_bucket:
        description: The rule's source bucket (dimension C(SourceBucket)). Required with O(alarms[].state=present).
        type: str
      destination_bucket:
        description: The rule's destination bucket name (dimension C(DestinationBucket)). Required with O(alarms[].state=present).
        type: str
      rule_id:
        description: The rule's ID (dimension C(RuleId)). Required with O(alarms[].state=present).
        type: str
      threshold:
        description: The threshold (operations, seconds or bytes, as the metric counts). Required with O(alarms[].state=present).
        type: float
      comparison_operator:
        description: How the statistic is compared with the threshold.
        type: str
        choices: [GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
        default: GreaterThanThreshold
      statistic:
        description: The statistic; default C(Sum) for C(OperationsFailedReplication), C(Maximum) for the others.
        type: str
        choices: [Sum, Maximum, Average, Minimum, SampleCount]
      period:
        description: Seconds per evaluated period, a multiple of 60.
        type: int
        default: 300
      evaluation_periods:
        description: How many periods are evaluated.
        type: int
        default: 1
      alarm_actions:
        description: ARNs to notify when the alarm fires (an SNS topic of the same region).
        type: list
        elements: str
        default: []
      description:
        description: The alarm's description.
        type: str
        default: ""
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Alarm when rule all-objects fails to replicate an object, or lags by more than 15 minutes
  s3_crossaccount.replication.s3_replication_alarm:
    profile: prod
    region: us-east-1
    alarms:
      - name: s3-replication/stats-data-src/all-objects/failed-operations
        metric: OperationsFailedReplication
        source_bucket: stats-data-src
        destination_bucket: stats-data-tgt
        rule_id: all-objects
        threshold: 0
        alarm_actions: [arn:aws:sns:us-east-1:211258069784:replication-alerts]
      - name: s3-replication/stats-data-src/all-objects/latency
        metric: ReplicationLatency
        source_bucket: stats-data-src
        destination_bucket: stats-data-tgt
        rule_id: all-objects
        threshold: 900
        alarm_actions: [arn:aws:sns:us-east-1:211258069784:replication-alerts]

- name: Delete the latency alarm
  s3_crossaccount.replication.s3_replication_alarm:
    profile: prod
    region: us-east-1
    alarms:
      - name: s3-replication/stats-data-src/all-objects/latency
        state: absent
"""

RETURN = r"""
alarms:
  description: Names of the alarms present after the run (what they would be in check mode).
  returned: always
  type: list
  elements: str
  sample: [s3-replication/stats-data-src/all-objects/failed-operations]
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alarms


def main():
    run_module(alarms.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
