# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_replication_role: the replication role, its trust in S3, and its inline policies (see module_utils/writers/runner).

The trust statements for the services this collection names (s3.amazonaws.com, and
batchoperations.s3.amazonaws.com for Batch Replication) are this collection's: they are replaced
by ``trust_policy``'s. Every other trust statement, and every inline policy not listed in
``inline_policies``, is kept. IAM cannot move a role to another path, so a different path is refused.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import iam as aws_iam
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas

MODULE = "s3_replication_role"
POLICY_OPTIONS = dict(
    name=dict(type="str", required=True),
    policy=dict(type="dict"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    merge=dict(type="bool", default=False),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    path=dict(type="str", default="/"),
    description=dict(type="str"),
    trust_policy=dict(type="dict"),
    inline_policies=dict(type="list", elements="dict", options=POLICY_OPTIONS, default=[]),
    kept_because=dict(type="list", elements="str", default=[]),
)
REQUIRED_IF = [("state", "present", ["trust_policy"])]


def _validate(params):
    try:
        arns.validate_role_name(params["name"])
    except ValueError as error:
        raise WriteRefused(f"name: {error}") from None
    for entry in params["inline_policies"]:
        if entry["state"] == "present" and params["state"] == "present":
            if not entry.get("policy"):
                raise WriteRefused(f"inline_policies: {entry['name']} needs policy (the document) with state=present")
            policy_documents.parse_policy(entry["policy"])
    if params["state"] == "present" and not policy_documents.parse_policy(params["trust_policy"]):
        raise WriteRefused("trust_policy is required with state=present: give the role's trust policy document")


def _services(statement):
    services = (statement.get("Principal") or {}).get("Service") if isinstance(statement.get("Principal"), dict) else None
    return set([services] if isinstance(services, str) else services or [])


def merged_trust(current, wanted):
    """``wanted``'s statements in place of the current ones for the same service principals; the others kept."""
    ours = policy_documents.parse_policy(wanted)["Statement"]
    services = set().union(*(_services(statement) for statement in ours))
    kept = [copy.deepcopy(s) for s in (policy_documents.parse_policy(current) or {"Statement": []})["Statement"] if not _services(s) & services]
    return {"Version": policy_documents.parse_policy(wanted).get("Version", "2012-10-17"), "Statement": kept + copy.deepcopy(ours)}


def _wanted_policy(entry, current, removing):
    """The document an ``inline_policies`` entry leaves under its name (None: the policy goes)."""
    if entry["state"] == "absent" or removing:
        return shared.reduced_policy(current, entry["policy"]) if entry.get("merge") and entry.get("policy") and current else None
    return shared.merged_policy(current, entry["policy"]) if entry.get("merge") else entry["policy"]


def policy_changes(entries, current, removing=False):
    """The inline policies after the entries, and the writes: every put before any delete, so a policy that replaces others
    (the packed policy of earlier versions' per-pair ones) is in place before they go and the role never loses access."""
    policies, puts, deletes = dict(current), [], []
    for entry in entries:
        wanted = _wanted_policy(entry, policies.get(entry["name"]), removing)
        if wanted is None and entry["name"] in policies:
            deletes.append(("delete", entry["name"], None))
            del policies[entry["name"]]
        elif wanted is not None and not policy_documents.policies_equal(policies.get(entry["name"]), wanted):
            puts.append(("put", entry["name"], wanted))
            policies[entry["name"]] = wanted
    return policies, _folded(puts, deletes, current) if any(entry.get("merge") for entry in entries) else puts + deletes


def _folded(puts, deletes, current):
    """The policies to delete folded into the first of them, one at a time, before the puts: IAM counts every inline policy of a
    role together (10,240 characters), and earlier versions' per-pair policies may fill most of it. Each put grants all the
    folded policies granted (packed, so smaller than apart), so the role never loses access and never needs much more room."""
    if not puts or len(deletes) < 2:
        return puts + deletes
    first, folded, steps = deletes[0][1], current[deletes[0][1]], []
    for _action, name, _document in deletes[1:]:
        folded = shared.merged_policy(folded, current[name])
        steps += [("put", first, folded), ("delete", name, None)]
    return steps + puts + [deletes[0]]


def _document_view(role):
    """What the diff shows of a role."""
    if not role or not role.get("exists"):
        return None
    return {"path": role["path"], "description": role["description"], "trust_policy": role["trust_policy"], "inline_policies": role["inline_policies"]}


def _plan_absent(params, state, header):
    if not state["exists"]:
        return make_plan(False, None, None, header, result={"role": None, "kept_because": []}, changes={"policies": [], "delete": False})
    policies, removed = policy_changes(params["inline_policies"], state["inline_policies"], removing=True)
    ours = {entry["name"] for entry in params["inline_policies"]}
    shared_left = sorted(name for name in policies if name in ours)
    foreign = sorted(name for name in state["inline_policies"] if name not in ours)
    reasons = []
    if shared_left:
        reasons.append(f"its inline policies {', '.join(shared_left)} still grant what other runs' pairs or other rules of its source buckets "
                       "replicate with")
    if foreign:
        reasons.append(f"it carries inline policies this collection did not write: {', '.join(foreign)}")
    if state["managed_policies"]:
        reasons.append("managed policies are attached to it: " + ", ".join(policy["arn"] for policy in state["managed_policies"]))
    reasons += params["kept_because"]
    delete = not reasons
    before = _document_view(state)
    after = None if delete else dict(before, inline_policies=policies)
    warnings = [f"Kept role {state['arn']}: " + "; ".join(reasons)] if reasons else []
    return make_plan(bool(removed) or delete, before, after, header, result={"role": None if delete else dict(after, arn=state["arn"]),
                     "kept_because": reasons}, note="deleted" if delete else None, warnings=warnings, changes={"policies": removed, "delete": delete})


def _created(iam, name, after, trust_text):
    """Creates the role; False when IAM answers that it exists already."""
    try:
        aws_iam.create_role(iam, name, after["path"], trust_text, after["description"])
    except AwsCallFailure as failure:
        if failure.code == "EntityAlreadyExists":
            return False
        raise
    return True


class RoleWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    REQUIRED_IF = REQUIRED_IF
    MERGED = True

    def read_state(self, aws, params):
        _validate(params)
        names = None if params["state"] == "absent" else [entry["name"] for entry in params["inline_policies"]]
        role = facts.role(aws.client("iam"), params["name"], inline_policy_names=names, managed=params["state"] == "absent", strict=True)
        return dict(role, account_id=aws.account_id, partition=aws.partition)

    def state_from_facts(self, account_facts, params):
        role = (account_facts.get("roles") or {}).get(params["name"])
        if not role or role.get("exists") is None:
            return UNKNOWN
        wanted = [f"inline_policies.{entry['name']}" for entry in params["inline_policies"]] + ["role", "inline_policies"]
        if any(attribute in (role.get("errors") or {}) for attribute in wanted):
            return UNKNOWN
        partition = (account_facts.get("caller_arn") or "arn:aws").split(":")[1]
        return dict(role, account_id=account_facts.get("account_id"), partition=partition)

    def document(self, state):
        """The role's trust and inline policies as read, comparable (run_write tells a stale read from another writer's by it)."""
        if not state.get("exists"):
            return None
        return {"trust": policy_documents.normalise_policy(state["trust_policy"]) if state.get("trust_policy") else None,
                "policies": {name: policy_documents.normalise_policy(doc) for name, doc in (state.get("inline_policies") or {}).items()}}

    def settles(self, _params, planned):
        """Only the trust policy of an existing role is merged with other writers' statements; inline policies are documents of their own
        and CreateRole answers EntityAlreadyExists to a second creator."""
        return bool(planned["changes"].get("trust"))

    def plan(self, params, state):
        header = resource_header(state.get("account_id"), f"IAM role {params['name']}")
        if params["state"] == "absent":
            return _plan_absent(params, state, header)
        path = params["path"]
        if state["exists"] and state["path"] != path:
            raise WriteRefused(
                f"path: role {params['name']} exists with path {state['path']}, not {path}, and IAM cannot move a role: "
                f"set the path to {state['path']}, or delete the role first"
            )
        before = _document_view(state)
        trust = merged_trust(state["trust_policy"] if state["exists"] else None, params["trust_policy"])
        description = params["description"] if params["description"] is not None else (state.get("description") or "")
        policies, policy_writes = policy_changes(params["inline_policies"], state["inline_policies"] if state["exists"] else {})
        changes = {"create": not state["exists"], "trust": False, "description": False, "policies": policy_writes}
        if state["exists"]:
            changes["trust"] = not policy_documents.policies_equal(state["trust_policy"], trust)
            changes["description"] = (state.get("description") or "") != description
        after = {"path": path, "description": description, "trust_policy": trust, "inline_policies": policies}
        changed = changes["create"] or changes["trust"] or changes["description"] or bool(changes["policies"])
        role_arn = state.get("arn") or arns.role_arn(state.get("account_id") or "000000000000", params["name"], path, state.get("partition") or "aws")
        result = {"role": dict(after, arn=role_arn, name=params["name"], exists=True)}
        return make_plan(changed, before, after, header, result=result, note="created" if changes["create"] else None, changes=changes)

    def apply(self, aws, params, planned):
        iam, name, changes = aws.client("iam"), params["name"], planned["changes"]
        after = planned["after"]
        if params["state"] == "present":
            trust_text = policy_documents.policy_to_json(after["trust_policy"])
            if changes["create"] and not _created(iam, name, after, trust_text):
                # The role exists after all (a retried CreateRole that had taken effect, or another writer): plan again on it.
                planned = self.plan(params, self.read_state(aws, params))
                changes, after = planned["changes"], planned["after"]
                trust_text = policy_documents.policy_to_json(after["trust_policy"])
            if not changes["create"]:
                if changes["trust"]:
                    aws_iam.update_trust_policy(iam, name, trust_text)
                if changes["description"]:
                    aws_iam.update_description(iam, name, after["description"])
        for action, policy_name, document in changes["policies"]:
            if action == "put":
                aws_iam.put_role_policy(iam, name, policy_name, policy_documents.policy_to_json(document))
            else:
                aws_iam.delete_role_policy(iam, name, policy_name)
        if params["state"] == "absent" and changes["delete"]:
            aws_iam.delete_role(iam, name)
        return {}

    def applied(self, account_facts, params, planned):
        role = account_facts["roles"][params["name"]]
        if params["state"] == "absent":
            if planned["changes"]["delete"]:
                role.update(exists=False, inline_policies={}, trust_policy=None)
            elif planned["after"]:
                role["inline_policies"] = planned["after"]["inline_policies"]
            return
        after = planned["after"]
        role.update(exists=True, arn=planned["result"]["role"]["arn"], path=after["path"], description=after["description"],
                    trust_policy=after["trust_policy"], inline_policies=after["inline_policies"])

    def quota_documents(self, args):
        if args.get("state", "present") == "absent":
            return []
        return [(quotas.ROLE, args["name"])]


WRITER = RoleWriter()
