# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure checks for giving principals access to a KMS key: key references and metadata,
operation names, the key-policy statement, the owner-lockout guard and grant comparison."""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

KEY_ID_PATTERN = re.compile(r"^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
ALIAS_NAME_PATTERN = re.compile(r"^alias/[a-zA-Z0-9/_-]{1,250}$")
GRANT_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9:/_-]{1,256}$")
PRINCIPAL_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$")
ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")
AWS_MANAGED_ALIAS_PREFIX = "alias/aws/"
KEY_POLICY_NAME = "default"

# Operations a grant on a symmetric encryption key may allow (the KMS GrantOperation values that
# apply to SYMMETRIC_DEFAULT keys).
GRANT_OPERATIONS = (
    "CreateGrant",
    "Decrypt",
    "DescribeKey",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "RetireGrant",
)
# DescribeKey takes no encryption context, so KMS refuses it in a grant with constraints.
OPERATIONS_WITHOUT_CONTEXT = ("DescribeKey",)
# Actions a key-policy statement written by this collection may allow: use of the key and of
# its grants, never its administration.
POLICY_ACTIONS = GRANT_OPERATIONS + ("ListGrants", "RevokeGrant")
OWNER_ADMIN_ACTIONS = ("kms:*", "*")


class KmsKeyError(Refused):
    """A key, operation or grant this collection refuses to use."""


def key_reference(key_id):
    """The KeyId to send to DescribeKey for a key id, key ARN, alias name or alias ARN.

    A bare name such as ``replica-key`` is taken as ``alias/replica-key``. AWS-managed aliases
    (``alias/aws/...``) are refused here already: their keys' policies cannot be changed and they
    cannot be used across accounts.
    """
    text = str(key_id or "").strip()
    if not text:
        raise KmsKeyError("key_id is empty: give a key id, a full key ARN or an alias name")
    if text.startswith("arn:"):
        if ":key/" not in text and ":alias/" not in text:
            raise KmsKeyError(f"key_id '{text}' is not a KMS key or alias ARN: use arn:aws:kms:REGION:ACCOUNT:key/KEY_ID")
        alias = "alias/" + text.split(":alias/", 1)[1] if ":alias/" in text else None
    elif KEY_ID_PATTERN.match(text):
        alias = None
    else:
        alias = text if text.startswith("alias/") else f"alias/{text}"
        if not ALIAS_NAME_PATTERN.match(alias):
            raise KmsKeyError(f"key_id '{text}' is neither a key id, a key ARN nor a valid alias name (alias/ followed by letters, digits, /, _ or -)")
        text = alias
    if alias and alias.startswith(AWS_MANAGED_ALIAS_PREFIX):
        raise KmsKeyError(aws_managed_message(alias))
    return text


def aws_managed_message(what):
    return (
        f"{what} is an AWS-managed key: its key policy cannot be changed, it takes no grants for other accounts "
        "and cross-account replication cannot use it; create a customer-managed symmetric key and give its ARN"
    )


def key_refusal_reasons(metadata, removing=False):
    """Why the key described by DescribeKey's KeyMetadata cannot be used (empty when it can).

    When ``removing`` access, only the key's ownership matters: a disabled key may still lose
    our statement or grant.
    """
    reasons = []
    if metadata.get("KeyManager") != "CUSTOMER":
        reasons.append(aws_managed_message(f"key {metadata.get('Arn') or metadata.get('KeyId')}"))
    if removing:
        return reasons
    state = metadata.get("KeyState")
    if state != "Enabled":
        reasons.append(f"the key's state is {state}, not Enabled: enable it (aws kms enable-key, or cancel its deletion) first")
    spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
    if spec != "SYMMETRIC_DEFAULT":
        reasons.append(f"the key spec is {spec}: S3 encryption needs a symmetric encryption key (SYMMETRIC_DEFAULT)")
    usage = metadata.get("KeyUsage", "ENCRYPT_DECRYPT")
    if usage != "ENCRYPT_DECRYPT":
        reasons.append(f"the key usage is {usage}: S3 encryption needs ENCRYPT_DECRYPT")
    return reasons


def check_key(metadata, removing=False):
    reasons = key_refusal_reasons(metadata, removing)
    if reasons:
        raise KmsKeyError(f"cannot use key {metadata.get('Arn') or metadata.get('KeyId')}: " + "; ".join(reasons))
    return metadata


def normalise_operations(operations, mode):
    """``Encrypt`` or ``kms:Encrypt`` -> ``kms:Encrypt`` (mode policy) or ``Encrypt`` (mode grant), sorted, unique."""
    if not operations:
        raise KmsKeyError("operations is empty: name the KMS operations to allow, e.g. [kms:Encrypt]")
    allowed = POLICY_ACTIONS if mode == "policy" else GRANT_OPERATIONS
    by_lower_name = {name.lower(): name for name in allowed}
    names = set()
    for operation in operations:
        text = str(operation).strip()
        bare = text[4:] if text.lower().startswith("kms:") else text
        if "*" in bare:
            raise KmsKeyError(f"operation '{text}' is a wildcard: list each operation (least privilege), e.g. kms:Encrypt, kms:Decrypt")
        if bare.lower() not in by_lower_name:
            raise KmsKeyError(f"operation '{text}' is not allowed in mode {mode}: use one of " + ", ".join(allowed))
        names.add(by_lower_name[bare.lower()])
    return sorted(f"kms:{name}" for name in names) if mode == "policy" else sorted(names)


def normalise_principal(principal, partition="aws"):
    """A 12-digit account id becomes the account's root ARN; IAM/STS ARNs are kept; anything else is refused."""
    text = str(principal or "").strip()
    if ACCOUNT_ID_PATTERN.match(text):
        return f"arn:{partition}:iam::{text}:root"
    if not PRINCIPAL_ARN_PATTERN.match(text):
        raise KmsKeyError(f"principal '{text}' is not a 12-digit account id or an IAM ARN such as arn:aws:iam::ACCOUNT:role/NAME (wildcards are refused)")
    return text


