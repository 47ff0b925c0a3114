# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's document checks: what the role's, the buckets' and the keys' policies say, statement by statement.

Principals that cannot work, actions that do not exist (the table in known_actions), and least privilege:
wildcard actions, KMS use without kms:ViaService, replication actions granted to a whole account.
"""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import evaluation as pe
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.known_actions import ACTION_HINTS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.known_actions import KNOWN_ACTIONS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import FAIL
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import OK
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import WARN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import finding

KMS_USE_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo")
# A permissions boundary only limits what the role's policies grant: it is not checked for breadth.
NOT_GRANTING = ("trust policy", "permissions boundary")
REPLICATION_RESOURCE_ACTIONS = (
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:ObjectOwnerOverrideToBucketOwner",
    "s3:GetBucketVersioning",
    "s3:PutBucketVersioning",
)
SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$")
ACTION_SYNTAX = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$")
KNOWN_ACTION_NAMES = {service: {name.lower() for name in names.split()} for service, names in KNOWN_ACTIONS.items()}


def check_trust_principals(view):
    if not view.role_ready():
        return []
    bad = []
    for statement in _statements(view.role.get("trust_policy")):
        for service in _as_list((statement.get("Principal") or {}).get("Service") if isinstance(statement.get("Principal"), dict) else None):
            if not SERVICE_PRINCIPAL.match(str(service)):
                bad.append(str(service))
    account = view.account("source")
    if bad:
        return [finding("trust-principal", FAIL, "source", account, view.role_arn,
                        f"the trust policy names service principal(s) {', '.join(bad)}, which do not exist (a colon instead of a dot?)",
                        f"trust {policy_model.S3_SERVICE_PRINCIPAL} exactly: \"Principal\": {{\"Service\": \"{policy_model.S3_SERVICE_PRINCIPAL}\"}}")]
    return [finding("trust-principal", OK, "source", account, view.role_arn, "every service principal in the trust policy is well formed")]


def check_identity_principal(view):
    if not view.role_ready():
        return []
    offenders = [
        f"{label} {pe.statement_label(s, i)}"
        for label, document in view.role_policies().items()
        for i, s in enumerate(_statements(document))
        if "Principal" in s or "NotPrincipal" in s
    ]
    account = view.account("source")
    if offenders:
        return [finding("identity-policy-principal", FAIL, "source", account, view.role_arn,
                        f"identity policies must not have a Principal element, IAM rejects them: {', '.join(offenders)}",
                        "remove Principal from the role's policy statements: the role is the principal")]
    return [finding("identity-policy-principal", OK, "source", account, view.role_arn, "no identity policy statement has a Principal element")]


def _documents(view):
    """(side, account, resource, label, document, is_identity) for every policy the doctor read."""
    documents = []
    if view.role_ready():
        for label, document in view.role_policies().items():
            documents.append(("source", view.account("source"), view.role_arn, label, document, True))
        documents.append(("source", view.account("source"), view.role_arn, "trust policy", view.role.get("trust_policy"), False))
        if view.role.get("permissions_boundary"):
            documents.append(("source", view.account("source"), view.role_arn, "permissions boundary", view.role["permissions_boundary"], True))
    for side, bucket in view.existing_buckets():
        if bucket.get("policy"):
            documents.append((side, view.account(side), bucket["name"], "bucket policy", bucket["policy"], False))
    for side, arn, key in (("source", view.effective_spec["source"]["kms_key_arn"], view.source_key), ("destination", view.replica_key_arn, view.replica_key)):
        if key and key.get("policy"):
            documents.append((side, view.account(side), arn, "key policy", key["policy"], False))
    return documents


def check_unknown_actions(view):
    findings = []
    for side, account, resource, label, document, _identity in _documents(view):
        unknown = []
        for index, statement in enumerate(_statements(document)):
            for action in _as_list(statement.get("Action")) + _as_list(statement.get("NotAction")):
                problem = unknown_action(str(action))
                if problem:
                    unknown.append(f"{pe.statement_label(statement, index)}: {problem}")
        if unknown:
            findings.append(finding("unknown-actions", WARN, side, account, resource, f"{label}: " + "; ".join(unknown),
                                    "replace them with real actions (IAM service authorization reference); they grant nothing"))
        else:
            findings.append(finding("unknown-actions", OK, side, account, resource, f"{label}: every action exists"))
    return findings


def unknown_action(action):
    """Why ``action`` is not a real action of s3 / kms / sts (None when it is, or when the service is another)."""
    if action == "*":
        return None
    if not ACTION_SYNTAX.match(action):
        return f"'{action}' is not of the form service:Action"
    service, name = action.lower().split(":", 1)
    names = KNOWN_ACTION_NAMES.get(service)
    if names is None:
        return None
    if "*" in name or "?" in name:
        if any(pe.glob_match(name, known, ignore_case=True) for known in names):
            return None
        return f"'{action}' matches no {service} action"
    if name in names:
        return None
    hint = ACTION_HINTS.get(action.lower())
    return f"'{action}' is not a {service} action" + (f" (did you mean {hint}?)" if hint else "")


def check_broad_actions(view):
    """Least privilege: wildcard actions or NotAction in statements that reach the replication role."""
    findings = []
    for side, account, resource, label, document, identity in _documents(view):
        if label in NOT_GRANTING:
            continue
        broad = []
        for index, statement in enumerate(_statements(document)):
            if statement.get("Effect") != "Allow" or not (identity or _names_role_side(view, statement, account)):
                continue
            if "NotAction" in statement:
                broad.append(f"{pe.statement_label(statement, index)}: NotAction allows everything else")
            wildcards = [str(a) for a in _as_list(statement.get("Action")) if "*" in str(a) or "?" in str(a)]
            if wildcards:
                broad.append(f"{pe.statement_label(statement, index)}: {', '.join(wildcards)}")
        if broad:
            findings.append(finding("broad-actions", WARN, side, account, resource,
                                    f"{label} allows the replication role wildcard actions, far more than replication needs: " + "; ".join(broad),
                                    "list exactly the replication actions (playbooks/replicate.yml writes least-privilege statements)"))
    return findings


def _names_role_side(view, statement, owner_account):
    """True when a resource-policy statement names the replication role, everyone, or (from another
    account) the role's whole account. A document naming its own account's root only hands the
    decision to that account's IAM policies, which the identity checks cover."""
    principal = statement.get("Principal")
    if principal == "*":
        return True
    values = [str(v) for v in _as_list((principal or {}).get("AWS") if isinstance(principal, dict) else None)]
    named = {"*", view.role_arn}
    if owner_account != view.account("source"):
        named |= {f"arn:{view.partition}:iam::{view.account('source')}:root", view.account("source")}
    return any(v in named for v in values)


