# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication dashboard's pure parts (features/dashboard): its name, its body, whether a dashboard is ours, its console link;
and the replication_alerts.dashboard variables of the contract."""

import json

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard

RULE = {"source_bucket": "stats-data-src", "destination_bucket": "stats-data-tgt", "rule_id": "all-objects", "region": "us-east-1"}
SOURCE = {"account_id": "211258069784", "bucket": "stats-data-src",
          "kms_key_arn": "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab", "region": "us-east-1"}
DESTINATION = {"account_id": "880161310235", "bucket": "stats-data-tgt",
               "kms_key_arn": "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321", "region": "us-east-1"}


def test_the_default_name_is_the_source_buckets_with_its_dots_made_hyphens():
    assert dashboard.default_name("stats-data-src") == "s3-replication-stats-data-src"
    assert dashboard.default_name("logs.example.com") == "s3-replication-logs-example-com"
    assert dashboard.name_problem(dashboard.default_name("a" * 63)) is None


@pytest.mark.parametrize("name", ["", "with space", "dotted.name", "x" * 256, "slash/name"])
def test_names_cloudwatch_refuses_are_named_with_the_rules(name):
    assert "letters, digits, hyphens and underscores" in dashboard.name_problem(name)


def test_each_rule_gets_a_row_of_its_four_metrics_with_its_dimensions_and_statistics():
    second = dict(RULE, rule_id="reports", region="eu-west-1")
    body = dashboard.body([RULE, second])
    text, *graphs = body["widgets"]
    assert text["type"] == "text" and dashboard.MARKER in text["properties"]["markdown"]
    assert len(graphs) == 8 and {graph["width"] for graph in graphs} == {6}
    first_row = [graph for graph in graphs if graph["y"] == graphs[0]["y"]]
    assert [graph["x"] for graph in first_row] == [0, 6, 12, 18]
    metrics = {graph["properties"]["metrics"][0][1]: graph["properties"] for graph in first_row}
    assert sorted(metrics) == ["BytesPendingReplication", "OperationsFailedReplication", "OperationsPendingReplication", "ReplicationLatency"]
    assert metrics["OperationsFailedReplication"]["stat"] == "Sum" and metrics["ReplicationLatency"]["stat"] == "Maximum"
    assert metrics["ReplicationLatency"]["metrics"][0] == ["AWS/S3", "ReplicationLatency", "SourceBucket", "stats-data-src",
                                                           "DestinationBucket", "stats-data-tgt", "RuleId", "all-objects"]
    assert {graph["properties"]["region"] for graph in graphs if graph["y"] != graphs[0]["y"]} == {"eu-west-1"}
    assert all(widget["y"] >= text["y"] + text["height"] for widget in graphs)


def test_the_text_points_at_the_runbook():
    assert "docs/monitoring.md#the-replication-dashboard" in dashboard.body([RULE])["widgets"][0]["properties"]["markdown"]
    linked = dashboard.body([RULE], "https://wiki.example.com/replication")["widgets"][0]["properties"]["markdown"]
    assert "[docs/monitoring.md#the-replication-dashboard](https://wiki.example.com/replication)" in linked


def test_ours_is_told_by_the_marker_and_survives_cloudwatchs_json():
    body = json.loads(json.dumps(dashboard.body([RULE]), indent=2, sort_keys=True))
    assert dashboard.is_ours(body) and body == dashboard.body([RULE])
    assert not dashboard.is_ours({"widgets": [{"type": "text", "properties": {"markdown": "billing team"}}]})
    assert not dashboard.is_ours({"unparsed": "not json"})
    assert dashboard.shown_rules(body) == {("stats-data-src", "stats-data-tgt", "all-objects")}


@pytest.mark.parametrize("region, host", [
    ("eu-west-1", "https://eu-west-1.console.aws.amazon.com"),
    ("cn-north-1", "https://console.amazonaws.cn"),
    ("us-gov-west-1", "https://console.amazonaws-us-gov.com"),
])
def test_the_console_link_is_the_regions_partitions(region, host):
    assert dashboard.console_url("ops", region) == f"{host}/cloudwatch/home?region={region}#dashboards/dashboard/ops"


def test_a_dashboard_holds_at_most_124_rules():
    assert dashboard.max_rules() == 124 and dashboard.rule_count_problem(124) is None
    assert "at most 124 rules" in dashboard.rule_count_problem(125)


def variables(**alerts):
    return {"replication_source": dict(SOURCE), "replication_destination": dict(DESTINATION),
            "replication_alerts": dict({"create_topic": "replication-alerts"}, **alerts)}


@pytest.mark.parametrize("alerts, fragment", [
    ({"dashboard": True, "dashboard_name": "ops.replication"}, "replication_alerts.dashboard_name: 'ops.replication' is not a CloudWatch dashboard name"),
    ({"dashboard_name": "ops"}, "replication_alerts.dashboard_name is set but replication_alerts.dashboard is false: set dashboard: true"),
    ({"dashboard": True, "dashboard_runbook_url": "wiki/replication"}, "replication_alerts.dashboard_runbook_url: 'wiki/replication' is not a link"),
])
def test_bad_dashboard_variables_are_refused_naming_the_variable_and_the_fix(alerts, fragment):
    _values, problems = contract.validate(variables(**alerts))
    assert any(problem.startswith(fragment) for problem in problems), problems


def test_too_many_rules_for_one_dashboard_are_refused():
    many = dict(variables(dashboard=True), replication_rules=[{"id": f"r{n}", "filter": {"prefix": f"p{n}/"}} for n in range(125)])
    _values, problems = contract.validate(many)
    assert any(problem.startswith("replication_alerts.dashboard: a dashboard shows at most 124 rules") for problem in problems)


def test_valid_dashboard_variables_pass():
    values, problems = contract.validate(variables(dashboard=True, dashboard_name="replication_ops-1", dashboard_runbook_url="https://wiki.example.com/r"))
    assert problems == [] and values["replication_alerts"]["dashboard"] is True
