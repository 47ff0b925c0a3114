# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_bucket_policy_statement: statements merged into a bucket policy by Sid (see module_utils/writers/runner)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import bucket_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import read_document
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas

MODULE = "s3_bucket_policy_statement"
ARGUMENT_SPEC = dict(
    bucket=dict(type="str", required=True),
    statements=dict(type="list", elements="dict", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    merge_principals=dict(type="bool", default=False),
    remove_sids=dict(type="list", elements="str", default=[]),
)


def wanted_sids(statements, state):
    """Validates the statements option; returns their Sids in order."""
    try:
        if state == "present":
            policy_documents.validate_statements(statements, require_principal=True)
        else:
            if not statements:
                raise policy_documents.PolicyDocumentError("give at least one statement with a Sid to remove")
            for statement in statements:
                policy_documents.validate_sid(statement.get("Sid"))
    except policy_documents.PolicyDocumentError as error:
        raise WriteRefused(f"statements: {error}") from None
    return [statement["Sid"] for statement in statements]


def removed_sids(params):
    """The remove_sids option, checked: Sids of ours, none of which the task also writes."""
    sids = [policy_documents.validate_sid(sid) for sid in params.get("remove_sids") or []]
    both = sorted(set(sids) & set(wanted_sids(params["statements"], params["state"]))) if params["state"] == "present" else []
    if both:
        raise WriteRefused(f"remove_sids: {', '.join(both)} also in statements; a Sid is either written or removed")
    return sids


def planned_policy(before, params):
    """The bucket policy after the change, and the unique ids of deleted roles dropped from our statements; None when nothing is left."""
    statements, state, dropped = params["statements"], params["state"], []
    if params.get("merge_principals"):
        named = [s for s in statements if s.get("Principal")] if state == "absent" else statements
        after, dropped = policy_documents.merge_principal_statements(before, named, present=state == "present")
        if state == "absent":
            after = policy_documents.remove_statements(after, [s["Sid"] for s in statements if not s.get("Principal")])
    elif state == "present":
        after = policy_documents.merge_statements(before, statements)
    else:
        after = policy_documents.remove_statements(before, wanted_sids(statements, state))
    after = policy_documents.remove_statements(after, removed_sids(params))
    return (after if after and after["Statement"] else None), dropped


class BucketPolicyWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    MERGED = True

    def read_state(self, aws, params):
        bucket = bucket_of(params)
        removed_sids(params)
        policy = read_document(aws, bucket, aws_s3.get_policy)
        return {"bucket": bucket, "exists": True, "policy": policy, "account_id": aws.account_id}

    def pending_state(self, aws, params):
        """The state of a bucket that an earlier write of this run creates (check mode): no policy yet."""
        return {"bucket": bucket_of(params), "exists": False, "policy": None, "account_id": aws.account_id}

    def state_from_facts(self, account_facts, params):
        bucket = bucket_of(params)
        facts = (account_facts.get("buckets") or {}).get(bucket)
        # A missing bucket is UNKNOWN: the module refuses to write to it (an earlier write of the run creates it, or the run fails).
        if not facts or facts.get("exists") is not True or {"exists", "policy"} & set(facts.get("errors") or {}):
            return UNKNOWN
        return {"bucket": bucket, "exists": True, "policy": facts.get("policy"), "account_id": account_facts.get("account_id")}

    def document(self, state):
        """The document as read, comparable (run_write tells a stale read from another writer's by it)."""
        return policy_documents.normalise_policy(state["policy"]) if state.get("policy") else None

    def plan(self, params, state):
        sids = wanted_sids(params["statements"], params["state"])
        removed_sids(params)
        before = state["policy"]
        after, dropped = planned_policy(before, params)
        changed = not policy_documents.policies_equal(before, after)
        header = resource_header(state.get("account_id"), f"s3://{state['bucket']} (bucket policy)")
        mine = [statement for statement in (after or {}).get("Statement", []) if statement.get("Sid") in sids]
        note = "created with the bucket" if not state["exists"] else ("deleted: no statement is left" if changed and after is None else None)
        warnings = [f"Dropped from our statements of s3://{state['bucket']}: {', '.join(dropped)}, unique ids AWS left for deleted roles "
                    "(they grant nothing; a re-created role is another principal, named again by its next run)"] if dropped and changed else []
        return make_plan(changed, before, after, header, result={"policy": after, "statements": mine}, note=note, warnings=warnings)

    def apply(self, aws, params, planned):
        bucket = bucket_of(params)
        if planned["after"] is None:
            aws_s3.delete_policy(aws.client("s3"), bucket)
        else:
            aws_s3.put_policy(aws.client("s3"), bucket, policy_documents.policy_to_json(planned["after"]))

    def applied(self, account_facts, params, planned):
        account_facts["buckets"][params["bucket"]]["policy"] = planned["after"]

    def quota_documents(self, args):
        if args.get("state", "present") == "absent":
            return []
        return [(quotas.BUCKET_POLICY, args["bucket"])]


WRITER = BucketPolicyWriter()
