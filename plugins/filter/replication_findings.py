# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_findings
short_description: Diagnose cross-account S3 replication from facts gathered in both accounts
version_added: 0.1.0
author:
  - s3_crossaccount.replication contributors
positional: spec
description:
  - Given a replication plan (the result of M(s3_crossaccount.replication.replication_plan) for C(playbooks/doctor.yml),
    which holds what was read in each account) and O(host), diagnoses every pair of that host; a host with several
    pairs (fan-out) gets one report per pair and the findings carry the pair's name.
  - With C(replication_two_way), each direction is diagnosed as a pair of its own (the reverse one named C(PAIR (reverse)),
    with the destination account as its source); every finding then carries C(direction) (V(forward) or V(reverse)), and
    the reverse direction's messages name the user's variables (its source is C(replication_destination)).
  - The evaluation half of the replication doctor (C(playbooks/doctor.yml), docs/doctor.md). It runs on the
    controller, offline, on what M(s3_crossaccount.replication.s3_replication_info) read in each account.
  - Evaluates the permissions the replication role needs (the policy model's required permissions, as
    R(replication_policies,ansible_collections.s3_crossaccount.replication.replication_policies_filter)
    derives them) the way AWS does for the role's requests, and checks buckets, the replication
    configuration, keys, ownership and policy content.
  - Every finding has a stable C(id), a C(status) (V(ok), V(warn), V(fail)), the account and resource, a
    message and the fix. Conditions the evaluator cannot evaluate give a warning, never a silent pass.
options:
  _input:
    description:
      - C(source) and C(destination), each the return value of M(s3_crossaccount.replication.s3_replication_info)
        run with that account's credentials; or a replication plan with O(host).
    type: dict
    required: true
  host:
    description: With a plan as input, the host whose pairs to diagnose.
    type: str
  spec:
    description:
      - The replication as the policy model describes it (the input of
        R(replication_policies,ansible_collections.s3_crossaccount.replication.replication_policies_filter)).
      - Bucket Key settings, owner override, Object Lock and the replica key are taken from the accounts when they can be read.
    type: dict
  rule_ids:
    description: Ids of replication rules that must exist, be enabled and replicate to the destination bucket.
    type: list
    elements: str
    default: []
  show_ok:
    description: Include the findings that are ok in C(report) (C(findings) always holds them all).
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Diagnose the replication
  ansible.builtin.set_fact:
    doctor: "{{ {'source': source_facts, 'destination': destination_facts}
                | s3_crossaccount.replication.replication_findings(spec, rule_ids=['all-objects']) }}"

- name: Show the report
  ansible.builtin.debug:
    msg: "{{ doctor.report.splitlines() }}"
"""

RETURN = r"""
_value:
  description: The diagnosis.
  type: dict
  contains:
    status:
      description: The worst status of the findings that are problems (V(warn), V(fail)); V(ok) when there is none (V(info) findings do not count).
      type: str
      sample: fail
    summary:
      description: Number of findings per status.
      type: dict
      sample: {"ok": 31, "info": 1, "warn": 2, "fail": 1}
    findings:
      description: Every finding, in check order.
      type: list
      elements: dict
      sample:
        - id: destination-key.key-policy
          status: fail
          side: destination
          account: "880161310235"
          resource: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
          message: the key policy (or a grant) does not allow kms:Encrypt
          fix: add a key-policy statement (or a grant) allowing kms:Decrypt, kms:Encrypt to arn:aws:iam::211258069784:role/s3-replication-role
    report:
      description: The findings as readable text, grouped by account, failures first.
      type: str
      sample: "Replication doctor: FAIL (1 fail, 2 warn, 1 info, 31 ok)"
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import DoctorError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import combine
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import diagnose
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import diagnose_pair
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import planned_pairs
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import render
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain


def _replication_findings(facts, spec=None, rule_ids=None, show_ok=True, host=None):
    try:
        if host is not None:
            results = [(entry["pair"], diagnose_pair(entry)) for entry in planned_pairs(plain(facts), host)]
            return combine(results, show_ok)
        if spec is None:
            raise DoctorError("give the replication spec, or a plan and host")
        result = diagnose(plain(facts), plain(spec), rule_ids)
    except DoctorError as e:
        raise AnsibleFilterError(f"replication_findings: {e}") from e
    result["report"] = render(result, show_ok=show_ok)
    return result


class FilterModule:
    def filters(self):
        return {"replication_findings": _replication_findings}
