# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_credentials
short_description: The module defaults (amazon.aws auth options) of each account of a replication plan
version_added: 0.2.0
author:
  - s3_crossaccount.replication contributors
description:
  - Turns the accounts of a plan (M(s3_crossaccount.replication.replication_plan)) and the results of an
    M(amazon.aws.sts_assume_role) loop over them into, per account key, the options every module of the
    collection takes (C(profile), or the assumed role's C(access_key), C(secret_key), C(session_token); and C(region)).
  - An account whose role could not be assumed maps to C(failed) with the message.
options:
  _input:
    description: The accounts, items of the plan's C(accounts).
    type: list
    elements: dict
    required: true
  assumed:
    description: The registered result of the sts_assume_role loop over the same accounts (C(results) or the whole result).
    type: raw
"""

EXAMPLES = r"""
- name: Keep each account's credentials for the module defaults of the plays
  ansible.builtin.set_fact:
    account_aws: "{{ __replicate_worker.accounts | s3_crossaccount.replication.replication_credentials(assumed) }}"
  no_log: true
"""

RETURN = r"""
_value:
  description: Per account key (C(ACCOUNT/REGION)), the module options.
  type: dict
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.credentials import module_defaults
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain


def _replication_credentials(accounts, assumed=None):
    results = (assumed or {}).get("results", []) if isinstance(assumed, dict) else assumed
    return module_defaults(plain(results or []), plain(accounts))


class FilterModule:
    def filters(self):
        return {"replication_credentials": _replication_credentials}
