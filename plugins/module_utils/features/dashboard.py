# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication dashboard (``replication_alerts.dashboard``, docs/monitoring.md): its name, its body, whether a dashboard is ours,
and its console link.

One CloudWatch dashboard in the source account: a text widget (what the graphs mean, where the runbook is, and the
marker that makes the dashboard ours), then one row per rule with the rule's four replication metrics (namespace
AWS/S3, dimensions SourceBucket, DestinationBucket, RuleId) with the statistic status.yml reads them with. A dashboard
without the marker in a text widget is another's: it is never written over nor deleted.
"""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import replication_metrics
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns

MARKER = "managed-by: s3_crossaccount.replication"
NAME_PREFIX = "s3-replication-"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
NAME_RULES = "1 to 255 letters, digits, hyphens and underscores (CloudWatch's PutDashboard refuses any other name)"
MAX_WIDGETS = 500
RUNBOOK = "docs/monitoring.md#the-replication-dashboard"
# Per metric (as replication_metrics.METRICS names it), the graph's title.
TITLES = {
    "OperationsFailedReplication": "failed operations",
    "OperationsPendingReplication": "pending operations",
    "BytesPendingReplication": "pending bytes",
    "ReplicationLatency": "latency (s)",
}
PERIOD_SECONDS = 300
TEXT_HEIGHT = 5
GRAPH_WIDTH = 6
GRAPH_HEIGHT = 6
CONSOLE_HOSTS = {"aws": "https://{region}.console.aws.amazon.com", "aws-cn": "https://console.amazonaws.cn",
                 "aws-us-gov": "https://console.amazonaws-us-gov.com"}


def default_name(source_bucket):
    """``s3-replication-BUCKET``, a bucket name's dots made hyphens (a dashboard name has no dots)."""
    return NAME_PREFIX + re.sub(r"[^A-Za-z0-9_-]", "-", source_bucket)


def dashboard_arn(account_id, name, partition="aws"):
    """A dashboard's ARN (dashboards belong to the account, not to a region)."""
    return f"arn:{partition}:cloudwatch::{account_id}:dashboard/{name}"


def name_problem(name):
    """Why CloudWatch would refuse ``name`` as a dashboard name (None when it would not)."""
    if NAME_PATTERN.match(str(name or "")):
        return None
    return f"'{name}' is not a CloudWatch dashboard name: give {NAME_RULES}"


def max_rules():
    return (MAX_WIDGETS - 1) // len(replication_metrics.METRICS)


def rule_count_problem(count):
    if count <= max_rules():
        return None
    return (f"a dashboard shows at most {max_rules()} rules ({MAX_WIDGETS} widgets, {len(replication_metrics.METRICS)} per rule and the text), "
            f"not {count}: give the pairs of other source buckets their own replication_alerts.dashboard_name")


def _text(rules, runbook_url):
    buckets = ", ".join(dict.fromkeys(f"s3://{rule['source_bucket']} -> s3://{rule['destination_bucket']}" for rule in rules))
    runbook = f"[{RUNBOOK}]({runbook_url})" if runbook_url else f"{RUNBOOK} of the Ansible collection s3_crossaccount.replication"
    return "\n".join([
        f"## S3 replication: {buckets}",
        "One row per replication rule. **Failed operations** above 0: objects stopped replicating; the failure alert's "
        "`failureReason` says why; fix the cause (`playbooks/doctor.yml`), then replicate the FAILED objects with `playbooks/backfill.yml` "
        "(`replication_statuses: [FAILED]`). **Latency** or **pending** that only grow: replication is behind (destination throttling, a "
        "busy destination), not yet failing. No data: no replication in the period.",
        f"Runbook: {runbook}. `{MARKER}`: `playbooks/replicate.yml` rewrites this dashboard, `playbooks/teardown.yml` deletes it.",
    ])


def _graph(rule, metric, statistic, x, y):
    dimensions = ["SourceBucket", rule["source_bucket"], "DestinationBucket", rule["destination_bucket"], "RuleId", rule["rule_id"]]
    return {"type": "metric", "x": x, "y": y, "width": GRAPH_WIDTH, "height": GRAPH_HEIGHT, "properties": {
        "title": f"{rule['rule_id']}: {TITLES[metric]}", "view": "timeSeries", "region": rule["region"], "stat": statistic,
        "period": PERIOD_SECONDS, "metrics": [[replication_metrics.NAMESPACE, metric] + dimensions]}}


def body(rules, runbook_url=None):
    """The dashboard body (a dict) for ``rules`` ([{source_bucket, destination_bucket, rule_id, region}], in order)."""
    widgets = [{"type": "text", "x": 0, "y": 0, "width": 24, "height": TEXT_HEIGHT, "properties": {"markdown": _text(rules, runbook_url)}}]
    for row, rule in enumerate(rules):
        y = TEXT_HEIGHT + row * GRAPH_HEIGHT
        widgets += [_graph(rule, metric, statistic, column * GRAPH_WIDTH, y)
                    for column, (_name, metric, statistic, _how) in enumerate(replication_metrics.METRICS)]
    return {"widgets": widgets}


def is_ours(dashboard_body):
    """Whether a dashboard body (a dict) is ours: a text widget carries the marker."""
    return any(widget.get("type") == "text" and MARKER in str((widget.get("properties") or {}).get("markdown") or "")
               for widget in (dashboard_body or {}).get("widgets") or [] if isinstance(widget, dict))


def not_ours_message(name, account_id):
    """What is said of another's dashboard of the name we would write (refused) or delete (kept)."""
    return (f"CloudWatch dashboard {name} of account {account_id} is another's (none of its text widgets carries '{MARKER}'): it is kept "
            "as it is, PutDashboard would replace it; give our dashboard a name of its own (replication_alerts.dashboard_name)")


def shown_rules(dashboard_body):
    """The (source bucket, destination bucket, rule id) whose metrics a dashboard body graphs."""
    found = set()
    for widget in (dashboard_body or {}).get("widgets") or []:
        for metric in ((widget.get("properties") or {}).get("metrics") or []) if isinstance(widget, dict) else []:
            dimensions = dict(zip(metric[2::2], metric[3::2])) if isinstance(metric, list) else {}
            if {"SourceBucket", "DestinationBucket", "RuleId"} <= set(dimensions):
                found.add((dimensions["SourceBucket"], dimensions["DestinationBucket"], dimensions["RuleId"]))
    return found


def console_url(name, region):
    """The dashboard's page in the CloudWatch console of the region's partition."""
    host = CONSOLE_HOSTS[arns.partition_of_region(region)].format(region=region)
    return f"{host}/cloudwatch/home?region={region}#dashboards/dashboard/{name}"
