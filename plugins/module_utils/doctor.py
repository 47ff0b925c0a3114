# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication doctor: facts gathered read-only in both accounts in, findings out.

``diagnose(facts, spec, rule_ids=None)`` takes ``facts = {"source": ..., "destination": ...}``, each
the return value of the ``s3_replication_info`` module run with that account's credentials, and
``spec``, the policy model's spec (``policy_model.required_permissions``; the playbooks' vars.yml
maps onto it). It returns ``{"status", "summary", "findings"}``; every finding is
``{id, status, side, account, resource, message, fix}`` with ``status`` ok / warn / fail. The ids are
stable (docs/doctor.md lists them); one id may appear once per resource.

What the accounts really hold wins over the spec where S3 uses it: the Bucket Key settings of
both buckets (they decide the KMS encryption context), whether the rules change the replica owner
(AccessControlTranslation), Object Lock on the source, and the replica key the rules name.
"""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_evaluation as pe
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import s3_rules

OK = "ok"
# Nothing is wrong, but there is something to do (e.g. copy the objects older than the rule): it does not
# lower the headline, which stays OK on a healthy setup.
INFO = "info"
WARN = "warn"
FAIL = "fail"
STATUS_ORDER = {OK: 0, INFO: 1, WARN: 2, FAIL: 3}
PROBLEMS = (WARN, FAIL)
SIDES = ("source", "destination")
SAMPLE_OBJECT = "doctor-sample-object"
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

# Condition keys that are absent from the requests S3 makes for replication: they come from S3's
# own network, never through a VPC endpoint of yours, and carry no KMS alias or grant request.
ABSENT_KEYS = ("aws:SourceVpc", "aws:SourceVpce", "kms:RequestAlias", "kms:GrantIsForAWSResource")

# Actions of the services replication documents use (IAM service authorization reference, 2025).
# Names are compared case-insensitively; a pattern must match at least one of them.
KNOWN_ACTIONS = {
    "sts": """AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity AssumeRoot DecodeAuthorizationMessage GetAccessKeyInfo
        GetCallerIdentity GetFederationToken GetServiceBearerToken GetSessionToken SetContext SetSourceIdentity TagSession""",
    "kms": """CancelKeyDeletion ConnectCustomKeyStore CreateAlias CreateCustomKeyStore CreateGrant CreateKey Decrypt DeleteAlias
        DeleteCustomKeyStore DeleteImportedKeyMaterial DeriveSharedSecret DescribeCustomKeyStores DescribeKey DisableKey DisableKeyRotation
        DisconnectCustomKeyStore EnableKey EnableKeyRotation Encrypt GenerateDataKey GenerateDataKeyPair GenerateDataKeyPairWithoutPlaintext
        GenerateDataKeyWithoutPlaintext GenerateMac GenerateRandom GetKeyPolicy GetKeyRotationStatus GetParametersForImport GetPublicKey
        ImportKeyMaterial ListAliases ListGrants ListKeyPolicies ListKeyRotations ListKeys ListResourceTags ListRetirableGrants PutKeyPolicy
        ReEncryptFrom ReEncryptTo ReplicateKey RetireGrant RevokeGrant RotateKeyOnDemand ScheduleKeyDeletion Sign SynchronizeMultiRegionKey
        TagResource UntagResource UpdateAlias UpdateCustomKeyStore UpdateKeyDescription UpdatePrimaryRegion Verify VerifyMac""",
    "s3": """AbortMultipartUpload AssociateAccessGrantsIdentityCenter BypassGovernanceRetention CreateAccessGrant CreateAccessGrantsInstance
        CreateAccessGrantsLocation CreateAccessPoint CreateAccessPointForObjectLambda CreateBucket CreateBucketMetadataTableConfiguration
        CreateJob CreateMultiRegionAccessPoint CreateStorageLensGroup DeleteAccessGrant DeleteAccessGrantsInstance
        DeleteAccessGrantsInstanceResourcePolicy DeleteAccessGrantsLocation DeleteAccessPoint DeleteAccessPointForObjectLambda
        DeleteAccessPointPolicy DeleteAccessPointPolicyForObjectLambda DeleteBucket DeleteBucketMetadataTableConfiguration DeleteBucketPolicy
        DeleteBucketWebsite DeleteJobTagging DeleteMultiRegionAccessPoint DeleteObject DeleteObjectTagging DeleteObjectVersion
        DeleteObjectVersionTagging DeleteStorageLensConfiguration DeleteStorageLensConfigurationTagging DeleteStorageLensGroup DescribeJob
        DescribeMultiRegionAccessPointOperation DissociateAccessGrantsIdentityCenter GetAccelerateConfiguration GetAccessGrant
        GetAccessGrantsInstance GetAccessGrantsInstanceForPrefix GetAccessGrantsInstanceResourcePolicy GetAccessGrantsLocation GetAccessPoint
        GetAccessPointConfigurationForObjectLambda GetAccessPointForObjectLambda GetAccessPointPolicy GetAccessPointPolicyForObjectLambda
        GetAccessPointPolicyStatus GetAccessPointPolicyStatusForObjectLambda GetAccountPublicAccessBlock GetAnalyticsConfiguration
        GetBucketAcl GetBucketCORS GetBucketLocation GetBucketLogging GetBucketMetadataTableConfiguration GetBucketNotification
        GetBucketObjectLockConfiguration GetBucketOwnershipControls GetBucketPolicy GetBucketPolicyStatus GetBucketPublicAccessBlock
        GetBucketRequestPayment GetBucketTagging GetBucketVersioning GetBucketWebsite GetDataAccess GetEncryptionConfiguration
        GetIntelligentTieringConfiguration GetInventoryConfiguration GetJobTagging GetLifecycleConfiguration GetMetricsConfiguration
        GetMultiRegionAccessPoint GetMultiRegionAccessPointPolicy GetMultiRegionAccessPointPolicyStatus GetMultiRegionAccessPointRoutes
        GetObject GetObjectAcl GetObjectAttributes GetObjectLegalHold GetObjectRetention GetObjectTagging GetObjectTorrent GetObjectVersion
        GetObjectVersionAcl GetObjectVersionAttributes GetObjectVersionForReplication GetObjectVersionTagging GetObjectVersionTorrent
        GetReplicationConfiguration GetStorageLensConfiguration GetStorageLensConfigurationTagging GetStorageLensDashboard GetStorageLensGroup
        InitiateReplication ListAccessGrants ListAccessGrantsInstances ListAccessGrantsLocations ListAccessPoints
        ListAccessPointsForObjectLambda ListAllMyBuckets ListBucket ListBucketMultipartUploads ListBucketVersions ListCallerAccessGrants
        ListJobs ListMultiRegionAccessPoints ListMultipartUploadParts ListStorageLensConfigurations ListStorageLensGroups ListTagsForResource
        ObjectOwnerOverrideToBucketOwner PauseReplication PutAccelerateConfiguration PutAccessGrantsInstanceResourcePolicy
        PutAccessPointConfigurationForObjectLambda PutAccessPointPolicy PutAccessPointPolicyForObjectLambda PutAccessPointPublicAccessBlock
        PutAccountPublicAccessBlock PutAnalyticsConfiguration PutBucketAcl PutBucketCORS PutBucketLogging PutBucketNotification
        PutBucketObjectLockConfiguration PutBucketOwnershipControls PutBucketPolicy PutBucketPublicAccessBlock PutBucketRequestPayment
        PutBucketTagging PutBucketVersioning PutBucketWebsite PutEncryptionConfiguration PutIntelligentTieringConfiguration
        PutInventoryConfiguration PutJobTagging PutLifecycleConfiguration PutMetricsConfiguration PutMultiRegionAccessPointPolicy PutObject
        PutObjectAcl PutObjectLegalHold PutObjectRetention PutObjectTagging PutObjectVersionAcl PutObjectVersionTagging
        PutReplicationConfiguration PutStorageLensConfiguration PutStorageLensConfigurationTagging ReplicateDelete ReplicateObject
        ReplicateTags RestoreObject SubmitMultiRegionAccessPointRoutes TagResource UntagResource UpdateAccessGrantsLocation UpdateJobPriority
        UpdateJobStatus UpdateStorageLensGroup""",
}
KNOWN_ACTION_NAMES = {service: {name.lower() for name in names.split()} for service, names in KNOWN_ACTIONS.items()}
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
# Misspellings seen in the wild, with the real actions.
ACTION_HINTS = {"kms:reencrypt": "kms:ReEncryptFrom / kms:ReEncryptTo", "s3:replicateobjects": "s3:ReplicateObject"}


class DoctorError(ValueError):
    """Facts or a spec the doctor cannot work with; the message names the input."""


def diagnose(facts, spec, rule_ids=None):
    """All findings for the replication described by ``spec`` in the accounts described by ``facts``."""
    if not isinstance(facts, dict) or not all(isinstance(facts.get(side), dict) for side in SIDES):
        raise DoctorError("facts must be a dict with 'source' and 'destination', each the result of s3_replication_info in that account")
    try:
        view = _View(facts, spec, rule_ids)
    except policy_model.PolicySpecError as error:
        raise DoctorError(f"the replication spec is invalid: {error}") from error
    findings = []
    for check in CHECKS:
        findings += check(view)
    return report(findings)


def report(findings):
    summary = {status: sum(1 for f in findings if f["status"] == status) for status in STATUS_ORDER}
    worst = max((f["status"] for f in findings if f["status"] in PROBLEMS), key=STATUS_ORDER.get, default=OK)
    return {"status": worst, "summary": summary, "findings": findings}


def finding(check_id, status, side, account, resource, message, fix=""):
    return {"id": check_id, "status": status, "side": side, "account": account, "resource": resource, "message": message, "fix": fix if status != OK else ""}


# --- what the accounts hold, and the spec as S3 will use it -----------------------------------------


class _View:
    """Facts of both accounts and the spec, with the lookups every check needs."""

    def __init__(self, facts, spec, rule_ids):
        self.facts = facts
        self.spec = dict(spec or {})
        base = policy_model.replication_policies(self.spec)
        self.role_arn = base["role_arn"]
        self.role_name = self.role_arn.rsplit("/", 1)[-1]
        self.partition = self.spec.get("partition") or "aws"
        self.source = dict(self.spec["source"], account_id=str(self.spec["source"]["account_id"]))
        self.destination = dict(self.spec["destination"], account_id=str(self.spec["destination"]["account_id"]))
        self.source_arn = f"arn:{self.partition}:s3:::{arns.bucket_name(self.source['bucket'])}"
        self.destination_arn = f"arn:{self.partition}:s3:::{arns.bucket_name(self.destination['bucket'])}"
        self.rule_ids = [str(r) for r in (rule_ids or [])]
        self.source_bucket = self._bucket("source")
        self.destination_bucket = self._bucket("destination")
        self.configuration = (self.source_bucket or {}).get("replication")
        self.rules = [r for r in (self.configuration or {}).get("Rules", []) if (r.get("Destination") or {}).get("Bucket") == self.destination_arn]
        self.enabled_rules = [r for r in self.rules if r.get("Status") == "Enabled"]
        self.role = (facts["source"].get("roles") or {}).get(self.role_name)
        self.effective_spec = self._effective_spec()
        self.permissions = policy_model.required_permissions(self.effective_spec)
        self.source_key = self.key("source", self.effective_spec["source"]["kms_key_arn"])
        self.replica_key_arn = self.effective_spec["destination"]["kms_key_arn"]
        self.replica_key = self.key("destination", self.replica_key_arn)

    def _bucket(self, side):
        name = arns.bucket_name(getattr(self, side)["bucket"])
        return (self.facts[side].get("buckets") or {}).get(name)

    def key(self, side, arn):
        for reference, key in (self.facts[side].get("keys") or {}).items():
            metadata = key.get("metadata") or {}
            if arn in (reference, metadata.get("Arn")):
                return key
        return None

    def account(self, side):
        return getattr(self, side)["account_id"]

    def _effective_spec(self):
        spec = {k: v for k, v in self.spec.items() if k not in ("source", "destination")}
        source, destination = dict(self.spec["source"]), dict(self.spec["destination"])
        for side_spec, bucket in ((source, self.source_bucket), (destination, self.destination_bucket)):
            encryption = (bucket or {}).get("encryption")
            if encryption and encryption.get("algorithm") == "aws:kms":
                side_spec["bucket_key_enabled"] = bool(encryption.get("bucket_key_enabled"))
        if self.enabled_rules:
            spec["owner_override"] = any(_owner_override(r) for r in self.enabled_rules)
        if (self.source_bucket or {}).get("object_lock") is not None:
            spec["object_lock"] = bool(self.source_bucket["object_lock"])
        replica = next((_replica_key(r) for r in self.enabled_rules if _replica_key(r)), None)
        if replica and _key_in(replica, destination):
            destination["kms_key_arn"] = replica
        spec["source"], spec["destination"] = source, destination
        return spec

    def sample_prefix(self):
        for rule in self.enabled_rules:
            prefix = _rule_prefix(rule)
            if prefix:
                return prefix
        return ""

    def sample_object(self, bucket_arn):
        return f"{bucket_arn}/{self.sample_prefix()}{SAMPLE_OBJECT}"

    def role_policies(self):
        """{label: document} of every identity policy attached to the role."""
        if not self.role:
            return {}
        policies = {f"inline policy {name}": doc for name, doc in (self.role.get("inline_policies") or {}).items()}
        for managed in self.role.get("managed_policies") or []:
            policies[f"managed policy {managed.get('arn')}"] = managed.get("document")
        return policies


def _owner_override(rule):
    return ((rule.get("Destination") or {}).get("AccessControlTranslation") or {}).get("Owner") == "Destination"


def _replica_key(rule):
    return ((rule.get("Destination") or {}).get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")


def _rule_prefix(rule):
    rule_filter = rule.get("Filter") or {}
    return rule_filter.get("Prefix") or (rule_filter.get("And") or {}).get("Prefix") or rule.get("Prefix") or ""


def _key_in(key_arn, side):
    try:
        parsed = arns.parse_kms_key_arn(key_arn)
    except ValueError:
        return False
    return parsed["account_id"] == str(side["account_id"]) and parsed["region"] == side["region"]


def _read_error(bucket_or_key, attribute):
    return ((bucket_or_key or {}).get("errors") or {}).get(attribute)


# --- buckets -------------------------------------------------------------------------------------------


def check_buckets(view):
    findings = []
    for side in SIDES:
        bucket, name = getattr(view, f"{side}_bucket"), getattr(view, side)["bucket"]
        account = view.account(side)
        if bucket and bucket.get("exists"):
            findings.append(finding(f"{side}-bucket", OK, side, account, name, f"bucket {name} exists"))
        elif bucket and _read_error(bucket, "exists"):
            findings.append(finding(f"{side}-bucket", WARN, side, account, name, f"could not read bucket {name}: {_read_error(bucket, 'exists')}",
                                    f"run the doctor with credentials of account {account} that may read the bucket"))
        else:
            findings.append(finding(f"{side}-bucket", FAIL, side, account, name, f"bucket {name} does not exist in account {account}",
                                    f"create the bucket (playbooks/replicate.yml creates the destination bucket) or fix replication_{side}.bucket"))
    return findings


def _existing(view, side):
    bucket = getattr(view, f"{side}_bucket")
    return bucket if bucket and bucket.get("exists") else None


def check_versioning(view):
    findings = []
    for side in SIDES:
        bucket = _existing(view, side)
        if not bucket:
            continue
        name, account, state = bucket["name"], view.account(side), bucket.get("versioning")
        check_id = f"{side}-versioning"
        if state == "Enabled":
            findings.append(finding(check_id, OK, side, account, name, "versioning is Enabled"))
        elif state is None:
            findings.append(finding(check_id, WARN, side, account, name, f"could not read versioning: {_read_error(bucket, 'versioning')}",
                                    "allow s3:GetBucketVersioning to the doctor's credentials"))
        else:
            consequence = "S3 refuses a replication configuration on it" if side == "source" else "replication fails with DstBucketUnversioned"
            findings.append(finding(check_id, FAIL, side, account, name, f"versioning is {state}: {consequence}",
                                    f"enable versioning: aws s3api put-bucket-versioning --bucket {name} --versioning-configuration Status=Enabled"))
    return findings


def check_encryption(view):
    findings = []
    for side in SIDES:
        bucket = _existing(view, side)
        if not bucket:
            continue
        name, account = bucket["name"], view.account(side)
        expected = view.source["kms_key_arn"] if side == "source" else view.destination["kms_key_arn"]
        encryption = bucket.get("encryption")
        check_id = f"{side}-encryption"
        if encryption is None and _read_error(bucket, "encryption"):
            findings.append(finding(check_id, WARN, side, account, name, f"could not read default encryption: {_read_error(bucket, 'encryption')}",
                                    "allow s3:GetEncryptionConfiguration to the doctor's credentials"))
        elif not encryption or encryption.get("algorithm") != "aws:kms":
            algorithm = (encryption or {}).get("algorithm") or "none"
            findings.append(finding(check_id, WARN, side, account, name, f"default encryption is {algorithm}, not SSE-KMS with {expected}",
                                    f"set default encryption to aws:kms with {expected} (s3_replication_bucket encryption.kms_key_arn)"))
        elif encryption.get("kms_key_arn") not in (expected, arns.parse_kms_key_arn(expected)["key_id"]):
            findings.append(finding(check_id, WARN, side, account, name,
                                    f"default encryption uses key {encryption.get('kms_key_arn')}, not replication_{side}.kms_key_arn {expected}: "
                                    "the doctor checks the role's access to the configured key only",
                                    f"use one key: set replication_{side}.kms_key_arn to the bucket's key, or the bucket's default encryption to {expected}"))
        else:
            keys = "with" if encryption.get("bucket_key_enabled") else "without"
            findings.append(finding(check_id, OK, side, account, name, f"default encryption is SSE-KMS with {expected}, {keys} S3 Bucket Keys"))
    return findings


def check_existing_objects(view):
    bucket = _existing(view, "source")
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
    bucket = _existing(view, "source")
    if not bucket:
        return []
    name, account = bucket["name"], view.account("source")
    if view.configuration is None:
        error = _read_error(bucket, "replication")
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
    """One finding over the enabled rules: ``problem_of(rule)`` returns (status, text) or None."""
    if not view.enabled_rules:
        return []
    account, name = view.account("source"), view.source["bucket"]
    problems = [(status, f"rule {rule.get('ID')}: {text}") for rule in view.enabled_rules for status, text in [problem_of(rule) or (OK, "")] if status != OK]
    if not problems:
        return [finding(check_id, OK, "source", account, name, ok_message)]
    status = max((p[0] for p in problems), key=STATUS_ORDER.get)
    return [finding(check_id, status, "source", account, name, "; ".join(p[1] for p in problems), fix)]


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
        key = _replica_key(rule)
        if not key:
            return FAIL, "Destination.EncryptionConfiguration.ReplicaKmsKeyID is missing: SSE-KMS objects cannot be replicated"
        if key != view.destination["kms_key_arn"] and _key_in(key, view.destination):
            return WARN, f"the replica key is {key}, not replication_destination.kms_key_arn {view.destination['kms_key_arn']}"
        return None

    def full_arn(rule):
        found = _row_problems(rule, ("replica-key-arn",), view.destination["region"])
        if found:
            return FAIL, "; ".join(found) + " (S3 accepts it, then fails each object with DstKmsKeyNotFound)"
        key = _replica_key(rule)
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
    bucket = _existing(view, "source")
    if not bucket or view.configuration is None:
        return []
    name, account = bucket["name"], view.account("source")
    problems = []
    for rule in s3_rules.rules_of(view.configuration):
        covered = any(rule is enabled for enabled in view.enabled_rules)
        region = view.destination["region"] if rule in view.rules else None
        for row, message in s3_rules.rule_findings(rule, region):
            if not (covered and row.id in DEDICATED_ROWS):
                problems.append((WARN if row.behaviour == s3_rules.WARNED else FAIL, f"rule {rule.get('ID')}: {message}"))
    problems += [(FAIL, message) for _row, message in s3_rules.configuration_findings(view.configuration, name)]
    estate = s3_rules.estate_findings(view.configuration, view.source_bucket, view.destination_bucket)
    problems += [(FAIL, message) for row, message in estate if row.id not in DEDICATED_ROWS]
    if not problems:
        return [finding("rules.s3-admission", OK, "source", account, name, "every rule of the replication configuration is one S3 accepts")]
    status = max((p[0] for p in problems), key=STATUS_ORDER.get)
    return [finding("rules.s3-admission", status, "source", account, name, "; ".join(p[1] for p in problems),
                    "change what each message names (docs/s3-rules.md lists S3's rules and their fixes); s3_replication_rule writes only "
                    "what S3 accepts")]


def check_ownership(view):
    destination = _existing(view, "destination")
    if not view.enabled_rules or not destination:
        return []
    account, name = view.account("destination"), destination["name"]
    mode = destination.get("object_ownership")
    overriding = [r for r in view.enabled_rules if _owner_override(r)]
    problems = []
    for rule in overriding:
        rule_account = (rule.get("Destination") or {}).get("Account")
        missing = _row_problems(rule, ("owner-override-needs-account",))
        if missing:
            problems.append((FAIL, f"rule {rule.get('ID')}: {missing[0]}"))
        elif str(rule_account) != view.account("destination"):
            problems.append((FAIL, f"rule {rule.get('ID')} names Destination.Account {rule_account}, "
                                   f"not the destination account {view.account('destination')}"))
    if mode != "BucketOwnerEnforced" and len(overriding) < len(view.enabled_rules):
        problems.append((WARN, f"object ownership is {mode or 'unset (ACLs enabled)'} and not every rule changes the replica owner: "
                               "those replicas stay owned by the source account"))
    if problems:
        status = max((p[0] for p in problems), key=STATUS_ORDER.get)
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
    if key is None or (not key.get("exists") and _read_error(key, "metadata")):
        error = _read_error(key, "metadata") if key else "the key was not read"
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


# --- the role and its documents ---------------------------------------------------------------------------


def check_role(view):
    account = view.account("source")
    if view.role and view.role.get("exists"):
        return [finding("replication-role-exists", OK, "source", account, view.role_arn, "the replication role exists")]
    if view.role and _read_error(view.role, "role"):
        return [finding("replication-role-exists", WARN, "source", account, view.role_arn, f"could not read the role: {_read_error(view.role, 'role')}",
                        "allow iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicyVersion to the doctor")]
    return [finding("replication-role-exists", FAIL, "source", account, view.role_arn, "the replication role does not exist (AssumeRoleNotPermitted)",
                    "run playbooks/replicate.yml to create it, or fix replication_role_name")]


def _role_ready(view):
    return bool(view.role and view.role.get("exists"))


def check_trust_principals(view):
    if not _role_ready(view):
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
    if not _role_ready(view):
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
    if _role_ready(view):
        for label, document in view.role_policies().items():
            documents.append(("source", view.account("source"), view.role_arn, label, document, True))
        documents.append(("source", view.account("source"), view.role_arn, "trust policy", view.role.get("trust_policy"), False))
        if view.role.get("permissions_boundary"):
            documents.append(("source", view.account("source"), view.role_arn, "permissions boundary", view.role["permissions_boundary"], True))
    for side in SIDES:
        bucket = _existing(view, side)
        if bucket and bucket.get("policy"):
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
    bucket = _existing(view, "destination")
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


# --- permissions (the policy model, evaluated) ----------------------------------------------------------------


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
        boundary = view.role.get("permissions_boundary") if _role_ready(view) else None
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
    if not _role_ready(view):
        return []
    evaluations = _evaluations(view, permission, view.role.get("trust_policy"), pe.TRUST)
    return [_side_finding(
        "assume-role.trust-policy", "source", view.account("source"), view.role_arn, evaluations,
        lambda r: (r["decision"] == pe.ALLOW, None), "resource_statements", f"trust policy, for {policy_model.S3_SERVICE_PRINCIPAL}",
        f"trust {policy_model.S3_SERVICE_PRINCIPAL} with sts:AssumeRole (AssumeRoleNotPermitted otherwise)",
    )]


def _bucket_findings(view, permission):
    side = _side_of(view, permission["resources"][0])
    bucket = _existing(view, side)
    if not _role_ready(view) and "identity" in permission["granted_by"]:
        return []
    policy = (bucket or {}).get("policy")
    evaluations = _evaluations(view, permission, policy, pe.BUCKET)
    findings = []
    pid = permission["id"]
    required_by_bucket = "bucket_policy" in permission["granted_by"] and view.account(side) != view.account("source")
    if "identity" in permission["granted_by"] and _role_ready(view):
        findings.append(_side_finding(
            f"{pid}.identity", "source", view.account("source"), view.role_arn, evaluations, _identity_granted_s3,
            "identity_statements", "identity policies of the replication role",
            f"allow {', '.join(permission['actions'])} on {', '.join(permission['resources'])} in the role's policy",
        ))
    if bucket is None:
        return findings
    if bucket.get("policy") is None and _read_error(bucket, "policy"):
        findings.append(finding(f"{pid}.bucket-policy", WARN, side, view.account(side), bucket["name"],
                                f"could not read the bucket policy: {_read_error(bucket, 'policy')}", "allow s3:GetBucketPolicy to the doctor"))
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
    evaluations = _evaluations(view, permission, (key or {}).get("policy"), pe.KEY, grants=grants) if key_known or _role_ready(view) else []
    if key_known and (key.get("policy") or not _read_error(key, "policy")):
        findings.append(_side_finding(
            f"{pid}.key-policy", side, view.account(side), arn, evaluations, _key_policy_granted, "resource_statements",
            "key policy and grants",
            f"add a key-policy statement (or a grant) allowing {', '.join(permission['actions'])} to {view.role_arn}"
            + (" or delegating to its account's IAM policies (the account root)" if side == "source" else ""),
        ))
    elif key_known:
        findings.append(finding(f"{pid}.key-policy", WARN, side, view.account(side), arn, f"could not read the key policy: {_read_error(key, 'policy')}",
                                "allow kms:GetKeyPolicy and kms:ListGrants to the doctor"))
    if _role_ready(view):
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


# --- helpers and the order of the report -------------------------------------------------------------------


def _statements(document):
    statements = (document or {}).get("Statement", []) if isinstance(document, dict) else []
    return [s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, dict)]


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


CHECKS = (
    check_buckets,
    check_versioning,
    check_encryption,
    check_configuration,
    check_sse_kms_selection,
    check_replica_key,
    check_replication_time,
    check_s3_admission,
    check_ownership,
    check_keys,
    check_role,
    check_trust_principals,
    check_identity_principal,
    check_permissions,
    check_bucket_policy_principals,
    check_unknown_actions,
    check_broad_actions,
    check_kms_conditions,
    check_existing_objects,
    doctor_alerts.check_failure_alerts,
)


# --- the readable report ------------------------------------------------------------------------------------


def render(result, show_ok=True):
    """The findings as text, grouped by account (source first), failures first within each."""
    lines = []
    summary = result.get("summary", {})
    counts = ", ".join(f"{summary.get(status, 0)} {status}" for status in (FAIL, WARN, INFO, OK))
    lines.append(f"Replication doctor: {result.get('status', OK).upper()} ({counts})")
    for side in SIDES:
        side_findings = [f for f in result.get("findings", []) if f["side"] == side and (show_ok or f["status"] != OK)]
        if not side_findings:
            continue
        account = side_findings[0]["account"]
        lines.append("")
        lines.append(f"== {side} account {account} ==")
        for item in sorted(side_findings, key=lambda f: -STATUS_ORDER[f["status"]]):
            lines.append(f"[{item['status'].upper():4}] {item['id']} ({item['resource']}): {item['message']}")
            if item["fix"]:
                lines.append(f"       fix: {item['fix']}")
    return "\n".join(lines)


def combine(results, show_ok=True):
    """One diagnosis of several pairs ``[(pair name, diagnosis)]``: one pair keeps its own shape; several add
    ``pairs`` and name the pair in every finding; ``report`` has one section per pair."""
    if len(results) == 1:
        result = dict(results[0][1])
        result["report"] = render(result, show_ok=show_ok)
        return result
    findings = [dict(found, pair=name) for name, result in results for found in result["findings"]]
    combined = report(findings)
    combined["pairs"] = dict(results)
    combined["report"] = "\n\n".join(f"Pair {name}\n" + render(result, show_ok=show_ok) for name, result in results)
    return combined
