#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_bucket
version_added: 0.1.0
short_description: Make an S3 bucket ready for replication, with check mode
description:
  - Makes sure an S3 bucket exists in the account of the credentials used, and sets what replication needs from it,
    namely versioning, default encryption with a customer managed KMS key (SSE-KMS) and object ownership.
  - Every attribute whose option is unset is left alone, so the module can enable versioning on a source bucket
    without touching the encryption or ownership another team chose for it.
  - The module only reads what it reports and writes what differs; C(--check) writes nothing and C(--diff) shows
    the bucket before and after, including a bucket that would be created.
  - Every S3 call names the caller's account as the expected bucket owner, so a bucket of the same name in another
    account is never changed.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  name:
    description:
      - Name of the bucket.
    type: str
    required: true
  create:
    description:
      - Create the bucket in O(region) when it does not exist (with a LocationConstraint outside us-east-1).
      - When V(false) and the bucket does not exist, the module fails before writing anything.
    type: bool
    default: false
  versioning:
    description:
      - V(true) enables versioning, which replication needs on both buckets.
      - V(false) suspends versioning on a versioned bucket; it is a no-op on a bucket that was never versioned.
        Suspending is refused while the bucket has a replication configuration, because S3 forbids it.
      - Unset leaves versioning alone.
    type: bool
  encryption:
    description:
      - Default encryption of the bucket with SSE-KMS.
      - Setting it replaces the bucket's default encryption configuration (S3 keeps one rule).
      - Unset leaves the bucket's default encryption alone.
    type: dict
    suboptions:
      kms_key_arn:
        description:
          - Full ARN of a symmetric customer managed KMS key in the bucket's region, C(arn:aws:kms:REGION:ACCOUNT:key/KEY_ID).
          - Key ids and aliases are refused; the key may belong to another account.
        type: str
        required: true
      bucket_key_enabled:
        description:
          - Use an S3 Bucket Key, which cuts KMS requests; KMS then sees the bucket ARN, not the object ARN,
            as encryption context.
        type: bool
        default: true
  object_ownership:
    description:
      - Object ownership controls of the bucket.
      - V(BucketOwnerEnforced) disables ACLs and makes the bucket owner own every object, including replicas.
      - Unset leaves the ownership controls alone.
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
notes:
  - In check mode, for a bucket that would be created, the attributes whose options are unset show the defaults
    S3 gives new buckets (no versioning, SSE-S3, V(BucketOwnerEnforced)).
  - Permissions used are s3:ListBucket (HeadBucket), s3:GetBucketVersioning, s3:GetEncryptionConfiguration,
    s3:GetBucketOwnershipControls, s3:GetReplicationConfiguration (only to suspend versioning), s3:CreateBucket,
    s3:PutBucketVersioning, s3:PutEncryptionConfiguration, s3:PutBucketOwnershipControls and sts:GetCallerIdentity.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Destination bucket, ready to receive SSE-KMS replicas
  s3_crossaccount.replication.s3_replication_bucket:
    name: stats-data-tgt
    create: true
    versioning: true
    encryption:
      kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
      bucket_key_enabled: true
    object_ownership: BucketOwnerEnforced
    profile: analytics
    region: us-east-1

- name: Source bucket, versioning only; its encryption and ownership stay as they are
  s3_crossaccount.replication.s3_replication_bucket:
    name: stats-data-src
    versioning: true
    profile: prod
    region: us-east-1
  register: source_bucket

- name: Show how the source bucket encrypts by default
  ansible.builtin.debug:
    msg: "{{ source_bucket.bucket.encryption }}"
"""

RETURN = r"""
bucket:
  description:
    - The bucket after the task; in check mode, as it would be.
  returned: success
  type: dict
  contains:
    name:
      description: Name of the bucket.
      type: str
      sample: stats-data-tgt
    exists:
      description:
        - Whether the bucket exists now. V(false) only in check mode for a bucket that would be created;
          the other keys then show the bucket that would exist.
      type: bool
      sample: true
    region:
      description: Region of the bucket.
      type: str
      sample: us-east-1
    versioning:
      description: Versioning status; V(Disabled) for a bucket that was never versioned.
      type: str
      sample: Enabled
    encryption:
      description: Default encryption of the bucket, V(null) when it has none.
      type: dict
      contains:
        algorithm:
          description: SSE algorithm, V(aws:kms), V(aws:kms:dsse) or V(AES256) (SSE-S3).
          type: str
          sample: aws:kms
        kms_key_arn:
          description:
            - The key as an ARN (a key id or alias S3 holds is expanded in the bucket's account and region);
              V(null) for SSE-S3 or the AWS managed key.
          type: str
          sample: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
        bucket_key_enabled:
          description: Whether S3 Bucket Keys are on (KMS then sees the bucket ARN as encryption context).
          type: bool
          sample: true
    object_ownership:
      description: Object ownership rule, V(null) when the bucket has no ownership controls.
      type: str
      sample: BucketOwnerEnforced
diff:
  description: The bucket before and after, as in RV(bucket); before is C({name, exists=false}) for a bucket to be created.
  returned: success
  type: dict
  contains:
    before:
      description: The bucket before the task.
      type: dict
      sample: {"name": "stats-data-tgt", "exists": false}
    after:
      description: The bucket after the task (in check mode, as it would be).
      type: dict
      sample: {"name": "stats-data-tgt", "exists": true, "region": "us-east-1", "versioning": "Enabled",
               "encryption": {"algorithm": "aws:kms", "bucket_key_enabled": true,
                              "kms_key_arn": "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"},
               "object_ownership": "BucketOwnerEnforced"}
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket


def main():
    run_module(bucket.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
