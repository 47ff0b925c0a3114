# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's access checks: every permission of the policy model, evaluated as S3 would ask for it.

For each required permission (policy_model.required_permissions of the effective spec) and each of its
actions, the request S3 makes as the replication role (a sample object under the rule's prefix, the KMS
encryption context the buckets' Bucket Key settings give) is evaluated against the role's identity
policies, the permissions boundary, the bucket policy or the key policy and grants (policy_evaluation).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import evaluation as pe
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import FAIL
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import OK
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import WARN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import finding
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import SAMPLE_OBJECT
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import read_error

# Condition keys that are absent from the requests S3 makes for replication: they come from S3's
# own network, never through a VPC endpoint of yours, and carry no KMS alias or grant request.
ABSENT_KEYS = ("aws:SourceVpc", "aws:SourceVpce", "kms:RequestAlias", "kms:GrantIsForAWSResource")


def _partition_dns(view):
    return policy_model.PARTITION_DNS_SUFFIXES.get(view.partition, "amazonaws.com")


def _base_context(view, resource_account):
    return {
        "aws:PrincipalArn": view.role_arn,
        "aws:PrincipalAccount": view.account("source"),
        "aws:PrincipalType": "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
        "aws:SecureTransport": "true",
        "aws:ResourceAccount": resource_account,
    }


def _side_of(view, resource):
    if resource.startswith(view.source_arn) or resource == view.effective_spec["source"]["kms_key_arn"]:
        return "source"
    return "destination"


def _encryption_context(view, side):
    bucket_arn = view.source_arn if side == "source" else view.destination_arn
    return bucket_arn if view.effective_spec[side].get("bucket_key_enabled") else view.sample_object(bucket_arn)


def _request(view, permission, action):
    resource = permission["resources"][0]
    side = _side_of(view, resource)
    account = view.account(side)
    if "trust_policy" in permission["granted_by"]:
        context = {"aws:SourceAccount": view.account("source"), "aws:SourceArn": view.source_arn}
        return pe.make_request(action, resource, service=policy_model.S3_SERVICE_PRINCIPAL, context=context, absent=ABSENT_KEYS), side, None
    context = _base_context(view, account)
    encryption_context = None
    if action.startswith("kms:"):
        arn = _encryption_context(view, side)
        encryption_context = {"aws:s3:arn": arn}
        context.update({
            "kms:ViaService": f"s3.{getattr(view, side)['region']}.{_partition_dns(view)}",
            "kms:CallerAccount": view.account("source"),
            "kms:EncryptionContext:aws:s3:arn": arn,
            "kms:EncryptionContextKeys": ["aws:s3:arn"],
            "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
        })
    elif resource.endswith("/*"):
        resource = resource[:-1] + view.sample_prefix() + SAMPLE_OBJECT
    return pe.make_request(action, resource, principal_arn=view.role_arn, context=context, absent=ABSENT_KEYS), side, encryption_context


def check_permissions(view):
    findings = []
    for permission in view.permissions:
        if "trust_policy" in permission["granted_by"]:
            findings += _trust_findings(view, permission)
        elif any(a.startswith("kms:") for a in permission["actions"]):
            findings += _key_findings(view, permission)
        else:
            findings += _bucket_findings(view, permission)
    return findings


def _evaluations(view, permission, resource_policy, resource_kind, grants=()):
    results = []
    for action in permission["actions"]:
        request, side, encryption_context = _request(view, permission, action)
        boundary = view.role.get("permissions_boundary") if view.role_ready() else None
        identity = view.role_policies() if resource_kind != pe.TRUST else {}
        results.append((action, pe.authorize(request, identity, resource_policy, view.account(side), resource_kind,
                                             boundary=boundary, grants=grants, encryption_context=encryption_context)))
    return results


def _status(verdicts, uncertain_allow, uncertain_deny):
    """fail when an action is not granted, warn when an unevaluable statement could change the answer."""
    failed = [a for a, ok in verdicts if not ok]
    if failed:
        return (WARN if uncertain_allow else FAIL), failed
    return (WARN if uncertain_deny else OK), []


def _uncertain_text(entries):
    return "; ".join(sorted({f"{u['statement']} ({u['effect']}): {', '.join(u['reasons'])}" for u in entries}))


def _side_finding(check_id, side, account, resource, evaluations, granted, part, what, fix):
    """One finding for one document side (``part``: identity_statements / resource_statements)."""
    verdicts, denials, uncertain = [], [], []
    for action, result in evaluations:
        ok, reason = granted(result)
        verdicts.append((action, ok))
        denials += result[part]["denied_by"]
        if reason:
            denials.append(reason)
        uncertain += result[part]["uncertain"]
    status, failed = _status(verdicts, [u for u in uncertain if u["effect"] == "Allow"], [u for u in uncertain if u["effect"] == "Deny"])
    actions = ", ".join(a for a, _r in evaluations)
    if status == OK:
        return finding(check_id, OK, side, account, resource, f"{what}: {actions} allowed")
    message = f"{what}: {', '.join(failed)} not allowed" if failed else f"{what}: {actions} allowed, unless a statement the doctor cannot evaluate applies"
    denied = sorted(set(d for d in denials if d))
    if denied:
        message += f"; explicitly denied by {', '.join(denied)}"
    if uncertain:
        message += f"; cannot evaluate: {_uncertain_text(uncertain)}"
    return finding(check_id, status, side, account, resource, message, fix)


def _trust_findings(view, permission):
    if not view.role_ready():
        return []
    evaluations = _evaluations(view, permission, view.role.get("trust_policy"), pe.TRUST)
    return [_side_finding(
        "assume-role.trust-policy", "source", view.account("source"), view.role_arn, evaluations,
        lambda r: (r["decision"] == pe.ALLOW, None), "resource_statements", f"trust policy, for {policy_model.S3_SERVICE_PRINCIPAL}",
        f"trust {policy_model.S3_SERVICE_PRINCIPAL} with sts:AssumeRole (AssumeRoleNotPermitted otherwise)",
    )]


def _bucket_findings(view, permission):
    side = _side_of(view, permission["resources"][0])
    bucket = view.existing(side)
    if not view.role_ready() and "identity" in permission["granted_by"]:
        return []
    policy = (bucket or {}).get("policy")
    evaluations = _evaluations(view, permission, policy, pe.BUCKET)
    findings = []
    pid = permission["id"]
    required_by_bucket = "bucket_policy" in permission["granted_by"] and view.account(side) != view.account("source")
    if "identity" in permission["granted_by"] and view.role_ready():
        findings.append(_side_finding(
            f"{pid}.identity", "source", view.account("source"), view.role_arn, evaluations, _identity_granted_s3,
            "identity_statements", "identity policies of the replication role",
            f"allow {', '.join(permission['actions'])} on {', '.join(permission['resources'])} in the role's policy",
        ))
    if bucket is None:
        return findings
    if bucket.get("policy") is None and read_error(bucket, "policy"):
        findings.append(finding(f"{pid}.bucket-policy", WARN, side, view.account(side), bucket["name"],
                                f"could not read the bucket policy: {read_error(bucket, 'policy')}", "allow s3:GetBucketPolicy to the doctor"))
        return findings
    granted = _bucket_policy_granted_cross if required_by_bucket else _bucket_policy_not_denying
    what = f"bucket policy of {bucket['name']}"
    if not required_by_bucket:
        what += " (only its Deny statements matter within one account)"
    findings.append(_side_finding(
        f"{pid}.bucket-policy", side, view.account(side), bucket["name"], evaluations, granted, "resource_statements", what,
        f"allow {', '.join(permission['actions'])} on {', '.join(permission['resources'])} to {view.role_arn} in the bucket policy, "
        "and remove Deny statements that match",
    ))
    return findings


def _identity_granted_s3(result):
    if result["identity"] == pe.DENY:
        return False, None
    if result["identity"] == pe.ALLOW:
        return True, None
    return (result["same_account"] and result["resource"] == pe.ALLOW), None


def _bucket_policy_granted_cross(result):
    return result["resource"] in (pe.ALLOW, "delegate"), None


def _bucket_policy_not_denying(result):
    return result["resource"] != pe.DENY, None


def _key_findings(view, permission):
    side = _side_of(view, permission["resources"][0])
    key = view.source_key if side == "source" else view.replica_key
    arn = permission["resources"][0]
    pid = permission["id"]
    findings = []
    key_known = bool(key and key.get("exists"))
    grants = (key or {}).get("grants") or []
    evaluations = _evaluations(view, permission, (key or {}).get("policy"), pe.KEY, grants=grants) if key_known or view.role_ready() else []
    if key_known and (key.get("policy") or not read_error(key, "policy")):
        findings.append(_side_finding(
            f"{pid}.key-policy", side, view.account(side), arn, evaluations, _key_policy_granted, "resource_statements",
            "key policy and grants",
            f"add a key-policy statement (or a grant) allowing {', '.join(permission['actions'])} to {view.role_arn}"
            + (" or delegating to its account's IAM policies (the account root)" if side == "source" else ""),
        ))
    elif key_known:
        findings.append(finding(f"{pid}.key-policy", WARN, side, view.account(side), arn, f"could not read the key policy: {read_error(key, 'policy')}",
                                "allow kms:GetKeyPolicy and kms:ListGrants to the doctor"))
    if view.role_ready():
        findings.append(_side_finding(
            f"{pid}.identity", "source", view.account("source"), view.role_arn, evaluations, _identity_granted_kms,
            "identity_statements", "identity policies of the replication role",
            f"allow {', '.join(permission['actions'])} on {arn} in the role's policy (conditions kms:ViaService and kms:EncryptionContext:aws:s3:arn)",
        ))
    return findings


def _key_policy_granted(result):
    if result["resource"] == pe.DENY:
        return False, None
    return (result["resource"] in (pe.ALLOW, "delegate") or bool(result["grants"])), None


def _identity_granted_kms(result):
    if result["identity"] == pe.DENY:
        return False, None
    if result["identity"] == pe.ALLOW:
        return True, None
    # Within the key's account a key policy (or grant) naming the role needs no IAM permission.
    return (result["same_account"] and (result["resource"] == pe.ALLOW or bool(result["grants"]))), None
