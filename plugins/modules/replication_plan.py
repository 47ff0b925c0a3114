#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: replication_plan
short_description: Plan a replication run - check every pair's variables, find the accounts, decide the writes
version_added: 0.2.0
description:
  - Runs on the controller (an action plugin; no AWS call, no module process). The playbooks of the collection call it
    twice, with C(run_once).
  - O(stage=variables), run on every pair host, returns the host's variables of the collection's prefixes as its tasks see
    them (inventory, play and extra vars); O(stage=pairs) reads what each play host registered as C(__replicate_variables).
  - O(stage=pairs) checks the public variables (docs/vars.md) of every host of the play, or the given O(variables),
    applies every default, builds the pairs (one per destination), refuses pairs that cannot work (each problem names
    the variable and the fix; unknown variables of the collection's prefixes are refused with the closest valid name),
    and lists the accounts to read, one per account id and region, with their credentials and the buckets, roles and
    keys of every pair in them. C(add_hosts) are the hosts that do each account's work (group C(replication_accounts)).
  - O(stage=writes) takes that plan and what M(s3_crossaccount.replication.s3_replication_info) read in each account,
    refuses the pairs whose accounts cannot work (credentials of another account, an unusable key, a missing source
    bucket), and returns per phase and per account the writes for M(s3_crossaccount.replication.s3_replication_apply),
    each document once, merged over every pair that shares it, and only the writes the module's own planning says
    would change something.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  stage:
    description: Which stage of the plan.
    type: str
    choices: [variables, pairs, writes]
    default: pairs
  playbook:
    description: The playbook the plan is for; it decides what is read (the doctor reads every attribute).
    type: str
    choices: [replicate, doctor, teardown, backfill, verify, status]
    default: replicate
  variables:
    description:
      - O(stage=pairs) only. One pair's public variables (C(replication_source), ...) instead of those of every play
        host; the roles pass their own variables this way.
    type: dict
  plan:
    description: O(stage=writes) only. The result of O(stage=pairs).
    type: dict
  reads:
    description:
      - O(stage=writes) only. Per account key (C(ACCOUNT/REGION)) what s3_replication_info returned in that account.
      - Default is gathered from the registered loop result named O(reads_var) of every worker host of the plan.
    type: dict
  reads_var:
    description: The variable the worker hosts registered their reads in.
    type: str
    default: __replicate_read
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: It reads and writes nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details: It changes nothing.
  idempotent:
    description: When run twice in a row outside check mode, the second run reports no change.
    support: full
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details: The plan is made on the controller.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
notes:
  - The planner is C(plugins/module_utils/planner/); its unit tests document every decision.
"""

EXAMPLES = r"""
- name: Check every pair's variables and plan the accounts to read
  s3_crossaccount.replication.replication_plan:
    playbook: replicate
  run_once: true
  register: pairs_plan

- name: Plan the writes from what each account holds
  s3_crossaccount.replication.replication_plan:
    stage: writes
    plan: "{{ pairs_plan }}"
  run_once: true
  register: writes_plan
"""

RETURN = r"""
variables:
  description: O(stage=variables). The host's variables of the collection's prefixes (C(replication_), C(doctor_), C(status_)).
  returned: when stage is variables
  type: dict
pairs:
  description: The pairs that go on, with every default applied and their policy documents.
  returned: when stage is pairs or writes
  type: list
  elements: dict
refused:
  description: Per host, the problems that refuse its pairs (each names the variable and the fix).
  type: dict
  sample: {"stats": ["replication_destination.kms_key_arn arn:aws:kms:...: no such key in account 880161310235; ..."]}
  returned: when stage is pairs or writes
accounts:
  description: O(stage=pairs). Per account key, the account id, region, credentials (profile or role_arn) and what to read.
  returned: when stage is pairs
  type: dict
workers:
  description: O(stage=pairs). Per worker host, the account keys it works for.
  returned: when stage is pairs
  type: dict
add_hosts:
  description: O(stage=pairs). The hosts to add (ansible.builtin.add_host) for the accounts' work.
  returned: when stage is pairs
  type: list
  elements: dict
phases:
  description: O(stage=writes). Per phase (prepare, grant, replicate), per worker host, the accounts with their writes.
  returned: when stage is writes
  type: dict
writes:
  description: O(stage=writes). Every needed write, with its account, phase, module, arguments and the pairs it serves.
  returned: when stage is writes
  type: list
  elements: dict
"""
