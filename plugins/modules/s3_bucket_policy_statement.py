#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_bucket_policy_statement
short_description: Add or remove bucket-policy statements by Sid, keeping every other statement
version_added: 0.1.0
description:
  - C(PutBucketPolicy) replaces the whole bucket policy. This module reads the policy, merges the
    given statements into it by Sid (replacing a statement with the same Sid, appending new ones)
    and writes the result back, so statements other teams wrote survive.
  - With O(state=absent) only the statements with the given Sids are removed; when no statement is
    left the bucket policy is deleted.
  - Comparison is normalised the way S3 rewrites policies (account ids become root ARNs, lists are
    reordered, one-element lists become strings), so reruns report no change.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description:
      - The bucket name or its ARN (C(arn:aws:s3:::NAME)). The bucket must exist.
    type: str
    required: true
  statements:
    description:
      - The IAM policy statements, each with a unique Sid of letters and digits.
      - With O(state=present) each needs C(Effect), C(Principal) (or C(NotPrincipal)), C(Action) (or C(NotAction))
        and C(Resource) (or C(NotResource)); C(Condition) is optional.
      - With O(state=absent) only the C(Sid) of each statement is read.
    type: list
    elements: dict
    required: true
  state:
    description:
      - V(present) merges the statements in; V(absent) removes only the statements with these Sids.
    type: str
    choices: [present, absent]
    default: present
  merge_principals:
    description:
      - For a statement several runs share (one statement per action set, the principals listed, under one Sid).
      - With O(state=present) each statement's C(Principal.AWS) is joined with the principals the statement of the
        same Sid already names; the other elements are the given ones.
      - With O(state=absent) only the given statement's principals are taken out of the statement of that Sid,
        which goes when it names no principal any more; a statement given without C(Principal) is removed whole.
      - Principals that AWS shows as unique ids (C(AROA...)) in these statements, left by deleted roles, are
        dropped (with a warning), as they grant nothing and a role re-created with that name is another principal.
    type: bool
    default: false
    version_added: 0.3.0
  remove_sids:
    description:
      - Sids of statements removed in the same write, for example the per-role statements earlier versions wrote,
        replaced by a shared statement in O(statements). One C(PutBucketPolicy) writes both, so the principals never
        lose access in between.
      - A Sid in O(remove_sids) cannot be in O(statements) too.
    type: list
    elements: str
    default: []
    version_added: 0.3.0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Let the source account's replication role replicate into the destination bucket
  s3_crossaccount.replication.s3_bucket_policy_statement:
    bucket: stats-data-tgt
    statements:
      - Sid: ReplicationRoleObjects
        Effect: Allow
        Principal:
          AWS: arn:aws:iam::211258069784:role/s3-replication-role
        Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
        Resource: arn:aws:s3:::stats-data-tgt/*
      - Sid: ReplicationRoleVersioning
        Effect: Allow
        Principal:
          AWS: arn:aws:iam::211258069784:role/s3-replication-role
        Action: [s3:GetBucketVersioning, s3:PutBucketVersioning]
        Resource: arn:aws:s3:::stats-data-tgt

- name: Remove those statements again (other statements stay)
  s3_crossaccount.replication.s3_bucket_policy_statement:
    bucket: stats-data-tgt
    state: absent
    statements:
      - Sid: ReplicationRoleObjects
      - Sid: ReplicationRoleVersioning

- name: One statement for every source role (other runs add theirs), replacing a per-role statement
  s3_crossaccount.replication.s3_bucket_policy_statement:
    bucket: stats-data-tgt
    merge_principals: true
    remove_sids: [ReplicationRoleObjects]
    statements:
      - Sid: S3ReplObjects5d0c2a81f3
        Effect: Allow
        Principal:
          AWS: [arn:aws:iam::211258069784:role/s3-replication-role, arn:aws:iam::211258069784:role/other-role]
        Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
        Resource: arn:aws:s3:::stats-data-tgt/*

- name: Take one role out of the shared statement (the statement goes with its last principal)
  s3_crossaccount.replication.s3_bucket_policy_statement:
    bucket: stats-data-tgt
    state: absent
    merge_principals: true
    statements:
      - Sid: S3ReplObjects5d0c2a81f3
        Principal:
          AWS: arn:aws:iam::211258069784:role/other-role
"""

RETURN = r"""
policy:
  description: The whole bucket policy after the run (what it would be in check mode); null when the bucket has none.
  returned: always
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Sid: ReplicationRoleObjects
        Effect: Allow
        Principal: {AWS: arn:aws:iam::211258069784:role/s3-replication-role}
        Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
        Resource: arn:aws:s3:::stats-data-tgt/*
statements:
  description: The statements with the given Sids after the run (with O(state=absent), those still naming other principals).
  returned: always
  type: list
  elements: dict
  sample: []
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket_policy


def main():
    run_module(bucket_policy.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
