# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication roles' writes: the trust merged over every pair of the role and ONE packed inline policy for all its
pairs (policy/shared.py), their removal (teardown), and Batch Replication's packed policy (backfill).

Earlier versions gave the role one inline policy per pair: the same write deletes those of the run's pairs, after the
packed policy that grants all they granted is put (the role writer puts before it deletes), so the role never loses access.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import changing
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import documents_any_bucket_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import model_spec
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import as_list
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write


ROLE_DESCRIPTION = "Assumed by Amazon S3 to replicate S3 buckets to other accounts (managed by s3_crossaccount.replication)"


def role_writes(pairs):
    writes = []
    for (_account, name), members in grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).items():
        trust, policies = _role_documents(members, _replication_policies)
        args = {"name": name, "path": members[0]["role_path"], "description": ROLE_DESCRIPTION, "trust_policy": trust, "inline_policies": policies}
        writes.append(make_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members))
    return writes


def _role_documents(members, policies_of):
    """The role's trust policy (every pair's, merged) and its packed inline policies ``policies_of(pairs' documents)``."""
    trust = None
    for pair in members:
        trust = _union_trust(trust, pair["documents"]["trust_policy"])
    return trust, policies_of([pair["documents"] for pair in members])


def _replication_policies(pair_documents):
    """The packed replication policy, and the packed Batch Replication policy when pairs backfill."""
    policies = _packed(pair_documents, shared.ROLE_POLICY_NAME, "role_policy", "role_policy_name")
    return policies + _batch_policies(pair_documents) if any(d.get("batch_role_policy_name") for d in pair_documents) else policies


def _batch_policies(pair_documents):
    return _packed(pair_documents, shared.BATCH_POLICY_NAME, "batch_role_policy", "batch_role_policy_name")


def _packed(pair_documents, name, document, legacy_name):
    """The packed policy of the pairs' ``document``s (merged with what other runs' pairs have in it), then the per-pair
    policies earlier versions wrote, to delete."""
    documents = [d for d in pair_documents if d.get(document)]
    packed = {"name": name, "policy": shared.packed_policy([d[document] for d in documents]), "merge": True}
    return [packed] + [{"name": n, "state": "absent"} for n in dict.fromkeys(d[legacy_name] for d in documents)]


def _union_trust(current, more):
    if current is None:
        return copy.deepcopy(more)
    statements = list(current["Statement"])
    for statement in more["Statement"]:
        if not any(policy_documents.statements_equal(statement, existing) for existing in statements):
            statements.append(copy.deepcopy(statement))
    return dict(current, Statement=statements)


def role_removal(members, read):
    """The role write of a teardown: the pairs' grants taken out of the packed policies (a policy goes when it grants nothing
    more), earlier versions' per-pair policies deleted; the role deleted unless rules left after ours, or other runs' pairs
    in its packed policies, still use it."""
    documents = [pair["documents"] for pair in members]
    names = [d["role_policy_name"] for d in documents]
    names += [policy_model.batch_role_policy_name(d["role_arn"], pair["source"]["bucket"]) for d, pair in zip(documents, members)]
    still_used = _still_replicating(members, read)
    removed = [_removed_grants(variant, pair["source"]["bucket"] in still_used) for pair in members for variant in documents_any_bucket_keys(pair)]
    packed = [{"name": shared.ROLE_POLICY_NAME, "policy": shared.packed_policy(removed), "merge": True}]
    packed += _batch_removal(members, read)
    policies = packed + [{"name": name, "state": "absent"} for name in dict.fromkeys(names)]
    args = {"name": members[0]["role_name"], "state": "absent", "inline_policies": policies}
    users = _remaining_users(members, read)
    if users:
        args["kept_because"] = users
    return make_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members)


def _batch_removal(members, read):
    """The pairs' grants out of the role's packed Batch Replication policy. Without replication_backfill in the variables the
    report location is unknown: the grants on the pairs' source buckets go, and the policy with them when no source bucket
    is left in it (what is left would only let the role write reports)."""
    batch = [pair["documents"]["batch_role_policy"] for pair in members if pair["documents"].get("batch_role_policy")]
    if batch:
        return [{"name": shared.BATCH_POLICY_NAME, "policy": shared.packed_policy(batch), "merge": True}]
    role = ((facts_of(members[0], read, "source").get("roles") or {}).get(members[0]["role_name"]) or {})
    current = (role.get("inline_policies") or {}).get(shared.BATCH_POLICY_NAME)
    if not current:
        return []
    removed = shared.packed_policy([_source_batch_grants(pair) for pair in members])
    left = shared.reduced_policy(current, removed)
    if left is None or not set(policy_model.BATCH_INITIATE_ACTIONS) & {a for s in left["Statement"] for a in as_list(s["Action"])}:
        return [{"name": shared.BATCH_POLICY_NAME, "state": "absent"}]
    return [{"name": shared.BATCH_POLICY_NAME, "policy": removed, "merge": True}]


def _source_batch_grants(pair):
    """The Batch Replication grants on the pair's source bucket, which do not depend on the report location (any will do)."""
    spec = dict(model_spec(pair), batch_replication={"report_bucket": pair["source"]["bucket"]})
    policy = policy_model.replication_policies(spec)["batch_role_policy"]
    return dict(policy, Statement=[s for s in policy["Statement"] if shared.sid_prefix(s.get("Sid")) in SOURCE_BATCH_PREFIXES])


SOURCE_BATCH_PREFIXES = tuple(policy_model.SID_PREFIXES[pid] for pid in ("batch-initiate", "batch-source-bucket"))


def _removed_grants(documents, source_still_used):
    """What a torn-down pair's grants are in the role's packed policy: all of its policy, but the source bucket's and key's
    when other rules of the source bucket still replicate with the role."""
    policy = documents["role_policy"]
    if not source_still_used:
        return policy
    return dict(policy, Statement=[s for s in policy["Statement"] if shared.sid_prefix(s.get("Sid")) not in SOURCE_SIDE_PREFIXES])


SOURCE_SIDE_PREFIXES = tuple(policy_model.SID_PREFIXES[pid] for pid in ("source-bucket", "source-objects", "source-key"))


def _still_replicating(members, read):
    """{source bucket: the rules, other than ours, that still replicate with the role}."""
    role_arn = members[0]["documents"]["role_arn"]
    ours = {rule["id"] for pair in members for rule in pair["rules"]}
    found = {}
    for bucket, pairs in grouped(members, lambda p: p["source"]["bucket"]).items():
        configuration = (bucket_facts(facts_of(pairs[0], read, "source"), bucket) or {}).get("replication") or {}
        left = [rule.get("ID") for rule in configuration.get("Rules") or [] if rule.get("ID") not in ours]
        if left and configuration.get("Role") == role_arn:
            found[bucket] = left
    return found


def _remaining_users(members, read):
    """The rules, other than ours, of the pairs' source buckets that still replicate with the role."""
    return [f"rules {', '.join(left)} of {bucket} still replicate with it" for bucket, left in _still_replicating(members, read).items()]


def backfill_writes(pairs, read):
    """The role's trust in S3 Batch Operations and its Batch Replication inline policy."""
    writes = []
    for (_account, name), members in grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).items():
        trust, policies = _role_documents(members, _batch_policies)
        args = {"name": name, "path": members[0]["role_path"], "trust_policy": trust, "inline_policies": policies}
        writes.append(make_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members))
    return changing(writes, read)
