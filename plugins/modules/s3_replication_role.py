#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_role
short_description: The S3 replication role, its trust in Amazon S3 and its inline policies, merged with what is there
version_added: 0.2.0
description:
  - Creates or updates the IAM role Amazon S3 assumes to replicate (O(state=present)), with its trust policy, description and
    the inline policies listed in O(inline_policies). Every inline policy not listed, and every attached managed policy, is left alone.
  - The trust statements for the service principals that O(trust_policy) names (C(s3.amazonaws.com), and
    C(batchoperations.s3.amazonaws.com) for Batch Replication) are replaced by O(trust_policy)'s; every other trust
    statement (another service, another team's principal) is kept.
  - With O(state=absent), removes the listed inline policies and then the role itself, unless something else is left on it
    (inline policies this task did not list, attached managed policies) or O(kept_because) names a reason; the reason is reported.
  - IAM cannot move a role to another path, so a role that exists under another path is refused with the fix.
  - Diffs show the role's path, description, trust policy and inline policies; a new role shows as a diff from nothing.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  name:
    description: The role's name.
    type: str
    required: true
  state:
    description: V(present) creates or updates the role; V(absent) removes the listed policies, and the role when nothing else is on it.
    type: str
    choices: [present, absent]
    default: present
  path:
    description: The role's IAM path (it cannot change once the role exists).
    type: str
    default: /
  description:
    description: The role's description; default keeps the current one (empty for a new role).
    type: str
  trust_policy:
    description:
      - The trust statements this collection manages, for example C(s3.amazonaws.com) may assume the role. Required with O(state=present).
    type: dict
  inline_policies:
    description: The inline policies to put (O(inline_policies[].state=present)) or delete.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The inline policy's name.
        type: str
        required: true
      policy:
        description: The policy document (an identity policy, without Principal). Required with O(inline_policies[].state=present).
        type: dict
      state:
        description: V(present) puts the document when it differs; V(absent) deletes the inline policy.
        type: str
        choices: [present, absent]
        default: present
      merge:
        description:
          - For an inline policy several runs share (the one packed policy of a role used by pairs of several vars files).
          - With V(present), the policy written grants exactly what O(inline_policies[].policy) and the role's current policy of
            that name grant together, packed (statements grouped by actions, resources and encryption contexts listed).
          - With V(absent) (or O(state=absent)) and O(inline_policies[].policy), only that document's grants are taken out of the
            policy, which is deleted when it grants nothing more; a role whose policy still grants others' pairs is kept.
          - Puts are made before deletes, so a policy that replaces others listed as V(absent) in the same task is in place
            before they go.
        type: bool
        default: false
        version_added: 0.3.0
  kept_because:
    description:
      - With O(state=absent), reasons the caller found to keep the role whatever else is on it (for example replication rules
        that still use it); the role is then kept and the reasons reported.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: The replication role, trusted by Amazon S3, with one least-privilege inline policy
  s3_crossaccount.replication.s3_replication_role:
    profile: prod
    name: s3-replication-role
    description: Assumed by Amazon S3 to replicate S3 buckets to other accounts
    trust_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: s3.amazonaws.com}
          Action: sts:AssumeRole
    inline_policies:
      - name: s3-crossaccount-replication-e4fb6edca3
        policy: "{{ documents.role_policy }}"

- name: Remove our inline policy, and the role when nothing else is on it
  s3_crossaccount.replication.s3_replication_role:
    profile: prod
    name: s3-replication-role
    state: absent
    inline_policies:
      - name: s3-crossaccount-replication-e4fb6edca3
        state: absent
"""

RETURN = r"""
role:
  description: The role after the task (what it would be in check mode); null when it was deleted.
  returned: always
  type: dict
  sample:
    name: s3-replication-role
    arn: arn:aws:iam::211258069784:role/s3-replication-role
    exists: true
    path: /
    description: Assumed by Amazon S3 to replicate S3 buckets to other accounts
    trust_policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    inline_policies: {"s3-crossaccount-replication-e4fb6edca3": {"Version": "2012-10-17", "Statement": []}}
kept_because:
  description: With O(state=absent), why the role was kept (empty when it was deleted or did not exist).
  returned: when O(state=absent)
  type: list
  elements: str
  sample: ["rules other-team-archive of stats-data-src still replicate with it"]
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import role


def main():
    run_module(role.WRITER, AnsibleS3CrossAccountModule)


if __name__ == "__main__":
    main()
