# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A planned write, and how writes are grouped: per document (merged over every pair that shares it), per account
and phase, per worker host.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import SETTLE_SECONDS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import needed
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import account_owners


PHASES = ("roles", "destinations", "rules")


def make_write(account, phase, module, args, pairs, pending=False, group=None):
    """One write. Writes of one ``group`` (one bucket) run in order; the others of a phase run in parallel."""
    return {
        "account": account,
        "phase": phase,
        "module": module,
        "args": args,
        "pending": pending,
        "group": group,
        "pairs": sorted({pair["name"] for pair in pairs}),
    }


def changing(writes, read):
    """The writes of accounts that were read that would change something, as each writer's own plan judges them on the facts."""
    return [write for write in writes if write["account"] in read and needed(WRITERS[write["module"]], write["args"], read[write["account"]])]


def grouped(pairs, key):
    groups = {}
    for pair in pairs:
        groups.setdefault(key(pair), []).append(pair)
    return groups


def forward_pairs(pairs):
    """The pairs whose destination settings this run manages (a reverse pair's destination is the forward source bucket)."""
    return [pair for pair in pairs if pair["direction"] == two_way.FORWARD]


def by_account(writes):
    """Per account key, per phase, the writes (for a role used alone, which has no worker hosts)."""
    found = {}
    for write in writes:
        found.setdefault(write["account"], {}).setdefault(write["phase"], []).append(
            {key: write[key] for key in ("module", "args", "pending", "group") if write[key] is not None}
        )
    return found


def by_worker(writes, stage):
    """Per phase, per worker host, the accounts with writes: [{account, account_id, region, label, writes}]."""
    owner = account_owners(stage)
    phases = {phase: {} for phase in PHASES + ("jobs",)}
    for write in writes:
        account = stage["accounts"][write["account"]]
        items = phases[write["phase"]].setdefault(owner[write["account"]], [])
        entry = next((item for item in items if item["account"] == write["account"]), None)
        if entry is None:
            entry = {
                "account": write["account"],
                "account_id": account["account_id"],
                "region": account["region"],
                "label": account["label"],
                "settle_seconds": 0.0 if stage.get("lock") else SETTLE_SECONDS,
                "writes": [],
            }
            items.append(entry)
        entry["writes"].append({key: write[key] for key in ("module", "args", "pending", "group") if write[key] is not None})
    return phases


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def unique_by(entries, identity):
    found = {}
    for entry in entries:
        found.setdefault(entry[identity], entry)
    return list(found.values())
