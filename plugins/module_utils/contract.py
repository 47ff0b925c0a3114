# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The public variables of the playbooks (the vars.yml contract, docs/vars.md), and their one set of defaults.

``validate(variables, playbook)`` checks one pair's variables (a host's, or a vars file's) against the
contract of ``playbook`` and returns them with every default applied, or the problems, each naming
the variable and the fix. The roles' argument specs and defaults, the policy model and the
replication rules take their defaults from here (tests/unit keep them equal).
"""

import copy
import difflib
import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules

PREFIXES = ("replication_", "doctor_", "status_")
DEFAULT_ROLE_NAME = "s3-replication-role"
DEFAULT_RULE_ID = "all-objects"
FAN_OUT_RULE_ID = "to-{bucket}"

SIDE_OPTIONS = dict(
    account_id=dict(type="str", required=True, description="The account's id, 12 digits, quoted in YAML."),
    bucket=dict(type="str", required=True, description="The bucket's name."),
    kms_key_arn=dict(type="str", required=True, no_log=False, description="Full ARN of the account's customer-managed KMS key (no alias, no bare key id)."),
    region=dict(type="str", required=True, description="The bucket's and the key's region."),
    profile=dict(type="str", description="A named AWS profile that acts in this account. Mutually exclusive with role_arn."),
    role_arn=dict(type="str", description="A role in this account, assumed from the controller's own (ambient) credentials."),
    role_session_name=dict(type="str", default="s3-crossaccount-replication", description="Session name when role_arn is assumed."),
    external_id=dict(type="str", no_log=True, description="External id required by role_arn's trust policy, if any."),
)
KEY_ACCESS_CHOICES = ["policy", "grant"]
SOURCE_OPTIONS = dict(
    SIDE_OPTIONS,
    key_access=dict(type="str", choices=KEY_ACCESS_CHOICES, default="policy",
                    description="replication_two_way: how the reverse role may use this key as its replica key, a key-policy statement or a KMS grant."),
)
DESTINATION_OPTIONS = dict(
    SIDE_OPTIONS,
    create_bucket=dict(type="bool", default=True, description="Create the destination bucket when it is missing; false fails instead."),
    bucket_key_enabled=dict(type="bool", default=True, description="Default encryption of the destination uses S3 Bucket Keys."),
    object_ownership=dict(type="str", choices=["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"], default="BucketOwnerEnforced",
                          description="Object Ownership of the destination bucket."),
    key_access=dict(type="str", choices=KEY_ACCESS_CHOICES, default="policy",
                    description="How the source role may use the destination key, a key-policy statement or a KMS grant."),
)
RULE_OPTIONS = dict(
    id=dict(type="str", required=True, description="Rule ID, up to 255 characters."),
    state=dict(type="str", choices=["present", "absent"], default="present", description="present adds or updates the rule, absent removes it."),
    status=dict(type="str", choices=["enabled", "disabled"], default="enabled", description="Whether the rule is active."),
    priority=dict(type="int", description="Rule priority; default keeps the rule's priority, else one above the highest."),
    filter=dict(type="dict", description="The objects the rule applies to; default every object.",
                options=dict(prefix=dict(type="str", description="Key prefix."), tags=dict(type="dict", description="Object tags that must all match."))),
    delete_marker_replication=dict(type="bool", default=False, description="Replicate delete markers (not with a tag filter)."),
    replica_modifications=dict(type="bool", default=False, description="Replicate metadata changes made to replicas back (two-way setups)."),
    existing_object_replication=dict(type="bool", default=False, description="Existing object replication (only where AWS Support enabled it)."),
    storage_class=dict(type="str", choices=list(replication_rules.STORAGE_CLASSES), description="Storage class of the replicas; default the source object's."),
    replication_time_control=dict(type="bool", default=False, description="S3 Replication Time Control (15-minute SLA); turns metrics on."),
    metrics=dict(type="bool", description="Replication metrics; default follows replication_time_control."),
)
FAN_OUT_DESTINATION_OPTIONS = dict(
    DESTINATION_OPTIONS,
    rules=dict(type="list", elements="dict", options=RULE_OPTIONS,
               description="The rules towards this destination (ids unique across all destinations); default one rule, id to-BUCKET."),
)
DIRECTIONS = ("forward", "reverse", "both")
BACKFILL_OPTIONS = dict(
    report_bucket=dict(type="str", required=True, description="Bucket of the completion report and generated manifest (source account)."),
    report_prefix=dict(type="str", default="batch-replication", description="Key prefix of the report."),
    report_scope=dict(type="str", choices=["AllTasks", "FailedTasksOnly"], default="AllTasks", description="Which tasks the report lists."),
    manifest_bucket=dict(type="str", description="Bucket of the generated manifest; default report_bucket."),
    manifest_prefix=dict(type="str", description="Key prefix of the generated manifest; default report_prefix."),
    replication_statuses=dict(type="list", elements="str", choices=["NONE", "FAILED", "COMPLETED", "REPLICA"], default=["NONE"],
                              description="Replication statuses of the objects to replicate."),
    prefixes=dict(type="list", elements="str", default=[], description="Only keys with one of these prefixes."),
    priority=dict(type="int", default=10, description="Job priority."),
    wait=dict(type="bool", default=False, description="Wait for the job and report its counts."),
    wait_timeout=dict(type="int", default=3600, description="Seconds to wait."),
    direction=dict(type="str", choices=list(DIRECTIONS), default="forward",
                   description="replication_two_way: the direction(s) to backfill; reverse copies the destination's objects into the source bucket."),
    reverse_report_bucket=dict(
        type="str", description="Bucket of the reverse job's report and manifest (destination account); required for direction reverse or both."
    ),
)
LOCK_OPTIONS = dict(
    bucket=dict(type="str", required=True, description="The bucket that holds the lock object, in the account of side."),
    key=dict(type="str", default="s3-crossaccount-replication/run.lock", no_log=False,
             description="The lock object's key; every run that must take turns names the same bucket and key."),
    side=dict(type="str", choices=["destination", "source"], default="destination",
              description="Whose account holds the lock bucket (that side's credentials take it): of the run's first pair."),
    timeout_seconds=dict(type="int", default=900, description="A lock older than this is stale (its run died) and is taken over."),
    wait_seconds=dict(type="int", default=600, description="How long a run waits for another run's lock before failing."),
)
VERIFY_OPTIONS = dict(
    wait_timeout=dict(type="int", default=900, description="Seconds to wait for COMPLETED or FAILED."),
    poll_interval=dict(type="int", default=5, description="Seconds between two reads of the canary's status."),
    replica_wait_timeout=dict(type="int", default=60, description="Seconds to wait for the replica in the destination."),
    key_prefix=dict(type="str", description="Key prefix of the canary; default the first rule's filter prefix + s3-crossaccount-canary/."),
    tags=dict(type="dict", description="Tags of the canary; default the first rule's filter tags."),
    keep_canary=dict(type="bool", default=False, description="Keep the canary and its replica for inspection."),
    direction=dict(
        type="str", choices=list(DIRECTIONS), description="The direction(s) a canary goes through; default both with replication_two_way, else forward."
    ),
)
SUBSCRIPTION_PROTOCOLS = ["email", "email-json", "sqs", "lambda", "https", "http", "sms", "firehose", "application"]
ALERT_OPTIONS = dict(
    topic_arn=dict(type="str", description="An existing standard SNS topic in the source account and region (its policy gets our statements)."),
    create_topic=dict(type="str", description="Instead of topic_arn: the name of a topic to create in the source account and region."),
    subscriptions=dict(
        type="list",
        elements="dict",
        default=[],
        options=dict(
            protocol=dict(type="str", required=True, choices=SUBSCRIPTION_PROTOCOLS, description="The subscription's protocol."),
            endpoint=dict(type="str", required=True, description="Where the alerts go (an address, a queue or function ARN, a URL)."),
        ),
        description="Subscriptions to add to the topic (others are kept); an e-mail address must confirm the subscription.",
    ),
    alarm_latency_seconds=dict(type="int", description="Also alarm when a rule's ReplicationLatency (maximum) exceeds this many seconds."),
    dashboard=dict(type="bool", default=False,
                   description="Also put a CloudWatch dashboard of the rules' replication metrics in the source account (docs/monitoring.md)."),
    dashboard_name=dict(type="str", description="The dashboard's name; default s3-replication-SOURCE_BUCKET (dots made hyphens)."),
    dashboard_runbook_url=dict(type="str", description="A link to your runbook for the dashboard's text; default it names docs/monitoring.md."),
)
STATUS_LIMITS = {"status_hours": (1, 336), "status_sample_size": (0, 1000), "status_sample_scan": (1, 10000)}

SPEC = dict(
    replication_source=dict(
        type="dict",
        required=True,
        options=SOURCE_OPTIONS,
        mutually_exclusive=[["profile", "role_arn"]],
        description="The source account, bucket (must exist) and key, and how to act in that account.",
    ),
    replication_destination=dict(
        type="dict",
        options=DESTINATION_OPTIONS,
        mutually_exclusive=[["profile", "role_arn"]],
        description="The destination account, bucket (created when missing) and key, and how to act in that account.",
    ),
    replication_destinations=dict(
        type="list",
        elements="dict",
        options=FAN_OUT_DESTINATION_OPTIONS,
        mutually_exclusive=[["profile", "role_arn"]],
        description="Fan-out, instead of replication_destination: several destinations, each with its own rules.",
    ),
    replication_role_name=dict(type="str", default=DEFAULT_ROLE_NAME, description="Name of the replication IAM role in the source account."),
    replication_role_path=dict(type="str", default="/", description="IAM path of the replication role (and of the reverse role)."),
    replication_two_way=dict(
        type="bool",
        default=False,
        description="Replicate both ways (docs/two-way.md): also from the destination bucket back into the source bucket, with replica modification sync.",
    ),
    replication_reverse_role_name=dict(
        type="str", description="replication_two_way: name of the reverse replication role in the destination account; default replication_role_name."
    ),
    replication_rules=dict(
        type="list",
        elements="dict",
        options=RULE_OPTIONS,
        default=[{"id": DEFAULT_RULE_ID}],
        description="The replication rules this run manages, merged by id into the source bucket's configuration.",
    ),
    replication_owner_override=dict(
        type="bool",
        default=True,
        description="Replicas are owned by the destination account (AccessControlTranslation and s3:ObjectOwnerOverrideToBucketOwner).",
    ),
    replication_replicate_unencrypted_objects=dict(
        type="bool", default=True, description="Let unencrypted source objects replicate into the SSE-KMS destination (kms:GenerateDataKey)."
    ),
    replication_replace_role=dict(
        type="bool", default=False, description="Allow changing the role of a replication configuration that also holds other rules."
    ),
    replication_object_lock=dict(type="bool", default=False, description="The source bucket uses Object Lock (the role may read retention and legal holds)."),
    replication_trust_source_account_condition=dict(
        type="bool", default=False, description="Add aws:SourceAccount = the source account to the role's trust policy."
    ),
    replication_partition=dict(type="str", choices=["aws", "aws-cn", "aws-us-gov"], default="aws", description="AWS partition of both accounts."),
    replication_no_log=dict(type="bool", default=True, description="Hide results that carry credentials (assumed-role session tokens)."),
    replication_backfill=dict(
        type="dict",
        options=BACKFILL_OPTIONS,
        description="The S3 Batch Replication job of playbooks/backfill.yml; given to replicate.yml, the role keeps trusting Batch Operations.",
    ),
    replication_verify=dict(type="dict", options=VERIFY_OPTIONS, description="The canary of playbooks/verify.yml."),
    replication_lock=dict(
        type="dict",
        options=LOCK_OPTIONS,
        description="replicate.yml and teardown.yml read and write under a lock in S3, so that runs writing the same accounts take turns.",
    ),
    replication_alerts=dict(
        type="dict",
        options=ALERT_OPTIONS,
        description="Failure alerts: replication metrics on our rules, their failure events to an SNS topic, a CloudWatch alarm per rule, "
        "and a dashboard on request (docs/monitoring.md).",
    ),
    doctor_fail_on_warn=dict(type="bool", default=False, description="playbooks/doctor.yml: fail the run when a finding warns, not only when one fails."),
    doctor_report_path=dict(type="path", description="playbooks/doctor.yml: write the findings as JSON to this path on the controller."),
    doctor_show_ok=dict(type="bool", default=True, description="playbooks/doctor.yml: print the findings that are ok too."),
    status_hours=dict(type="int", default=3, description="playbooks/status.yml: the CloudWatch metrics of the last this many hours (1 to 336)."),
    status_sample_size=dict(
        type="int", default=20, description="playbooks/status.yml: how many of the newest object versions to check with HeadObject (0 to 1000)."
    ),
    status_sample_scan=dict(
        type="int", default=1000, description="playbooks/status.yml: how many object versions to list, at most, to find the newest (1 to 10000)."
    ),
    status_sample_prefix=dict(type="str", description="playbooks/status.yml: list the sample under this key prefix; default the rules' common prefix."),
    status_max_latency_seconds=dict(
        type="int", description="playbooks/status.yml: a rule whose latency passed this fails; default replication_alerts.alarm_latency_seconds."
    ),
    status_fail_on_warn=dict(type="bool", default=False, description="playbooks/status.yml: fail the run on warnings (PENDING objects, doctor warnings)."),
    status_report_path=dict(type="path", description="playbooks/status.yml: write the status report as JSON to this path on the controller."),
)
# Default of each model option in the policy model's terms (policy_model.TOP_LEVEL_DEFAULTS reads these).
MODEL_DEFAULTS = {
    "role_name": SPEC["replication_role_name"]["default"],
    "role_path": SPEC["replication_role_path"]["default"],
    "owner_override": SPEC["replication_owner_override"]["default"],
    "replicate_unencrypted_objects": SPEC["replication_replicate_unencrypted_objects"]["default"],
    "object_lock": SPEC["replication_object_lock"]["default"],
    "trust_source_account_condition": SPEC["replication_trust_source_account_condition"]["default"],
    "partition": SPEC["replication_partition"]["default"],
}
UNSUPPORTED = re.compile(r"^(?P<path>[\w.\[\]]+)\. Supported parameters include: (?P<known>.*)\.$")
FOUND_IN = re.compile(r"^(?P<text>.*) found in (?P<path>[\w.\[\]]+)$")


def spec_without_descriptions(spec=None):
    """The spec as ArgumentSpecValidator takes it (descriptions are for docs and role specs)."""
    cleaned = {}
    for name, option in (SPEC if spec is None else spec).items():
        option = {key: value for key, value in option.items() if key != "description"}
        if "options" in option:
            option["options"] = spec_without_descriptions(option["options"])
        cleaned[name] = option
    return cleaned


_VALIDATION_SPEC = spec_without_descriptions()


def known_variables():
    return sorted(SPEC)


def unknown_variables(names):
    """Problems for the names of this collection's prefixes that no playbook knows, each with the closest valid name."""
    problems = []
    for name in sorted(names):
        if name.startswith(PREFIXES) and name not in SPEC:
            problems.append(f"{name} is not a variable of s3_crossaccount.replication{suggestion(name, SPEC)}: fix the name (docs/vars.md)")
    return problems


