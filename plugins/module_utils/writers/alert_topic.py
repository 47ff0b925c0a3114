# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_replication_alert_topic: an SNS topic, its policy statements merged by Sid, its subscriptions (see module_utils/writers/runner).

Present: the topic is created when missing and ``create`` is true (tagged as this collection's), the
statements are merged into its policy by Sid, the subscriptions not there yet are added. Absent: the
statements with these Sids and these subscriptions are removed; with ``delete_when_unused`` the topic
is deleted instead, when this collection created it (its tag), no other subscription is left and no
other statement of this collection (another bucket's) still uses it. Nothing else is ever changed.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sns as aws_sns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas

MODULE = "s3_replication_alert_topic"
PROTOCOLS = ["email", "email-json", "sqs", "lambda", "https", "http", "sms", "firehose", "application"]
SUBSCRIPTION_OPTIONS = dict(protocol=dict(type="str", required=True, choices=PROTOCOLS), endpoint=dict(type="str", required=True))
ARGUMENT_SPEC = dict(
    topic_arn=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    create=dict(type="bool", default=False),
    statements=dict(type="list", elements="dict", default=[]),
    subscriptions=dict(type="list", elements="dict", default=[], options=SUBSCRIPTION_OPTIONS),
    delete_when_unused=dict(type="bool", default=False),
)
PENDING = "PendingConfirmation"


def _changes(**changes):
    return dict({"create": False, "policy": False, "subscribe": [], "unsubscribe": [], "delete": False}, **changes)


def _checked(params):
    try:
        topic = arns.parse_topic_arn(params["topic_arn"])
    except ValueError as error:
        raise WriteRefused(f"topic_arn: {error}") from None
    try:
        if params["state"] == "present" and params["statements"]:
            policy_documents.validate_statements(params["statements"], require_principal=True)
        for statement in params["statements"]:
            policy_documents.validate_sid(statement.get("Sid"))
    except policy_documents.PolicyDocumentError as error:
        raise WriteRefused(f"statements: {error}") from None
    return topic


def _view(state):
    if not state.get("exists"):
        return None
    return {"policy": state.get("policy"), "subscriptions": sorted(f"{item['protocol']}:{item['endpoint']}" for item in state.get("subscriptions") or [])}


def _wanted(subscriptions):
    return [(item["protocol"], item["endpoint"]) for item in subscriptions]


def default_policy(topic_arn, account_id):
    """The policy SNS gives a new topic (its account may use it), for when no other statement is left."""
    return {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic",
                   "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
        "Resource": topic_arn, "Condition": {"StringEquals": {"AWS:SourceOwner": account_id}}}]}


def unused_reasons(params, state):
    """Why a topic stays (not ours, others subscribe, other buckets' statements of ours): empty when it may be deleted."""
    reasons = []
    if not params["delete_when_unused"]:
        reasons.append("delete_when_unused is false (the topic was given, not created by this collection)")
    elif any(state.get("tags", {}).get(key) != value for key, value in replication_alerts.MANAGED_TAG.items()):
        reasons.append("it does not carry this collection's tag managed-by: s3_crossaccount.replication, so another hand created it")
    ours = set(_wanted(params["subscriptions"]))
    others = sorted(f"{item['protocol']}:{item['endpoint']}" for item in state.get("subscriptions") or [] if (item["protocol"], item["endpoint"]) not in ours)
    if others:
        reasons.append(f"other subscriptions use it: {', '.join(others)}")
    removed = {statement["Sid"] for statement in params["statements"]}
    still = sorted(sid for sid in policy_documents.statement_sids(state.get("policy")) if replication_alerts.is_our_sid(sid) and sid not in removed)
    if still:
        reasons.append(f"other source buckets still send alerts to it (statements {', '.join(still)})")
    return reasons


def _plan_absent(params, state, header):
    if not state["exists"]:
        return make_plan(False, None, None, header, result={"topic": None, "kept_because": []}, changes=_changes())
    before = _view(state)
    reasons = unused_reasons(params, state)
    if not reasons:
        return make_plan(True, before, None, header, result={"topic": None, "kept_because": []}, note="deleted: nothing else uses it",
                         changes=_changes(delete=True))
    sids = [statement["Sid"] for statement in params["statements"]]
    policy = policy_documents.remove_statements(state.get("policy"), sids) if state.get("policy") else None
    if policy is not None and not policy["Statement"]:
        policy = default_policy(params["topic_arn"], arns.parse_topic_arn(params["topic_arn"])["account_id"])
    ours = set(_wanted(params["subscriptions"]))
    unsubscribe = [item["arn"] for item in state.get("subscriptions") or [] if (item["protocol"], item["endpoint"]) in ours and item["arn"] != PENDING]
    left = [item for item in state.get("subscriptions") or [] if item["arn"] not in unsubscribe]
    changes = _changes(policy=not policy_documents.policies_equal(state.get("policy"), policy), unsubscribe=unsubscribe)
    after = {"policy": policy, "subscriptions": sorted(f"{item['protocol']}:{item['endpoint']}" for item in left)}
    changed = changes["policy"] or bool(unsubscribe)
    warnings = [f"Kept SNS topic {params['topic_arn']}: " + "; ".join(reasons)] if params["delete_when_unused"] else []
    return make_plan(changed, before, after, header, result={"topic": dict(after, arn=params["topic_arn"], exists=True), "kept_because": reasons},
                     warnings=warnings, changes=changes)


class AlertTopicWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC
    MERGED = True

    def read_state(self, aws, params):
        _checked(params)
        topic = facts.topic(aws.client("sns"), params["topic_arn"], strict=True)
        return dict(topic, account_id=aws.account_id)

    def state_from_facts(self, account_facts, params):
        topic = (account_facts.get("topics") or {}).get(params["topic_arn"])
        if not topic or topic.get("exists") is None or topic.get("errors"):
            return UNKNOWN
        return dict(topic, account_id=account_facts.get("account_id"))

    def document(self, state):
        """The policy and subscriptions as read, comparable (run_write tells a stale read from another writer's by it)."""
        if not state.get("exists"):
            return None
        return {"policy": policy_documents.normalise_policy(state["policy"]) if state.get("policy") else None,
                "subscriptions": sorted((item["protocol"], item["endpoint"]) for item in state.get("subscriptions") or [])}

    def settles(self, _params, planned):
        """Only the policy is merged with other writers' statements; a subscription is an object of its own."""
        return bool(planned["changes"].get("policy"))

    def plan(self, params, state):
        topic = _checked(params)
        header = resource_header(state.get("account_id"), f"SNS topic {params['topic_arn']}")
        if topic["account_id"] != str(state.get("account_id") or topic["account_id"]):
            raise WriteRefused(f"topic_arn: {params['topic_arn']} is in account {topic['account_id']}, but these credentials act in {state['account_id']}: "
                               "give the topic's own account's credentials")
        if params["state"] == "absent":
            return _plan_absent(params, state, header)
        if not state["exists"] and not params["create"]:
            raise WriteRefused(f"topic_arn: topic {params['topic_arn']} does not exist: create it, or set create: true (replication_alerts.create_topic)")
        before = _view(state)
        policy = state.get("policy") if state["exists"] else None
        after_policy = policy_documents.merge_statements(policy or default_policy(params["topic_arn"], topic["account_id"]), params["statements"])
        present = {(item["protocol"], item["endpoint"]) for item in state.get("subscriptions") or []}
        subscribe = [pair for pair in _wanted(params["subscriptions"]) if pair not in present]
        changes = _changes(create=not state["exists"], policy=bool(params["statements"]) and not policy_documents.policies_equal(policy, after_policy),
                           subscribe=subscribe)
        after = {"policy": after_policy if params["statements"] else policy,
                 "subscriptions": sorted({f"{p}:{e}" for p, e in present} | {f"{p}:{e}" for p, e in subscribe})}
        changed = changes["create"] or changes["policy"] or bool(subscribe)
        notes = "created" if changes["create"] else None
        result = {"topic": {"arn": params["topic_arn"], "exists": True, "policy": after["policy"], "subscriptions": after["subscriptions"]}}
        return make_plan(changed, before, after, header, result=result, note=notes, changes=changes)

    def apply(self, aws, params, planned):
        sns, changes, topic_arn = aws.client("sns"), planned["changes"], params["topic_arn"]
        if changes["delete"]:
            aws_sns.delete_topic(sns, topic_arn)
            return {}
        if changes["create"]:
            topic_arn = aws_sns.create_topic(sns, arns.parse_topic_arn(topic_arn)["name"], replication_alerts.MANAGED_TAG)
        if changes["policy"]:
            aws_sns.set_policy(sns, topic_arn, planned["after"]["policy"])
        for protocol, endpoint in changes["subscribe"]:
            aws_sns.subscribe(sns, topic_arn, protocol, endpoint)
        for subscription_arn in changes["unsubscribe"]:
            aws_sns.unsubscribe(sns, subscription_arn)
        return {}

    def applied(self, account_facts, params, planned):
        topic = account_facts.setdefault("topics", {}).setdefault(params["topic_arn"], {"arn": params["topic_arn"], "kms_master_key_id": None, "errors": {}})
        if planned["after"] is None:
            topic.update(exists=False, policy=None, subscriptions=[])
            return
        subscriptions = [dict(zip(("protocol", "endpoint"), text.split(":", 1)), arn="PendingConfirmation") for text in planned["after"]["subscriptions"]]
        tags = topic.get("tags") or dict(replication_alerts.MANAGED_TAG)
        topic.update(exists=True, policy=planned["after"]["policy"], subscriptions=subscriptions, tags=tags)

    def quota_documents(self, args):
        if args.get("state", "present") == "absent":
            return []
        return [(quotas.TOPIC_POLICY, args["topic_arn"])]


WRITER = AlertTopicWriter()
