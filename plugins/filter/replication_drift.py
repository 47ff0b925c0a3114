# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_drift
short_description: Whether a write module would change a resource, judged from facts already read
version_added: 0.1.0
author:
  - s3_crossaccount.replication contributors
description:
  - Answers, from the facts of M(s3_crossaccount.replication.s3_replication_info), whether the write module standing for
    O(kind) would change anything with the given options, by running that module's own planning logic on the facts.
  - C(true) also when it cannot be ruled out (a read that failed, a missing resource, no facts); the module then runs
    and decides. C(false) only when the module would report no change.
  - playbooks/replicate.yml reads each account once and skips the write tasks that would change nothing, so a rerun
    on a converged setup starts no write module (docs/scaling.md).
options:
  _input:
    description:
      - The facts of the resource, one entry of the C(buckets), C(roles) or C(keys) result of
        M(s3_crossaccount.replication.s3_replication_info); C(null) means unknown.
    type: dict
    required: true
  kind:
    description:
      - Which write stands behind the question, and so which options apply.
      - V(bucket) (M(s3_crossaccount.replication.s3_replication_bucket)) takes O(versioning), O(encryption), O(object_ownership).
      - V(bucket_policy) (M(s3_crossaccount.replication.s3_bucket_policy_statement), state present) takes O(statements).
      - V(key_statement) (M(s3_crossaccount.replication.kms_key_grant) mode policy) takes O(sid), O(principals), O(operations),
        O(conditions), O(state).
      - V(key_grant) (M(s3_crossaccount.replication.kms_key_grant) mode grant) takes O(name), O(principals), O(operations),
        O(encryption_context_equals), O(encryption_context_subset), O(state).
      - V(role) (M(amazon.aws.iam_role)) takes O(trust_policy) and O(path); the role's description is not compared.
      - V(role_policy) (M(amazon.aws.iam_policy)) takes O(policy_name) and O(policy).
      - V(rules) (M(s3_crossaccount.replication.s3_replication_rule), once per rule in order) takes O(rules).
    type: str
    required: true
    choices: [bucket, bucket_policy, key_statement, key_grant, role, role_policy, rules]
  versioning:
    description: As the option of s3_replication_bucket.
    type: bool
  encryption:
    description: As the option of s3_replication_bucket (C(kms_key_arn), C(bucket_key_enabled)).
    type: dict
  object_ownership:
    description: As the option of s3_replication_bucket.
    type: str
  statements:
    description: As the option of s3_bucket_policy_statement.
    type: list
    elements: dict
  sid:
    description: As the option of kms_key_grant.
    type: str
  name:
    description: As the option of kms_key_grant (the grant's name).
    type: str
  principals:
    description: As the option of kms_key_grant.
    type: list
    elements: str
  operations:
    description: As the option of kms_key_grant.
    type: list
    elements: str
  conditions:
    description: As the option of kms_key_grant.
    type: dict
  encryption_context_equals:
    description: As the option of kms_key_grant.
    type: dict
  encryption_context_subset:
    description: As the option of kms_key_grant.
    type: dict
  state:
    description: As the option of kms_key_grant.
    type: str
    choices: [present, absent]
    default: present
  trust_policy:
    description: The role's wanted trust policy (C(assume_role_policy_document) of amazon.aws.iam_role).
    type: dict
  path:
    description: The role's IAM path.
    type: str
    default: /
  policy_name:
    description: The inline policy's name.
    type: str
  policy:
    description: The inline policy's wanted document.
    type: dict
  rules:
    description: The options of each s3_replication_rule call (C(id), C(role_arn), C(destination_bucket), ...), in order.
    type: list
    elements: dict
"""

EXAMPLES = r"""
- name: Enable versioning on the source bucket unless it already is
  s3_crossaccount.replication.s3_replication_bucket:
    name: stats-data-src
    versioning: true
  when: source_facts.buckets['stats-data-src'] | s3_crossaccount.replication.replication_drift('bucket', versioning=true)

- name: Merge the key-policy statement unless it is already there
  s3_crossaccount.replication.kms_key_grant:
    key_id: "{{ key_arn }}"
    sid: "{{ statement.Sid }}"
    principals: "{{ [statement.Principal.AWS] | flatten }}"
    operations: "{{ [statement.Action] | flatten }}"
    conditions: "{{ statement.Condition }}"
  when: >-
    destination_facts.keys[key_arn] | s3_crossaccount.replication.replication_drift('key_statement', sid=statement.Sid,
    principals=[statement.Principal.AWS] | flatten, operations=[statement.Action] | flatten, conditions=statement.Condition)
"""

RETURN = r"""
_value:
  description: C(true) when the write is needed or cannot be ruled out, C(false) when the module would change nothing.
  type: bool
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.replication_drift import DriftError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.replication_drift import drift


def _replication_drift(facts, kind, **options):
    try:
        return drift(plain(facts), str(kind), **plain(options))
    except DriftError as e:
        raise AnsibleFilterError(f"replication_drift: {e}") from e


class FilterModule:
    def filters(self):
        return {"replication_drift": _replication_drift}