def suggestion(name, known):
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def readable(message):
    """ArgumentSpecValidator's message in this collection's words: the variable's full name first, a suggestion for a typo."""
    unsupported = UNSUPPORTED.match(message)
    if unsupported:
        path = unsupported.group("path")
        parent, _dot, option = path.rpartition(".")
        known = [word.strip() for word in unsupported.group("known").split(",")]
        return f"{path} is not a known option of {parent or 'the playbook'}{suggestion(option, known)}: use one of {', '.join(known)}"
    found = FOUND_IN.match(message)
    if found:
        return f"{found.group('path')}: {found.group('text')}"
    return message


def validate(variables):
    """``(values with every default applied, problems)`` for one pair's public variables."""
    given = {name: copy.deepcopy(value) for name, value in variables.items() if name in SPEC}
    result = ArgumentSpecValidator(copy.deepcopy(_VALIDATION_SPEC)).validate(given)  # it fills defaults into the spec's own lists
    problems = [readable(message) for message in result.error_messages]
    problems += _destination_choice_problems(given)
    if not problems:
        values = result.validated_parameters
        problems += _two_way_problems(values) + _alert_problems(values) + _status_problems(values)
    return result.validated_parameters, problems


def _destination_choice_problems(given):
    if ("replication_destination" in given) == ("replication_destinations" in given):
        return ["Give either replication_destination (one destination) or replication_destinations (fan-out), not both and not neither."]
    if "replication_destinations" in given and "replication_rules" in given:
        return ["With replication_destinations, give each destination its rules (replication_destinations[].rules) instead of replication_rules."]
    if "replication_destinations" in given and not given["replication_destinations"]:
        return ["replication_destinations is empty: name at least one destination."]
    return []


