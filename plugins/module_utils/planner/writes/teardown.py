# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every removal teardown.yml needs (exactly what replicate.yml added), and why a role stays."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import validated
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import key_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import documents_any_bucket_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.alerts import alert_removals
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.buckets import bucket_statements
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import changing
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.buckets import legacy_bucket_sids
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import unique_by
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.keys import grant_entry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.keys import key_grants_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.keys import key_policy_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.keys import shared_key_entries
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.roles import role_removal


def teardown_writes(pairs, read):
    """The removals: our rules, bucket-policy statements, key statements and grants, inline policies, and the role when nothing else uses it."""
    writes = []
    for bucket, members in grouped(pairs, lambda p: p["source"]["bucket"]).items():
        if (bucket_facts(facts_of(members[0], read, "source"), bucket) or {}).get("exists"):
            rules = [{"id": rule["id"], "state": "absent"} for pair in members for rule in pair["rules"]]
            writes.append(
                make_write(members[0]["source"]["account"], "rules", "s3_replication_rule", {"bucket": bucket, "rules": unique_by(rules, "id")}, members)
            )
    for bucket, members in grouped(pairs, lambda p: p["destination"]["bucket"]).items():
        if (bucket_facts(facts_of(members[0], read, "destination"), bucket) or {}).get("exists"):
            args = {"bucket": bucket, "statements": bucket_statements(members), "state": "absent", "merge_principals": True,
                    "remove_sids": legacy_bucket_sids(members)}
            writes.append(make_write(members[0]["destination"]["account"], "destinations", "s3_bucket_policy_statement", args, members))
    for side, phase, documents in (("destination", "destinations", ("destination_key_statement",)), ("source", "roles", ("source_key_statement",))):
        for key_arn, members in grouped(pairs, lambda p, side=side: p[side]["kms_key_arn"]).items():
            if (key_facts(facts_of(members[0], read, side), key_arn) or {}).get("exists"):
                statements = [variant[document] for pair in members for variant in documents_any_bucket_keys(pair) for document in documents]
                entries = shared_key_entries(statements, "absent")
                writes.append(key_policy_write(members[0][side]["account"], phase, key_arn, entries, members))
                if side == "destination":
                    grants = [grant_entry(pair["documents"]["destination_key_grant"], "absent") for pair in members]
                    writes.append(key_grants_write(members[0][side]["account"], phase, key_arn, grants, members))
    writes += [role_removal(members, read) for members in grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).values()]
    writes += alert_removals(pairs, read)
    writes = two_way.one_write_per_key_policy(writes)
    return changing(writes, read)


def teardown_notes(pairs, read):
    """What teardown says besides its writes: why a role stays."""
    found = []
    for members in grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).values():
        write = role_removal(members, read)
        writer = WRITERS["s3_replication_role"]
        state = writer.state_from_facts(read[write["account"]], write["args"])
        if state is not UNKNOWN and state.get("exists"):
            found += writer.plan(validated(writer, write["args"]), state)["warnings"]
    return found
