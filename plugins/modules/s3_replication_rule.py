#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_rule
version_added: 0.1.0
short_description: Manage one rule in an S3 bucket's replication configuration
description:
  - Creates, updates or removes one replication rule, identified by O(id), in the replication configuration of a source bucket;
    or several (O(rules)), merged in one write.
  - S3 replaces the whole configuration on every write, so the module reads it, merges the rule by ID and writes the whole
    configuration back. Every other rule is written back exactly as it was read.
  - Validates the rule and the merged configuration before any write and reports every problem at once, with the option to fix.
    The checks are S3's own admission rules (what PutBucketReplication refuses, and what S3 accepts but then fails on), listed
    with their sources in docs/s3-rules.md.
  - A rule that another tool wrote with the same meaning (a V1 rule, an empty C(Filter), a bucket name for its ARN) is left as it is.
  - Removing the last rule deletes the replication configuration.
  - After a write the module re-reads the configuration for a short, bounded time until S3 shows what was written
    (S3 configuration reads are eventually consistent).
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description: Name of the source bucket whose replication configuration holds the rule.
    type: str
    required: true
  id:
    description:
      - The rule ID (at most 255 characters); the key by which the rule is merged.
      - Required unless O(rules) is given.
    type: str
  rules:
    description:
      - Several rules, merged by ID into the configuration in one write, instead of O(id) and the rule options.
      - Each item takes the rule options of this module (O(id), O(state), O(status), O(priority), O(filter),
        O(destination_bucket) ...); O(role_arn) and O(replace_role) stay top-level, they belong to the configuration.
    type: list
    elements: dict
    suboptions:
      id:
        description: As O(id).
        type: str
        required: true
      state:
        description: As O(state), for this rule.
        type: str
        choices: [present, absent]
        default: present
      status:
        description: As O(status).
        type: str
        choices: [enabled, disabled]
        default: enabled
      priority:
        description: As O(priority).
        type: int
      filter:
        description: As O(filter).
        type: dict
        suboptions:
          prefix:
            description: As O(filter.prefix).
            type: str
          tags:
            description: As O(filter.tags).
            type: dict
      delete_marker_replication:
        description: As O(delete_marker_replication).
        type: bool
        default: false
      replica_modifications:
        description: As O(replica_modifications).
        type: bool
        default: false
      sse_kms_encrypted_objects:
        description: As O(sse_kms_encrypted_objects).
        type: bool
      existing_object_replication:
        description: As O(existing_object_replication).
        type: bool
        default: false
      destination_bucket:
        description: As O(destination_bucket).
        type: str
      destination_account:
        description: As O(destination_account).
        type: str
      destination_region:
        description: As O(destination_region).
        type: str
      storage_class:
        description: As O(storage_class).
        type: str
        choices: [STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, OUTPOSTS,
                  GLACIER_IR, SNOW, EXPRESS_ONEZONE, FSX_ONTAP, AWS_BACKUP_WARM, AWS_BACKUP_LOW_COST_WARM]
      owner_override:
        description: As O(owner_override).
        type: bool
        default: false
      replica_kms_key_arn:
        description: As O(replica_kms_key_arn).
        type: str
      replication_time_control:
        description: As O(replication_time_control).
        type: bool
        default: false
      metrics:
        description: As O(metrics).
        type: bool
      metrics_event_threshold_minutes:
        description: As O(metrics_event_threshold_minutes).
        type: int
      replication_time_minutes:
        description: As O(replication_time_minutes).
        type: int
        default: 15
  state:
    description:
      - V(present) creates or updates the rule; V(absent) removes only this rule.
    type: str
    choices: [present, absent]
    default: present
  role_arn:
    description:
      - ARN of the IAM role S3 assumes to replicate; it belongs to the configuration, so it applies to every rule.
      - Required when the bucket has no replication configuration yet. When unset, the configuration's current role is kept.
    type: str
  replace_role:
    description:
      - Allow O(role_arn) to change the configuration's role when other rules exist (the role applies to them too).
      - Without it, a different O(role_arn) is refused when other rules exist.
    type: bool
    default: false
  status:
    description: Whether the rule is active.
    type: str
    choices: [enabled, disabled]
    default: enabled
  priority:
    description:
      - The rule's priority; every rule of the configuration needs a distinct one.
      - Default is the existing rule's priority, else one above the highest priority of the other rules (V(1) when there is none).
    type: int
  filter:
    description:
      - Which objects the rule replicates. Default is every object.
    type: dict
    suboptions:
      prefix:
        description: Key name prefix.
        type: str
      tags:
        description: Object tags that must all match (tag key to value).
        type: dict
  delete_marker_replication:
    description:
      - Replicate delete markers. S3 refuses V(true) for a rule with a tag filter.
    type: bool
    default: false
  replica_modifications:
    description: Replicate metadata changes made to replicas (bidirectional replication).
    type: bool
    default: false
  sse_kms_encrypted_objects:
    description:
      - Replicate objects encrypted with SSE-KMS; needs O(replica_kms_key_arn).
      - Default is V(true) when O(replica_kms_key_arn) is set, else V(false). S3 takes the selection and the replica key only
        together, so V(false) with O(replica_kms_key_arn) is refused.
    type: bool
  existing_object_replication:
    description:
      - Replicate objects that existed before the rule. Only accounts where AWS Support enabled it accept this (the module warns
        when it writes it); S3 Batch Replication is the general way to copy existing objects.
    type: bool
    default: false
  destination_bucket:
    description: Name or ARN (V(arn:aws:s3:::NAME)) of the destination bucket. Required when O(state=present).
    type: str
  destination_account:
    description: Account id (12 digits) owning the destination bucket. Required by O(owner_override=true).
    type: str
  destination_region:
    description:
      - Region of the destination bucket. When set, O(replica_kms_key_arn) must be a key in this region.
    type: str
  storage_class:
    description:
      - Storage class of the replicas. Default is the source object's storage class.
      - V(FSX_OPENZFS) is left out, S3 does not replicate into it.
    type: str
    choices:
      - STANDARD
      - REDUCED_REDUNDANCY
      - STANDARD_IA
      - ONEZONE_IA
      - INTELLIGENT_TIERING
      - GLACIER
      - DEEP_ARCHIVE
      - OUTPOSTS
      - GLACIER_IR
      - SNOW
      - EXPRESS_ONEZONE
      - FSX_ONTAP
      - AWS_BACKUP_WARM
      - AWS_BACKUP_LOW_COST_WARM
  owner_override:
    description:
      - Make the destination account the owner of the replicas (AccessControlTranslation Owner=Destination).
        Needs O(destination_account).
    type: bool
    default: false
  replica_kms_key_arn:
    description:
      - Full ARN of the symmetric customer managed KMS key, in the destination bucket's region, that encrypts the replicas.
      - Aliases, bare key ids and the AWS managed key aws/s3 are refused (they do not work across accounts).
    type: str
  replication_time_control:
    description:
      - Enable S3 Replication Time Control (RTC). S3 requires metrics with it, so it writes C(Metrics) with the 15-minute
        C(EventThreshold) too; O(metrics=false) with it is refused.
    type: bool
    default: false
  metrics:
    description:
      - Enable replication metrics and events. Without O(replication_time_control) the rule gets C(Metrics) with C(Status) Enabled
        and no event threshold (S3 refuses a threshold without Replication Time Control).
      - Default is the value of O(replication_time_control).
    type: bool
  metrics_event_threshold_minutes:
    description:
      - Threshold of the replication metrics event (C(Metrics.EventThreshold)); 15 is the only value S3 accepts.
      - It belongs to Replication Time Control. When unset, 15 is written with O(replication_time_control=true) and nothing without it;
        a value given while O(replication_time_control=false) is refused before any write.
    type: int
  replication_time_minutes:
    description: Replication Time Control time; 15 is the only value S3 accepts.
    type: int
    default: 15