def key_policy_statement(sid, principals, operations, conditions=None, partition="aws"):
    """The Allow statement that gives ``principals`` ``operations`` on the key (Resource is the key itself: "*")."""
    policy_documents.validate_sid(sid)
    if not principals:
        raise KmsKeyError("principals is empty: name at least one account id or IAM ARN")
    arns = sorted({normalise_principal(p, partition) for p in principals})
    statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": arns[0] if len(arns) == 1 else arns},
        "Action": normalise_operations(operations, "policy"),
        "Resource": "*",
    }
    if conditions:
        policy_documents.normalise_condition(conditions)
        statement["Condition"] = conditions
    return statement


def grants_owner_access(statement, owner_account):
    """True when the statement is (like KMS's default first statement) an Allow of kms:* to the owner account."""
    if statement.get("Effect") != "Allow" or "NotPrincipal" in statement or "NotAction" in statement:
        return False
    principal = policy_documents.normalise_principal(statement.get("Principal", {}))
    aws = principal.get("AWS", [])
    aws = aws if isinstance(aws, list) else [aws]
    if not any(p.startswith("arn:") and p.endswith(f":iam::{owner_account}:root") for p in aws):
        return False
    actions = statement.get("Action", [])
    actions = actions if isinstance(actions, list) else [actions]
    return any(str(action).lower() in OWNER_ADMIN_ACTIONS for action in actions)


def has_owner_access(policy, owner_account):
    parsed = policy_documents.parse_policy(policy)
    return bool(parsed) and any(grants_owner_access(s, owner_account) for s in parsed["Statement"])


