# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Would a write module change anything, judged from facts already read (s3_replication_info)?

playbooks/replicate.yml reads each account once in its preflight and skips the write tasks whose
resource is already as wanted, so a rerun on a converged setup starts no write module at all. Each
check runs the planning function of the module it stands for (bucket_settings, policy_documents,
kms_keys, replication_rules) on the facts, so "converged" means exactly "the module would report
no change". Anything unknown (a read that failed, a missing resource, facts not given) counts as
drift: the module then runs and decides itself. A wrong "drift" only costs a module run; a wrong
"converged" would skip a needed write, so every doubt resolves to drift.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import replication_rules


class DriftError(ValueError):
    """The check was asked something it cannot answer (an unknown kind, a missing option)."""


def _readable(facts, *attributes):
    """True when ``facts`` describe an existing resource whose ``attributes`` were read without error."""
    if not isinstance(facts, dict) or facts.get("exists") is not True:
        return False
    errors = facts.get("errors") or {}
    return not any(attribute in errors for attribute in attributes)


def bucket_drift(bucket, versioning=None, encryption=None, object_ownership=None):
    """s3_replication_bucket with these options would change the bucket (or create it)."""
    if not _readable(bucket, "versioning", "encryption", "object_ownership"):
        return True
    desired = bucket_settings.desired_settings(bucket["name"], versioning, encryption, object_ownership)
    current = bucket_settings.bucket_state(bucket["name"], bucket.get("region"), bucket.get("versioning"), bucket.get("encryption"),
                                           bucket.get("object_ownership"))
    try:
        return bool(bucket_settings.plan_changes(desired, current))
    except bucket_settings.BucketSettingsError:
        return True


def bucket_policy_drift(bucket, statements):
    """s3_bucket_policy_statement (state present) with ``statements`` would write the bucket policy."""
    if not _readable(bucket, "policy"):
        return True
    before = bucket.get("policy")
    return not policy_documents.policies_equal(before, policy_documents.merge_statements(before, statements))


def _key_policy_readable(key):
    return _readable(key, "metadata", "policy") and bool((key.get("metadata") or {}).get("Arn"))


def _key_account(key):
    return key["metadata"]["Arn"].split(":")[4]


def _key_partition(key):
    return key["metadata"]["Arn"].split(":")[1]


def key_statement_drift(key, sid, principals=None, operations=None, conditions=None, state="present"):
    """kms_key_grant mode=policy would change the key policy (merge Sid ``sid``, or remove it)."""
    if not _key_policy_readable(key):
        return True
    statement = None
    if state == "present":
        statement = kms_keys.key_policy_statement(sid, principals, operations, conditions, _key_partition(key))
    before = key.get("policy")
    try:
        after = kms_keys.plan_key_policy(before, _key_account(key), sid, statement)
    except kms_keys.KmsKeyError:
        return True
    return not policy_documents.policies_equal(before, after)


def key_grant_drift(key, name, principals=None, operations=None, encryption_context_equals=None, encryption_context_subset=None, state="present"):
    """kms_key_grant mode=grant would create or revoke a grant called ``name``."""
    if not _readable(key, "metadata", "grants"):
        return True
    desired = None
    if state == "present":
        if not principals or len(principals) != 1:
            return True
        constraints = kms_keys.grant_constraints(encryption_context_equals, encryption_context_subset)
        desired = kms_keys.desired_grant(name, principals[0], operations, constraints, None, _key_partition(key))
    _keep, create, revoke = kms_keys.plan_named_grants(key.get("grants") or [], name, desired)
    return bool(create or revoke)


def role_drift(role, trust_policy, path="/"):
    """The replication role is missing, or its trust policy or path differs."""
    if not _readable(role, "role") or not role.get("arn"):
        return True
    role_path = "/" + "/".join(role["arn"].split(":", 5)[5].split("/")[1:-1])
    role_path = role_path if role_path.endswith("/") else role_path + "/"
    if role_path != (path or "/"):
        return True
    return not policy_documents.policies_equal(role.get("trust_policy"), trust_policy)


def role_policy_drift(role, policy_name, policy):
    """The role's inline policy ``policy_name`` is missing or differs from ``policy``."""
    if not _readable(role, "role", "inline_policies", f"inline_policies.{policy_name}"):
        return True
    current = (role.get("inline_policies") or {}).get(policy_name)
    return current is None or not policy_documents.policies_equal(current, policy)


def rules_drift(bucket, rules):
    """s3_replication_rule, run once per item of ``rules`` (module options) in order, would write the configuration."""
    if not _readable(bucket, "replication"):
        return True
    configuration = copy.deepcopy(bucket.get("replication"))
    changed = False
    for options in rules:
        try:
            if options.get("state", "present") == "absent":
                plan = replication_rules.plan_absent(configuration, options["id"], bucket["name"])
            else:
                plan = replication_rules.plan_present(configuration, options, bucket["name"])
        except replication_rules.ReplicationRuleError:
            return True
        changed = changed or plan["changed"]
        configuration = plan["after"]
    return changed


CHECKS = {
    "bucket": bucket_drift,
    "bucket_policy": bucket_policy_drift,
    "key_statement": key_statement_drift,
    "key_grant": key_grant_drift,
    "role": role_drift,
    "role_policy": role_policy_drift,
    "rules": rules_drift,
}


def drift(facts, kind, **options):
    """True when the write for ``kind`` is needed (or cannot be ruled out) given ``facts``."""
    if kind not in CHECKS:
        raise DriftError(f"unknown kind '{kind}': use one of {', '.join(sorted(CHECKS))}")
    if facts is None:
        return True
    try:
        return CHECKS[kind](facts, **options)
    except TypeError as error:
        raise DriftError(f"kind '{kind}': {error}") from None
    except (policy_documents.PolicyDocumentError, kms_keys.KmsKeyError, bucket_settings.BucketSettingsError, ValueError, KeyError):
        return True
