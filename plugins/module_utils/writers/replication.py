# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_replication_rule: rules merged by ID into a bucket's replication configuration (see module_utils/writers/runner).

One rule comes from the top-level options (id, filter, destination_bucket ...); several, merged in
one PutBucketReplication, from ``rules``: the same options per item. ``role_arn`` and
``replace_role`` belong to the configuration, so they stay top-level.
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import bucket_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas

MODULE = "s3_replication_rule"
RULE_OPTIONS = dict(
    id=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    status=dict(type="str", choices=["enabled", "disabled"], default="enabled"),
    priority=dict(type="int"),
    filter=dict(type="dict", options=dict(prefix=dict(type="str"), tags=dict(type="dict"))),
    delete_marker_replication=dict(type="bool", default=False),
    replica_modifications=dict(type="bool", default=False),
    sse_kms_encrypted_objects=dict(type="bool"),
    existing_object_replication=dict(type="bool", default=False),
    destination_bucket=dict(type="str"),
    destination_account=dict(type="str"),
    destination_region=dict(type="str"),
    storage_class=dict(type="str", choices=replication_rules.STORAGE_CLASSES),
    owner_override=dict(type="bool", default=False),
    replica_kms_key_arn=dict(type="str", no_log=False),
    replication_time_control=dict(type="bool", default=False),
    metrics=dict(type="bool"),
    metrics_event_threshold_minutes=dict(type="int"),
    replication_time_minutes=dict(type="int", default=15),
)
ARGUMENT_SPEC = dict(
    {name: dict(option, required=False) if name == "id" else dict(option) for name, option in RULE_OPTIONS.items()},
    bucket=dict(type="str", required=True),
    role_arn=dict(type="str"),
    replace_role=dict(type="bool", default=False),
    rules=dict(type="list", elements="dict", options=RULE_OPTIONS),
)
MUTUALLY_EXCLUSIVE = [("id", "rules")]


def rule_options(params):
    """Each managed rule's options (the configuration's role and replace_role in every one), in order."""
    if params.get("rules") is not None:
        listed = [dict(rule) for rule in params["rules"]]
        if not listed:
            raise WriteRefused("rules is empty: give at least one rule")
    elif params.get("id"):
        listed = [{name: params.get(name) for name in RULE_OPTIONS}]
    else:
        raise WriteRefused("id is required (or give rules, a list of rules)")
    ids = [rule["id"] for rule in listed]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise WriteRefused(f"rules: the ids {', '.join(duplicates)} appear more than once; each rule is merged by its id, give each its own")
    return [dict(rule, role_arn=params.get("role_arn"), replace_role=params.get("replace_role", False)) for rule in listed]


def _region_hints(aws, rules):
    """The destination bucket's region of each rule that names a replica key but no destination_region (S3 tells it)."""
    hints = {}
    for rule in rules:
        if rule["state"] == "present" and not rule.get("destination_region") and rule.get("replica_kms_key_arn") and rule.get("destination_bucket"):
            bucket = str(rule["destination_bucket"]).rsplit(":", 1)[-1]
            hints[rule["id"]] = aws_s3.bucket_region_hint(aws.client("s3"), bucket)
    return hints


def describe_failure(failure, bucket, action):
    """A message for a failed ``action`` ('read', 'write', 'delete') that names the bucket and the fix."""
    response = getattr(failure.error, "response", None) or {}
    code, text = failure.code, response.get("Error", {}).get("Message", "")
    if code == "NoSuchBucket":
        return f"Source bucket '{bucket}' does not exist or is not visible to these credentials: check bucket, the profile/account and region"
    if "ersioning" in text and "estination" in text:
        return (
            "The destination bucket must have versioning Enabled before S3 accepts a rule towards it: enable versioning on the destination "
            "bucket (s3_replication_bucket with versioning: true, in the destination account) and rerun"
        )
    if "ersioning" in text:
        return (
            f"Versioning must be Enabled on source bucket '{bucket}' before a replication configuration can be written: enable it "
            "(s3_replication_bucket with versioning: true) and rerun"
        )
    if code in ("AccessDenied", "AllAccessDisabled"):
        return (
            f"Access denied to the replication configuration of bucket '{bucket}' ({action}): the credentials need "
            "s3:GetReplicationConfiguration and s3:PutReplicationConfiguration on the bucket, and iam:PassRole on the replication role"
        )
    return f"Could not {action} the replication configuration of bucket '{bucket}'"


class ReplicationWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    MUTUALLY_EXCLUSIVE = MUTUALLY_EXCLUSIVE
    MERGED = True

    def read_state(self, aws, params):
        bucket, rules = bucket_of(params), rule_options(params)
        try:
            configuration = aws_s3.get_replication(aws.client("s3"), bucket)
        except AwsCallFailure as failure:
            raise AwsCallFailure(describe_failure(failure, bucket, "read"), failure.error) from None
        return {"bucket": bucket, "configuration": configuration, "region_hints": _region_hints(aws, rules), "account_id": aws.account_id}

    def pending_state(self, aws, params):
        """The state of a bucket that an earlier write of this run creates (check mode): no replication configuration yet."""
        return {"bucket": bucket_of(params), "configuration": None, "region_hints": {}, "account_id": aws.account_id}

    def state_from_facts(self, account_facts, params):
        bucket = bucket_of(params)
        facts = (account_facts.get("buckets") or {}).get(bucket)
        if not facts or facts.get("exists") is not True or "replication" in (facts.get("errors") or {}):
            return UNKNOWN
        return {"bucket": bucket, "configuration": facts.get("replication"), "region_hints": {}, "account_id": account_facts.get("account_id")}

    def document(self, state):
        """The configuration as read, comparable (run_write tells a stale read from another writer's by it)."""
        return replication_rules.canonical_configuration(state["configuration"])

    def plan(self, params, state):
        bucket, configuration = state["bucket"], copy.deepcopy(state["configuration"])
        problems, warnings, managed = [], [], []
        for options in rule_options(params):
            if options["state"] == "absent":
                step = replication_rules.plan_absent(configuration, options["id"], bucket)
            else:
                options["destination_region"] = options.get("destination_region") or state["region_hints"].get(options["id"])
                try:
                    step = replication_rules.plan_present(configuration, options, bucket)
                except replication_rules.ReplicationRuleError as error:
                    problems += [f"rule '{options['id']}': {problem}" for problem in error.problems]
                    continue
            warnings += step["warnings"]
            configuration = step["after"]
            managed.append(options["id"])
        if problems:
            raise replication_rules.ReplicationRuleError(problems)
        before = state["configuration"]
        changed = not replication_rules.same_configuration(before, configuration)
        after = configuration if changed else before
        header = resource_header(state.get("account_id"), f"s3://{bucket} (replication configuration)")
        note = "; ".join(warnings) or ("deleted: no rule is left" if changed and after is None else None)
        rules = [replication_rules.find_rule(after, rule_id) for rule_id in managed]
        result = {"configuration": after or {}, "rules": rules}
        if params.get("rules") is None:
            result["rule"] = rules[0] if rules else None
        return make_plan(changed, before, after, header, result=result, note=note, warnings=warnings)

    def apply(self, aws, params, planned):
        """Writes the whole configuration (or deletes it when no rule is left); run_write reads it back."""
        bucket, configuration = bucket_of(params), planned["after"]
        s3 = aws.client("s3", ("OperationAborted",))
        try:
            if configuration is None:
                aws_s3.delete_replication(s3, bucket)
            else:
                aws_s3.put_replication(s3, bucket, configuration)
        except AwsCallFailure as failure:
            raise AwsCallFailure(describe_failure(failure, bucket, "delete" if configuration is None else "write"), failure.error) from None
        return {}

    def applied(self, account_facts, params, planned):
        account_facts["buckets"][params["bucket"]]["replication"] = planned["after"]

    def quota_documents(self, args):
        if args.get("state", "present") == "absent":
            return []
        return [(quotas.REPLICATION, args["bucket"])]


WRITER = ReplicationWriter()