def _two_way_problems(values):
    """What replication_two_way cannot do, and the directions the other playbooks may be asked for."""
    if not values["replication_two_way"]:
        return [
            f"{option}.direction is {direction}, but replication_two_way is false: there is no reverse direction; set replication_two_way: true "
            "(and run playbooks/replicate.yml with it first), or direction: forward"
            for option, direction in _directions_asked(values)
            if direction != "forward"
        ]
    if values.get("replication_destinations") is not None:
        return [
            "replication_two_way with replication_destinations (fan-out) is refused: S3 never replicates a replica again, so an object written "
            "into one destination would come back to the source but never reach the other destinations, and the buckets would drift apart; "
            "give one destination (replication_destination) for two-way, or set replication_two_way: false for fan-out"
        ]
    if values.get("replication_alerts"):
        return [
            "replication_alerts with replication_two_way is refused: the alerts watch the source bucket's rules only, so the reverse direction's "
            "failures would go unnoticed; set up one direction with alerts (replication_two_way: false), or two-way without replication_alerts "
            "and watch both buckets with playbooks/status.yml"
        ]
    backfill = values.get("replication_backfill") or {}
    if backfill.get("direction") in ("reverse", "both") and not backfill.get("reverse_report_bucket"):
        return [
            f"replication_backfill.reverse_report_bucket is required with direction {backfill['direction']}: the reverse job runs in the destination "
            f"account ({values['replication_destination']['account_id']}) and writes its manifest and completion report to a bucket there; name one"
        ]
    return []


