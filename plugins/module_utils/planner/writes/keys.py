# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The keys' writes: key-policy statements or grants for the roles on the destination keys, and the source-key
statement where the source key policy would not let the role decrypt. Key-policy statements are packed: one per action set
and conditions, the roles listed (policy/shared.py), joined with the principals other runs put there; the per-role
statements of earlier versions go in the same PutKeyPolicy, so no role loses access in between.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import key_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import model_spec
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import as_list
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import unique_by


def key_statement_entry(statement, state="present"):
    """A kms_key_access ``statements`` item for a policy model statement (absent: only the Sid)."""
    if state == "absent":
        return {"sid": statement["Sid"], "state": "absent"}
    entry = {"sid": statement["Sid"], "principals": as_list(statement["Principal"]["AWS"]), "operations": as_list(statement["Action"])}
    if statement.get("Condition"):
        entry["conditions"] = statement["Condition"]
    return entry


def shared_key_entries(statements, state="present"):
    """kms_key_access items for the pairs' statements packed per action set and conditions: the roles joined into our
    statement of that Sid (present) or taken out of it (absent), and the per-role statements of earlier versions removed."""
    entries = []
    for statement in shared.shared_statements(statements):
        entry = key_statement_entry(statement)
        if state == "absent":
            entry = {"sid": entry["sid"], "principals": entry["principals"], "state": "absent"}
        entries.append(dict(entry, merge_principals=True))
    return entries + [key_statement_entry(statement, "absent") for statement in statements]


def grant_entry(grant, state="present"):
    """A kms_key_access ``grants`` item for the policy model's grant (absent: only the name)."""
    if state == "absent":
        return {"name": grant["name"], "state": "absent"}
    entry = {"name": grant["name"], "principals": [grant["grantee_principal"]], "operations": list(grant["operations"])}
    for option, constraint in (("encryption_context_equals", "EncryptionContextEquals"), ("encryption_context_subset", "EncryptionContextSubset")):
        if (grant.get("constraints") or {}).get(constraint):
            entry[option] = grant["constraints"][constraint]
    return entry


def key_access_writes(pairs):
    writes = []
    for key_arn, members in grouped(pairs, lambda p: p["destination"]["kms_key_arn"]).items():
        by_policy = [pair for pair in members if pair["destination"]["key_access"] == "policy"]
        by_grant = [pair for pair in members if pair["destination"]["key_access"] != "policy"]
        statements = shared_key_entries([pair["documents"]["destination_key_statement"] for pair in by_policy])
        statements += shared_key_entries([pair["documents"]["destination_key_statement"] for pair in by_grant], "absent")
        grants = [grant_entry(pair["documents"]["destination_key_grant"], "absent" if pair in by_policy else "present") for pair in members]
        account = members[0]["destination"]["account"]
        writes.append(key_policy_write(account, "destinations", key_arn, statements, members))
        writes.append(key_grants_write(account, "destinations", key_arn, grants, members))
    return writes


def key_policy_write(account, phase, key_arn, statements, members):
    """The kms_key_access write of a key's policy statements (each Sid once)."""
    return make_write(account, phase, "kms_key_access", {"key_id": key_arn, "mode": "policy", "statements": unique_by(statements, "sid")}, members)


def key_grants_write(account, phase, key_arn, grants, members):
    """The kms_key_access write of a key's named grants (each name once)."""
    return make_write(account, phase, "kms_key_access", {"key_id": key_arn, "mode": "grant", "grants": unique_by(grants, "name")}, members)


def source_key_writes(pairs, read):
    """The source-key statement of the pairs whose source key policy, without it, would not let the role decrypt."""
    writes = []
    for key_arn, members in grouped(pairs, lambda p: p["source"]["kms_key_arn"]).items():
        statements = shared_key_entries([pair["documents"]["source_key_statement"] for pair in members if source_key_statement_needed(pair, read)])
        if statements:
            writes.append(key_policy_write(members[0]["source"]["account"], "rules", key_arn, statements, members))
    return writes


def source_key_statement_needed(pair, read):
    """Whether the source key policy, without this collection's statement, would refuse the role kms:Decrypt (the doctor's verdict)."""
    source = copy.deepcopy(facts_of(pair, read, "source"))
    key = key_facts(source, pair["source"]["kms_key_arn"])
    statement = pair["documents"]["source_key_statement"]
    if key is None or not key.get("policy"):
        return True
    key["policy"] = policy_documents.remove_statements(key["policy"], [statement["Sid"], shared.shared_sid(statement)])
    diagnosis = doctor.diagnose({"source": source, "destination": facts_of(pair, read, "destination")}, model_spec(pair, pair.get("source_bucket_key_enabled")))
    verdict = next((f for f in diagnosis["findings"] if f["id"] == "source-key.key-policy"), None)
    return verdict is None or verdict["status"] != doctor.OK
