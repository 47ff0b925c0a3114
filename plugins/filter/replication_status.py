# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_status
short_description: The status report of playbooks/status.yml - per pair, how replication is doing now
version_added: 0.3.0
author:
  - s3_crossaccount.replication contributors
positional: host, results
description:
  - Given the status plan (the result of M(s3_crossaccount.replication.replication_plan) for C(playbooks/status.yml), which holds
    what was read in each account), O(host) and the loop results of M(s3_crossaccount.replication.s3_replication_status_info)
    of every account host, reports each pair of that host - one row per rule (failed operations, pending operations and bytes,
    the highest latency, the replication status of the newest objects), the doctor's verdict on the configuration, and the
    problems, each naming the rule and what to do (docs/monitoring.md).
  - Runs on the controller, offline.
options:
  _input:
    description: The status plan.
    type: dict
    required: true
  host:
    description: The host whose pairs to report.
    type: str
    required: true
  results:
    description: The registered loop results of M(s3_crossaccount.replication.s3_replication_status_info), of every account host (a list of them).
    type: list
    elements: raw
    required: true
"""

EXAMPLES = r"""
- name: Build the status report of this host's pairs
  ansible.builtin.set_fact:
    status: >-
      {{ hostvars.localhost.__replicate_plan
         | s3_crossaccount.replication.replication_status(inventory_hostname, groups.replication_accounts | map('extract', hostvars, '__status_read')) }}
"""

RETURN = r"""
_value:
  description: The report.
  type: dict
  contains:
    pairs:
      description: Per pair, its rows, sample, the doctor's verdict and problems.
      type: list
      elements: dict
    problems:
      description: The problems that fail the run, each naming the pair, the rule and what to do.
      type: list
      elements: str
      sample: ["pair localhost: rule all-objects: 3 operations failed to replicate in the last 3 h (OperationsFailedReplication); fix the cause first ..."]
    failed:
      description: Whether the run fails (a failing problem, or a warning with status_fail_on_warn).
      type: bool
    report:
      description: The readable table.
      type: str
"""

import datetime

from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import status as replication_status
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import DoctorError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain


def _replication_status(planned, host, results):
    loops = [item for registered in plain(results) if isinstance(registered, dict) for item in registered.get("results") or []]
    try:
        return replication_status.host_status(plain(planned), host, loops, datetime.datetime.now(datetime.timezone.utc))
    except (ValueError, DoctorError) as error:
        raise AnsibleFilterError(f"replication_status: {error}") from error


class FilterModule:
    def filters(self):
        return {"replication_status": _replication_status}