def plan_key_policy(current_policy, owner_account, sid, statement=None):
    """The key policy after adding ``statement`` (or, when None, removing Sid ``sid``).

    Refuses to touch the statement that keeps the key's own account in control, and refuses any
    result that would lose that control when the current policy has it.
    """
    policy_documents.validate_sid(sid)
    for existing in policy_documents.find_statements(current_policy, sid):
        if grants_owner_access(existing, owner_account):
            raise KmsKeyError(
                f"Sid {sid} is the key policy statement that gives account {owner_account} its administrative access (kms:*): "
                "choose another sid; this module never replaces or removes that statement"
            )
    if statement is None:
        after = policy_documents.remove_statements(current_policy, [sid])
    else:
        after = policy_documents.merge_statements(current_policy, [statement])
    if has_owner_access(current_policy, owner_account) and not has_owner_access(after, owner_account):
        raise KmsKeyError(f"the change would remove account {owner_account}'s administrative access to its own key: refused")
    return after


def grant_constraints(encryption_context_equals=None, encryption_context_subset=None):
    """The CreateGrant Constraints structure, or None when there are no constraints."""
    constraints = {}
    for name, context in (("EncryptionContextEquals", encryption_context_equals), ("EncryptionContextSubset", encryption_context_subset)):
        if context:
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in context.items()):
                raise KmsKeyError(f"{name} must map strings to strings (encryption context keys and values are text)")
            constraints[name] = dict(context)
    return constraints or None


def desired_grant(name, grantee, operations, constraints=None, retiring_principal=None, partition="aws"):
    """The grant in ListGrants shape (without GrantId), validated."""
    if not GRANT_NAME_PATTERN.match(str(name or "")):
        raise KmsKeyError(f"grant name '{name}' is not valid: 1 to 256 letters, digits, :, /, _ or -")
    grant = {"Name": name, "GranteePrincipal": normalise_principal(grantee, partition), "Operations": normalise_operations(operations, "grant")}
    if constraints:
        refused = sorted(set(grant["Operations"]) & set(OPERATIONS_WITHOUT_CONTEXT))
        if refused:
            raise KmsKeyError(f"operations {', '.join(refused)} take no encryption context, so KMS refuses them in a grant with constraints: drop them")
        grant["Constraints"] = constraints
    if retiring_principal:
        grant["RetiringPrincipal"] = normalise_principal(retiring_principal, partition)
    return grant


def comparable_grant(grant):
    """The parts of a grant that decide whether it is the one we want, normalised."""
    constraints = grant.get("Constraints") or {}
    return {
        "Name": grant.get("Name"),
        "GranteePrincipal": policy_documents.normalise_principal_value(grant.get("GranteePrincipal") or ""),
        "Operations": sorted(grant.get("Operations") or []),
        "Constraints": {k: dict(v) for k, v in sorted(constraints.items()) if v},
        "RetiringPrincipal": policy_documents.normalise_principal_value(grant.get("RetiringPrincipal") or "") or None,
    }


def grant_matches(existing, desired):
    return comparable_grant(existing) == comparable_grant(desired)


def plan_named_grants(existing_grants, name, desired=None):
    """Splits the key's grants called ``name`` into (keep, create, revoke).

    ``desired`` None means state absent. ``keep`` is the grant that already matches (or None),
    ``create`` the grant to create (or None) and ``revoke`` every other grant of that name; the
    caller revokes them only after the replacement exists.
    """
    named = [g for g in existing_grants if g.get("Name") == name]
    if desired is None:
        return None, None, named
    matching = [g for g in named if grant_matches(g, desired)]
    keep = matching[0] if matching else None
    revoke = [g for g in named if g is not keep]
    return keep, (None if keep else desired), revoke


def duplicate_grants(existing_grants, desired, created_grant_id):
    """The grants equal to ``desired`` other than the one just created.

    CreateGrant is not idempotent everywhere: when a retry follows a request that reached KMS but
    whose answer was lost, a second identical grant can exist. Revoking the copies keeps the key
    with exactly one grant of that name, so the next run has nothing to change.
    """
    return [g for g in existing_grants if g.get("GrantId") != created_grant_id and g.get("Name") == desired["Name"] and grant_matches(g, desired)]