def _directions_asked(values):
    """(variable, direction) of the playbook options that name a direction."""
    asked = [(option, (values.get(option) or {}).get("direction")) for option in ("replication_backfill", "replication_verify")]
    return [(option, direction) for option, direction in asked if direction]


def _alert_problems(values):
    """replication_alerts: one topic in the source account and region, usable by S3, and metrics on every rule."""
    alerts = values.get("replication_alerts")
    if not alerts:
        return []
    source = values["replication_source"]
    if bool(alerts.get("topic_arn")) == bool(alerts.get("create_topic")):
        return ["replication_alerts needs exactly one of topic_arn (an existing SNS topic in the source account and region) and create_topic "
                "(the name of a topic to create there)"]
    problems = _topic_problems(alerts, source)
    for subscription in alerts["subscriptions"]:
        if subscription["protocol"].startswith("email") and "@" not in subscription["endpoint"]:
            problems.append(f"replication_alerts.subscriptions: {subscription['endpoint']!r} is not an e-mail address: give one for protocol "
                            f"{subscription['protocol']}")
    if alerts.get("alarm_latency_seconds") is not None and alerts["alarm_latency_seconds"] < 1:
        problems.append("replication_alerts.alarm_latency_seconds must be a positive number of seconds (for example 900), or unset")
    problems += _dashboard_problems(alerts, values)
    for label, rules in _rule_lists(values):
        for index, rule in enumerate(rules or []):
            if rule.get("metrics") is False and rule.get("state") != "absent":
                problems.append(f"{label}[{index}].metrics is false, but replication_alerts needs replication metrics on every rule (S3 sends failure "
                                "events and metrics only for rules with metrics): remove metrics: false, or drop replication_alerts")
    return problems


