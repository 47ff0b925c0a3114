# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication doctor: facts gathered read-only in both accounts in, findings out.

``diagnose(facts, spec, rule_ids=None, dashboard=None)`` takes ``facts = {"source": ..., "destination": ...}``, each
the return value of the ``s3_replication_info`` module run with that account's credentials, and
``spec``, the policy model's spec (``policy_model.required_permissions``; the playbooks' vars.yml
maps onto it). It returns ``{"status", "summary", "findings"}``; every finding is
``{id, status, side, account, resource, message, fix}`` with ``status`` ok / info / warn / fail. The ids are
stable (docs/doctor.md lists them); one id may appear once per resource.

The parts: ``view`` (what the accounts hold, and the spec as S3 will use it), ``resources`` (buckets,
the replication configuration, keys, the role), ``documents`` (the policies' statements, against the
table in ``known_actions``), ``access`` (the policy model's permissions, evaluated) and ``reporting``
(statuses, findings, the readable text).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import access
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import resources
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.documents import unknown_action  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import FAIL  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import INFO  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import OK  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import PROBLEMS  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import SIDES  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import STATUS_ORDER  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import WARN  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import combine  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import finding  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import render  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import report
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import DoctorError  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import accounts_view
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way

# The order of the findings in the report.
CHECKS = (
    resources.check_buckets,
    resources.check_versioning,
    resources.check_encryption,
    resources.check_configuration,
    resources.check_shadowed_rules,
    resources.check_sse_kms_selection,
    resources.check_replica_key,
    resources.check_replication_time,
    resources.check_s3_admission,
    resources.check_ownership,
    resources.check_keys,
    resources.check_role,
    documents.check_trust_principals,
    documents.check_identity_principal,
    access.check_permissions,
    documents.check_bucket_policy_principals,
    documents.check_unknown_actions,
    documents.check_broad_actions,
    documents.check_kms_conditions,
    resources.check_existing_objects,
    alerts.check_failure_alerts,
    alerts.check_dashboard,
)


def diagnose(facts, spec, rule_ids=None, dashboard=None):
    """All findings for the replication described by ``spec`` in the accounts described by ``facts`` (``dashboard``: the name of the
    dashboard replication_alerts asked for, if any)."""
    view = accounts_view(facts, spec, rule_ids, dashboard)
    return report([found for check in CHECKS for found in check(view)])


def planned_pairs(planned, host):
    """The pairs of ``host`` in a doctor or status plan (its ``diagnoses``: pair, direction, the account of each side, spec, rule ids),
    each with the facts of both its accounts as the plan's ``reads`` hold them."""
    reads = planned.get("reads") or {}
    return [dict(entry, facts={side: reads[key] for side, key in entry["accounts"].items()}) for entry in (planned.get("diagnoses") or {}).get(host, [])]


def diagnose_pair(entry):
    """One planned pair's diagnosis (an item of :func:`planned_pairs`); with two-way, each finding says which direction it is about."""
    result = diagnose(entry["facts"], entry["spec"], entry["rule_ids"], entry.get("dashboard"))
    return two_way.labelled(result, entry["direction"]) if entry["direction"] else result
