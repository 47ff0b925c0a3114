# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure handling of IAM-style policy documents: key policies, bucket policies, identity policies.

Documents are plain dicts (or their JSON text). Statements we write are identified by Sid and
merged into the document; every other statement is carried over untouched. Comparison is
normalised the way AWS rewrites documents: ``ACCOUNT`` becomes ``arn:aws:iam::ACCOUNT:root``,
lists are reordered, one-element lists become strings, booleans and numbers become strings and a
missing ``Version`` means ``2008-10-17``.
"""

import copy
import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

DEFAULT_VERSION = "2008-10-17"
CURRENT_VERSION = "2012-10-17"
SID_PATTERN = re.compile(r"^[A-Za-z0-9]+$")
ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")
LIST_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource")
PRINCIPAL_ELEMENTS = ("Principal", "NotPrincipal")
STATEMENT_ELEMENTS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition")


class PolicyDocumentError(Refused):
    """A policy document or statement that cannot be used as given."""


def parse_policy(document):
    """Returns the policy as a new dict with ``Statement`` always a list, or None when there is none.

    Accepts a dict, its JSON text, or None / empty text / an empty dict for "no policy".
    """
    if document is None:
        return None
    if isinstance(document, (str, bytes)):
        text = document.decode("utf-8") if isinstance(document, bytes) else document
        if not text.strip():
            return None
        try:
            document = json.loads(text)
        except ValueError as e:
            raise PolicyDocumentError(f"the policy is not valid JSON: {e}") from e
    if not isinstance(document, dict):
        raise PolicyDocumentError(f"a policy document must be a JSON object, not {type(document).__name__}")
    if not document:
        return None
    parsed = copy.deepcopy(document)
    statements = parsed.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
        raise PolicyDocumentError("the policy's Statement must be a statement object or a list of them")
    parsed["Statement"] = statements
    return parsed


def empty_policy(version=CURRENT_VERSION):
    return {"Version": version, "Statement": []}


def policy_to_json(document):
    """Compact JSON for PutBucketPolicy / PutKeyPolicy (key order kept as given)."""
    return json.dumps(document, separators=(",", ":"))


def _as_sorted_list(value):
    values = value if isinstance(value, list) else [value]
    return sorted({_scalar_text(v) for v in values})


def _scalar_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _collapse(values):
    return values[0] if len(values) == 1 else values


def normalise_principal_value(value, partition="aws"):
    """``123456789012`` -> ``arn:PARTITION:iam::123456789012:root``; anything else as given."""
    text = _scalar_text(value)
    if isinstance(text, str) and ACCOUNT_ID_PATTERN.match(text):
        return f"arn:{partition}:iam::{text}:root"
    return text


def normalise_principal(principal, partition="aws"):
    if principal == "*":
        return {"AWS": "*"}
    if not isinstance(principal, dict):
        raise PolicyDocumentError(f'a Principal must be "*" or an object such as {{"AWS": [...]}}, not {principal!r}')
    normalised = {}
    for kind in sorted(principal):
        values = principal[kind] if isinstance(principal[kind], list) else [principal[kind]]
        normalised[kind] = _collapse(sorted({normalise_principal_value(v, partition) for v in values}))
    return normalised


def normalise_condition(condition):
    if not isinstance(condition, dict):
        raise PolicyDocumentError(f"a Condition must be an object of operators, not {condition!r}")
    normalised = {}
    for operator in sorted(condition):
        block = condition[operator]
        if not isinstance(block, dict):
            raise PolicyDocumentError(f"the Condition operator {operator} must map condition keys to values, not {block!r}")
        normalised[operator] = {key: _collapse(_as_sorted_list(block[key])) for key in sorted(block)}
    return normalised


def normalise_statement(statement, partition="aws"):
    """The statement in the one canonical form AWS may hand back; unknown elements are kept."""
    normalised = {}
    for element in sorted(statement):
        value = statement[element]
        if element in PRINCIPAL_ELEMENTS:
            normalised[element] = normalise_principal(value, partition)
        elif element in LIST_ELEMENTS:
            normalised[element] = _collapse(_as_sorted_list(value))
        elif element == "Condition":
            normalised[element] = normalise_condition(value)
        else:
            normalised[element] = copy.deepcopy(value)
    return normalised


def normalise_policy(document, partition="aws"):
    """Canonical form of a whole document (None stays None); statement order is kept."""
    parsed = parse_policy(document)
    if parsed is None:
        return None
    normalised = {key: copy.deepcopy(value) for key, value in parsed.items() if key != "Statement"}
    normalised.setdefault("Version", DEFAULT_VERSION)
    normalised["Statement"] = [normalise_statement(s, partition) for s in parsed["Statement"]]
    return normalised


def statements_equal(first, second):
    """True when two statements mean the same once AWS's rewrites are undone."""
    return policies_equal({"Statement": [first]}, {"Statement": [second]})