def _dashboard_problems(alerts, values):
    if not alerts["dashboard"]:
        given = [option for option in ("dashboard_name", "dashboard_runbook_url") if alerts.get(option)]
        return [f"replication_alerts.{option} is set but replication_alerts.dashboard is false: set dashboard: true, or remove {option}"
                for option in given]
    problems = []
    if alerts.get("dashboard_name") is not None:
        problem = replication_dashboard.name_problem(alerts["dashboard_name"])
        if problem:
            problems.append(f"replication_alerts.dashboard_name: {problem}")
    url = alerts.get("dashboard_runbook_url")
    if url is not None and not re.match(r"^https?://\S+$", url):
        problems.append(f"replication_alerts.dashboard_runbook_url: '{url}' is not a link: give an https:// URL of your runbook, or remove it")
    count = sum(1 for _label, rules in _rule_lists(values) for rule in rules or [] if rule.get("state") != "absent")
    problem = replication_dashboard.rule_count_problem(count)
    if problem:
        problems.append(f"replication_alerts.dashboard: {problem}")
    return problems


def _topic_problems(alerts, source):
    if alerts.get("create_topic"):
        try:
            arns.validate_topic_name(alerts["create_topic"])
        except ValueError as error:
            return [f"replication_alerts.create_topic: {error}"]
        return []
    try:
        topic = arns.parse_topic_arn(alerts["topic_arn"])
    except ValueError as error:
        return [f"replication_alerts.topic_arn: {error}"]
    problems = []
    if topic["region"] != source["region"]:
        problems.append(f"replication_alerts.topic_arn {alerts['topic_arn']} is in region {topic['region']}, but S3 sends a bucket's events only to a "
                        f"topic of the bucket's region {source['region']}: give a topic in {source['region']}, or create_topic")
    if topic["account_id"] != str(source["account_id"]):
        problems.append(f"replication_alerts.topic_arn {alerts['topic_arn']} is in account {topic['account_id']}, but its policy is written with "
                        f"replication_source's credentials (account {source['account_id']}): give a topic of that account, or create_topic")
    return problems


