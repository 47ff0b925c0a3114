# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_policies
short_description: Every policy document cross-account S3 replication of SSE-KMS objects needs
version_added: 0.1.0
author:
  - s3_crossaccount.replication contributors
description:
  - Derives, from one description of a source and a destination bucket, the replication role's trust
    policy and least-privilege identity policy, the destination bucket-policy statements, the
    destination and source key-policy statements, the KMS grant alternative, and the list of required
    permissions they are all built from.
  - The same required permissions drive the doctor, so the documents and the checks never disagree.
  - "Sids are a readable prefix plus the first 10 hex digits of the C(sha256) of C(ROLE_ARN + '|' + BUCKET), where
    BUCKET is the destination bucket for destination-side statements and the source bucket for
    source-side ones: stable across runs and unique per role and bucket, so fan-out and fan-in never collide."
  - "The encryption-context condition C(kms:EncryptionContext:aws:s3:arn) follows O(_input.source.bucket_key_enabled)
    and O(_input.destination.bucket_key_enabled): V(true) allows exactly the bucket ARN (StringEquals), V(false)
    the objects C(arn:aws:s3:::BUCKET/*) (StringLike), unset allows both (StringLike) and, on the destination,
    also adds C(kms:Decrypt)."
  - Raises an error naming the key and the fix when the description is invalid.
options:
  _input:
    description: The replication to describe.
    type: dict
    required: true
    suboptions:
      source:
        description:
          - The source bucket. Other keys (for example C(profile) or C(role_arn) from C(replication_source)) are ignored.
        type: dict
        required: true
        suboptions:
          account_id:
            description: The source account id, 12 digits (quote it in YAML).
            type: str
            required: true
          bucket:
            description: The source bucket name or ARN.
            type: str
            required: true
          kms_key_arn:
            description: Full ARN of the key that encrypts the source objects, in the source account and region.
            type: str
            required: true
          region:
            description: The source bucket's region.
            type: str
            required: true
          bucket_key_enabled:
            description:
              - Whether the source objects are encrypted with S3 Bucket Keys (encryption context = the bucket ARN).
              - Unset means unknown; both encryption contexts are then allowed.
            type: bool
      destination:
        description:
          - The destination bucket. Other keys (for example C(profile)) are ignored.
        type: dict
        required: true
        suboptions:
          account_id:
            description: The destination account id, 12 digits (quote it in YAML).
            type: str
            required: true
          bucket:
            description: The destination bucket name or ARN. It must differ from the source bucket.
            type: str
            required: true
          kms_key_arn:
            description: Full ARN of the customer-managed key for the replicas, in the destination account and region.
            type: str
            required: true
          region:
            description: The destination bucket's region.
            type: str
            required: true
          bucket_key_enabled:
            description:
              - Whether the destination uses S3 Bucket Keys; V(true) adds C(kms:Decrypt) on the destination key.
              - Unset means unknown; both encryption contexts and C(kms:Decrypt) are then allowed.
            type: bool
      role_name:
        description: Name of the replication role in the source account.
        type: str
        default: s3-replication-role
      role_path:
        description: IAM path of the replication role.
        type: str
        default: /
      owner_override:
        description:
          - Replicas change owner to the destination account (C(s3:ObjectOwnerOverrideToBucketOwner)).
          - The default is the playbooks' (C(replication_owner_override), docs/vars.md).
        type: bool
        default: true
      replicate_unencrypted_objects:
        description:
          - Unencrypted source objects replicate into the SSE-KMS destination, which needs C(kms:GenerateDataKey).
          - The default is the playbooks' (C(replication_replicate_unencrypted_objects), docs/vars.md).
        type: bool
        default: true
      object_lock:
        description: The source bucket uses Object Lock; adds C(s3:GetObjectRetention) and C(s3:GetObjectLegalHold).
        type: bool
        default: false
      trust_source_account_condition:
        description: Harden the trust policy with C(aws:SourceAccount) = the source account.
        type: bool
        default: false
      partition:
        description: The AWS partition of both accounts.
        type: str
        default: aws
        choices: [aws, aws-cn, aws-us-gov]
notes:
  - "KMS grant constraints compare the exact encryption context, so they can only be expressed when the
    destination uses Bucket Keys (the context is then the bucket ARN); otherwise C(destination_key_grant.constraints)
    is null and the key-policy statement, which also pins C(kms:ViaService), is the tighter choice."
  - The inline role policy is named per source and destination bucket pair, so one role replicating
    into several destinations keeps one policy per destination.
"""

EXAMPLES = r"""
- name: Describe the seed's replication
  ansible.builtin.set_fact:
    replication: "{{ spec | s3_crossaccount.replication.replication_policies }}"
  vars:
    spec:
      source:
        account_id: "211258069784"
        bucket: stats-data-src
        kms_key_arn: arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab
        region: us-east-1
        bucket_key_enabled: false
      destination:
        account_id: "880161310235"
        bucket: stats-data-tgt
        kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
        region: us-east-1
        bucket_key_enabled: true
      role_name: s3-replication-role
      owner_override: true
      replicate_unencrypted_objects: true

- name: Write the role's least-privilege inline policy
  amazon.aws.iam_policy:
    iam_type: role
    iam_name: s3-replication-role
    policy_name: "{{ replication.role_policy_name }}"
    policy_json: "{{ replication.role_policy | ansible.builtin.to_json }}"
"""

RETURN = r"""
_value:
  description: The documents and the permissions they grant.
  type: dict
  contains:
    role_arn:
      description: ARN of the replication role.
      type: str
      sample: arn:aws:iam::211258069784:role/s3-replication-role
    trust_policy:
      description: The role's trust policy (S3 may assume the role).
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role_policy_name:
      description: Name for the role's inline policy, unique per source and destination bucket.
      type: str
      sample: s3-crossaccount-replication-0a2d85d446
    role_policy:
      description: The role's identity policy (no Principal element).
      type: dict
      sample:
        Version: "2012-10-17"
        Statement:
          - Sid: S3ReplSourceBucket23724fd450
            Effect: Allow
            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"]
            Resource: arn:aws:s3:::stats-data-src
    destination_bucket_statements:
      description: Statements to merge (by Sid) into the destination bucket policy.
      type: list
      elements: dict
      sample:
        - Sid: S3ReplDestinationBucketfd03b07cca
          Effect: Allow
          Principal: {"AWS": "arn:aws:iam::211258069784:role/s3-replication-role"}
          Action: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"]
          Resource: arn:aws:s3:::stats-data-tgt
    destination_key_statement:
      description: Statement to merge into the destination key policy.
      type: dict
      sample:
        Sid: S3ReplDestinationKeyfd03b07cca
        Effect: Allow
        Principal: {"AWS": "arn:aws:iam::211258069784:role/s3-replication-role"}
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource: "*"
        Condition:
          StringEquals:
            kms:ViaService: s3.us-east-1.amazonaws.com
            kms:EncryptionContext:aws:s3:arn: arn:aws:s3:::stats-data-tgt
    destination_key_grant:
      description:
        - The KMS grant that can stand in for the destination key-policy statement.
        - C(constraints) is in the KMS API shape, or null when the encryption context cannot be pinned.
      type: dict
      sample:
        name: s3-crossaccount-replication-fd03b07cca
        grantee_principal: arn:aws:iam::211258069784:role/s3-replication-role
        operations: [Decrypt, Encrypt, GenerateDataKey]
        constraints: {"EncryptionContextSubset": {"aws:s3:arn": "arn:aws:s3:::stats-data-tgt"}}
    source_key_statement:
      description: Statement for the source key policy, needed only when that policy does not delegate to IAM.
      type: dict
      sample:
        Sid: S3ReplSourceKey23724fd450
        Effect: Allow
        Principal: {"AWS": "arn:aws:iam::211258069784:role/s3-replication-role"}
        Action: ["kms:Decrypt"]
        Resource: "*"
        Condition:
          StringEquals: {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
          StringLike: {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats-data-src/*"}
    required_permissions:
      description:
        - Every permission, once. C(principal) is an IAM Principal element, C(conditions) an IAM Condition block
          (empty when none), C(granted_by) the documents that must all grant it
          (C(trust_policy), C(identity), C(bucket_policy), C(key_policy); a grant may stand in for C(key_policy)).
        - Ids are C(assume-role), C(source-bucket), C(source-objects), C(destination-objects), C(destination-bucket),
          C(source-key), C(destination-key).
      type: list
      elements: dict
      sample:
        - id: destination-objects
          principal: {"AWS": "arn:aws:iam::211258069784:role/s3-replication-role"}
          actions: ["s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"]
          resources: ["arn:aws:s3:::stats-data-tgt/*"]
          conditions: {}
          granted_by: [identity, bucket_policy]
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import PolicySpecError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import replication_policies


def _replication_policies(spec):
    try:
        return replication_policies(plain(spec))
    except PolicySpecError as e:
        raise AnsibleFilterError(f"replication_policies: {e}") from e


class FilterModule:
    def filters(self):
        return {"replication_policies": _replication_policies}
