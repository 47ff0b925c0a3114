#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_status_info
short_description: Read how S3 replication is doing now, in the source account - rule metrics and the newest objects' status
version_added: 0.3.0
description:
  - The reading half of C(playbooks/status.yml) (docs/monitoring.md). Read-only.
  - For each rule of O(rules), the CloudWatch replication metrics of the last O(hours) hours (namespace C(AWS/S3), dimensions
    C(SourceBucket), C(DestinationBucket), C(RuleId)) - failed operations (sum), pending operations and bytes (latest),
    latency (maximum) - all rules in one C(GetMetricData) call (up to 125 rules per call). S3 publishes them only for rules
    with replication metrics, in the source bucket's region; a metric without data is returned as C(null).
  - For each bucket of O(samples), up to O(samples[].scan) object versions are listed under O(samples[].prefix) (C(ListObjectVersions),
    1,000 per call, in key order), and the O(samples[].size) newest of them are checked with C(HeadObject) for their
    replication status (C(x-amz-replication-status)), in parallel.
  - Run it with the source account's credentials, in the source bucket's region.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  rules:
    description: The rules whose metrics to read.
    type: list
    elements: dict
    default: []
    suboptions:
      source_bucket:
        description: The rule's source bucket.
        type: str
        required: true
      destination_bucket:
        description: The rule's destination bucket name.
        type: str
        required: true
      rule_id:
        description: The rule's ID.
        type: str
        required: true
  hours:
    description: How many hours back the metrics go (1 to 336).
    type: int
    default: 3
  samples:
    description: The source buckets whose newest object versions to check.
    type: list
    elements: dict
    default: []
    suboptions:
      bucket:
        description: The source bucket.
        type: str
        required: true
      prefix:
        description: List only keys with this prefix.
        type: str
        default: ""
      size:
        description: How many of the newest versions to check with C(HeadObject) (0 checks none).
        type: int
        default: 20
      scan:
        description: How many versions to list, at most, to find the newest.
        type: int
        default: 1000
  max_concurrency:
    description: How many C(HeadObject) calls run at the same time.
    type: int
    default: 8
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes.info
"""

EXAMPLES = r"""
- name: How replication of stats-data-src is doing
  s3_crossaccount.replication.s3_replication_status_info:
    profile: prod
    region: us-east-1
    hours: 3
    rules:
      - {source_bucket: stats-data-src, destination_bucket: stats-data-tgt, rule_id: all-objects}
    samples:
      - {bucket: stats-data-src, size: 20}
  register: status
"""

RETURN = r"""
metrics:
  description: Per rule (C(SOURCE|DESTINATION|RULE_ID)), the metrics over the window; C(null) where CloudWatch has no data.
  returned: always
  type: dict
  sample:
    stats-data-src|stats-data-tgt|all-objects:
      failed_operations: 3.0
      pending_operations: 0.0
      pending_bytes: 0.0
      latency_seconds: 41.0
      datapoints: 12
samples:
  description: Per bucket, the versions listed and the newest ones with their replication status (C(null) when the object has none).
  returned: always
  type: dict
  sample:
    stats-data-src:
      prefix: ""
      scanned: 240
      objects:
        - {key: reports/2026-11-30.csv, version_id: 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY, last_modified: "2026-11-30T10:00:00+00:00",
           replication_status: FAILED}
"""

import datetime

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import cloudwatch as aws_cloudwatch
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import status as replication_status
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.parallel import run_all
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module


def read_metrics(cloudwatch, rules, hours, now):
    if not rules:
        return {}
    queries = replication_status.metric_queries(rules, hours)
    points = aws_cloudwatch.get_metric_data(cloudwatch, queries, now - datetime.timedelta(hours=hours), now)
    return replication_status.metric_summary(rules, points)


def read_sample(s3, sample, max_concurrency):
    listed = aws_s3.newest_versions(s3, sample["bucket"], sample["prefix"], sample["scan"]) if sample["size"] else []
    chosen = replication_status.newest(listed, sample["size"])
    statuses = run_all(lambda item: aws_s3.replication_status(s3, sample["bucket"], item["key"], item["version_id"]), chosen, max_concurrency)
    objects = [dict(item, replication_status=status) for item, status in zip(chosen, statuses)]
    return {"prefix": sample["prefix"], "scanned": len(listed), "objects": objects}


def main():
    module = AnsibleS3CrossAccountModule(
        argument_spec=dict(
            rules=dict(type="list", elements="dict", default=[], options=dict(
                source_bucket=dict(type="str", required=True), destination_bucket=dict(type="str", required=True), rule_id=dict(type="str", required=True))),
            hours=dict(type="int", default=3),
            samples=dict(type="list", elements="dict", default=[], options=dict(
                bucket=dict(type="str", required=True), prefix=dict(type="str", default=""), size=dict(type="int", default=20),
                scan=dict(type="int", default=1000))),
            max_concurrency=dict(type="int", default=8),
        ),
        supports_check_mode=True,
    )
    end_module(module, lambda: read_status(module))


def read_status(module):
    params = module.params
    if not 1 <= params["hours"] <= 336:
        raise Refused(f"hours is {params['hours']}: give 1 to 336 (CloudWatch keeps these metrics at 5-minute resolution for 63 days)")
    now = datetime.datetime.now(datetime.timezone.utc)
    metrics = read_metrics(module.aws_client("cloudwatch"), params["rules"], params["hours"], now)
    samples = {sample["bucket"]: read_sample(module.aws_client("s3"), sample, max(1, params["max_concurrency"])) for sample in params["samples"]}
    return dict(changed=False, metrics=metrics, samples=samples)


if __name__ == "__main__":
    main()