notes:
  - S3's rules for a replication configuration, their sources and what the module does about each (refused with the message
    quoted, or completed from a default) are in docs/s3-rules.md of the collection.
  - Source bucket versioning must be Enabled, and so must the destination bucket's; the module does not read it (the function
    C(estate_problems) of C(module_utils/s3/admission.py) checks it on M(s3_crossaccount.replication.s3_replication_info)'s facts).
  - The role needs the permissions and the destination account's bucket policy and key policy must admit it;
    S3 accepts a rule with a wrong key or role and then fails object by object.
seealso:
  - ref: ansible_collections.s3_crossaccount.replication.docsite.s3-rules
    description: What S3 accepts in a replication configuration, rule by rule, and what the module does about each.
  - ref: ansible_collections.s3_crossaccount.replication.docsite.vars
    description: The variables of the playbooks; C(replication_rules) takes the fields of O(rules).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Replicate SSE-KMS encrypted objects to another account, replicas owned by that account
  s3_crossaccount.replication.s3_replication_rule:
    profile: prod
    bucket: stats-data-src
    id: stats-to-analytics
    role_arn: arn:aws:iam::211258069784:role/s3-replication-role
    destination_bucket: stats-data-tgt
    destination_account: "880161310235"
    destination_region: us-east-1
    owner_override: true
    replica_kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321

