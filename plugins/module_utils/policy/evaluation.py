# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Offline evaluation of IAM policy documents for one request, the way AWS decides.

A request is a plain dict (see ``make_request``): who asks (an AWS principal ARN and its account,
or a service principal), the action, the resource ARN, and the request context: the condition keys
the request is known to carry (``context``) and the keys known to be absent (``absent``). A key that
is in neither is unknown: a statement whose outcome depends on it is reported as *uncertain*, never
silently counted as matching or not matching.

``evaluate_policy`` answers for one document: which statements allow (directly, or by delegation to
the principal's account through its root ARN or account id), which deny, which might apply. An
identity policy's statements have no Principal; a resource policy's do. ``authorize`` combines the
identity policies, the permissions boundary, the resource policy and KMS grants like AWS does: an
explicit Deny anywhere wins; within one account the identity policy OR the resource policy suffices,
except that a KMS key policy must allow the principal itself or delegate to its account; across
accounts both sides must allow.

Statement applicability is three-valued: True, False, or None (cannot be told offline).
"""

import re
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

ALLOW = "allow"
DENY = "deny"
IMPLICIT_DENY = "implicit-deny"

BUCKET = "bucket"
KEY = "key"
TRUST = "trust"

SUPPORTED_BASE_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Bool",
    "Null",
)
NEGATED_OPERATORS = ("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike")
SET_PREFIXES = ("ForAnyValue", "ForAllValues")
POLICY_VARIABLE = re.compile(r"\$\{[^}]*\}")
ACCOUNT_ID = re.compile(r"^\d{12}$")
ROOT_ARN = re.compile(r"^arn:[a-z-]+:iam::(\d{12}):root$")
IAM_ARN = re.compile(r"^arn:[a-z-]+:(iam|sts)::(\d{12}):(.+)$")


class PolicyEvaluationError(Refused):
    """A request or document the evaluator cannot work with."""


# --- requests ------------------------------------------------------------------------------------


def make_request(action, resource, principal_arn=None, service=None, context=None, absent=()):
    """A request by the AWS principal ``principal_arn`` (a role ARN) or by the service principal ``service``.

    ``context`` maps condition keys to a value or a list of values; ``absent`` names keys the request
    is known not to carry. Key names are case-insensitive, as in IAM.
    """
    if bool(principal_arn) == bool(service):
        raise PolicyEvaluationError("a request needs exactly one of principal_arn and service")
    principal = {"service": service.lower()} if service else {"arn": principal_arn, "account": _principal_account(principal_arn)}
    values = {}
    for key, value in (context or {}).items():
        values[key.lower()] = [_text(v) for v in value] if isinstance(value, (list, tuple)) else [_text(value)]
    return {
        "action": action,
        "resource": resource,
        "principal": principal,
        "context": values,
        "absent": {key.lower() for key in absent},
    }


def _principal_account(arn):
    match = IAM_ARN.match(arn or "")
    if not match:
        raise PolicyEvaluationError(f"'{arn}' is not an IAM principal ARN (arn:aws:iam::ACCOUNT:role/NAME)")
    return match.group(2)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


# --- wildcard matching ---------------------------------------------------------------------------


def _glob_regex(pattern, ignore_case):
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def glob_match(pattern, value, ignore_case=False):
    """IAM wildcards: ``*`` any run of characters (including ``/`` and ``:``), ``?`` one character."""
    return bool(_glob_regex(str(pattern), ignore_case).match(str(value)))


def action_matches(pattern, action):
    """Actions compare case-insensitively; ``*`` alone matches every action."""
    return glob_match(pattern, action, ignore_case=True)


def arn_like(pattern, arn):
    """ArnLike / ArnEquals: the six ARN parts are compared one by one, each with wildcards."""
    pattern_parts = str(pattern).split(":", 5)
    arn_parts = str(arn).split(":", 5)
    if len(pattern_parts) != 6 or len(arn_parts) != 6:
        return pattern == "*" or (len(pattern_parts) == len(arn_parts) and glob_match(pattern, arn))
    return all(glob_match(p, a) for p, a in zip(pattern_parts, arn_parts))


# --- statement elements --------------------------------------------------------------------------


def _uncertain(reason):
    return None, [reason]


def _match_actions(statement, action):
    if "Action" in statement:
        return any(action_matches(p, action) for p in _as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(action_matches(p, action) for p in _as_list(statement["NotAction"]))
    return False


def _match_resources(statement, resource):
    """True / False, or None when a pattern holds a policy variable such as ${aws:username}."""
    element = "Resource" if "Resource" in statement else "NotResource" if "NotResource" in statement else None
    if element is None:
        # Trust policies and some key policies omit Resource: the document's own resource is meant.
        return True, []
    patterns = _as_list(statement[element])
    if any(POLICY_VARIABLE.search(str(p)) for p in patterns):
        return _uncertain(f"{element} uses a policy variable ({', '.join(str(p) for p in patterns)})")
    matched = any(glob_match(p, resource) for p in patterns)
    return (matched if element == "Resource" else not matched), []


def principal_match(principal_element, principal):
    """How a Principal element names the requester: ``direct``, ``account`` (root ARN / account id:
    the account's own IAM policies decide), or None (not named), with reasons when it cannot be told."""
    if principal_element == "*":
        return "direct", []
    if not isinstance(principal_element, dict):
        return None, []
    if "service" in principal:
        services = [str(s).lower() for s in _as_list(principal_element.get("Service"))]
        anyone = "*" in _as_list(principal_element.get("AWS"))
        return ("direct" if principal["service"] in services or anyone else None), []
    best, reasons = None, []
    for value in _as_list(principal_element.get("AWS")):
        kind, why = _aws_principal_match(str(value), principal)
        reasons += why
        if kind == "direct":
            return "direct", []
        if kind == "account":
            best = "account"
    if best is None and reasons:
        return None, reasons
    return best, []


def _aws_principal_match(value, principal):
    if value == "*":
        return "direct", []
    if ACCOUNT_ID.match(value):
        return ("account" if value == principal["account"] else None), []
    root = ROOT_ARN.match(value)
    if root:
        return ("account" if root.group(1) == principal["account"] else None), []
    if value == principal["arn"]:
        return "direct", []
    match = IAM_ARN.match(value)
    role = IAM_ARN.match(principal["arn"])
    if match and role and match.group(1) == "sts" and match.group(2) == principal["account"]:
        role_name = role.group(3).rsplit("/", 1)[-1]
        if match.group(3).startswith(f"assumed-role/{role_name}/"):
            return None, [f"Principal {value} names one session of the role; S3's session name cannot be known"]
    return None, []


def _match_principal(statement, principal, kind):
    """Identity policies have no principal (the policy's holder is the principal)."""
    if kind == "identity":
        return "direct", []
    if "Principal" in statement:
        return principal_match(statement["Principal"], principal)
    if "NotPrincipal" in statement:
        kind_found, reasons = principal_match(statement["NotPrincipal"], principal)
        if reasons:
            return None, reasons
        return (None if kind_found else "direct"), []
    return None, []


# --- conditions ----------------------------------------------------------------------------------


def split_operator(operator):
    """``ForAnyValue:StringLikeIfExists`` -> (``ForAnyValue``, ``StringLike``, True)."""
    prefix = None
    if ":" in operator:
        prefix, operator = operator.split(":", 1)
    if_exists = operator.endswith("IfExists") and operator != "IfExists"
    base = operator[: -len("IfExists")] if if_exists else operator
    return prefix, base, if_exists


def evaluate_condition(condition, request):
    """(True / False / None, reasons). Operators and keys are ANDed, a key's values ORed."""
    if not condition:
        return True, []
    if not isinstance(condition, dict):
        return _uncertain(f"Condition is not an object: {condition!r}")
    reasons = []
    result = True
    for operator, block in condition.items():
        if not isinstance(block, dict):
            return _uncertain(f"Condition operator {operator} does not map keys to values")
        for key, values in block.items():
            outcome, why = _evaluate_operator(operator, key, values, request)
            if outcome is False:
                return False, []
            if outcome is None:
                result = None
                reasons += why
    return result, reasons


def _evaluate_operator(operator, key, policy_values, request):
    prefix, base, if_exists = split_operator(operator)
    if base not in SUPPORTED_BASE_OPERATORS or (prefix is not None and prefix not in SET_PREFIXES):
        return _uncertain(f"condition operator {operator} (key {key}) is not evaluated offline")
    values = [_text(v) for v in _as_list(policy_values)]
    if any(POLICY_VARIABLE.search(v) for v in values):
        return _uncertain(f"condition {operator} {key} uses a policy variable")
    lowered = key.lower()
    if lowered in request["context"]:
        request_values = request["context"][lowered]
    elif lowered in request["absent"]:
        request_values = None
    else:
        return _uncertain(f"condition key {key} ({operator}) is not known for this request")
    if base == "Null":
        wants_absent = [v.lower() == "true" for v in values]
        return any(w == (request_values is None) for w in wants_absent), []
    if request_values is None:
        if if_exists or prefix == "ForAllValues":
            return True, []
        return (base in NEGATED_OPERATORS and prefix is None), []
    return _compare(prefix, base, values, request_values), []


def _compare(prefix, base, policy_values, request_values):
    negated = base in NEGATED_OPERATORS
    matcher = _value_matcher(base)

    def matches(value):
        return any(matcher(pattern, value) for pattern in policy_values)

    if prefix == "ForAllValues":
        return all((not matches(v)) if negated else matches(v) for v in request_values)
    if prefix == "ForAnyValue":
        return any((not matches(v)) if negated else matches(v) for v in request_values)
    hit = any(matches(v) for v in request_values)
    return not hit if negated else hit


def _value_matcher(base):
    if base in ("StringEquals", "StringNotEquals"):
        return lambda pattern, value: pattern == value
    if base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return lambda pattern, value: pattern.lower() == value.lower()
    if base in ("StringLike", "StringNotLike"):
        return glob_match
    if base == "Bool":
        return lambda pattern, value: pattern.lower() == value.lower()
    return arn_like


# --- documents -----------------------------------------------------------------------------------


def statement_label(statement, index):
    sid = statement.get("Sid") if isinstance(statement, dict) else None
    return f"Sid {sid}" if sid else f"statement {index + 1}"


def evaluate_statement(statement, request, kind="resource"):
    """(applies: True / False / None, how the principal is named, reasons)."""
    if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
        return False, None, []
    named, reasons = _match_principal(statement, request["principal"], kind)
    if named is None and not reasons:
        return False, None, []
    if not _match_actions(statement, request["action"]):
        return False, None, []
    resource_ok, resource_reasons = _match_resources(statement, request["resource"])
    if resource_ok is False:
        return False, None, []
    condition_ok, condition_reasons = evaluate_condition(statement.get("Condition"), request)
    if condition_ok is False:
        return False, None, []
    reasons = reasons + resource_reasons + condition_reasons
    return (None if reasons else True), named, reasons


def evaluate_policy(document, request, kind="resource"):
    """Which statements of one document allow, deny or might apply to ``request``.

    ``kind`` is ``identity`` (no Principal element) or ``resource`` (bucket, key or trust policy).
    Returns ``{allowed_by, delegated_by, denied_by, uncertain: [{statement, effect, reasons}]}``;
    ``delegated_by`` lists Allow statements that name the principal's account (root ARN or id).
    """
    result = {"allowed_by": [], "delegated_by": [], "denied_by": [], "uncertain": []}
    statements = (document or {}).get("Statement", [])
    for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
        applies, named, reasons = evaluate_statement(statement, request, kind)
        if applies is False:
            continue
        label = statement_label(statement, index)
        effect = statement["Effect"]
        if applies is None:
            result["uncertain"].append({"statement": label, "effect": effect, "reasons": reasons})
        elif effect == "Deny":
            result["denied_by"].append(label)
        elif named == "account":
            result["delegated_by"].append(label)
        else:
            result["allowed_by"].append(label)
    return result


def grant_allows(grant, request, encryption_context):
    """A KMS grant permits ``request`` when it names the principal and the operation and its
    constraints hold for the request's encryption context (a dict)."""
    if grant.get("GranteePrincipal") != request["principal"].get("arn"):
        return False
    operation = request["action"].split(":", 1)[-1]
    if operation not in _as_list(grant.get("Operations")):
        return False
    constraints = grant.get("Constraints") or {}
    equals = constraints.get("EncryptionContextEquals")
    if equals is not None and equals != encryption_context:
        return False
    subset = constraints.get("EncryptionContextSubset") or {}
    return all(encryption_context.get(k) == v for k, v in subset.items())


def _labelled(result, name):
    if name is None:
        return result
    return {part: ([f"{name}: {s}" for s in labels] if part != "uncertain" else [dict(u, statement=f"{name}: {u['statement']}") for u in labels])
            for part, labels in result.items()}


def _identity_side(identity_policies, boundary, request):
    """The identity side's statements: a permissions boundary must also allow, and its denies count."""
    named = identity_policies.items() if isinstance(identity_policies, dict) else [(None, doc) for doc in identity_policies]
    results = [_labelled(evaluate_policy(doc, request, "identity"), name) for name, doc in named]
    denied = [d for r in results for d in r["denied_by"]]
    allowed = [a for r in results for a in r["allowed_by"]]
    uncertain = [u for r in results for u in r["uncertain"]]
    if boundary is not None:
        limit = _labelled(evaluate_policy(boundary, request, "identity"), "permissions boundary")
        denied += limit["denied_by"]
        uncertain += limit["uncertain"]
        if not limit["allowed_by"]:
            allowed = []
    return {"allowed_by": allowed, "denied_by": denied, "uncertain": uncertain}


def authorize(request, identity_policies, resource_policy, resource_account, resource_kind=BUCKET, boundary=None, grants=(), encryption_context=None):
    """Combines every document AWS consults for ``request`` into one decision.

    ``identity_policies`` is a list of documents or a dict {policy name: document} (names label the
    statements). Returns ``{decision, uncertain, identity, identity_statements, resource,
    resource_statements, grants, same_account}``: ``decision`` is allow / deny / implicit-deny;
    ``identity`` and ``resource`` are the per-side verdicts (``allow``, ``deny``, ``delegate`` for a
    resource policy that defers to the principal's account, or ``none``); ``grants`` names the KMS
    grants that permit the request; ``uncertain`` lists statements that might apply but cannot be
    evaluated offline.
    """
    identity_result = _identity_side(identity_policies, boundary, request)
    resource_result = evaluate_policy(resource_policy, request, "resource")
    matching_grants = [g.get("Name") or g.get("GrantId") for g in grants if grant_allows(g, request, encryption_context or {})]
    same_account = request["principal"].get("account") == resource_account

    identity = DENY if identity_result["denied_by"] else ALLOW if identity_result["allowed_by"] else "none"
    resource = DENY if resource_result["denied_by"] else ALLOW if resource_result["allowed_by"] else "delegate" if resource_result["delegated_by"] else "none"
    return {
        "decision": _combine(identity, resource, bool(matching_grants), same_account, resource_kind),
        "uncertain": identity_result["uncertain"] + resource_result["uncertain"],
        "identity": identity,
        "identity_statements": identity_result,
        "resource": resource,
        "resource_statements": resource_result,
        "grants": matching_grants,
        "same_account": same_account,
    }


def _combine(identity, resource, granted, same_account, resource_kind):
    if DENY in (identity, resource):
        return DENY
    resource_side = resource == ALLOW or (resource_kind == KEY and granted)
    if resource_kind == TRUST:
        return ALLOW if resource == ALLOW else IMPLICIT_DENY
    if same_account:
        if resource_side:
            return ALLOW
        if resource_kind == KEY:
            # A key policy is the only door: IAM policies count only when it delegates to the account.
            return ALLOW if resource == "delegate" and identity == ALLOW else IMPLICIT_DENY
        return ALLOW if identity == ALLOW else IMPLICIT_DENY
    return ALLOW if identity == ALLOW and (resource_side or resource == "delegate") else IMPLICIT_DENY
