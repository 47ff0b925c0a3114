# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The keys' writes: key-policy statements or grants for the roles on the destination keys, and the source-key
statement where the source key policy would not let the role decrypt.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import key_facts
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
        statements, grants = [], []
        for pair in members:
            by_policy = pair["destination"]["key_access"] == "policy"
            statements.append(key_statement_entry(pair["documents"]["destination_key_statement"], "present" if by_policy else "absent"))
            grants.append(grant_entry(pair["documents"]["destination_key_grant"], "absent" if by_policy else "present"))
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
        statements = [key_statement_entry(pair["documents"]["source_key_statement"]) for pair in members if source_key_statement_needed(pair, read)]
        if statements:
            writes.append(key_policy_write(members[0]["source"]["account"], "rules", key_arn, statements, members))
    return writes


def source_key_statement_needed(pair, read):
    """Whether the source key policy, without this collection's statement, would refuse the role kms:Decrypt (the doctor's verdict)."""
    source = copy.deepcopy(facts_of(pair, read, "source"))
    key = key_facts(source, pair["source"]["kms_key_arn"])
    sid = pair["documents"]["source_key_statement"]["Sid"]
    if key is None or not key.get("policy"):
        return True
    key["policy"] = policy_documents.remove_statements(key["policy"], [sid])
    verdicts = doctor.diagnose({"source": source, "destination": facts_of(pair, read, "destination")}, model_spec(pair, pair.get("source_bucket_key_enabled")))
    verdict = next((f for f in verdicts["findings"] if f["id"] == "source-key.key-policy"), None)
    return verdict is None or verdict["status"] != doctor.OK
