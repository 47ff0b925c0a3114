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

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import admission as s3_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.arns import bucket_name
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.arns import parse_role_arn
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.arns import validate_account_id
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.arns import validate_region
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import DISABLED
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import ENABLED
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import ONLY_MINUTES
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import is_legacy_rule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import rules_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import status_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

# The storage classes S3 replicates into, for the callers' choices.
STORAGE_CLASSES = s3_rules.STORAGE_CLASSES

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


class ReplicationRuleError(Refused):
    """Every problem found in the options and the configuration, reported together."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" | ".join(self.problems))


def with_defaults(options):
    merged = dict(DEFAULTS)
    merged.update({name: value for name, value in options.items() if value is not None})
    return merged


def find_rule(configuration, rule_id):
    for rule in rules_of(configuration):
        if rule.get("ID") == rule_id:
            return rule
    return None


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


def _canonical_tags(tags):
    return sorted([str(tag.get("Key")), str(tag.get("Value", ""))] for tag in tags or [])


def _canonical_exclusion(exclusion):
    """Filter.Not (or And.Not): objects excluded by prefix or tags; None when there is none."""
    if not exclusion:
        return None
    either = exclusion.get("Or") or {}
    return {
        "prefixes": sorted(([exclusion["Prefix"]] if exclusion.get("Prefix") else []) + list(either.get("Prefixes") or [])),
        "tags": _canonical_tags(([exclusion["Tag"]] if exclusion.get("Tag") else []) + list(either.get("Tags") or [])),
    }


def canonical_filter(rule_filter):
    """Filter {} == {Prefix: ""} == {And: {Prefix: ""}}; tags order-insensitive."""
    rule_filter = rule_filter or {}
    conjunction = rule_filter.get("And") or {}
    prefix = rule_filter.get("Prefix") or conjunction.get("Prefix") or ""
    tags = list(conjunction.get("Tags") or [])
    if rule_filter.get("Tag"):
        tags.append(rule_filter["Tag"])
    canonical = {"prefix": prefix, "tags": _canonical_tags(tags)}
    exclusion = _canonical_exclusion(rule_filter.get("Not") or conjunction.get("Not"))
    if exclusion:
        canonical["not"] = exclusion
    return canonical


def _canonical_timed(element, child):
    """(status, minutes): minutes matter only when enabled; 15 is the only value S3 has."""
    if status_of(element) != ENABLED:
        return [DISABLED, None]
    return [ENABLED, int(((element or {}).get(child) or {}).get("Minutes") or ONLY_MINUTES)]


def _canonical_bucket(name_or_arn):
    text = str(name_or_arn or "")
    return text.rsplit(":", 1)[-1] if text.startswith("arn:") else text


def _canonical_metrics(destination):
    """Without RTC a threshold is not S3's to keep (it refuses one), so only the status counts."""
    if status_of(destination.get("ReplicationTime")) != ENABLED:
        return [status_of(destination.get("Metrics")), None]
    return _canonical_timed(destination.get("Metrics"), "EventThreshold")


def _canonical_delete_markers(rule):
    """A V1 rule replicates the delete markers users make (S3 User Guide, backward compatibility)."""
    return ENABLED if is_legacy_rule(rule) else status_of(rule.get("DeleteMarkerReplication"))


