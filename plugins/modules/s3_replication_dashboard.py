#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_dashboard
short_description: A CloudWatch dashboard of the replication metrics of S3 replication rules
version_added: 0.4.0
description:
  - "Puts the CloudWatch dashboard O(name) in the account of the credentials - a text widget (what the graphs mean, the runbook,
    and the marker C(managed-by: s3_crossaccount.replication)), then, per item of O(rules), one row of four graphs of the rule's
    replication metrics - C(OperationsFailedReplication) (Sum), C(OperationsPendingReplication), C(BytesPendingReplication) and
    C(ReplicationLatency) (Maximum), namespace C(AWS/S3), dimensions C(SourceBucket), C(DestinationBucket), C(RuleId), per 5 minutes."
  - S3 publishes these metrics only for rules with replication metrics enabled (C(Metrics) C(Status=Enabled)), in the source bucket's region.
  - The body is compared, as data, with what C(GetDashboard) answers; it is written (C(PutDashboard), which replaces the whole dashboard) only when it differs.
  - A dashboard of the same name without the marker in a text widget belongs to someone else - the module fails naming it and writes nothing;
    O(state=absent) keeps it and warns.
  - Dashboards belong to the account, not to a region.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  name:
    description: The dashboard's name - 1 to 255 letters, digits, hyphens and underscores.
    type: str
    required: true
  state:
    description: V(present) creates or updates the dashboard; V(absent) deletes it when it is ours.
    type: str
    choices: [present, absent]
    default: present
  rules:
    description: The rules whose metrics the dashboard graphs, one row each in this order (at most 124). Required with O(state=present).
    type: list
    elements: dict
    default: []
    suboptions:
      source_bucket:
        description: The rule's source bucket (dimension C(SourceBucket)).
        type: str
        required: true
      destination_bucket:
        description: The rule's destination bucket name (dimension C(DestinationBucket)).
        type: str
        required: true
      rule_id:
        description: The rule's ID (dimension C(RuleId)).
        type: str
        required: true
      region:
        description: The source bucket's region, where S3 publishes the metrics; default the module's region.
        type: str
  runbook_url:
    description: A link to the runbook for the text widget; default the text names C(docs/monitoring.md#the-replication-dashboard) of this collection.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Dashboard of rule all-objects of stats-data-src
  s3_crossaccount.replication.s3_replication_dashboard:
    profile: prod
    region: us-east-1
    name: s3-replication-stats-data-src
    rules:
      - source_bucket: stats-data-src
        destination_bucket: stats-data-tgt
        rule_id: all-objects

- name: Delete it (only when it is ours)
  s3_crossaccount.replication.s3_replication_dashboard:
    profile: prod
    region: us-east-1
    name: s3-replication-stats-data-src
    state: absent
"""

RETURN = r"""
name:
  description: The dashboard's name.
  returned: always
  type: str
  sample: s3-replication-stats-data-src
url:
  description: The dashboard's page in the CloudWatch console.
  returned: with O(state=present)
  type: str
  sample: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/s3-replication-stats-data-src
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import dashboard


def main():
    run_module(dashboard.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
