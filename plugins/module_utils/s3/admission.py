# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3's admission rules for a replication configuration, as data.

Every rule S3 applies to a replication configuration (what PutBucketReplication refuses, and what
it accepts but then fails or ignores) is one row of ``ADMISSION_RULES``: an id, what the rule says,
where AWS or the users who met the error say so, what the collection does, and the check.
docs/s3-rules.md is the same table for readers; a unit test keeps both listing the same ids.

Checks are pure and come in three scopes:

- ``rule``: ``check(rule, context)`` on one rule in the S3 API shape; ``context`` holds
  ``destination_region`` (None when unknown).
- ``configuration``: ``check(configuration, context)`` on a whole configuration (to write, or as
  read); ``context`` holds ``bucket``, ``rule_id`` (the rule a task manages, None for a whole
  configuration), ``before`` (the configuration as read, when a task replaces it) and ``replace_role``.
- ``estate``: ``check(rules, source, destination)`` on the facts of both buckets, in the shape
  ``s3_replication_info`` returns (``{"name", "exists", "versioning", "object_lock", ...}``).

Each check returns plain strings that name the input (the s3_replication_rule option and the S3
field) and the fix.
"""

from collections import namedtuple

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.arns import parse_kms_key_arn

ENABLED = "Enabled"
DISABLED = "Disabled"
ONLY_MINUTES = 15
MAX_RULES = 1000
MAX_ID_LENGTH = 255
# Destination.StorageClass values (the S3 API enum) less FSX_OPENZFS, "not an accepted value when replicating objects".
STORAGE_CLASSES = [
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "OUTPOSTS",
    "GLACIER_IR",
    "SNOW",
    "EXPRESS_ONEZONE",
    "FSX_ONTAP",
    "AWS_BACKUP_WARM",
    "AWS_BACKUP_LOW_COST_WARM",
]

RULE = "rule"
CONFIGURATION = "configuration"
ESTATE = "estate"

REFUSED = "refused"
COMPLETED = "completed"
WARNED = "warned"
PREFLIGHT = "preflight"

AdmissionRule = namedtuple("AdmissionRule", "id scope behaviour text source check")


def rules_of(configuration):
    return list((configuration or {}).get("Rules") or [])


def is_legacy_rule(rule):
    """The V1 form: a top-level Prefix and no Filter (no Priority, no DeleteMarkerReplication)."""
    return "Filter" not in rule and "Prefix" in rule


def status_of(element):
    return (element or {}).get("Status") or DISABLED


def _destination(rule):
    return rule.get("Destination") or {}


def _names(values):
    return ", ".join(f"'{value}'" for value in values)


def _has_tag(element):
    """True when a filter (or any operator inside it) selects by tag."""
    if not isinstance(element, dict):
        return False
    if element.get("Tag") or element.get("Tags"):
        return True
    return any(_has_tag(child) for child in element.values())


def _replica_key(rule):
    return (_destination(rule).get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")


def _sse_kms_selection(rule):
    return (rule.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects")


# --- rule checks ---------------------------------------------------------------------------------


def check_v1_form(rule, _context):
    if "Prefix" in rule and "Filter" in rule:
        return [
            "the rule has both a top-level Prefix (V1 form) and a Filter (V2 form): S3 takes one of them (MalformedXML otherwise); "
            "keep the Filter (s3_replication_rule filter.prefix writes Filter: {Prefix: ...})"
        ]
    if not is_legacy_rule(rule):
        return []
    extras = [name for name in ("Priority", "DeleteMarkerReplication") if rule.get(name) is not None]
    if (rule.get("SourceSelectionCriteria") or {}).get("ReplicaModifications"):
        extras.append("SourceSelectionCriteria.ReplicaModifications")
    if not extras:
        return []
    return [
        f"the rule uses the V1 form (a top-level Prefix) with {', '.join(extras)}, which only V2 rules (with a Filter) carry: S3 refuses "
        "them in a V1 rule; rewrite it as a V2 rule (Filter: {Prefix: ...}), which s3_replication_rule always writes"
    ]


def check_v2_required(rule, _context):
    if "Filter" not in rule:
        return []
    missing = [name for name in ("Priority", "DeleteMarkerReplication") if rule.get(name) is None]
    if not missing:
        return []
    return [
        f"the rule has a Filter (V2 form) but no {' and no '.join(missing)}: S3 requires Priority and DeleteMarkerReplication in V2 rules; "
        "give them (s3_replication_rule completes them: the rule's own or the next free priority, delete_marker_replication: false)"
    ]


def check_filter_one_element(rule, _context):
    rule_filter = rule.get("Filter")
    if not isinstance(rule_filter, dict):
        return []
    present = [name for name, value in rule_filter.items() if value is not None]
    if len(present) <= 1:
        return []
    return [
        f"filter: the rule's Filter has {', '.join(present)}: S3 takes exactly one of Prefix, Tag, And or Not (MalformedXML otherwise); "
        "wrap a prefix with tags in And (s3_replication_rule writes it so from filter.prefix and filter.tags)"
    ]


def check_delete_markers_with_tags(rule, _context):
    if status_of(rule.get("DeleteMarkerReplication")) != ENABLED or not _has_tag(rule.get("Filter")):
        return []
    return [
        "delete_marker_replication is true but filter.tags is set (DeleteMarkerReplication Enabled with a Tag in the Filter): S3 cannot "
        "replicate delete markers for a rule with a tag filter; set delete_marker_replication: false or filter by prefix only"
    ]


def check_rtc_needs_metrics(rule, _context):
    destination = _destination(rule)
    if status_of(destination.get("ReplicationTime")) != ENABLED or status_of(destination.get("Metrics")) == ENABLED:
        return []
    return [
        "replication_time_control is true but metrics is false (ReplicationTime Enabled without Metrics Enabled): S3 requires replication "
        "metrics with Replication Time Control; set metrics: true (or leave it unset) or turn replication_time_control off"
    ]


def check_event_threshold_needs_rtc(rule, _context):
    destination = _destination(rule)
    if "EventThreshold" not in (destination.get("Metrics") or {}) or status_of(destination.get("ReplicationTime")) == ENABLED:
        return []
    return [
        "metrics_event_threshold_minutes is set but replication_time_control is false (Metrics.EventThreshold without ReplicationTime "
        "Enabled): S3 refuses it (InvalidArgument: Metrics cannot contain an event threshold when ReplicationTime is not specified or "
        "Disabled); leave metrics_event_threshold_minutes unset (metrics alone are Metrics: {Status: Enabled}) or set "
        "replication_time_control: true"
    ]


def check_fifteen_minutes(rule, _context):
    destination = _destination(rule)
    problems = []
    for option, element, child in (("metrics_event_threshold_minutes", "Metrics", "EventThreshold"), ("replication_time_minutes", "ReplicationTime", "Time")):
        minutes = ((destination.get(element) or {}).get(child) or {}).get("Minutes")
        if minutes is not None and int(minutes) != ONLY_MINUTES:
            problems.append(
                f"{option} is {minutes} ({element}.{child}.Minutes): S3 only accepts {ONLY_MINUTES} minutes, set {option}: {ONLY_MINUTES} "
                "or leave it unset"
            )
    return problems


def check_sse_kms_and_replica_key(rule, _context):
    selection = _sse_kms_selection(rule)
    key = _replica_key(rule)
    if status_of(selection) == ENABLED and not key:
        return [
            "sse_kms_encrypted_objects is true but replica_kms_key_arn is not set (SseKmsEncryptedObjects Enabled without "
            "EncryptionConfiguration.ReplicaKmsKeyID): S3 refuses it (InvalidRequest: ReplicaKmsKeyID must be specified if "
            "SseKmsEncryptedObjects tag is present.); set replica_kms_key_arn to the full ARN of a customer managed key in the destination region"
        ]
    if "EncryptionConfiguration" in _destination(rule) and selection is None:
        return [
            "replica_kms_key_arn is set but sse_kms_encrypted_objects is false (EncryptionConfiguration without "
            "SourceSelectionCriteria.SseKmsEncryptedObjects): S3 refuses it (InvalidRequest: SseKmsEncryptedObjects must be specified if "
            "EncryptionConfiguration is present.); set sse_kms_encrypted_objects: true (or leave it unset), or remove replica_kms_key_arn"
        ]
    return []


def check_owner_override_account(rule, _context):
    destination = _destination(rule)
    if not destination.get("AccessControlTranslation") or destination.get("Account"):
        return []
    return [
        "owner_override needs destination_account (AccessControlTranslation without Destination.Account): S3 requires the destination "
        "account id in a rule whose AccessControlTranslation makes the destination the replica owner; set destination_account to the "
        "12-digit id, or set owner_override: false"
    ]


def check_replica_key_arn(rule, context):
    key = _replica_key(rule)
    if not key:
        return []
    if str(key).rstrip("/").endswith("alias/aws/s3"):
        return [
            f"replica_kms_key_arn '{key}' is the AWS managed key aws/s3, which cannot be used across accounts: create a customer managed "
            "symmetric key in the destination account and region and give its full key ARN"
        ]
    try:
        details = parse_kms_key_arn(key)
    except ValueError as error:
        return [f"replica_kms_key_arn: {error}"]
    region = (context or {}).get("destination_region")
    if region and details["region"] != region:
        return [
            f"replica_kms_key_arn is in region {details['region']} but the destination bucket is in {region}: S3 encrypts replicas with a key "
            f"in the destination bucket's region; give the ARN of a key in {region}"
        ]
    return []


def check_storage_class(rule, _context):
    storage_class = _destination(rule).get("StorageClass")
    if not storage_class or storage_class in STORAGE_CLASSES:
        return []
    return [
        f"storage_class '{storage_class}' (Destination.StorageClass) is not a storage class S3 replicates into: use one of "
        + ", ".join(STORAGE_CLASSES)
        + ", or leave storage_class unset to keep the source object's class"
    ]


def check_rule_id_length(rule, _context):
    rule_id = str(rule.get("ID") or "")
    if len(rule_id) <= MAX_ID_LENGTH:
        return []
    return [f"id is {len(rule_id)} characters long: S3 rule IDs have at most {MAX_ID_LENGTH}, shorten it"]


def check_existing_object_replication(rule, _context):
    if status_of(rule.get("ExistingObjectReplication")) != ENABLED:
        return []
    return [
        "existing_object_replication is true (ExistingObjectReplication Enabled): S3 accepts it only in accounts where AWS Support "
        "enabled it (MalformedXML otherwise) and the S3 API reference calls it no longer supported; copy existing objects with S3 Batch "
        "Replication (docs/backfill.md) and set existing_object_replication: false"
    ]


# --- configuration checks ------------------------------------------------------------------------------


def check_forms_not_mixed(configuration, context):
    rules = rules_of(configuration)
    v1 = [str(rule.get("ID")) for rule in rules if is_legacy_rule(rule)]
    v2 = [str(rule.get("ID")) for rule in rules if "Filter" in rule]
    if not v1 or not v2:
        return []
    return [
        f"the replication configuration of bucket '{context.get('bucket')}' would mix the legacy V1 rule form (rules {_names(v1)} have a "
        f"top-level Prefix and no Filter) with V2 rules ({_names(v2)}), and S3 refuses a configuration that mixes them. Fix: rewrite "
        f"rules {_names(v1)} in the V2 form (Filter: {{Prefix: ...}}, a distinct Priority, DeleteMarkerReplication: {{Status: Enabled}} "
        "keeps their V1 meaning) or remove them, then rerun"
    ]


def _priorities(configuration):
    """{priority: [rule ids]} of the V2 rules."""
    found = {}
    for rule in rules_of(configuration):
        if rule.get("Priority") is not None and not is_legacy_rule(rule):
            found.setdefault(int(rule["Priority"]), []).append(str(rule.get("ID")))
    return found


def check_unique_priorities(configuration, context):
    priorities = _priorities(configuration)
    free = max(priorities, default=0) + 1
    rule_id = context.get("rule_id")
    problems = []
    for priority, ids in sorted(priorities.items()):
        if len(ids) < 2 or (rule_id is not None and str(rule_id) not in ids):
            continue
        if rule_id is None:
            problems.append(f"priority {priority} is used by rules {_names(ids)}: S3 requires distinct priorities; give each a free value such as {free}")
            continue
        others = [name for name in ids if name != str(rule_id)]
        problems.append(
            f"priority {priority} is already used by rule {_names(others)}: every rule needs a distinct priority; set priority to a free value "
            f"such as {free} (or leave it unset to take one above the highest)"
        )
    return problems


def _duplicate_ids(configuration):
    seen = set()
    duplicates = []
    for rule in rules_of(configuration):
        rule_id = rule.get("ID")
        if rule_id in seen and rule_id not in duplicates:
            duplicates.append(rule_id)
        seen.add(rule_id)
    return duplicates


def check_unique_ids(configuration, context):
    duplicates = _duplicate_ids(context.get("before")) or _duplicate_ids(configuration)
    return [
        f"the replication configuration of bucket '{context.get('bucket')}' has several rules with ID '{duplicate}': S3 rule IDs must be "
        "unique, so merging by ID is ambiguous; give those rules distinct IDs (aws s3api put-bucket-replication) and rerun"
        for duplicate in duplicates
    ]


def check_rule_count(configuration, _context):
    count = len(rules_of(configuration))
    if count <= MAX_RULES:
        return []
    return [f"the replication configuration would have {count} rules: S3 allows at most {MAX_RULES}, remove rules first"]


def check_single_role(configuration, context):
    role = (configuration or {}).get("Role")
    before = context.get("before")
    bucket = context.get("bucket")
    if not role:
        if not before:
            return [
                f"role_arn is required: bucket '{bucket}' has no replication configuration yet, so give the replication role's ARN "
                "(arn:aws:iam::ACCOUNT:role/NAME)"
            ]
        return [f"the replication configuration of bucket '{bucket}' has no Role: S3 needs the role it assumes for every rule; set role_arn"]
    current = (before or {}).get("Role")
    others = [str(rule.get("ID")) for rule in rules_of(before) if rule.get("ID") != context.get("rule_id")]
    if not current or role == current or not others or context.get("replace_role"):
        return []
    return [
        f"role_arn '{role}' differs from the configuration's role '{current}', which rules {_names(others)} also use: the role applies to "
        "every rule, so set replace_role: true to change it for all of them, or leave role_arn unset to keep the current role"
    ]


# --- estate checks (bucket facts) -------------------------------------------------------------------------


def _exists(facts):
    return isinstance(facts, dict) and facts.get("exists") is True


def check_versioning(_rules, source, destination):
    problems = []
    if _exists(source) and source.get("versioning") not in (None, ENABLED):
        problems.append(
            f"source bucket '{source.get('name')}' has versioning {source['versioning']}: S3 refuses a replication configuration on it "
            "(InvalidRequest: Versioning must be 'Enabled' on the bucket to apply a replication configuration); enable versioning "
            f"(s3_replication_bucket versioning: true, or aws s3api put-bucket-versioning --bucket {source.get('name')} "
            "--versioning-configuration Status=Enabled)"
        )
    if _exists(destination) and destination.get("versioning") not in (None, ENABLED):
        problems.append(
            f"destination bucket '{destination.get('name')}' has versioning {destination['versioning']}: S3 refuses a rule towards it "
            "(InvalidRequest: Destination bucket must have versioning enabled.) and a destination suspended later fails every object "
            "(DstBucketUnversioned); enable versioning on it in the destination account (s3_replication_bucket versioning: true)"
        )
    return problems


def check_object_lock(_rules, source, destination):
    if not _exists(source) or source.get("object_lock") is not True or not isinstance(destination, dict):
        return []
    if _exists(destination) and destination.get("object_lock") is not False:
        return []
    state = "does not exist yet" if not _exists(destination) else "has no Object Lock"
    return [
        f"source bucket '{source.get('name')}' has Object Lock enabled but destination bucket '{destination.get('name')}' {state}: S3 "
        "replicates objects of an Object Lock bucket only into a bucket with Object Lock; enable Object Lock on the destination "
        "(aws s3api put-object-lock-configuration --object-lock-configuration ObjectLockEnabled=Enabled, or create-bucket "
        "--object-lock-enabled-for-bucket) and let the replication role read retention and legal holds (s3:GetObjectRetention, "
        "s3:GetObjectLegalHold: replication_object_lock: true)"
    ]


ADMISSION_RULES = (
    AdmissionRule(
        "v1-v2-not-mixed", CONFIGURATION, REFUSED,
        "A configuration's rules are all V1 (top-level Prefix) or all V2 (Filter), never mixed.",
        "S3 User Guide, replication-add-config (Backward compatibility); PutBucketReplication API reference",
        check_forms_not_mixed,
    ),
    AdmissionRule(
        "v1-form", RULE, COMPLETED,
        "A V1 rule has a top-level Prefix and no Filter, Priority, DeleteMarkerReplication or ReplicaModifications.",
        "S3 API reference: ReplicationRule, ReplicaModifications (not allowed in V1); terraform-provider-aws#19323",
        check_v1_form,
    ),
    AdmissionRule(
        "v2-required-elements", RULE, COMPLETED,
        "A V2 rule (with a Filter) carries Priority and DeleteMarkerReplication.",
        "S3 API reference: PutBucketReplication, DeleteMarkerReplication; S3 User Guide, replication-add-config",
        check_v2_required,
    ),
    AdmissionRule(
        "filter-one-element", RULE, COMPLETED,
        "A Filter has at most one of Prefix, Tag, And, Not; a prefix with tags, or several tags, go inside And.",
        "S3 API reference: ReplicationRuleFilter, ReplicationRuleAndOperator",
        check_filter_one_element,
    ),
    AdmissionRule(
        "unique-priorities", CONFIGURATION, REFUSED,
        "Rules have distinct priorities.",
        "S3 API reference: ReplicationRule.Priority; S3 User Guide, replication-add-config (overlapping prefixes); "
        "terraform-provider-aws#20269 (priority must be unique between rules)",
        check_unique_priorities,
    ),
    AdmissionRule(
        "delete-markers-not-with-tags", RULE, REFUSED,
        "DeleteMarkerReplication is Disabled in a rule whose Filter has a tag.",
        "S3 API reference: DeleteMarkerReplication; S3 User Guide, delete-marker-replication",
        check_delete_markers_with_tags,
    ),
    AdmissionRule(
        "rtc-needs-metrics", RULE, REFUSED,
        "Replication Time Control (ReplicationTime Enabled) comes with Metrics Enabled.",
        "S3 API reference: Destination.ReplicationTime (must be specified together with a Metrics block)",
        check_rtc_needs_metrics,
    ),
    AdmissionRule(
        "event-threshold-needs-rtc", RULE, REFUSED,
        "Metrics.EventThreshold appears only with Replication Time Control; metrics alone are Metrics: {Status: Enabled}.",
        "InvalidArgument: Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled "
        "(crossplane-contrib/provider-aws#1117, pulumi/pulumi-aws#5806, terraform-provider-aws#21895)",
        check_event_threshold_needs_rtc,
    ),
    AdmissionRule(
        "fifteen-minutes", RULE, REFUSED,
        "ReplicationTime.Time and Metrics.EventThreshold are 15 minutes, the only value.",
        "S3 API reference: ReplicationTimeValue (valid value: 15); S3 User Guide, replication-add-config (S3 RTC)",
        check_fifteen_minutes,
    ),
    AdmissionRule(
        "sse-kms-and-replica-key", RULE, REFUSED,
        "SourceSelectionCriteria.SseKmsEncryptedObjects and Destination.EncryptionConfiguration.ReplicaKmsKeyID come together.",
        "S3 API reference: Destination.EncryptionConfiguration, SourceSelectionCriteria; InvalidRequest: ReplicaKmsKeyID must be "
        "specified if SseKmsEncryptedObjects tag is present. / InvalidRequest: SseKmsEncryptedObjects must be specified if "
        "EncryptionConfiguration is present. (S3 errors quoted in Terraform runs)",
        check_sse_kms_and_replica_key,
    ),
    AdmissionRule(
        "owner-override-needs-account", RULE, REFUSED,
        "AccessControlTranslation (replicas owned by the destination) comes with Destination.Account.",
        "S3 API reference: Destination.Account; S3 User Guide, replication-change-owner",
        check_owner_override_account,
    ),
    AdmissionRule(
        "replica-key-arn", RULE, REFUSED,
        "ReplicaKmsKeyID is the full ARN of a customer managed key in the destination bucket's region (not an alias, a bare key id "
        "or aws/s3); S3 accepts others, then fails each object.",
        "S3 API reference: EncryptionConfiguration (an alias resolves in the requester's account); S3 User Guide, "
        "replication-config-for-kms-objects; failure reason DstKmsKeyNotFound",
        check_replica_key_arn,
    ),
    AdmissionRule(
        "storage-class", RULE, REFUSED,
        "Destination.StorageClass is one S3 replicates into (not FSX_OPENZFS).",
        "S3 API reference: Destination.StorageClass (FSX_OPENZFS is not an accepted value when replicating objects)",
        check_storage_class,
    ),
    AdmissionRule(
        "rule-id-length", RULE, REFUSED,
        "A rule ID has at most 255 characters.",
        "S3 API reference: ReplicationRule.ID",
        check_rule_id_length,
    ),
    AdmissionRule(
        "rule-id-unique", CONFIGURATION, REFUSED,
        "Rule IDs are unique within the configuration.",
        "S3 API reference: ReplicationRule.ID (a unique identifier for the rule)",
        check_unique_ids,
    ),
    AdmissionRule(
        "max-rules", CONFIGURATION, REFUSED,
        "A configuration has at most 1,000 rules.",
        "S3 API reference: ReplicationConfiguration, PutBucketReplication",
        check_rule_count,
    ),
    AdmissionRule(
        "one-role", CONFIGURATION, REFUSED,
        "A configuration has exactly one Role, which applies to every rule.",
        "S3 API reference: ReplicationConfiguration.Role (required)",
        check_single_role,
    ),
    AdmissionRule(
        "existing-object-replication", RULE, WARNED,
        "ExistingObjectReplication works only where AWS Support enabled it; S3 Batch Replication copies existing objects.",
        "S3 API reference: ExistingObjectReplication (no longer supported); S3 User Guide, s3-batch-replication-batch",
        check_existing_object_replication,
    ),
    AdmissionRule(
        "versioning-enabled", ESTATE, PREFLIGHT,
        "Versioning is Enabled on the source and on every destination bucket.",
        "InvalidRequest: Versioning must be 'Enabled' on the bucket to apply a replication configuration (terraform-provider-aws "
        "internal/service/s3/bucket_replication_configuration.go retries on it); InvalidRequest: Destination bucket must have "
        "versioning enabled. (aws-cli examples/s3api/put-bucket-replication.rst); S3 User Guide, replication-requirements",
        check_versioning,
    ),
    AdmissionRule(
        "object-lock-both", ESTATE, PREFLIGHT,
        "Object Lock on the source needs Object Lock on the destination, and the role reads retention and legal holds.",
        "S3 User Guide, replication-requirements and object-lock (replication); failure reasons SrcGetRetentionNotPermitted, "
        "SrcGetLegalHoldNotPermitted",
        check_object_lock,
    ),
)

RULES_BY_ID = {row.id: row for row in ADMISSION_RULES}


def rows(scope, behaviours=None):
    return [row for row in ADMISSION_RULES if row.scope == scope and (behaviours is None or row.behaviour in behaviours)]


def rule_findings(rule, destination_region=None):
    """(row, message) for every rule-scoped admission rule that ``rule`` (S3 API shape) breaks."""
    context = {"destination_region": destination_region}
    return [(row, message) for row in rows(RULE) for message in row.check(rule, context)]


def configuration_findings(configuration, bucket, rule_id=None, before=None, replace_role=False):
    """(row, message) for every configuration-scoped admission rule that ``configuration`` breaks."""
    context = {"bucket": bucket, "rule_id": rule_id, "before": before, "replace_role": replace_role}
    return [(row, message) for row in rows(CONFIGURATION) for message in row.check(configuration, context)]


def _rules_to_write(configuration_or_rules):
    """The rules of a configuration, or a list of rules (S3 shape, or s3_replication_rule options: state absent ones left out)."""
    if isinstance(configuration_or_rules, dict):
        return rules_of(configuration_or_rules)
    return [rule for rule in (configuration_or_rules or []) if isinstance(rule, dict) and rule.get("state", "present") != "absent"]


def estate_findings(configuration_or_rules, source_bucket_facts, destination_bucket_facts):
    """(row, message) for every estate-scoped admission rule the buckets break (none when there is no rule to write)."""
    rules = _rules_to_write(configuration_or_rules)
    if not rules:
        return []
    return [(row, message) for row in rows(ESTATE) for message in row.check(rules, source_bucket_facts, destination_bucket_facts)]


def estate_problems(configuration_or_rules, source_bucket_facts, destination_bucket_facts):
    """What S3 would refuse (or fail) about the buckets for these rules: plain strings naming the bucket and the fix.

    ``configuration_or_rules`` is a replication configuration, a list of its rules, or a list of
    s3_replication_rule options; the facts are s3_replication_info's ``buckets[NAME]`` of each side.
    Unknown facts (None, a read error) are not problems.
    """
    return [message for _row, message in estate_findings(configuration_or_rules, source_bucket_facts, destination_bucket_facts)]
