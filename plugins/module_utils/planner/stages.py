# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planner's two stages, both pure (the controller-side action plugin ``replication_plan`` calls them).

1. :func:`plan_pairs` checks each host's variables against the contract (contract.py),
   applies every default once, builds the pairs (one per destination), checks what pairs of one run
   must agree on when they share a document, and names the accounts to read: one per account id and
   region, with its credentials, and every bucket, role and key of every pair in it.
2. :func:`plan_writes` takes what ``s3_replication_info`` read in each account, refuses the pairs
   whose accounts cannot work (wrong identity, unusable key, missing source bucket), and returns, per
   account and phase, the writes the playbook needs (planner/playbooks.py), each merged over every pair
   that shares the document, and only those the writer's own plan says would change something. When a
   document would not fit AWS's quota (policy/quotas.py) in the state the writes leave, the whole run is
   refused before its first write.

A refused pair is named with its problems; the other pairs go on. Messages name the user's variables
(``replication_destinations[1].kms_key_arn``), never internal paths.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import assign_workers
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import pair_accounts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import pair_workers
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import run_lock_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.checks import account_problems
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.pairs import host_pairs
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.playbooks import PLAYBOOKS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import with_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.touched_documents import touched_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.validation import drop_conflicting
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.verdict import predicted_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import by_account
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import by_worker


def plan_pairs(hosts, playbook="replicate", limited=False, run_owner="this run"):
    """Stage 1. ``hosts``: ``[(host name, {variable: value})]`` in inventory order (the variables of this
    collection's prefixes). ``limited``: the run has --limit, so added hosts would not run; the pairs'
    own hosts then do the accounts' work. ``run_owner`` names the run in its lock.
    """
    book = PLAYBOOKS[playbook]
    refused, pairs = {}, []
    for host, variables in hosts:
        found, problems = host_pairs(host, variables, multi_host=len(hosts) > 1, book=book)
        if problems:
            refused[host] = problems
        else:
            pairs += found
    pairs = drop_conflicting(pairs, refused)
    accounts = pair_accounts(pairs, refused, book)
    pairs = [pair for pair in pairs if pair["host"] not in refused]
    accounts = {key: account for key, account in accounts.items() if any(p[side]["account"] == key for p in pairs for side in book.reads)}
    workers = assign_workers(accounts, [host for host, _variables in hosts if host not in refused], limited)
    return {
        "playbook": playbook,
        "pairs": pairs,
        "options": {pair["host"]: pair["playbook_options"] for pair in pairs},
        "refused": refused,
        "accounts": accounts,
        "workers": workers,
        "lock": run_lock_plan(pairs, workers, run_owner) if book.locked else None,
    }


def plan_writes(stage, read, sides=None):
    """Stage 2. ``read``: ``{account key: s3_replication_info result, or {"failed": True, "msg": ...}}``.

    What is checked, written and returned follows the playbook (planner/playbooks.py). ``sides`` limits the
    checks and writes to the accounts of those sides (a role used alone reads one side).
    """
    book = PLAYBOOKS[stage["playbook"]]
    sides = tuple(sides or book.reads)
    refused = copy.deepcopy(stage["refused"])
    pairs = []
    for pair in stage["pairs"]:
        problems = account_problems(pair, read, sides) or book.fact_problems(pair, read, sides)
        if problems:
            refused.setdefault(pair["host"], []).extend(problems)
        else:
            pairs.append(with_facts(pair, read))
    pairs = [dict(pair, workers=pair_workers(pair, stage)) for pair in pairs if pair["host"] not in refused]
    accounts = {pair[side]["account"] for pair in pairs for side in sides}
    writes = [write for write in book.writes(pairs, read) if write["account"] in accounts]
    predicted = predicted_facts(writes, read) if book.predicts else None
    too_large = quotas.quota_problems(predicted, touched_documents(writes)) if book.predicts else []
    if too_large:
        refused = _refused_whole(refused, pairs, too_large)
        pairs, writes = [], []
    planned = {
        "playbook": book.name,
        "pairs": pairs,
        "options": stage["options"],
        "refused": refused,
        "phases": by_worker(writes, stage),
        "writes": writes,
        "account_writes": by_account(writes),
        "notes": book.notes(pairs, read),
    }
    planned.update(book.outputs(pairs, read, stage, writes, predicted))
    return planned


def _refused_whole(refused, pairs, problems):
    """Every pair's host refused with ``problems``: a document that would not fit AWS's quota refuses the whole run before its
    first write, since the other writes would leave the estate half-written."""
    refused = dict(refused)
    for host in dict.fromkeys(pair["host"] for pair in pairs):
        refused[host] = refused.get(host, []) + [f"refused before any write: {problem}" for problem in problems]
    return refused
