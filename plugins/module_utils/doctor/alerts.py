# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's check "are failure alerts wired?" (finding ``failure-alerts``, docs/doctor.md, docs/monitoring.md).

Replication that fails sends nothing anywhere unless the rule has replication metrics and the source
bucket's notification configuration sends ``s3:Replication:OperationFailedReplication`` to a topic,
queue or function. When either is missing for an enabled rule towards the destination, the check
informs (``info``: replication works, but a failure would go unnoticed), or warns when the run has
replication_alerts (it asked for alerts). It warns when alerts are set up but would not reach
anyone: where the facts hold them (a run with replication_alerts reads them), a topic that does not
let S3 publish for the bucket, a topic key S3 may not use, or a rule without an alarm on
``OperationsFailedReplication``. Without the notification configuration in the facts (a
replicate.yml run without replication_alerts does not read it) the check says nothing.

The check "is the dashboard there?" (finding ``replication-dashboard``) runs when replication_alerts asked for a dashboard and
the run read it: a missing dashboard, another's of that name, or ours without a graph of one of the pair's rules warns.

The doctor calls :func:`check_failure_alerts` and :func:`check_dashboard` with its view of both accounts (``doctor.view``).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_notifications
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import INFO
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import OK
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import WARN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import finding
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import rule_prefix

CHECK_ID = "failure-alerts"
DASHBOARD_CHECK_ID = "replication-dashboard"
DASHBOARD_FIX = "run playbooks/replicate.yml with replication_alerts.dashboard: true: it puts the dashboard (docs/monitoring.md)"
FIX = ("set replication_alerts in vars.yml (a topic, subscriptions) and run playbooks/replicate.yml: it turns on replication metrics, sends the "
       "failure events to the topic and adds a CloudWatch alarm per rule (docs/monitoring.md)")


def _finding(status, view, message, fix=""):
    return finding(CHECK_ID, status, "source", view.account("source"), view.source["bucket"], message, fix)


def _topic_problems(view, topic_arn, bucket_arn):
    topic = ((view.facts["source"].get("topics") or {}).get(topic_arn)) if topic_arn.startswith("arn:") and ":sns:" in topic_arn else None
    if not topic or topic.get("exists") is None:
        return []
    if topic.get("exists") is False:
        return [f"topic {topic_arn} does not exist"]
    problems = []
    if replication_alerts.publish_allowed(topic.get("policy"), topic_arn, replication_alerts.S3_SERVICE, bucket_arn, view.account("source")) is False:
        problems.append(f"the policy of topic {topic_arn} does not let s3.amazonaws.com publish for {bucket_arn}")
    key_reference = topic.get("kms_master_key_id") or ""
    key = view.key("source", key_reference)
    refused, notes = replication_alerts.topic_key_problems(topic, key, f"topic {topic_arn}")
    return problems + refused + notes


def _alarm_of(view, rule_id):
    alarms = view.facts["source"].get("alarms")
    if alarms is None:
        return True
    wanted = {("SourceBucket", view.source["bucket"]), ("DestinationBucket", view.destination["bucket"]), ("RuleId", rule_id)}
    for entry in alarms.values():
        alarm = entry.get("alarm") or {}
        dimensions = {(item.get("Name"), item.get("Value")) for item in alarm.get("Dimensions") or []}
        if entry.get("exists") and alarm.get("MetricName") == replication_alerts.FAILED_METRIC and dimensions == wanted and alarm.get("AlarmActions"):
            return True
    return False


def _delivering(rule, configuration):
    """The entries of the notification configuration that send the rule's failure events somewhere."""
    return bucket_notifications.delivering(configuration, replication_alerts.FAILURE_EVENT, rule_prefix(rule))


def _unwired(rule, delivering):
    """Why S3 would send a failure of ``rule`` nowhere (None when something receives it)."""
    rule_id = str(rule.get("ID"))
    if not replication_alerts.metrics_enabled(rule):
        return f"rule {rule_id} has no replication metrics (Destination.Metrics), so S3 sends neither failure events nor metrics for it"
    if not delivering:
        return f"no entry of the notification configuration sends {replication_alerts.FAILURE_EVENT} for rule {rule_id}'s objects anywhere"
    return None