def check_kms_conditions(view):
    """Least privilege: KMS use by the role should be limited to S3 (kms:ViaService)."""
    findings = []
    for side, account, resource, label, document, identity in _documents(view):
        if label in NOT_GRANTING + ("bucket policy",):
            continue
        loose = []
        for index, statement in enumerate(_statements(document)):
            if statement.get("Effect") != "Allow" or not (identity or _names_role_side(view, statement, account)):
                continue
            actions = [str(a) for a in _as_list(statement.get("Action"))]
            uses_key = any(pe.action_matches(a, use) for a in actions for use in KMS_USE_ACTIONS)
            if uses_key and "kms:viaservice" not in {k.lower() for block in (statement.get("Condition") or {}).values() for k in block}:
                loose.append(pe.statement_label(statement, index))
        if loose:
            findings.append(finding("kms-conditions", WARN, side, account, resource,
                                    f"{label}: {', '.join(loose)} let the role use KMS keys outside S3 (no kms:ViaService condition)",
                                    "condition KMS use on kms:ViaService = s3.REGION.amazonaws.com and kms:EncryptionContext:aws:s3:arn"))
    return findings


def check_bucket_policy_principals(view):
    bucket = view.existing("destination")
    if not bucket or not bucket.get("policy"):
        return []
    broad = []
    source_root = f"arn:{view.partition}:iam::{view.account('source')}:root"
    for index, statement in enumerate(_statements(bucket["policy"])):
        principal = statement.get("Principal")
        values = [str(v) for v in _as_list((principal or {}).get("AWS") if isinstance(principal, dict) else principal)]
        actions = _as_list(statement.get("Action"))
        touches = any(pe.action_matches(a, r) for a in actions for r in REPLICATION_RESOURCE_ACTIONS)
        if statement.get("Effect") == "Allow" and touches and any(v in ("*", source_root, view.account("source")) for v in values):
            broad.append(f"{pe.statement_label(statement, index)} ({', '.join(values)})")
    account = view.account("destination")
    if broad:
        return [finding("destination-bucket-policy-principal", WARN, "destination", account, bucket["name"],
                        "the bucket policy grants replication actions to the whole source account or everyone, not to the replication role: "
                        + "; ".join(broad),
                        f"name the replication role as principal: {{\"AWS\": \"{view.role_arn}\"}}")]
    return [finding("destination-bucket-policy-principal", OK, "destination", account, bucket["name"],
                    "replication statements of the bucket policy name the replication role")]


def _statements(document):
    statements = (document or {}).get("Statement", []) if isinstance(document, dict) else []
    return [s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, dict)]


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