def canonical_rule(rule):
    """What the rule means: a V1 rule {Prefix: P} compares equal to the V2 rule {Filter: {Prefix: P}, DeleteMarkerReplication Enabled}."""
    legacy = is_legacy_rule(rule)
    destination = rule.get("Destination") or {}
    selection = rule.get("SourceSelectionCriteria") or {}
    encryption = destination.get("EncryptionConfiguration") or {}
    return {
        "id": rule.get("ID"),
        "status": rule.get("Status"),
        "priority": None if legacy or rule.get("Priority") is None else int(rule["Priority"]),
        "filter": canonical_filter({"Prefix": rule.get("Prefix")} if legacy else rule.get("Filter")),
        "delete_marker_replication": _canonical_delete_markers(rule),
        "sse_kms_encrypted_objects": status_of(selection.get("SseKmsEncryptedObjects")),
        "replica_modifications": status_of(selection.get("ReplicaModifications")),
        "existing_object_replication": status_of(rule.get("ExistingObjectReplication")),
        "destination_bucket": _canonical_bucket(destination.get("Bucket")),
        "destination_account": destination.get("Account"),
        "storage_class": destination.get("StorageClass"),
        "owner": (destination.get("AccessControlTranslation") or {}).get("Owner"),
        "replica_kms_key_id": encryption.get("ReplicaKmsKeyID"),
        "use_source_multi_region_key": bool(encryption.get("UseSourceMultiRegionKey")),
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


# Validation: plain strings, each naming the option and the fix. What S3 itself refuses (or fails
# on) is decided by the admission rules of s3_rules, on the rule the options build; the checks here
# are about reading the options at all.


def _validate_identity(options):
    problems = []
    if not (options.get("id") or "").strip():
        problems.append("id must not be empty: give the rule a name such as 'replicate-all'")
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
    if options.get("destination_region"):
        try:
            validate_region(options["destination_region"])
        except ValueError as error:
            problems.append(f"destination_region: {error}")
    return problems


def _validate_filter(options):
    tags = (options.get("filter") or {}).get("tags") or {}
    if any(not str(key) for key in tags):
        return ["filter.tags has an empty tag key: every tag filter needs a key"]
    return []


def _validate_role_option(options):
    if not options.get("role_arn"):
        return []
    try:
        parse_role_arn(options["role_arn"])
    except ValueError as error:
        return [f"role_arn: {error}"]
    return []


def _refusals(findings):
    return [message for row, message in findings if row.behaviour != s3_rules.WARNED]


def _warnings(findings):
    return [message for row, message in findings if row.behaviour == s3_rules.WARNED]


def validate_options(options):
    """Problems in the rule options alone (no configuration needed), S3's rule-level admission rules included."""
    options = with_defaults(options)
    problems = _validate_identity(options) + _validate_destination(options) + _validate_filter(options) + _validate_role_option(options)
    return problems + _refusals(s3_rules.rule_findings(build_rule(options), options.get("destination_region")))


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


def _other_rule_ids(configuration, rule_id):
    return [str(rule.get("ID")) for rule in rules_of(configuration) if rule.get("ID") != rule_id]


def role_to_write(configuration, options):
    """The role the configuration gets: role_arn, else the configuration's current role."""
    return options.get("role_arn") or (configuration or {}).get("Role")


def role_warning(configuration, after, rule_id):
    """The announcement of a role change that applies to other rules too (None when there is none)."""
    current, wanted = (configuration or {}).get("Role"), (after or {}).get("Role")
    others = _other_rule_ids(configuration, rule_id)
    if not current or current == wanted or not others:
        return None
    names = ", ".join(f"'{name}'" for name in others)
    return f"the replication role changes from '{current}' to '{wanted}' for every rule, including {names}"


def _as_compared(after, configuration, options):
    """``after`` as compared with the configuration read: a V1 rule has no priority, so one left unset does not differ."""
    existing = find_rule(configuration, options["id"])
    if existing is None or not is_legacy_rule(existing) or options.get("priority") is not None:
        return after
    ours = {name: value for name, value in find_rule(after, options["id"]).items() if name != "Priority"}
    return merge_rule(after, ours, after.get("Role"))


def build_diff(bucket, before, after, note=None):
    header = f"s3://{bucket} replication configuration"
    return {
        "before_header": header,
        "after_header": f"{header} ({note})" if note else header,
        "before": before or {},
        "after": after or {},
    }


def _unchanged_plan(bucket, configuration, options):
    return {
        "changed": False,
        "before": configuration,
        "after": configuration,
        "rule": find_rule(configuration, options["id"]),
        "warnings": [],
        "diff": build_diff(bucket, configuration, configuration),
    }


def plan_present(configuration, options, bucket):
    """What to write for state=present. Raises ReplicationRuleError with every problem found.

    A rule already in the configuration with the same meaning (in either form, V1 or V2) is adopted as it is.
    """
    options = with_defaults(options)
    problems = validate_options(options)
    rule = build_rule(options, configuration)
    after = merge_rule(configuration, rule, role_to_write(configuration, options))
    if same_configuration(configuration, _as_compared(after, configuration, options)):
        if problems:
            raise ReplicationRuleError(problems)
        return _unchanged_plan(bucket, configuration, options)
    findings = s3_rules.configuration_findings(after, bucket, options["id"], configuration, options["replace_role"])
    problems += _refusals(findings)
    if problems:
        raise ReplicationRuleError(problems)
    announced = role_warning(configuration, after, options["id"])
    warnings = ([announced] if announced else []) + _warnings(s3_rules.rule_findings(rule, options.get("destination_region")))
    return {
        "changed": True,
        "before": configuration,
        "after": after,
        "rule": rule,
        "warnings": warnings,
        "diff": build_diff(bucket, configuration, after, announced),
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