- name: Replicate one prefix with tags, Replication Time Control and a cheaper storage class
  s3_crossaccount.replication.s3_replication_rule:
    bucket: stats-data-src
    id: reports
    priority: 5
    filter:
      prefix: reports/
      tags:
        classification: shared
    storage_class: STANDARD_IA
    replication_time_control: true
    destination_bucket: arn:aws:s3:::stats-data-tgt
    destination_account: "880161310235"
    replica_kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321

- name: Remove only this rule (the last rule removed deletes the configuration)
  s3_crossaccount.replication.s3_replication_rule:
    bucket: stats-data-src
    id: reports
    state: absent
"""

RETURN = r"""
rule:
  description: The managed rule as written (S3 API shape); null when it is absent.
  returned: when O(id) is given
  type: dict
  sample:
    ID: stats-to-analytics
    Priority: 1
    Status: Enabled
    Filter: {Prefix: ""}
    DeleteMarkerReplication: {Status: Disabled}
    SourceSelectionCriteria: {SseKmsEncryptedObjects: {Status: Enabled}}
    Destination:
      Bucket: arn:aws:s3:::stats-data-tgt
      Account: "880161310235"
      AccessControlTranslation: {Owner: Destination}
      EncryptionConfiguration: {ReplicaKmsKeyID: "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"}
configuration:
  description: The bucket's whole replication configuration after the task (S3 API shape); empty when there is none.
  returned: always
  type: dict
  sample:
    Role: arn:aws:iam::211258069784:role/s3-replication-role
    Rules:
      - ID: stats-to-analytics
        Priority: 1
        Status: Enabled
        Filter: {Prefix: ""}
        DeleteMarkerReplication: {Status: Disabled}
        Destination: {Bucket: "arn:aws:s3:::stats-data-tgt"}
rules:
  description: Each managed rule after the task (null for an absent one), in the order given.
  returned: always
  type: list
  elements: dict
diff:
  description: The whole configuration before and after; the header names the account and bucket, and says when the role change affects other rules.
  returned: always
  type: dict
  sample:
    before_header: "account 211258069784: s3://stats-data-src (replication configuration)"
    after_header: "account 211258069784: s3://stats-data-src (replication configuration)"
    before: {}
    after: {Role: "arn:aws:iam::211258069784:role/s3-replication-role", Rules: []}
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import replication


def main():
    run_module(replication.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
