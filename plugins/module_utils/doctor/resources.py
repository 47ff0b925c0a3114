# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's resource checks: the buckets, the replication configuration, the keys and the role, as the accounts hold them."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import admission as s3_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import precedence
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import FAIL
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import INFO
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import OK
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import SIDES
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import WARN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import finding
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import worst
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import key_in
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import owner_override
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import read_error
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import replica_key

# S3 admission rules (s3_rules) that a finding of their own reports for the enabled rules towards
# the destination; rules.s3-admission reports every other row, and these rows for the other rules.
DEDICATED_ROWS = {
    "rtc-needs-metrics": "replication-time-control",
    "event-threshold-needs-rtc": "replication-time-control",
    "fifteen-minutes": "replication-time-control",
    "owner-override-needs-account": "ownership",
    "replica-key-arn": "replica-key-arn",
    "sse-kms-and-replica-key": "replica-key / sse-kms-selection",
    "versioning-enabled": "source-versioning / destination-versioning",
}
TIMING_ROWS = ("rtc-needs-metrics", "event-threshold-needs-rtc", "fifteen-minutes")


# --- buckets -------------------------------------------------------------------------------------------


def check_buckets(view):
    findings = []
    for side in SIDES:
        bucket, name = getattr(view, f"{side}_bucket"), getattr(view, side)["bucket"]
        account = view.account(side)
        if view.existing(side):
            findings.append(finding(f"{side}-bucket", OK, side, account, name, f"bucket {name} exists"))
        elif bucket and read_error(bucket, "exists"):
            findings.append(finding(f"{side}-bucket", WARN, side, account, name, f"could not read bucket {name}: {read_error(bucket, 'exists')}",
                                    f"run the doctor with credentials of account {account} that may read the bucket"))
        else:
            findings.append(finding(f"{side}-bucket", FAIL, side, account, name, f"bucket {name} does not exist in account {account}",
                                    f"create the bucket (playbooks/replicate.yml creates the destination bucket) or fix replication_{side}.bucket"))
    return findings


def check_versioning(view):
    return [_versioning(view, side, bucket) for side, bucket in view.existing_buckets()]


def _versioning(view, side, bucket):
    name, account, state = bucket["name"], view.account(side), bucket.get("versioning")
    check_id = f"{side}-versioning"
    if state == "Enabled":
        return finding(check_id, OK, side, account, name, "versioning is Enabled")
    if state is None:
        return finding(check_id, WARN, side, account, name, f"could not read versioning: {read_error(bucket, 'versioning')}",
                       "allow s3:GetBucketVersioning to the doctor's credentials")
    consequence = "S3 refuses a replication configuration on it" if side == "source" else "replication fails with DstBucketUnversioned"
    return finding(check_id, FAIL, side, account, name, f"versioning is {state}: {consequence}",
                   f"enable versioning: aws s3api put-bucket-versioning --bucket {name} --versioning-configuration Status=Enabled")


def check_encryption(view):
    return [_encryption(view, side, bucket) for side, bucket in view.existing_buckets()]


def _encryption(view, side, bucket):
    name, account = bucket["name"], view.account(side)
    expected = getattr(view, side)["kms_key_arn"]
    encryption = bucket.get("encryption")
    check_id = f"{side}-encryption"
    if encryption is None and read_error(bucket, "encryption"):
        return finding(check_id, WARN, side, account, name, f"could not read default encryption: {read_error(bucket, 'encryption')}",
                       "allow s3:GetEncryptionConfiguration to the doctor's credentials")
    if not encryption or encryption.get("algorithm") != "aws:kms":
        algorithm = (encryption or {}).get("algorithm") or "none"
        return finding(check_id, WARN, side, account, name, f"default encryption is {algorithm}, not SSE-KMS with {expected}",
                       f"set default encryption to aws:kms with {expected} (s3_replication_bucket encryption.kms_key_arn)")
    if encryption.get("kms_key_arn") not in (expected, arns.parse_kms_key_arn(expected)["key_id"]):
        return finding(check_id, WARN, side, account, name,
                       f"default encryption uses key {encryption.get('kms_key_arn')}, not replication_{side}.kms_key_arn {expected}: "
                       "the doctor checks the role's access to the configured key only",
                       f"use one key: set replication_{side}.kms_key_arn to the bucket's key, or the bucket's default encryption to {expected}")
    keys = "with" if encryption.get("bucket_key_enabled") else "without"
    return finding(check_id, OK, side, account, name, f"default encryption is SSE-KMS with {expected}, {keys} S3 Bucket Keys")


