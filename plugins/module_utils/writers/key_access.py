# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of kms_key_access: key-policy statements merged by Sid (mode policy), or named KMS grants (mode grant).

One statement or grant comes from the top-level options (sid or name, principals, operations ...);
several, for one key-policy write, from ``statements`` or ``grants``: the same options per item.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import kms as aws_kms
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas

MODULE = "kms_key_access"
ENTRY_OPTIONS = dict(
    state=dict(type="str", choices=["present", "absent"], default="present"),
    principals=dict(type="list", elements="str"),
    operations=dict(type="list", elements="str"),
)
STATEMENT_OPTIONS = dict(sid=dict(type="str", required=True), **ENTRY_OPTIONS, conditions=dict(type="dict"), merge_principals=dict(type="bool", default=False))
GRANT_OPTIONS = dict(
    name=dict(type="str", required=True),
    **ENTRY_OPTIONS,
    encryption_context_equals=dict(type="dict"),
    encryption_context_subset=dict(type="dict"),
    retiring_principal=dict(type="str"),
)
ARGUMENT_SPEC = dict(
    key_id=dict(type="str", required=True, aliases=["key_arn"]),
    mode=dict(type="str", choices=["policy", "grant"], default="policy"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    sid=dict(type="str"),
    name=dict(type="str"),
    principals=dict(type="list", elements="str"),
    operations=dict(type="list", elements="str"),
    conditions=dict(type="dict"),
    merge_principals=dict(type="bool", default=False),
    encryption_context_equals=dict(type="dict"),
    encryption_context_subset=dict(type="dict"),
    retiring_principal=dict(type="str"),
    statements=dict(type="list", elements="dict", options=STATEMENT_OPTIONS),
    grants=dict(type="list", elements="dict", options=GRANT_OPTIONS),
)
MUTUALLY_EXCLUSIVE = [("sid", "statements"), ("name", "grants"), ("statements", "grants")]
SINGLE_ONLY = ("sid", "name", "principals", "operations", "conditions", "merge_principals", "encryption_context_equals", "encryption_context_subset",
               "retiring_principal")
WRONG_MODE = {"grant": ("conditions", "statements"), "policy": ("encryption_context_equals", "encryption_context_subset", "retiring_principal", "grants")}


def entries(params):
    """The statements (mode policy) or grants (mode grant) the task manages, each with its options."""
    mode = params["mode"]
    if mode == "grant" and params.get("merge_principals"):
        raise WriteRefused("merge_principals does not apply to mode=grant (a grant has one grantee): remove it or use mode=policy")
    for option in WRONG_MODE[mode]:
        if params.get(option) is not None:
            raise WriteRefused(f"{option} does not apply to mode={mode}: remove it or use mode={'policy' if mode == 'grant' else 'grant'}")
    listed = params.get("statements" if mode == "policy" else "grants")
    if listed is not None:
        if not listed:
            raise WriteRefused(f"{'statements' if mode == 'policy' else 'grants'} is empty: give at least one")
        return [dict(item) for item in listed]
    identity = "sid" if mode == "policy" else "name"
    if not params.get(identity):
        raise WriteRefused(f"{identity} is required with mode={mode} (or give {'statements' if mode == 'policy' else 'grants'})")
    return [{name: params.get(name) for name in SINGLE_ONLY + ("state",) if name in (STATEMENT_OPTIONS if mode == "policy" else GRANT_OPTIONS)}]


def _desired(mode, entry, partition):
    """The desired statement or grant of one entry; None for state absent."""
    if mode == "policy":
        policy_documents.validate_sid(entry["sid"])
    if entry["state"] != "present":
        return None
    for option in ("principals", "operations"):
        if not entry.get(option):
            raise WriteRefused(f"{option} is required with state=present ({_label(mode, entry)})")
    if mode == "policy":
        return kms_keys.key_policy_statement(entry["sid"], entry["principals"], entry["operations"], entry.get("conditions"), partition)
    if len(entry["principals"]) != 1:
        raise WriteRefused("principals: mode=grant takes exactly one principal, the grantee; use one grant per grantee")
    constraints = kms_keys.grant_constraints(entry.get("encryption_context_equals"), entry.get("encryption_context_subset"))
    return kms_keys.desired_grant(entry["name"], entry["principals"][0], entry["operations"], constraints, entry.get("retiring_principal"), partition)


def _label(mode, entry):
    return f"sid {entry['sid']}" if mode == "policy" else f"grant {entry['name']}"


def _validate(params):
    """Every option checked before any AWS call (principals as account ids become root ARNs of the aws partition here)."""
    reference = kms_keys.key_reference(params["key_id"])
    for entry in entries(params):
        _desired(params["mode"], entry, "aws")
    return reference


def _owner(metadata):
    return metadata.get("AWSAccountId") or metadata["Arn"].split(":")[4]


def _plan_policy(params, state, metadata, partition):
    before = state["policy"]
    after = before
    listed, dropped = entries(params), []
    for entry in listed:
        desired = _desired("policy", entry, partition)
        if entry.get("merge_principals"):
            desired, gone = _shared(after, entry, desired, partition)
            dropped += gone
        after = kms_keys.plan_key_policy(after, _owner(metadata), entry["sid"], desired)
    changed = not policy_documents.policies_equal(before, after)
    header = resource_header(_owner(metadata), f"{metadata['Arn']} (key policy)")
    mine = [policy_documents.find_statement(after, entry["sid"]) for entry in listed]
    result = {"key_arn": metadata["Arn"], "policy": after, "statements": [statement for statement in mine if statement]}
    if params.get("statements") is None:
        result["statement"] = mine[0]
    warnings = [f"Dropped from our statements of {metadata['Arn']}: {', '.join(dropped)}, unique ids AWS left for deleted roles (they grant "
                "nothing; a re-created role is another principal, named again by its next run)"] if dropped and changed else []
    return make_plan(changed, before, after, header, result=result, key_arn=metadata["Arn"], warnings=warnings)


def _shared(policy, entry, desired, partition):
    """A statement several runs share: present joins its principals with ours of the Sid, absent takes only the entry's principals
    out (all of them when the entry names none). Returns (the statement or None, unique ids of deleted roles dropped)."""
    current = policy_documents.find_statement(policy, entry["sid"])
    if entry["state"] == "present":
        return policy_documents.join_principals(current, desired)
    if current is None or not entry.get("principals"):
        return None, []
    leaving = {"Principal": {"AWS": [kms_keys.normalise_principal(p, partition) for p in entry["principals"]]}}
    return policy_documents.drop_principals(current, leaving), sorted(p for p in policy_documents.aws_principals(current) if policy_documents.is_unique_id(p))


def _plan_grants(params, state, metadata, partition):
    keep_all, create_all, revoke_all, before, after = [], [], [], [], []
    for entry in entries(params):
        desired = _desired("grant", entry, partition)
        named = [grant for grant in state["grants"] if grant.get("Name") == entry["name"]]
        keep, create, revoke = kms_keys.plan_named_grants(named, entry["name"], desired)
        before += named
        after += [grant for grant in (keep, create and dict(create, KeyId=metadata["Arn"])) if grant]
        keep_all.append(keep)
        create_all += [create] if create else []
        revoke_all += revoke
    header = resource_header(_owner(metadata), f"{metadata['Arn']} (grants)")
    result = {"key_arn": metadata["Arn"], "grants": after, "revoked_grant_ids": [grant["GrantId"] for grant in revoke_all]}
    if params.get("grants") is None:
        result["grant"] = after[0] if after else None
    return make_plan(bool(create_all or revoke_all), {"grants": before}, {"grants": after}, header, result=result, key_arn=metadata["Arn"],
                     create=create_all, revoke=revoke_all)


class KeyAccessWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    MUTUALLY_EXCLUSIVE = MUTUALLY_EXCLUSIVE
    MERGED = True

    def read_state(self, aws, params):
        reference = _validate(params)
        key = facts.key(aws.client("kms"), reference, policy=params["mode"] == "policy", grants=params["mode"] == "grant", strict=True)
        if not key["exists"]:
            raise WriteRefused(f"key_id: no KMS key {reference} in this account and region: check key_id, profile and region")
        return key

    def state_from_facts(self, account_facts, params):
        reference = kms_keys.key_reference(params["key_id"])
        for key in (account_facts.get("keys") or {}).values():
            metadata = key.get("metadata") or {}
            if reference in (key.get("reference"), metadata.get("Arn"), metadata.get("KeyId")):
                attribute = "policy" if params["mode"] == "policy" else "grants"
                if key.get("exists") is not True or {"metadata", attribute} & set(key.get("errors") or {}):
                    return UNKNOWN
                return key
        return UNKNOWN

    def document(self, state):
        """The key policy and grants as read, comparable (run_write tells a stale read from another writer's by it)."""
        policy = policy_documents.normalise_policy(state["policy"]) if state.get("policy") else None
        grants = sorted((kms_keys.comparable_grant(grant) for grant in state.get("grants") or []), key=repr)
        return {"policy": policy, "grants": grants}

    def settles(self, params, _planned):
        """A key policy is one document other writers merge into; a grant is an object of its own, which no other writer's grant replaces."""
        return params["mode"] == "policy"

    def plan(self, params, state):
        metadata = kms_keys.check_key(state["metadata"], removing=all(entry["state"] != "present" for entry in entries(params)))
        partition = metadata["Arn"].split(":")[1]
        if params["mode"] == "policy":
            return _plan_policy(params, state, metadata, partition)
        return _plan_grants(params, state, metadata, partition)

    def apply(self, aws, params, planned):
        kms, key_arn = aws.client("kms"), planned["key_arn"]
        if params["mode"] == "policy":
            aws_kms.put_key_policy(kms, key_arn, planned["after"])
            return {}
        created = []
        for grant in planned["create"]:
            created.append(dict(grant, KeyId=key_arn, GrantId=aws_kms.create_grant(kms, key_arn, grant)))
        revoke = list(planned["revoke"])
        if created:
            current = aws_kms.list_grants(kms, key_arn)
            for grant in created:
                revoke += kms_keys.duplicate_grants(current, grant, grant["GrantId"])
        for stale in revoke:
            aws_kms.revoke_grant(kms, key_arn, stale["GrantId"])
        kept = [grant for grant in planned["result"]["grants"] if grant.get("GrantId")]
        grants = kept + created
        result = {"grants": grants, "revoked_grant_ids": [grant["GrantId"] for grant in revoke]}
        if params.get("grants") is None:
            result["grant"] = grants[0] if grants else None
        return result

    def applied(self, account_facts, params, planned):
        key = facts.key_facts(account_facts, params["key_id"]) or {}
        if params["mode"] == "policy":
            key["policy"] = planned["after"]
        else:
            key["grants"] = [dict(grant, GrantId=grant.get("GrantId") or f"planned-{grant['Name']}") for grant in planned["after"]["grants"]]

    def quota_documents(self, args):
        if args.get("state", "present") == "absent" or not args.get("mode", "policy") == "policy":
            return []
        return [(quotas.KEY_POLICY, args["key_id"])]


WRITER = KeyAccessWriter()