def _broken(view, rule, delivering):
    """What keeps the failure alerts of a wired ``rule`` from reaching anyone."""
    rule_id = str(rule.get("ID"))
    problems = [text for _id, destination in delivering for text in _topic_problems(view, destination, view.source_arn)]
    if not _alarm_of(view, rule_id):
        problems.append(f"rule {rule_id} has no CloudWatch alarm on {replication_alerts.FAILED_METRIC} with an action")
    return [f"rule {rule_id}: {text}" if not text.startswith("rule ") else text for text in problems]


def _alerts_asked(view):
    """The run has replication_alerts: only then does it read the topics and alarms."""
    source = view.facts["source"]
    return source.get("topics") is not None or source.get("alarms") is not None


def check_failure_alerts(view):
    """Alerts set up but broken warn; no alerts at all is information (replication works, a failure would go unnoticed)."""
    bucket = view.source_bucket if view.source_bucket and view.source_bucket.get("exists") else None
    if not bucket or not view.enabled_rules:
        return []
    configuration = bucket.get("notification")
    if configuration is None:
        error = (bucket.get("errors") or {}).get("notification")
        if error:
            return [_finding(WARN, view, f"could not read the notification configuration: {error}",
                             "allow s3:GetBucketNotification to the doctor's credentials")]
        return []
    rules = [rule for rule in view.enabled_rules if not view.rule_ids or str(rule.get("ID")) in view.rule_ids]
    wiring = [(rule, _delivering(rule, configuration)) for rule in rules]
    unwired = [reason for reason in (_unwired(rule, delivering) for rule, delivering in wiring) if reason]
    broken = [text for rule, delivering in wiring if not _unwired(rule, delivering) for text in _broken(view, rule, delivering)]
    if broken:
        return [_finding(WARN, view, "failure alerts are set up but would not reach anyone: " + "; ".join(broken + unwired), FIX)]
    if unwired:
        status = WARN if _alerts_asked(view) else INFO
        return [_finding(status, view, "no failure alerts, a failed replication would go unnoticed: " + "; ".join(unwired), FIX)]
    names = ", ".join(str(rule.get("ID")) for rule in rules)
    return [_finding(OK, view, f"failures of rule(s) {names} are sent to the notification configuration's destinations")]


def _dashboard_finding(status, view, message, fix=""):
    return finding(DASHBOARD_CHECK_ID, status, "source", view.account("source"), view.dashboard, message, fix)


def check_dashboard(view):
    """The dashboard replication_alerts asked for: there, ours, and graphing every rule of the pair."""
    found = (view.facts["source"].get("dashboards") or {}).get(view.dashboard) if view.dashboard else None
    if not found:
        return []
    name, account = view.dashboard, view.account("source")
    if found.get("errors"):
        return [_dashboard_finding(WARN, view, f"could not read CloudWatch dashboard {name}: {'; '.join(found['errors'].values())}",
                                   "allow cloudwatch:GetDashboard to the doctor's credentials")]
    if not found.get("exists"):
        return [_dashboard_finding(WARN, view, f"replication_alerts.dashboard asked for CloudWatch dashboard {name}, which does not exist in "
                                               f"account {account}", DASHBOARD_FIX)]
    if not replication_dashboard.is_ours(found.get("body")):
        return [_dashboard_finding(WARN, view, replication_dashboard.not_ours_message(name, account),
                                   "give replication_alerts.dashboard_name a name of its own, then run playbooks/replicate.yml")]
    shown = replication_dashboard.shown_rules(found.get("body"))
    missing = [rule for rule in view.rule_ids if (view.source["bucket"], view.destination["bucket"], rule) not in shown]
    if missing:
        return [_dashboard_finding(WARN, view, f"CloudWatch dashboard {name} has no graphs of rule(s) {', '.join(missing)}", DASHBOARD_FIX)]
    return [_dashboard_finding(OK, view, f"CloudWatch dashboard {name} graphs the replication metrics of rule(s) {', '.join(view.rule_ids)}")]