def check_existing_objects(view):
    bucket = view.existing("source")
    if not bucket:
        return []
    name, account = bucket["name"], view.account("source")
    if bucket.get("has_objects") is False:
        return [finding("existing-objects", OK, "source", account, name, "the source bucket is empty: every object will be written after the rule")]
    return [finding(
        "existing-objects", INFO, "source", account, name,
        "the source bucket holds objects: those written before the replication rule existed, and those whose replication FAILED, "
        "are never replicated by the rule",
        "to copy them, run playbooks/backfill.yml with the same variables plus replication_backfill (an S3 Batch Replication job; docs/backfill.md)",
    )]


# --- the replication configuration ---------------------------------------------------------------------


def check_configuration(view):
    bucket = view.existing("source")
    if not bucket:
        return []
    name, account = bucket["name"], view.account("source")
    if view.configuration is None:
        error = read_error(bucket, "replication")
        if error:
            return [finding("replication-configuration", WARN, "source", account, name, f"could not read the replication configuration: {error}",
                            "allow s3:GetReplicationConfiguration to the doctor's credentials")]
        return [finding("replication-configuration", FAIL, "source", account, name, "the source bucket has no replication configuration",
                        "run playbooks/replicate.yml (or s3_replication_rule) to add the replication rule")]
    count = len(view.configuration.get("Rules", []))
    findings = [finding("replication-configuration", OK, "source", account, name, f"replication configuration with {count} rule(s)")]
    role = view.configuration.get("Role")
    if role == view.role_arn:
        findings.append(finding("replication-role", OK, "source", account, name, f"the configuration uses role {role}"))
    else:
        findings.append(finding("replication-role", FAIL, "source", account, name,
                                f"the configuration uses role {role}, but the replication role is {view.role_arn}",
                                "set the configuration's role to the replication role (s3_replication_rule role_arn) or fix replication_role_name"))
    findings.append(_rules_finding(view, name, account))
    return findings


def _rules_finding(view, name, account):
    by_id = {r.get("ID"): r for r in view.rules}
    problems = []
    for rule_id in view.rule_ids:
        rule = by_id.get(rule_id)
        if rule is None:
            problems.append(f"rule {rule_id} does not exist or does not replicate to {view.destination_arn}")
        elif rule.get("Status") != "Enabled":
            problems.append(f"rule {rule_id} is {rule.get('Status')}")
    if not view.enabled_rules:
        problems.append(f"no enabled rule replicates to {view.destination_arn}")
    if problems:
        return finding("replication-rules", FAIL, "source", account, name, "; ".join(problems),
                       "add or enable the rule (replication_rules in vars.yml, status: enabled) and rerun playbooks/replicate.yml")
    ids = ", ".join(str(r.get("ID")) for r in view.enabled_rules)
    return finding("replication-rules", OK, "source", account, name, f"enabled rule(s) towards {view.destination_arn}: {ids}")


def _per_rule(view, check_id, problem_of, ok_message, fix):
    """One finding over the rules S3 applies: ``problem_of(rule)`` returns (status, text) or None.

    A failing rule that takes objects from ours by its higher priority says which (S3 replicates those by it).
    """
    if not view.effective_rules:
        return []
    account, name = view.account("source"), view.source["bucket"]
    problems = [(status, f"rule {rule.get('ID')}: {text}" + (_taken(view, rule) if status == FAIL else ""))
                for rule in view.effective_rules for status, text in [problem_of(rule) or (OK, "")] if status != OK]
    if not problems:
        return [finding(check_id, OK, "source", account, name, ok_message)]
    status = worst(p[0] for p in problems)
    return [finding(check_id, status, "source", account, name, "; ".join(p[1] for p in problems), fix)]


def _taken(view, rule):
    taken = view.taken_from_ours(rule)
    if not taken:
        return ""
    what = "; ".join(f"{precedence.describe(both)} from rule {lower.get('ID')} (priority {lower.get('Priority')})" for lower, both in taken)
    return f"; at priority {rule.get('Priority')} it takes {what}, so S3 replicates those by it"


def check_shadowed_rules(view):
    """A WARN naming each enabled rule that a higher-priority rule to the same destination shadows entirely."""
    shadowed = [s for s in view.standings if s.shadowed_by is not None]
    if not shadowed:
        return []
    messages, fixes = [], []
    for standing in shadowed:
        rule, higher = standing.rule, standing.shadowed_by
        messages.append(f"rule {rule.get('ID')} (priority {rule.get('Priority')}, {precedence.describe(precedence.rule_filter(rule))}) never applies: "
                        f"rule {higher.get('ID')} (priority {higher.get('Priority')}) to the same destination matches all its objects, "
                        "and S3 replicates an object by the highest-priority rule that matches it")
        fixes.append(_shadowed_fix(view, rule, higher))
    return [finding("rules.shadowed", WARN, "source", view.account("source"), view.source["bucket"], "; ".join(messages),
                    "; ".join(dict.fromkeys(fixes)))]


