# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_rule_problems
short_description: What M(s3_crossaccount.replication.s3_replication_rule) would refuse in a list of rules, before any write
version_added: 0.1.0
author:
  - s3_crossaccount.replication contributors
description:
  - Runs the option checks of M(s3_crossaccount.replication.s3_replication_rule) on each rule to merge (C(state) present or
    unset), so a playbook can refuse bad rules before its first write instead of failing half-way.
  - Checks that need the bucket's current configuration (shared priorities with other teams' rules, role changes)
    stay with the module.
options:
  _input:
    description: The options of each s3_replication_rule call (C(id), C(priority), C(destination_bucket), ...).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse bad rules before any write
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ rule_options | s3_crossaccount.replication.replication_rule_problems }}"
"""

RETURN = r"""
_value:
  description: "One message per problem, C(rule 'ID': ...), naming the option and the fix; empty when every rule is valid."
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.replication_rules import rule_problems


def _replication_rule_problems(rules):
    rules = plain(rules)
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        raise AnsibleFilterError("replication_rule_problems: give a list of rule option dicts")
    return rule_problems(rules)


class FilterModule:
    def filters(self):
        return {"replication_rule_problems": _replication_rule_problems}
