# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_dashboard (writer module_utils/writers/dashboard) against botocore's Stubber."""

import json

import pytest
from aws_stubs import run
from aws_stubs import stubbed

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import dashboard as dashboard_writer

NAME = "s3-replication-stats-data-src"
RULE = {"source_bucket": "stats-data-src", "destination_bucket": "stats-data-tgt", "rule_id": "all-objects"}
ARGS = {"name": NAME, "rules": [RULE]}
OURS = dashboard.body([dict(RULE, region="us-east-1")])
OTHER_TEAMS = {"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 6, "height": 6,
                            "properties": {"metrics": [["AWS/EC2", "CPUUtilization"]], "region": "us-east-1"}}]}


def answer(stubber, body=None):
    if body is None:
        stubber.add_client_error("get_dashboard", "ResourceNotFound", "Dashboard does not exist", 404, expected_params={"DashboardName": NAME})
    else:
        arn = f"arn:aws:cloudwatch::211258069784:dashboard/{NAME}"
        # CloudWatch hands the body back as text; its spacing and key order are not ours to compare.
        text = json.dumps(body, indent=1, sort_keys=True)
        stubber.add_response("get_dashboard", {"DashboardName": NAME, "DashboardArn": arn, "DashboardBody": text}, {"DashboardName": NAME})


def test_a_missing_dashboard_is_put_with_the_rules_metrics_and_the_console_link():
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"])
        stubs["cloudwatch"].add_response("put_dashboard", {"DashboardValidationMessages": []}, None)
        planned = run(dashboard_writer.WRITER, aws, ARGS)
    (put,) = stubs["cloudwatch"].params_of("PutDashboard")
    assert planned["changed"] is True and put["DashboardName"] == NAME and json.loads(put["DashboardBody"]) == OURS
    assert planned["diff"]["before"] == {} and planned["diff"]["after"] == OURS
    assert planned["result"]["url"].endswith("region=us-east-1#dashboards/dashboard/" + NAME)


def test_a_converged_dashboard_is_not_written():
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"], OURS)
        planned = run(dashboard_writer.WRITER, aws, ARGS)
    assert planned["changed"] is False and stubs["cloudwatch"].operations() == ["GetDashboard"]


def test_check_mode_shows_the_change_and_writes_nothing():
    edited = dict(OURS, widgets=OURS["widgets"][:2])
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"], edited)
        planned = run(dashboard_writer.WRITER, aws, ARGS, check_mode=True)
    assert planned["changed"] is True and planned["diff"]["before"] == edited and planned["diff"]["after"] == OURS
    assert stubs["cloudwatch"].operations() == ["GetDashboard"]


def test_another_teams_dashboard_of_that_name_is_refused_and_not_written():
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"], OTHER_TEAMS)
        with pytest.raises(runner.WriteRefused, match="is another's .* a name of its own"):
            run(dashboard_writer.WRITER, aws, ARGS)
    assert stubs["cloudwatch"].operations() == ["GetDashboard"]


def test_absent_deletes_ours_and_keeps_another_teams():
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"], OURS)
        stubs["cloudwatch"].add_response("delete_dashboards", {}, {"DashboardNames": [NAME]})
        assert run(dashboard_writer.WRITER, aws, {"name": NAME, "state": "absent"})["changed"] is True
        answer(stubs["cloudwatch"], OTHER_TEAMS)
        kept = run(dashboard_writer.WRITER, aws, {"name": NAME, "state": "absent"})
        answer(stubs["cloudwatch"])
        gone = run(dashboard_writer.WRITER, aws, {"name": NAME, "state": "absent"})
    assert kept["changed"] is False and "is another's" in kept["warnings"][0]
    assert gone["changed"] is False and stubs["cloudwatch"].operations().count("DeleteDashboards") == 1


def test_cloudwatchs_validation_messages_become_warnings():
    with stubbed("cloudwatch") as (aws, stubs):
        answer(stubs["cloudwatch"])
        stubs["cloudwatch"].add_response("put_dashboard", {"DashboardValidationMessages": [{"DataPath": "/widgets/1", "Message": "odd"}]}, None)
        planned = run(dashboard_writer.WRITER, aws, ARGS)
    assert planned["warnings"] == [f"CloudWatch dashboard {NAME}: odd"]


def test_a_throttled_read_is_retried():
    with stubbed("cloudwatch") as (aws, stubs):
        stubs["cloudwatch"].add_client_error("get_dashboard", "Throttling", "Rate exceeded", 400, expected_params={"DashboardName": NAME})
        answer(stubs["cloudwatch"], OURS)
        assert run(dashboard_writer.WRITER, aws, ARGS)["changed"] is False


@pytest.mark.parametrize("args, fragment", [
    ({"name": "ops.replication", "rules": [RULE]}, "name: 'ops.replication' is not a CloudWatch dashboard name"),
    ({"name": NAME}, "rules is empty"),
])
def test_bad_options_are_refused_before_any_call(args, fragment):
    with stubbed("cloudwatch") as (aws, stubs):
        with pytest.raises(runner.WriteRefused, match=fragment):
            run(dashboard_writer.WRITER, aws, args)
    assert stubs["cloudwatch"].operations() == []