def policies_equal(first, second):
    """True when two documents mean the same; None, "" and {} are all "no policy"."""
    first, second = normalise_policy(first), normalise_policy(second)
    if first is None or second is None:
        return first is None and second is None
    return not compare_policies(first, second, default_version=DEFAULT_VERSION)


def statement_sids(document):
    parsed = parse_policy(document)
    return [s.get("Sid") for s in parsed["Statement"]] if parsed else []


def find_statements(document, sid):
    """Every statement of the document whose Sid is ``sid`` (a well-formed policy has at most one)."""
    parsed = parse_policy(document)
    return [s for s in parsed["Statement"] if s.get("Sid") == sid] if parsed else []


def find_statement(document, sid):
    """The statement whose Sid is ``sid``, or None; refuses a document holding the Sid twice."""
    matches = find_statements(document, sid)
    if len(matches) > 1:
        raise PolicyDocumentError(f"the policy holds {len(matches)} statements with Sid {sid}: fix it by hand so the Sid is unique")
    return matches[0] if matches else None


def validate_sid(sid):
    if not isinstance(sid, str) or not SID_PATTERN.match(sid):
        raise PolicyDocumentError(f"Sid {sid!r} is not usable: give every statement a Sid of letters and digits only ([A-Za-z0-9]+)")
    return sid


def validate_statement(statement, require_principal=False):
    """Checks a statement we are about to write; returns it unchanged."""
    if not isinstance(statement, dict):
        raise PolicyDocumentError(f"a statement must be an object, not {statement!r}")
    sid = validate_sid(statement.get("Sid"))
    unknown = sorted(set(statement) - set(STATEMENT_ELEMENTS))
    if unknown:
        raise PolicyDocumentError(f"statement {sid} has unknown elements {', '.join(unknown)}: use only {', '.join(STATEMENT_ELEMENTS)}")
    if statement.get("Effect") not in ("Allow", "Deny"):
        raise PolicyDocumentError(f"statement {sid} needs Effect Allow or Deny")
    for first, second in (("Action", "NotAction"), ("Resource", "NotResource")):
        if (first in statement) == (second in statement):
            raise PolicyDocumentError(f"statement {sid} needs exactly one of {first} and {second}")
    if require_principal and ("Principal" in statement) == ("NotPrincipal" in statement):
        raise PolicyDocumentError(f"statement {sid} is for a resource policy and needs exactly one of Principal and NotPrincipal")
    for element in PRINCIPAL_ELEMENTS:
        if element in statement:
            normalise_principal(statement[element])
    if "Condition" in statement:
        normalise_condition(statement["Condition"])
    return statement


def validate_statements(statements, require_principal=False):
    """Checks every statement we write: well formed, each with a unique alphanumeric Sid."""
    if not isinstance(statements, list) or not statements:
        raise PolicyDocumentError("give at least one statement, as a list")
    seen = set()
    for statement in statements:
        sid = validate_statement(statement, require_principal)["Sid"]
        if sid in seen:
            raise PolicyDocumentError(f"Sid {sid} appears more than once: every statement needs its own Sid")
        seen.add(sid)
    return statements


