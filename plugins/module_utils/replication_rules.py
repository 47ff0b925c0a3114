# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure logic for one replication rule inside a bucket's replication configuration.

PutBucketReplication replaces the whole configuration, so managing one rule means: read the
configuration, build the rule from the options, validate the rule and the merged configuration
(every problem at once), merge by rule ID, write the whole configuration back. Rules this
collection does not manage are copied exactly as read.

Configurations and rules use the boto3 (S3 API) shape: ``{"Role": ..., "Rules": [...]}``.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.arns import bucket_name
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.arns import parse_kms_key_arn
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.arns import parse_role_arn
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.arns import validate_account_id
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.arns import validate_region

MAX_RULES = 1000
MAX_ID_LENGTH = 255
ONLY_MINUTES = 15
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
    "FSX_OPENZFS",
    "FSX_ONTAP",
    "AWS_BACKUP_WARM",
    "AWS_BACKUP_LOW_COST_WARM",
]
ENABLED = "Enabled"
DISABLED = "Disabled"

DEFAULTS = {
    "state": "present",
    "role_arn": None,
    "replace_role": False,
    "status": "enabled",
    "priority": None,
    "filter": None,
    "delete_marker_replication": False,
    "replica_modifications": False,
    "sse_kms_encrypted_objects": None,
    "existing_object_replication": False,
    "destination_bucket": None,
    "destination_account": None,
    "destination_region": None,
    "storage_class": None,
    "owner_override": False,
    "replica_kms_key_arn": None,
    "replication_time_control": False,
    "metrics": None,
    "metrics_event_threshold_minutes": None,
    "replication_time_minutes": ONLY_MINUTES,
}


