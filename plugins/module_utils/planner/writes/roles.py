# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication roles' writes: trust and inline policies merged over every pair of the role, their removal
(teardown), and Batch Replication's permissions (backfill).
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import changing
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import unique_by


ROLE_DESCRIPTION = "Assumed by Amazon S3 to replicate S3 buckets to other accounts (managed by s3_crossaccount.replication)"


def role_writes(pairs):
    writes = []
    for (_account, name), members in grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).items():
        trust, policies = _role_documents(members, _replication_policies)
        args = {"name": name, "path": members[0]["role_path"], "description": ROLE_DESCRIPTION, "trust_policy": trust, "inline_policies": policies}
        writes.append(make_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members))
    return writes


def _role_documents(members, policies_of):
    """The role's trust policy (every pair's, merged) and the inline policies ``policies_of(documents)`` of every pair, each name once."""
    trust, policies = None, []
    for pair in members:
        trust = _union_trust(trust, pair["documents"]["trust_policy"])
        policies += policies_of(pair["documents"])
    return trust, unique_by(policies, "name")


def _replication_policies(documents):
    """The replication policy, and the Batch Replication policy when the pair backfills."""
    policies = [{"name": documents["role_policy_name"], "policy": documents["role_policy"]}]
    return policies + _batch_policies(documents) if documents.get("batch_role_policy_name") else policies


def _batch_policies(documents):
    return [{"name": documents["batch_role_policy_name"], "policy": documents["batch_role_policy"]}]


def _union_trust(current, more):
    if current is None:
        return copy.deepcopy(more)
    statements = list(current["Statement"])
    for statement in more["Statement"]:
        if not any(policy_documents.statements_equal(statement, existing) for existing in statements):
            statements.append(copy.deepcopy(statement))
    return dict(current, Statement=statements)


def role_removal(members, read):
    """The role write of a teardown: our inline policies removed; the role deleted unless rules left after ours still use it."""
    names = [pair["documents"]["role_policy_name"] for pair in members]
    names += [policy_model.batch_role_policy_name(pair["documents"]["role_arn"], pair["source"]["bucket"]) for pair in members]
    args = {"name": members[0]["role_name"], "state": "absent", "inline_policies": [{"name": name, "state": "absent"} for name in dict.fromkeys(names)]}
    users = _remaining_users(members, read)
    if users:
        args["kept_because"] = users
    return make_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members)


def _remaining_users(members, read):
    """The rules, other than ours, of the pairs' source buckets that still replicate with the role."""
    role_arn = members[0]["documents"]["role_arn"]
    ours = {rule["id"] for pair in members for rule in pair["rules"]}
    users = []
    for bucket, pairs in grouped(members, lambda p: p["source"]["bucket"]).items():
        configuration = (bucket_facts(facts_of(pairs[0], read, "source"), bucket) or {}).get("replication") or {}
        left = [rule.get("ID") for rule in configuration.get("Rules") or [] if rule.get("ID") not in ours]
        if left and configuration.get("Role") == role_arn:
            users.append(f"rules {', '.join(left)} of {bucket} still replicate with it")
    return users


def backfill_writes(pairs, read):
    """The role's trust in S3 Batch Operations and its Batch Replication inline policy."""
    writes = []
    for (_account, name), members in grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).items():
        trust, policies = _role_documents(members, _batch_policies)
        args = {"name": name, "path": members[0]["role_path"], "trust_policy": trust, "inline_policies": policies}
        writes.append(make_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members))
    return changing(writes, read)
