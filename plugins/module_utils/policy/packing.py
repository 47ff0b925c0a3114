# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Packing: many Allow statements into the fewest that grant exactly the same, so documents fit AWS's quotas.

Identity policies (no Principal) are cut into *atoms*: one effect, one action set, one resource and one value
per condition key. A document grants exactly the union of its atoms, because IAM ORs the resources of a
statement, ORs the values of one condition key (for the operators that are not negated) and ORs statements.
Packing then only ever merges two groups of atoms that differ in one place:

* the same actions and conditions on other resources: one statement listing the resources;
* the same actions and resources, conditions equal but for the values of one key: one statement listing the
  values (several encryption contexts of one key, say).

Either merge grants exactly the union of the two, never a cross product, so the packed document grants what
the separate ones granted, no more. Statements that cannot be cut safely (NotAction, NotResource, a Principal,
negated or ForAllValues operators) are carried over as they are.

Resource policies (bucket, key) are packed the other way: statements equal but for their principal become
one statement with the principals listed (:func:`pack_principals`).
"""

import copy
import itertools
import json

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents

POLICY_VERSION = "2012-10-17"
UNCUTTABLE = ("NotAction", "NotResource", "Principal", "NotPrincipal")


def _as_list(value):
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cuttable(statement):
    if not isinstance(statement, dict) or any(element in statement for element in UNCUTTABLE):
        return False
    if statement.get("Effect") not in ("Allow", "Deny") or not statement.get("Action") or not statement.get("Resource"):
        return False
    condition = statement.get("Condition") or {}
    return isinstance(condition, dict) and all(
        isinstance(block, dict) and "Not" not in operator and not operator.startswith("ForAllValues") for operator, block in condition.items()
    )


def atoms(statements):
    """The atoms of identity-policy ``statements``: ``(effect, actions, resource, ((operator, key, value), ...))``, and uncut ones as JSON."""
    found = set()
    for statement in statements:
        if not _cuttable(statement):
            found.add(("uncut", json.dumps(statement, sort_keys=True)))
            continue
        actions = tuple(sorted({_text(action) for action in _as_list(statement["Action"])}))
        slots = [((operator, key), sorted({_text(v) for v in _as_list(values)}))
                 for operator, block in sorted((statement.get("Condition") or {}).items()) for key, values in sorted(block.items())]
        for resource in {_text(r) for r in _as_list(statement["Resource"])}:
            for values in itertools.product(*[choices for _slot, choices in slots]):
                found.add((statement["Effect"], actions, resource, tuple((slot[0], slot[1], v) for (slot, _c), v in zip(slots, values))))
    return found


def pack(atom_set, sid_prefix=None):
    """The fewest statements granting exactly ``atom_set``, in a stable order; ``sid_prefix(actions)`` names them ``PREFIX1``, ``PREFIX2`` ...

    The result depends on the set alone, so the same grants always pack into the same document (a rerun writes nothing).
    """
    uncut = [json.loads(atom[1]) for atom in sorted(a for a in atom_set if a[0] == "uncut")]
    groups = [_group(atom) for atom in atom_set if atom[0] != "uncut"]
    while True:
        merged = _merge_conditions(_merge_resources(groups))
        if len(merged) == len(groups):
            break
        groups = merged
    statements = [_statement(group) for group in sorted(groups, key=_order)]
    if sid_prefix:
        counts = {}
        for statement in statements:
            prefix = sid_prefix(tuple(_as_list(statement["Action"])))
            counts[prefix] = counts.get(prefix, 0) + 1
            statement["Sid"] = f"{prefix}{counts[prefix]}"
    return [_sid_first(s) for s in statements] + uncut


def pack_policy(statements, sid_prefix=None):
    """One identity policy granting exactly what ``statements`` (of any number of documents) grant together."""
    return {"Version": POLICY_VERSION, "Statement": pack(atoms(statements), sid_prefix)}


def subtract(statements, removed, sid_prefix=None):
    """What ``statements`` grant without ``removed``'s atoms, packed; None when nothing is left."""
    left = atoms(statements) - atoms(removed)
    return {"Version": POLICY_VERSION, "Statement": pack(left, sid_prefix)} if left else None


def grants_exactly(first, second):
    """True when two lists of identity statements are made of the same atoms (so grant the same)."""
    return atoms(first) == atoms(second)


def _group(atom):
    effect, actions, resource, conditions = atom
    return (effect, actions, frozenset([resource]), tuple((operator, key, frozenset([value])) for operator, key, value in conditions))


def _merge_resources(groups):
    merged = {}
    for effect, actions, resources, conditions in groups:
        key = (effect, actions, conditions)
        merged[key] = merged.get(key, frozenset()) | resources
    return [(effect, actions, resources, conditions) for (effect, actions, conditions), resources in merged.items()]


def _merge_conditions(groups):
    """Merges groups of the same actions and resources whose conditions differ in the values of one key only."""
    result = []
    for group in sorted(groups, key=_order):
        for index, other in enumerate(result):
            joined = _joined(other, group)
            if joined:
                result[index] = joined
                break
        else:
            result.append(group)
    return result


def _joined(first, second):
    if first[:3] != second[:3] or [c[:2] for c in first[3]] != [c[:2] for c in second[3]]:
        return None
    differing = [i for i, (a, b) in enumerate(zip(first[3], second[3])) if a[2] != b[2]]
    if len(differing) > 1:
        return None
    conditions = list(first[3])
    for i in differing:
        conditions[i] = conditions[i][:2] + (first[3][i][2] | second[3][i][2],)
    return first[:3] + (tuple(conditions),)


def _order(group):
    return (group[1], sorted(group[2]), [(o, k, sorted(v)) for o, k, v in group[3]])


def _one_or_list(values):
    values = sorted(values)
    return values[0] if len(values) == 1 else values


def _statement(group):
    effect, actions, resources, conditions = group
    statement = {"Effect": effect, "Action": _one_or_list(actions), "Resource": _one_or_list(resources)}
    if conditions:
        statement["Condition"] = {}
        for operator, key, values in conditions:
            statement["Condition"].setdefault(operator, {})[key] = _one_or_list(values)
    return statement


def _sid_first(statement):
    return {key: statement[key] for key in ("Sid", "Effect", "Action", "Resource", "Condition") if key in statement}


# --- resource policies: one statement per action set, the principals listed ------------------------


def without_principal(statement):
    """The statement's meaning apart from who it names: what statements that may share one Sid must agree on."""
    rest = {key: value for key, value in statement.items() if key not in ("Sid", "Principal")}
    return json.dumps(policy_documents.normalise_statement(rest), sort_keys=True)


def aws_principals(statement):
    principal = statement.get("Principal")
    return _as_list(principal.get("AWS")) if isinstance(principal, dict) else []


def pack_principals(statements, sid):
    """Resource-policy ``statements`` equal but for their AWS principals become one, with the principals listed; ``sid(statement)`` names it."""
    packed = {}
    for statement in statements:
        key = without_principal(statement)
        if key not in packed:
            packed[key] = (copy.deepcopy(statement), set())
        packed[key][1].update(aws_principals(statement))
    result = []
    for statement, principals in packed.values():
        statement["Principal"] = {"AWS": _one_or_list(principals)}
        statement["Sid"] = sid(statement)
        result.append({key: statement[key] for key in policy_documents.STATEMENT_ELEMENTS if key in statement})
    return sorted(result, key=lambda s: s["Sid"])
