# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The verdict of replicate.yml: the facts as the planned writes leave them (each writer's own prediction), judged by
the doctor before any write.
"""

import copy
import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import validated
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import dashboard_name
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import model_spec


def predicted_facts(writes, read):
    """The facts as the writes leave them: each write applied with its writer's own plan (no read)."""
    predicted = copy.deepcopy(read)
    for write in writes:
        writer = WRITERS[write["module"]]
        params = validated(writer, write["args"])
        facts = predicted[write["account"]]
        state = writer.state_from_facts(facts, params)
        if state is not UNKNOWN:
            writer.applied(facts, params, writer.plan(params, state))
    return predicted


NAMED_SID = re.compile(r"Sid (\w+)")


# Findings about what replicate.yml does not manage, or reads it does not make: not part of its verdict. A reverse pair's
# destination is the forward source bucket, whose default encryption the run does not manage either.
VERDICT_IGNORES = {two_way.FORWARD: ("existing-objects", "source-encryption"), two_way.REVERSE: ("existing-objects", "destination-encryption")}


def verdicts(pairs, predicted):
    """Per host, what the doctor's evaluator says of each pair in the state the run leaves: ``{fail: [...], warn: [...]}``."""
    found = {}
    for pair in pairs:
        facts = {side: facts_of(pair, predicted, side) for side in ("source", "destination")}
        diagnosis = doctor.diagnose_pair({"facts": facts, "spec": model_spec(pair, pair.get("source_bucket_key_enabled")),
                                          "rule_ids": [r["id"] for r in pair["rules"] if r["state"] != "absent"],
                                          "direction": pair["direction"] if pair["two_way"] else None, "dashboard": dashboard_name(pair)})
        verdict = found.setdefault(pair["host"], {"fail": [], "warn": []})
        for item in diagnosis["findings"]:
            if item["status"] in doctor.PROBLEMS and item["id"] not in VERDICT_IGNORES[pair["direction"]]:
                verdict[item["status"]].append(pair["display"] + verdict_line(item))
    return {host: verdict for host, verdict in found.items() if verdict["fail"] or verdict["warn"]}


def verdict_line(item):
    """A doctor finding as the run's verdict says it: status, id, account and resource, the message, who owns the cause, the fix."""
    owners = [sid for sid in NAMED_SID.findall(item["message"]) if not shared.is_our_sid(sid)]
    owner = f" Sid {', '.join(owners)} is not this collection's: the owner of that statement must change it." if owners else ""
    return f"{item['status'].upper()} {item['id']} (account {item['account']}, {item['resource']}): {item['message']}.{owner}" + (
        f" Fix: {item['fix']}" if item.get("fix") else ""
    )
