# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the doctor (doctor.yml, status.yml) gets of a plan: the second read of replica keys, and the pairs to diagnose."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import account_owners
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import extend_unique
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import key_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import dashboard_name
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import model_spec


def more_reads(pairs, read, stage):
    """The doctor's second read: replica keys the source rules name, in the destination account, that the first read did not cover."""
    owner = account_owners(stage)
    wanted = {}
    for pair in pairs:
        account = pair["destination"]["account"]
        configuration = (bucket_facts(facts_of(pair, read, "source"), pair["source"]["bucket"]) or {}).get("replication") or {}
        for rule in configuration.get("Rules") or []:
            key_arn = ((rule.get("Destination") or {}).get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID") or ""
            if key_arn.startswith("arn:") and key_arn.split(":")[4] == pair["destination"]["account_id"] and key_facts(read[account], key_arn) is None:
                extend_unique(wanted.setdefault(account, []), [key_arn])
    more = {}
    for account, keys in wanted.items():
        more.setdefault(owner[account], []).append({"key": account, "label": stage["accounts"][account]["label"], "kms_keys": keys})
    return more


def doctor_entries(pairs):
    """Per host, what the doctor needs of each pair (doctor.planned_pairs): its name and direction, the account of each side,
    the policy model spec, our rule ids and the dashboard asked for."""
    entries = {}
    for pair in pairs:
        entries.setdefault(pair["host"], []).append({
            "pair": pair["name"],
            "direction": pair["direction"] if pair["two_way"] else None,
            "accounts": {side: pair[side]["account"] for side in ("source", "destination")},
            "spec": model_spec(pair),
            "rule_ids": [rule["id"] for rule in pair["rules"] if rule["state"] != "absent"],
            "dashboard": dashboard_name(pair),
        })
    return entries
