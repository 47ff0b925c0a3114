# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_canary_verdict
short_description: The verdict of a canary run (playbooks/verify.yml) from the source and the replica checks
version_added: 0.2.0
author:
  - s3_crossaccount.replication contributors
description:
  - Combines what M(s3_crossaccount.replication.s3_replication_canary) returned for the canary in the source bucket and
    for its replica in the destination bucket into C(ok) and one message naming the buckets, what failed and the usual causes.
options:
  _input:
    description: The canary of the plan (C(source) and C(destination) options, C(keep_canary)).
    type: dict
    required: true
  canary:
    description: The registered result of the source-side canary task.
    type: dict
    required: true
  replica:
    description: The registered result of the replica check (skipped in check mode).
    type: dict
"""

EXAMPLES = r"""
- name: Report the result
  ansible.builtin.assert:
    that: verdict.ok
    fail_msg: "{{ verdict.message }}"
    success_msg: "{{ verdict.message }}"
  vars:
    verdict: "{{ canary_plan | s3_crossaccount.replication.replication_canary_verdict(canary_result, replica_result) }}"
"""

RETURN = r"""
_value:
  description: C(ok) and C(message).
  type: dict
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.canary import run_verdict
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain


def _replication_canary_verdict(planned, canary, replica=None):
    planned = plain(planned)
    return run_verdict(planned["source"], planned["destination"], plain(canary), plain(replica or {}), planned.get("keep_canary"))


class FilterModule:
    def filters(self):
        return {"replication_canary_verdict": _replication_canary_verdict}
