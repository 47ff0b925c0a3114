# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The documents several pairs share, packed from the policy model's per-pair documents (policy/model.py).

* A role carries ONE inline policy of ours for all its pairs (``ROLE_POLICY_NAME``) and one for Batch Replication
  (``BATCH_POLICY_NAME``), packed with policy/packing.py: statements grouped by action set, resources and
  encryption contexts listed. Several runs may share a role, so a write adds its grants to what the policy already
  grants (:func:`merged_policy`) and a teardown takes only its own out (:func:`reduced_policy`).
* A destination bucket or key policy holds one statement per action set (and conditions) with the roles listed as
  principals, under a stable Sid of ours (:func:`shared_sid`): the permission's Sid prefix and a digest of the
  statement without its principal, so every run writing to the same bucket or key finds the same Sid.

Earlier versions wrote one inline policy per pair and one statement per role: ``legacy_*`` name them (the names the
model still gives per pair) so the planner removes them, in the same write that adds the packed form.
"""

import hashlib
import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import packing

ROLE_POLICY_NAME = policy_model.ROLE_POLICY_NAME_PREFIX
BATCH_POLICY_NAME = policy_model.BATCH_POLICY_NAME_PREFIX
_PREFIXES = "|".join(sorted(policy_model.SID_PREFIXES.values(), key=len, reverse=True))
# Per-pair Sids (earlier versions, the identity statements of the model) end in a 10-digit digest, shared resource
# statements too, packed identity statements in a counter.
OUR_SID = re.compile(r"^(" + _PREFIXES + r")([0-9a-f]{10}|\d{1,4})$")
FALLBACK_PREFIX = "S3Repl"


def sid_prefix(sid):
    """The model's Sid prefix of one of our Sids, or None for another team's."""
    match = OUR_SID.match(str(sid or ""))
    return match.group(1) if match else None


def is_our_sid(sid):
    return sid_prefix(sid) is not None


def shared_sid(statement):
    """The stable Sid of a resource-policy statement shared by several roles: its prefix, and a digest of all but its principal."""
    digest = hashlib.sha256(packing.without_principal(statement).encode("utf-8")).hexdigest()[:policy_model.DIGEST_LENGTH]
    return (sid_prefix(statement.get("Sid")) or FALLBACK_PREFIX) + digest


def shared_statements(statements):
    """Per-role resource-policy statements (bucket or key policy) packed: one per action set and conditions, the roles listed."""
    return packing.pack_principals(statements, shared_sid)


def _namer(statements):
    """``actions -> Sid prefix`` from the Sids the statements carry (a packed policy keeps naming its statements as the model does)."""
    names = {}
    for statement in statements:
        prefix = sid_prefix(statement.get("Sid"))
        if prefix:
            names.setdefault(_actions(statement), prefix)
    return lambda actions: names.get(tuple(actions), FALLBACK_PREFIX)


def _actions(statement):
    action = statement.get("Action")
    return tuple(sorted({str(a) for a in (action if isinstance(action, list) else [action])}))


def _statements(document):
    parsed = policy_documents.parse_policy(document)
    return parsed["Statement"] if parsed else []


def packed_policy(documents):
    """One identity policy granting exactly what the given per-pair identity policies grant together."""
    statements = [statement for document in documents for statement in _statements(document)]
    return packing.pack_policy(statements, _namer(statements))


def merged_policy(current, wanted):
    """``wanted`` (a packed policy) joined with what the role's policy of that name already grants (other runs' pairs)."""
    statements = _statements(current) + _statements(wanted)
    return packing.pack_policy(statements, _namer(statements))


def reduced_policy(current, removed):
    """The role's policy without ``removed``'s grants; None when nothing is left (the policy goes)."""
    statements = _statements(current)
    return packing.subtract(statements, _statements(removed), _namer(statements + _statements(removed)))


def legacy_role_policy_names(pair_documents):
    """The inline policies earlier versions gave the role: one per pair (and one Batch Replication policy per source bucket)."""
    names = [pair_documents["role_policy_name"]]
    if pair_documents.get("batch_role_policy_name"):
        names.append(pair_documents["batch_role_policy_name"])
    return names