def merge_statements(document, statements, version=CURRENT_VERSION):
    """Returns a new document holding ``statements`` merged by Sid into ``document``.

    A statement already present with the same meaning is left exactly as AWS returned it, so an
    unchanged merge gives back an equal document; a different one is replaced in place; a new Sid
    is appended. Statements with other Sids are copied untouched.
    """
    merged = parse_policy(document) or empty_policy(version)
    for statement in statements:
        sid = validate_sid(statement.get("Sid"))
        current = find_statement(merged, sid)
        if current is None:
            merged["Statement"].append(copy.deepcopy(statement))
        elif not statements_equal(current, statement):
            merged["Statement"] = [copy.deepcopy(statement) if s.get("Sid") == sid else s for s in merged["Statement"]]
    return merged


def remove_statements(document, sids):
    """Returns a new document without the statements whose Sid is in ``sids`` (None when there was none)."""
    parsed = parse_policy(document)
    if parsed is None:
        return None
    wanted = set(sids)
    parsed["Statement"] = [s for s in parsed["Statement"] if s.get("Sid") not in wanted]
    return parsed


# --- statements shared by several principals (one statement per action set, the principals listed) -----------------

UNIQUE_ID_PATTERN = re.compile(r"^A[A-Z0-9]{3}[A-Z0-9]{12,}$")


def is_unique_id(principal):
    """True for a principal AWS rewrote as a unique id (``AROA...``, ``AIDA...``): the role or user it named was deleted."""
    return isinstance(principal, str) and bool(UNIQUE_ID_PATTERN.match(principal))


def aws_principals(statement, partition="aws"):
    """The AWS principals a statement names, normalised (account ids as root ARNs), as a set."""
    principal = (statement or {}).get("Principal")
    values = principal.get("AWS") if isinstance(principal, dict) else None
    return {normalise_principal_value(v, partition) for v in (values if isinstance(values, list) else [values] if values else [])}


def with_principals(statement, principals):
    """A copy of ``statement`` naming exactly ``principals`` (sorted), or None when there is none left."""
    if not principals:
        return None
    names = sorted(principals)
    return dict(copy.deepcopy(statement), Principal={"AWS": names[0] if len(names) == 1 else names})


def join_principals(current, statement):
    """``statement`` naming its principals and those ``current`` (our statement of the same Sid) already names.

    Unique ids of deleted roles in our statement are dropped: they grant nothing, a re-created role is another principal.
    Returns (statement, the unique ids dropped).
    """
    kept = {p for p in aws_principals(current) if not is_unique_id(p)}
    return with_principals(statement, kept | aws_principals(statement)), sorted(aws_principals(current) - kept)


def drop_principals(current, statement):
    """Our statement ``current`` without ``statement``'s principals (and unique ids of deleted roles); None when none is left."""
    if current is None:
        return None
    left = {p for p in aws_principals(current) if not is_unique_id(p)} - aws_principals(statement)
    return with_principals(current, left)


def merge_principal_statements(document, statements, present=True):
    """``document`` with each statement's principals joined into (present) or taken out of (absent) ours of the same Sid.

    Present: the statement replaces ours of its Sid, naming the principals of both. Absent: ours names the
    principals it named but these, and goes when it names none. Returns (document, unique ids of deleted roles dropped).
    """
    merged, dropped = parse_policy(document) or empty_policy(), []
    for statement in statements:
        sid = validate_sid(statement.get("Sid"))
        current = find_statement(merged, sid)
        if present:
            wanted, gone = join_principals(current, statement)
            dropped += gone
            merged = merge_statements(merged, [wanted])
        elif current is not None:
            wanted = drop_principals(current, statement)
            dropped += sorted(p for p in aws_principals(current) if is_unique_id(p))
            merged = merge_statements(merged, [wanted]) if wanted else remove_statements(merged, [sid])
    return merged, dropped