class ReplicationRuleError(Exception):
    """Every problem found in the options and the configuration, reported together."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" | ".join(self.problems))


def with_defaults(options):
    merged = dict(DEFAULTS)
    merged.update({name: value for name, value in options.items() if value is not None})
    return merged


def rules_of(configuration):
    return list((configuration or {}).get("Rules") or [])


def find_rule(configuration, rule_id):
    for rule in rules_of(configuration):
        if rule.get("ID") == rule_id:
            return rule
    return None


def is_legacy_rule(rule):
    """The V1 form: a top-level Prefix and no Filter (no Priority, no DeleteMarkerReplication)."""
    return "Filter" not in rule and "Prefix" in rule


def sse_kms_selected(options):
    """SSE-KMS objects replicate when a replica key is given, unless explicitly turned off."""
    chosen = options.get("sse_kms_encrypted_objects")
    return bool(options.get("replica_kms_key_arn")) if chosen is None else bool(chosen)


def metrics_enabled(options):
    chosen = options.get("metrics")
    return bool(options.get("replication_time_control")) if chosen is None else bool(chosen)


def _status(enabled):
    return ENABLED if enabled else DISABLED


def _filter_tags(filter_options):
    tags = (filter_options or {}).get("tags") or {}
    return [{"Key": str(key), "Value": "" if value is None else str(value)} for key, value in sorted(tags.items())]


def build_filter(filter_options):
    """The S3 Filter for ``{prefix, tags}``: every object when both are empty."""
    prefix = (filter_options or {}).get("prefix") or ""
    tags = _filter_tags(filter_options)
    if not tags:
        return {"Prefix": prefix}
    if not prefix and len(tags) == 1:
        return {"Tag": tags[0]}
    conjunction = {"Tags": tags}
    if prefix:
        conjunction = {"Prefix": prefix, "Tags": tags}
    return {"And": conjunction}


def _destination_bucket_arn(name_or_arn, partition):
    text = str(name_or_arn or "")
    return text if text.startswith("arn:") else f"arn:{partition}:s3:::{text}"


def _partition(options):
    try:
        return parse_role_arn(options.get("role_arn"))["partition"] if options.get("role_arn") else "aws"
    except ValueError:
        return "aws"


def build_metrics(options):
    """Metrics alone are {Status: Enabled}; the event threshold belongs to Replication Time Control.

    A threshold given without RTC is written as asked, so that validation refuses it by name.
    """
    metrics = {"Status": ENABLED}
    threshold = options.get("metrics_event_threshold_minutes")
    if options.get("replication_time_control") or threshold is not None:
        metrics["EventThreshold"] = {"Minutes": ONLY_MINUTES if threshold is None else threshold}
    return metrics


def build_destination(options):
    destination = {"Bucket": _destination_bucket_arn(options["destination_bucket"], _partition(options))}
    if options.get("destination_account"):
        destination["Account"] = str(options["destination_account"])
    if options.get("storage_class"):
        destination["StorageClass"] = options["storage_class"]
    if options.get("owner_override"):
        destination["AccessControlTranslation"] = {"Owner": "Destination"}
    if options.get("replica_kms_key_arn"):
        destination["EncryptionConfiguration"] = {"ReplicaKmsKeyID": options["replica_kms_key_arn"]}
    if metrics_enabled(options):
        destination["Metrics"] = build_metrics(options)
    if options.get("replication_time_control"):
        destination["ReplicationTime"] = {"Status": ENABLED, "Time": {"Minutes": options["replication_time_minutes"]}}
    return destination


def default_priority(configuration, rule_id):
    """The existing rule's priority, else one above every other rule's (1 when there is none)."""
    existing = find_rule(configuration, rule_id)
    if existing is not None and existing.get("Priority") is not None and not is_legacy_rule(existing):
        return int(existing["Priority"])
    others = [int(rule["Priority"]) for rule in rules_of(configuration) if rule.get("ID") != rule_id and rule.get("Priority") is not None]
    return max(others) + 1 if others else 1


def build_rule(options, configuration=None):
    """The V2 rule (S3 API shape) the options describe; optional statuses appear only when enabled."""
    options = with_defaults(options)
    priority = options["priority"] if options["priority"] is not None else default_priority(configuration, options["id"])
    rule = {
        "ID": options["id"],
        "Priority": priority,
        "Status": _status(options["status"] == "enabled"),
        "Filter": build_filter(options["filter"]),
        "DeleteMarkerReplication": {"Status": _status(options["delete_marker_replication"])},
        "Destination": build_destination(options),
    }
    selection = {}
    if sse_kms_selected(options):
        selection["SseKmsEncryptedObjects"] = {"Status": ENABLED}
    if options["replica_modifications"]:
        selection["ReplicaModifications"] = {"Status": ENABLED}
    if selection:
        rule["SourceSelectionCriteria"] = selection
    if options["existing_object_replication"]:
        rule["ExistingObjectReplication"] = {"Status": ENABLED}
    return rule


# Canonical forms: what S3 may return differently from what was written compares equal.


def canonical_filter(rule_filter):
    """Filter {} == {Prefix: ""} == {And: {Prefix: ""}}; tags order-insensitive."""
    rule_filter = rule_filter or {}
    conjunction = rule_filter.get("And") or {}
    prefix = rule_filter.get("Prefix") or conjunction.get("Prefix") or ""
    tags = list(conjunction.get("Tags") or [])
    if rule_filter.get("Tag"):
        tags.append(rule_filter["Tag"])
    return {"prefix": prefix, "tags": sorted([str(tag.get("Key")), str(tag.get("Value", ""))] for tag in tags)}


def _canonical_status(element):
    return (element or {}).get("Status") or DISABLED


def _canonical_timed(element, child):
    """(status, minutes): minutes matter only when enabled; 15 is the only value S3 has."""
    if _canonical_status(element) != ENABLED:
        return [DISABLED, None]
    return [ENABLED, int(((element or {}).get(child) or {}).get("Minutes") or ONLY_MINUTES)]


def _canonical_bucket(name_or_arn):
    text = str(name_or_arn or "")
    return text.rsplit(":", 1)[-1] if text.startswith("arn:") else text


def _canonical_metrics(destination):
    """Without RTC a threshold is not S3's to keep (it refuses one), so only the status counts."""
    if _canonical_status(destination.get("ReplicationTime")) != ENABLED:
        return [_canonical_status(destination.get("Metrics")), None]
    return _canonical_timed(destination.get("Metrics"), "EventThreshold")


