# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""replication_alerts' writes (the topic, the bucket's notification entry, the rules' alarms, the dashboard) and their removal."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import rule_module_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import unique_by


def _alerted(pairs):
    return [pair for pair in pairs if pair.get("alerts")]


def alert_writes(pairs):
    """replication_alerts: the topic with each source bucket's statements (roles, so that it exists and lets S3 publish before S3 tests it),
    then each source bucket's notification entry, each rule's alarms and each dashboard (rules)."""
    writes = []
    for topic_arn, members in grouped(_alerted(pairs), lambda p: p["alerts"]["topic_arn"]).items():
        statements, subscriptions = _topic_inputs(topic_arn, members)
        args = {"topic_arn": topic_arn, "create": any(pair["alerts"]["create"] for pair in members), "statements": statements, "subscriptions": subscriptions}
        writes.append(make_write(members[0]["source"]["account"], "roles", "s3_replication_alert_topic", args, members))
    for bucket, members in grouped(_alerted(pairs), lambda p: p["source"]["bucket"]).items():
        rules = [options for pair in members for options in rule_module_options(pair, pair["rules"]) if options.get("state") != "absent"]
        entry = replication_alerts.notification_entry(members[0]["alerts"]["topic_arn"], rules)
        writes.append(make_write(members[0]["source"]["account"], "rules", "s3_bucket_notification_entry", {"bucket": bucket, "entries": [entry]}, members))
    for account, members in grouped(_alerted(pairs), lambda p: p["source"]["account"]).items():
        alarms = [alarm for pair in members for rule in pair["rules"] for alarm in _rule_alarms(pair, rule)]
        writes.append(make_write(account, "rules", "s3_replication_alarm", {"alarms": alarms}, members))
    for members in _dashboards(pairs).values():
        args = {"name": members[0]["alerts"]["dashboard"]["name"], "rules": _dashboard_rules(members),
                "runbook_url": members[0]["alerts"]["dashboard"]["runbook_url"]}
        writes.append(make_write(members[0]["source"]["account"], "rules", "s3_replication_dashboard", args, members))
    return writes


def _dashboards(pairs):
    """The pairs of each dashboard: a dashboard belongs to the account (not a region), by name."""
    dashboarded = [pair for pair in _alerted(pairs) if pair["alerts"]["dashboard"]]
    return grouped(dashboarded, lambda p: (p["source"]["account_id"], p["alerts"]["dashboard"]["name"]))


def _dashboard_rules(members):
    """The s3_replication_dashboard rows: every present rule of the dashboard's pairs, once, in the pairs' order."""
    rows = {}
    for pair in members:
        for rule in pair["rules"]:
            if rule["state"] != "absent":
                row = {"source_bucket": pair["source"]["bucket"], "destination_bucket": pair["destination"]["bucket"], "rule_id": rule["id"],
                       "region": pair["source"]["region"]}
                rows.setdefault((row["source_bucket"], row["destination_bucket"], row["rule_id"]), row)
    return list(rows.values())


def _topic_inputs(topic_arn, members):
    """``(statements, subscriptions)`` of a topic shared by ``members``: each source bucket's publish statements, each subscription once."""
    source = members[0]["source"]
    statements = [statement for bucket in dict.fromkeys(pair["source"]["bucket"] for pair in members)
                  for statement in replication_alerts.topic_statements(topic_arn, bucket, source["account_id"], source["region"], members[0]["partition"])]
    subscriptions = list({(item["protocol"], item["endpoint"]): item for pair in members for item in pair["alerts"]["subscriptions"]}.values())
    return statements, subscriptions


def _rule_alarms(pair, rule):
    if rule["state"] == "absent":
        return replication_alerts.absent_alarms(pair["source"]["bucket"], rule["id"])
    return replication_alerts.rule_alarms(pair["source"]["bucket"], pair["destination"]["bucket"], rule["id"], pair["alerts"]["topic_arn"],
                                          pair["alerts"]["alarm_latency_seconds"])


def alert_removals(pairs, read):
    """Teardown of replication_alerts: our notification entry, alarms and dashboard (rules), our topic statements and subscriptions, the topic
    itself when we created it and nothing else uses it (roles, last)."""
    writes = []
    for bucket, members in grouped(_alerted(pairs), lambda p: p["source"]["bucket"]).items():
        if (bucket_facts(facts_of(members[0], read, "source"), bucket) or {}).get("exists"):
            entries = [{"id": replication_alerts.NOTIFICATION_ID, "state": "absent"}]
            writes.append(make_write(members[0]["source"]["account"], "rules", "s3_bucket_notification_entry", {"bucket": bucket, "entries": entries}, members))
    for account, members in grouped(_alerted(pairs), lambda p: p["source"]["account"]).items():
        alarms = [alarm for pair in members for rule in pair["rules"] for alarm in replication_alerts.absent_alarms(pair["source"]["bucket"], rule["id"])]
        writes.append(make_write(account, "rules", "s3_replication_alarm", {"alarms": unique_by(alarms, "name")}, members))
    for members in _dashboards(pairs).values():
        args = {"name": members[0]["alerts"]["dashboard"]["name"], "state": "absent"}
        writes.append(make_write(members[0]["source"]["account"], "rules", "s3_replication_dashboard", args, members))
    for topic_arn, members in grouped(_alerted(pairs), lambda p: p["alerts"]["topic_arn"]).items():
        statements, subscriptions = _topic_inputs(topic_arn, members)
        args = {"topic_arn": topic_arn, "state": "absent", "statements": [{"Sid": statement["Sid"]} for statement in statements],
                "subscriptions": subscriptions, "delete_when_unused": any(pair["alerts"]["create"] for pair in members)}
        writes.append(make_write(members[0]["source"]["account"], "roles", "s3_replication_alert_topic", args, members))
    return writes