def _rule_lists(values):
    if values.get("replication_destinations"):
        return [(f"replication_destinations[{index}].rules", destination.get("rules")) for index, destination in enumerate(values["replication_destinations"])]
    return [("replication_rules", values.get("replication_rules"))]


def _status_problems(values):
    problems = []
    for name, (low, high) in STATUS_LIMITS.items():
        if not low <= values[name] <= high:
            problems.append(f"{name} is {values[name]}: give a number from {low} to {high}")
    if values["status_sample_scan"] < values["status_sample_size"]:
        problems.append(f"status_sample_scan ({values['status_sample_scan']}) is smaller than status_sample_size ({values['status_sample_size']}): "
                        "list at least as many versions as the sample checks")
    return problems


# The roles' public variables and the contract's: a role used alone maps its variables here, so it is
# checked by the same contract and planner as the playbooks.
ROLE_PREFIXES = {"source_account": "source_account_", "destination_account": "destination_account_"}
ROLE_COMMON = ("role_name", "role_path", "owner_override", "replicate_unencrypted_objects", "object_lock", "trust_source_account_condition", "partition")
SIDE_KEYS = ("account_id", "bucket", "kms_key_arn", "region")
DESTINATION_SETTINGS = ("create_bucket", "bucket_key_enabled", "object_ownership", "key_access")


def from_role(role, variables):
    """The contract's variables for the role's own (``source_account_*`` or ``destination_account_*``)."""
    prefix = ROLE_PREFIXES[role]
    own = {name[len(prefix) :]: value for name, value in variables.items() if name.startswith(prefix) and value is not None}
    mapped = {f"replication_{option}": own[option] for option in ROLE_COMMON if option in own}
    if role == "source_account":
        mapped["replication_source"] = {key: own.get(key) for key in SIDE_KEYS}
        mapped["replication_replace_role"] = own.get("replace_role", SPEC["replication_replace_role"]["default"])
        if own.get("destinations"):
            mapped["replication_destinations"] = [dict(destination, rules=destination.get("rules") or own.get("rules")) for destination in own["destinations"]]
        else:
            mapped["replication_destination"] = own.get("destination")
            mapped["replication_rules"] = own.get("rules", SPEC["replication_rules"]["default"])
    else:
        mapped["replication_source"] = {key: (own.get("source") or {}).get(key) for key in SIDE_KEYS}
        mapped["replication_destination"] = dict({key: own.get(key) for key in SIDE_KEYS}, **{key: own[key] for key in DESTINATION_SETTINGS if key in own})
    return mapped


def role_words(role, message):
    """A planner message in the role's own variables (replication_destination.bucket -> destination_account_bucket ...)."""
    prefix = ROLE_PREFIXES[role]
    own_side, other_side = ("source", "destination") if role == "source_account" else ("destination", "source")
    text = re.sub(rf"\breplication_{own_side}\.(\w+)", rf"{prefix}\1", message)
    text = re.sub(rf"\breplication_{own_side}\b", f"the {role} role's variables", text)
    text = re.sub(rf"\breplication_{other_side}\.", f"{prefix}{other_side}.", text)
    return re.sub(
        r"\breplication_(rules|role_name|role_path|owner_override|replicate_unencrypted_objects|object_lock|"
        r"trust_source_account_condition|partition|replace_role|destinations)\b",
        rf"{prefix}\1",
        text,
    )