def canonical_rule(rule):
    legacy = is_legacy_rule(rule)
    destination = rule.get("Destination") or {}
    selection = rule.get("SourceSelectionCriteria") or {}
    return {
        "id": rule.get("ID"),
        "status": rule.get("Status"),
        "priority": None if legacy or rule.get("Priority") is None else int(rule["Priority"]),
        "legacy_prefix": rule.get("Prefix") if legacy else None,
        "filter": None if legacy else canonical_filter(rule.get("Filter")),
        "delete_marker_replication": _canonical_status(rule.get("DeleteMarkerReplication")),
        "sse_kms_encrypted_objects": _canonical_status(selection.get("SseKmsEncryptedObjects")),
        "replica_modifications": _canonical_status(selection.get("ReplicaModifications")),
        "existing_object_replication": _canonical_status(rule.get("ExistingObjectReplication")),
        "destination_bucket": _canonical_bucket(destination.get("Bucket")),
        "destination_account": destination.get("Account"),
        "storage_class": destination.get("StorageClass"),
        "owner": (destination.get("AccessControlTranslation") or {}).get("Owner"),
        "replica_kms_key_id": (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID"),
        "metrics": _canonical_metrics(destination),
        "replication_time": _canonical_timed(destination.get("ReplicationTime"), "Time"),
    }


def canonical_configuration(configuration):
    """None for no configuration; otherwise the role and the canonical rules in ID order."""
    if not configuration:
        return None
    rules = sorted((canonical_rule(rule) for rule in rules_of(configuration)), key=lambda rule: str(rule["id"]))
    return {"role": configuration.get("Role"), "rules": rules}


def same_configuration(first, second):
    return canonical_configuration(first) == canonical_configuration(second)


# Merge and removal: every other rule is copied as read.


def merge_rule(configuration, rule, role_arn):
    """The configuration with ``rule`` in place of the rule with its ID (appended when new)."""
    merged = copy.deepcopy(dict(configuration or {}))
    rules = []
    placed = False
    for existing in rules_of(configuration):
        if existing.get("ID") != rule["ID"]:
            rules.append(copy.deepcopy(existing))
        elif not placed:
            rules.append(copy.deepcopy(rule))
            placed = True
    if not placed:
        rules.append(copy.deepcopy(rule))
    merged["Role"] = role_arn
    merged["Rules"] = rules
    return merged


def remove_rule(configuration, rule_id):
    """The configuration without the rule; None when no rule is left (delete the configuration)."""
    remaining = [copy.deepcopy(rule) for rule in rules_of(configuration) if rule.get("ID") != rule_id]
    if not remaining:
        return None
    reduced = copy.deepcopy(dict(configuration))
    reduced["Rules"] = remaining
    return reduced


# Validation: plain strings, each naming the option and the fix.


def _validate_identity(options):
    rule_id = options.get("id") or ""
    problems = []
    if not rule_id.strip():
        problems.append("id must not be empty: give the rule a name such as 'replicate-all'")
    elif len(rule_id) > MAX_ID_LENGTH:
        problems.append(f"id is {len(rule_id)} characters long: S3 rule IDs have at most {MAX_ID_LENGTH}, shorten it")
    if options.get("priority") is not None and int(options["priority"]) < 0:
        problems.append(f"priority {options['priority']} is negative: use 0 or a positive integer")
    return problems


def _validate_destination(options):
    problems = []
    if not options.get("destination_bucket"):
        problems.append("destination_bucket is required with state=present: give the destination bucket's name or ARN (arn:aws:s3:::NAME)")
    else:
        try:
            bucket_name(options["destination_bucket"])
        except ValueError as error:
            problems.append(f"destination_bucket: {error}")
    if options.get("destination_account"):
        try:
            validate_account_id(options["destination_account"])
        except ValueError as error:
            problems.append(f"destination_account: {error}")
    elif options.get("owner_override"):
        problems.append(
            "owner_override needs destination_account: S3 requires the destination account id in a rule whose AccessControlTranslation "
            "makes the destination the replica owner; set destination_account to the 12-digit id, or set owner_override: false"
        )
    if options.get("destination_region"):
        try:
            validate_region(options["destination_region"])
        except ValueError as error:
            problems.append(f"destination_region: {error}")
    return problems


def _validate_replica_key(options):
    key = options.get("replica_kms_key_arn")
    if not key:
        if options.get("sse_kms_encrypted_objects"):
            return [
                "sse_kms_encrypted_objects is true but replica_kms_key_arn is not set: S3 needs a replica key to replicate SSE-KMS objects "
                "(they would fail one by one); set replica_kms_key_arn to the full ARN of a customer managed key in the destination region"
            ]
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
    region = options.get("destination_region")
    if region and details["region"] != region:
        return [
            f"replica_kms_key_arn is in region {details['region']} but the destination bucket is in {region}: S3 encrypts replicas with a key "
            f"in the destination bucket's region; give the ARN of a key in {region}"
        ]
    return []


def _validate_timing(options):
    problems = []
    if options.get("replication_time_control") and options.get("metrics") is False:
        problems.append(
            "replication_time_control is true but metrics is false: S3 requires replication metrics with Replication Time Control; "
            "set metrics: true (or leave it unset) or turn replication_time_control off"
        )
    if options.get("metrics_event_threshold_minutes") is not None and not options.get("replication_time_control"):
        problems.append(
            "metrics_event_threshold_minutes is set but replication_time_control is false: S3 refuses an event threshold without "
            "Replication Time Control (InvalidArgument: Metrics cannot contain an event threshold when ReplicationTime is not specified or "
            "Disabled); leave metrics_event_threshold_minutes unset (metrics alone are Metrics: {Status: Enabled}) or set "
            "replication_time_control: true"
        )
    for name in ("metrics_event_threshold_minutes", "replication_time_minutes"):
        if options.get(name) is not None and int(options[name]) != ONLY_MINUTES:
            problems.append(f"{name} is {options[name]}: S3 only accepts {ONLY_MINUTES} minutes, set {name}: {ONLY_MINUTES} or leave it unset")
    return problems


def _validate_filter(options):
    filter_options = options.get("filter") or {}
    problems = []
    tags = filter_options.get("tags") or {}
    if any(not str(key) for key in tags):
        problems.append("filter.tags has an empty tag key: every tag filter needs a key")
    if tags and options.get("delete_marker_replication"):
        problems.append(
            "delete_marker_replication is true but filter.tags is set: S3 cannot replicate delete markers for a rule with a tag filter; "
            "set delete_marker_replication: false or filter by prefix only"
        )
    return problems


def _validate_role_option(options):
    if not options.get("role_arn"):
        return []
    try:
        parse_role_arn(options["role_arn"])
    except ValueError as error:
        return [f"role_arn: {error}"]
    return []


def validate_options(options):
    """Problems in the rule options alone (no configuration needed)."""
    options = with_defaults(options)
    return (
        _validate_identity(options)
        + _validate_destination(options)
        + _validate_replica_key(options)
        + _validate_timing(options)
        + _validate_filter(options)
        + _validate_role_option(options)
    )


def rule_problems(rules):
    """Problems of each rule to merge (state present), prefixed with its id, before anything is written."""
    problems = []
    for rule in rules:
        if (rule.get("state") or "present") != "present":
            continue
        try:
            found = validate_options(rule)
        except (TypeError, ValueError) as error:
            found = [f"the options cannot be read ({error}): give each option the type docs/vars.md names"]
        problems.extend(f"rule '{rule.get('id')}': {problem}" for problem in found)
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


def validate_current(configuration, bucket, rule_id):
    """Problems of the configuration as read that forbid merging a V2 rule into it."""
    problems = []
    for duplicate in _duplicate_ids(configuration):
        problems.append(
            f"the replication configuration of bucket '{bucket}' has several rules with ID '{duplicate}': S3 rule IDs must be unique, "
            "so merging by ID is ambiguous; give those rules distinct IDs (aws s3api put-bucket-replication) and rerun"
        )
    legacy = [str(rule.get("ID")) for rule in rules_of(configuration) if is_legacy_rule(rule) and rule.get("ID") != rule_id]
    if legacy:
        names = ", ".join(f"'{name}'" for name in legacy)
        problems.append(
            f"the replication configuration of bucket '{bucket}' uses the legacy V1 rule form (rules {names} have a top-level Prefix and no "
            f"Filter), and S3 refuses a configuration that mixes V1 and V2 rules; rule '{rule_id}' is a V2 rule. Fix: rewrite those rules in "
            "the V2 form (Filter: {Prefix: ...}, a distinct Priority, DeleteMarkerReplication: {Status: Disabled}) or remove them, then rerun"
        )
    return problems


def _other_rule_ids(configuration, rule_id):
    return [str(rule.get("ID")) for rule in rules_of(configuration) if rule.get("ID") != rule_id]


def resolve_role(configuration, options, bucket):
    """(role to write, problems, warning or None) for the configuration's role."""
    current = (configuration or {}).get("Role")
    wanted = options.get("role_arn")
    if not configuration:
        if not wanted:
            return (
                None,
                [
                    f"role_arn is required: bucket '{bucket}' has no replication configuration yet, so give the replication role's ARN "
                    "(arn:aws:iam::ACCOUNT:role/NAME)"
                ],
                None,
            )
        return wanted, [], None
    if not wanted or wanted == current:
        return current, [], None
    others = _other_rule_ids(configuration, options["id"])
    if not others:
        return wanted, [], None
    names = ", ".join(f"'{name}'" for name in others)
    if not options.get("replace_role"):
        return (
            current,
            [
                f"role_arn '{wanted}' differs from the configuration's role '{current}', which rules {names} also use: the role applies to every "
                "rule, so set replace_role: true to change it for all of them, or leave role_arn unset to keep the current role"
            ],
            None,
        )
    return wanted, [], f"the replication role changes from '{current}' to '{wanted}' for every rule, including {names}"


def validate_merged(configuration, rule_id):
    """Problems of the configuration that would be written: count and distinct priorities."""
    problems = []
    rules = rules_of(configuration)
    if len(rules) > MAX_RULES:
        problems.append(f"the replication configuration would have {len(rules)} rules: S3 allows at most {MAX_RULES}, remove rules first")
    ours = find_rule(configuration, rule_id) or {}
    clashing = [
        str(rule.get("ID"))
        for rule in rules
        if rule.get("ID") != rule_id and rule.get("Priority") is not None and not is_legacy_rule(rule) and int(rule["Priority"]) == ours.get("Priority")
    ]
    if clashing:
        free = max(int(rule["Priority"]) for rule in rules if rule.get("Priority") is not None) + 1
        names = ", ".join(f"'{name}'" for name in clashing)
        problems.append(
            f"priority {ours['Priority']} is already used by rule {names}: every rule needs a distinct priority; set priority to a free value "
            f"such as {free} (or leave it unset to take one above the highest)"
        )
    return problems


def build_diff(bucket, before, after, note=None):
    header = f"s3://{bucket} replication configuration"
    return {
        "before_header": header,
        "after_header": f"{header} ({note})" if note else header,
        "before": before or {},
        "after": after or {},
    }


def plan_present(configuration, options, bucket):
    """What to write for state=present. Raises ReplicationRuleError with every problem found."""
    options = with_defaults(options)
    problems = validate_options(options) + validate_current(configuration, bucket, options["id"])
    role, role_problems, role_warning = resolve_role(configuration, options, bucket)
    problems += role_problems
    rule = build_rule(options, configuration) if options.get("destination_bucket") else None
    after = merge_rule(configuration, rule, role) if rule else None
    if after:
        problems += validate_merged(after, options["id"])
    if problems:
        raise ReplicationRuleError(problems)
    if same_configuration(configuration, after):
        return {
            "changed": False,
            "before": configuration,
            "after": configuration,
            "rule": find_rule(configuration, options["id"]),
            "warnings": [],
            "diff": build_diff(bucket, configuration, configuration),
        }
    return {
        "changed": True,
        "before": configuration,
        "after": after,
        "rule": rule,
        "warnings": [role_warning] if role_warning else [],
        "diff": build_diff(bucket, configuration, after, role_warning),
    }


def plan_absent(configuration, rule_id, bucket):
    """What to write for state=absent: the configuration without the rule, None to delete it."""
    if find_rule(configuration, rule_id) is None:
        return {
            "changed": False,
            "before": configuration,
            "after": configuration,
            "rule": None,
            "warnings": [],
            "diff": build_diff(bucket, configuration, configuration),
        }
    after = remove_rule(configuration, rule_id)
    note = "the last rule is removed, so the configuration is deleted" if after is None else None
    return {"changed": True, "before": configuration, "after": after, "rule": None, "warnings": [], "diff": build_diff(bucket, configuration, after, note)}