def _shadowed_fix(view, rule, higher):
    if view.ours(rule):
        other = (f"narrow or remove rule {higher.get('ID')} in replication_rules" if view.ours(higher)
                 else f"have the owner of rule {higher.get('ID')} narrow or remove it")
        return f"give rule {rule.get('ID')} a priority above {higher.get('Priority')} (replication_rules priority), or {other}"
    return (f"remove rule {rule.get('ID')}: add it to replication_rules with state: absent (- id: {rule.get('ID')}, state: absent) and "
            f"rerun playbooks/replicate.yml; or adopt it: use id: {rule.get('ID')} in replication_rules in place of "
            f"{higher.get('ID') if view.ours(higher) else 'your rule'}, so that the run rewrites it with SSE-KMS selection and the replica key")


def check_sse_kms_selection(view):
    def problem(rule):
        selection = ((rule.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects") or {}).get("Status")
        if selection != "Enabled":
            return FAIL, "SourceSelectionCriteria.SseKmsEncryptedObjects is not Enabled: SSE-KMS objects are silently skipped"
        return None

    return _per_rule(view, "sse-kms-selection", problem, "every enabled rule selects SSE-KMS encrypted objects",
                     "enable SSE-KMS selection in the rule (s3_replication_rule sse_kms_encrypted_objects: true)")


def _row_problems(rule, row_ids, destination_region=None):
    """The messages of the admission rules ``row_ids`` that ``rule`` breaks."""
    return [message for row, message in s3_rules.rule_findings(rule, destination_region) if row.id in row_ids]


def check_replica_key(view):
    def present(rule):
        key = replica_key(rule)
        if not key:
            return FAIL, "Destination.EncryptionConfiguration.ReplicaKmsKeyID is missing: SSE-KMS objects cannot be replicated"
        if key != view.destination["kms_key_arn"] and key_in(key, view.destination):
            return WARN, f"the replica key is {key}, not replication_destination.kms_key_arn {view.destination['kms_key_arn']}"
        return None

    def full_arn(rule):
        found = _row_problems(rule, ("replica-key-arn",), view.destination["region"])
        if found:
            return FAIL, "; ".join(found) + " (S3 accepts it, then fails each object with DstKmsKeyNotFound)"
        key = replica_key(rule)
        account = arns.parse_kms_key_arn(key)["account_id"] if key else None
        if account and account != view.account("destination"):
            return FAIL, f"ReplicaKmsKeyID {key} is in account {account}, not the destination account {view.account('destination')}"
        return None

    fix = f"set the rule's replica key to the destination key's full ARN (s3_replication_rule replica_kms_key_arn: {view.destination['kms_key_arn']})"
    return (
        _per_rule(view, "replica-key", present, "every enabled rule names a replica key", fix)
        + _per_rule(view, "replica-key-arn", full_arn, "the replica key is a full key ARN in the destination account and region", fix)
    )


def check_replication_time(view):
    def problem(rule):
        found = _row_problems(rule, TIMING_ROWS)
        return (FAIL, "; ".join(found)) if found else None

    return _per_rule(view, "replication-time-control", problem, "Replication Time Control and metrics are consistent",
                     "with Replication Time Control, enable Metrics with the 15-minute EventThreshold (s3_replication_rule "
                     "replication_time_control: true); without it, Metrics carry no EventThreshold (metrics: true)")


def check_s3_admission(view):
    """Every rule of the source bucket's configuration against S3's admission rules (docs/s3-rules.md)."""
    bucket = view.existing("source")
    if not bucket or view.configuration is None:
        return []
    name, account = bucket["name"], view.account("source")
    problems = []
    for rule in s3_rules.rules_of(view.configuration):
        covered = any(rule is effective for effective in view.effective_rules)
        region = view.destination["region"] if rule in view.rules else None
        for row, message in s3_rules.rule_findings(rule, region):
            if not (covered and row.id in DEDICATED_ROWS):
                problems.append((WARN if row.behaviour == s3_rules.WARNED else FAIL, f"rule {rule.get('ID')}: {message}"))
    problems += [(FAIL, message) for _row, message in s3_rules.configuration_findings(view.configuration, name)]
    estate = s3_rules.estate_findings(view.configuration, view.source_bucket, view.destination_bucket)
    problems += [(FAIL, message) for row, message in estate if row.id not in DEDICATED_ROWS]
    if not problems:
        return [finding("rules.s3-admission", OK, "source", account, name, "every rule of the replication configuration is one S3 accepts")]
    status = worst(p[0] for p in problems)
    return [finding("rules.s3-admission", status, "source", account, name, "; ".join(p[1] for p in problems),
                    "change what each message names (docs/s3-rules.md lists S3's rules and their fixes); s3_replication_rule writes only "
                    "what S3 accepts")]


def check_ownership(view):
    destination = view.existing("destination")
    if not view.effective_rules or not destination:
        return []
    account, name = view.account("destination"), destination["name"]
    mode = destination.get("object_ownership")
    overriding = [r for r in view.effective_rules if owner_override(r)]
    problems = []
    for rule in overriding:
        rule_account = (rule.get("Destination") or {}).get("Account")
        missing = _row_problems(rule, ("owner-override-needs-account",))
        if missing:
            problems.append((FAIL, f"rule {rule.get('ID')}: {missing[0]}"))
        elif str(rule_account) != view.account("destination"):
            problems.append((FAIL, f"rule {rule.get('ID')} names Destination.Account {rule_account}, "
                                   f"not the destination account {view.account('destination')}"))
    if mode != "BucketOwnerEnforced" and len(overriding) < len(view.effective_rules):
        problems.append((WARN, f"object ownership is {mode or 'unset (ACLs enabled)'} and not every rule changes the replica owner: "
                               "those replicas stay owned by the source account"))
    if problems:
        status = worst(p[0] for p in problems)
        return [finding("ownership", status, "destination", account, name, "; ".join(p[1] for p in problems),
                        "set object ownership BucketOwnerEnforced on the destination bucket, or replication_owner_override: true "
                        "(AccessControlTranslation Owner=Destination with Destination.Account, and s3:ObjectOwnerOverrideToBucketOwner for the role)")]
    how = "the rules change the replica owner" if overriding else "object ownership is BucketOwnerEnforced"
    return [finding("ownership", OK, "destination", account, name, f"replicas are owned by the destination account ({how})")]


# --- keys ------------------------------------------------------------------------------------------------


def check_keys(view):
    return [
        _key_state("source-key-state", "source", view, view.effective_spec["source"]["kms_key_arn"], view.source_key, "SrcKmsKeyInvalidState"),
        _key_state("replica-key-state", "destination", view, view.replica_key_arn, view.replica_key, "DstKmsKeyInvalidState"),
    ]


def _key_state(check_id, side, view, arn, key, failure_code):
    account = view.account(side)
    if key is None or (not key.get("exists") and read_error(key, "metadata")):
        error = read_error(key, "metadata") if key else "the key was not read"
        return finding(check_id, WARN, side, account, arn, f"could not read key {arn}: {error}",
                       f"allow kms:DescribeKey on the key to the doctor's {side} credentials")
    if not key.get("exists"):
        code = "DstKmsKeyNotFound" if side == "destination" else "SrcKmsKeyInvalidState"
        return finding(check_id, FAIL, side, account, arn, f"key {arn} does not exist in account {account} ({code})",
                       f"create the key or fix replication_{side}.kms_key_arn (a full key ARN)")
    metadata = key.get("metadata") or {}
    problems = []
    if metadata.get("KeyState") != "Enabled":
        problems.append(f"the key is {metadata.get('KeyState')}, not Enabled ({failure_code})")
    if metadata.get("KeyManager") != "CUSTOMER":
        problems.append("the key is AWS-managed: it cannot be used across accounts")
    spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
    if spec != "SYMMETRIC_DEFAULT" or metadata.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        problems.append(f"the key is {spec} / {metadata.get('KeyUsage')}: S3 needs a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)")
    region = (metadata.get("Arn") or arn).split(":")[3] if (metadata.get("Arn") or arn).startswith("arn:") else None
    if region and region != getattr(view, side)["region"]:
        problems.append(f"the key is in region {region}, not the {side} bucket's region {getattr(view, side)['region']}")
    if problems:
        return finding(check_id, FAIL, side, account, arn, "; ".join(problems),
                       "use an enabled, customer-managed, symmetric key in the bucket's region (aws kms enable-key / cancel-key-deletion, or another key)")
    return finding(check_id, OK, side, account, arn, "the key is enabled, customer-managed, symmetric and in the bucket's region")


# --- the role ------------------------------------------------------------------------------------------------


def check_role(view):
    account = view.account("source")
    if view.role_ready():
        return [finding("replication-role-exists", OK, "source", account, view.role_arn, "the replication role exists")]
    if view.role and read_error(view.role, "role"):
        return [finding("replication-role-exists", WARN, "source", account, view.role_arn, f"could not read the role: {read_error(view.role, 'role')}",
                        "allow iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicyVersion to the doctor")]
    return [finding("replication-role-exists", FAIL, "source", account, view.role_arn, "the replication role does not exist (AssumeRoleNotPermitted)",
                    "run playbooks/replicate.yml to create it, or fix replication_role_name")]
