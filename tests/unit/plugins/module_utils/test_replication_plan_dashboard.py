# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""replication_alerts.dashboard in the planner: the dashboard read, its write after the rules, convergence, another's dashboard
refused and kept, teardown, the doctor's replication-dashboard finding and the status report's link. Facts are in
s3_replication_info's shape; ``converge`` applies the planned writes with each writer's own plan."""

import datetime

from test_replication_plan import DST_ACCOUNT
from test_replication_plan import SRC_ACCOUNT
from test_replication_plan import converge
from test_replication_plan import one_pair
from test_replication_plan import plan_run
from test_replication_plan_alerts import CREATE
from test_replication_plan_alerts import args_of
from test_replication_plan_alerts import estate

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import planner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import status

NAME = "s3-replication-src-data"
RULES = [{"id": "all-objects"}, {"id": "reports", "filter": {"prefix": "reports/"}}]
OTHER_TEAMS = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2, "properties": {"markdown": "billing team"}}]}


def dashboarded(**alerts):
    return one_pair(replication_alerts=dict(CREATE, dashboard=True, **alerts), replication_rules=RULES)


def dashboard_facts(body=None, name=NAME):
    return {"name": name, "exists": body is not None, "body": body, "errors": {}}


def estate_with(body=None, name=NAME):
    read = estate()
    read[SRC_ACCOUNT]["dashboards"] = {name: dashboard_facts(body, name)}
    read[SRC_ACCOUNT]["alarms"].update({alarm: {"name": alarm, "exists": False, "alarm": None, "errors": {}}
                                        for alarm in replication_alerts.alarm_names("src-data", "reports")})
    return read


def test_the_source_account_reads_the_dashboard_only_when_asked_for():
    assert "dashboards" not in planner.plan_pairs(one_pair(replication_alerts=CREATE))["accounts"][SRC_ACCOUNT]["read"]
    stage = planner.plan_pairs(dashboarded())
    assert stage["accounts"][SRC_ACCOUNT]["read"]["dashboards"] == [NAME]
    assert "dashboards" not in stage["accounts"][DST_ACCOUNT]["read"]
    renamed = planner.plan_pairs(dashboarded(dashboard_name="replication-ops"))
    assert renamed["accounts"][SRC_ACCOUNT]["read"]["dashboards"] == ["replication-ops"]


def test_the_dashboard_graphs_every_rule_after_the_rules_and_converges():
    read = estate_with()
    _stage, plan = plan_run(dashboarded(), read)
    (write,) = [write for write in plan["writes"] if write["module"] == "s3_replication_dashboard"]
    assert write["account"] == SRC_ACCOUNT and write["phase"] == "rules"
    assert [row["rule_id"] for row in write["args"]["rules"]] == ["all-objects", "reports"]
    assert {row["destination_bucket"] for row in write["args"]["rules"]} == {"dst-data"}
    after = converge(plan, read)
    body = after[SRC_ACCOUNT]["dashboards"][NAME]["body"]
    assert replication_dashboard.is_ours(body)
    assert replication_dashboard.shown_rules(body) == {("src-data", "dst-data", "all-objects"), ("src-data", "dst-data", "reports")}
    assert plan["verdicts"] == {}
    _stage, again = plan_run(dashboarded(), after)
    assert again["writes"] == [] and again["refused"] == {}


def test_rules_keep_their_metrics_when_a_dashboard_is_asked_for():
    _stage, plan = plan_run(dashboarded(), estate_with())
    assert [rule["metrics"] for rule in args_of(plan, "s3_replication_rule")[0]["rules"]] == [True, True]


def test_an_edited_dashboard_of_ours_is_written_again():
    read = converge(plan_run(dashboarded(), estate_with())[1], estate_with())
    read[SRC_ACCOUNT]["dashboards"][NAME]["body"]["widgets"].pop()
    _stage, plan = plan_run(dashboarded(), read)
    assert [write["module"] for write in plan["writes"]] == ["s3_replication_dashboard"]


def test_another_teams_dashboard_of_that_name_refuses_the_pair_before_any_write():
    _stage, plan = plan_run(dashboarded(), estate_with(OTHER_TEAMS))
    (problem,) = plan["refused"]["localhost"]
    assert problem.startswith("replication_alerts.dashboard_name: CloudWatch dashboard s3-replication-src-data of account 211258069784 is another's")
    assert "a name of its own" in problem and plan["writes"] == []


def test_teardown_removes_our_dashboard_and_keeps_another_teams():
    ours = converge(plan_run(dashboarded(), estate_with())[1], estate_with())
    _stage, plan = plan_run(dashboarded(), ours, "teardown")
    assert args_of(plan, "s3_replication_dashboard") == [{"name": NAME, "state": "absent"}]
    after = converge(plan, ours)
    assert after[SRC_ACCOUNT]["dashboards"][NAME]["exists"] is False
    _stage, theirs = plan_run(dashboarded(), estate_with(OTHER_TEAMS), "teardown")
    assert args_of(theirs, "s3_replication_dashboard") == []


def diagnosis(read, **alerts):
    stage = planner.plan_pairs(dashboarded(**alerts), "doctor")
    plan = planner.plan_writes(stage, read)
    (entry,) = doctor.planned_pairs(plan, "localhost")
    return [item for item in doctor.diagnose_pair(entry)["findings"] if item["id"] == "replication-dashboard"]


def test_the_doctor_warns_when_the_dashboard_asked_for_is_missing_or_anothers():
    (missing,) = diagnosis(estate_with())
    assert missing["status"] == "warn" and missing["resource"] == NAME and "does not exist in account 211258069784" in missing["message"]
    assert "playbooks/replicate.yml" in missing["fix"]
    (theirs,) = diagnosis(estate_with(OTHER_TEAMS))
    assert theirs["status"] == "warn" and "another's" in theirs["message"]
    partial = replication_dashboard.body([{"source_bucket": "src-data", "destination_bucket": "dst-data", "rule_id": "all-objects", "region": "us-east-1"}])
    (short,) = diagnosis(estate_with(partial))
    assert short["status"] == "warn" and short["message"].endswith("has no graphs of rule(s) reports")
    ours = converge(plan_run(dashboarded(), estate_with())[1], estate_with())
    (found,) = diagnosis(ours)
    assert found["status"] == "ok"


def test_the_doctor_says_nothing_of_dashboards_without_one_asked_for():
    stage = planner.plan_pairs(one_pair(replication_alerts=CREATE), "doctor")
    (entry,) = doctor.planned_pairs(planner.plan_writes(stage, estate()), "localhost")
    assert not [item for item in doctor.diagnose_pair(entry)["findings"] if item["id"] == "replication-dashboard"]


def test_status_prints_the_dashboards_console_link():
    read = converge(plan_run(dashboarded(), estate_with())[1], estate_with())
    plan = planner.plan_writes(planner.plan_pairs(dashboarded(), "status"), read)
    result = {"item": {"key": SRC_ACCOUNT}, "metrics": {}, "samples": {"src-data": {"prefix": "", "scanned": 0, "objects": []}}}
    report = status.host_status(plan, "localhost", [result], datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc))
    link = "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/s3-replication-src-data"
    assert report["pairs"][0]["dashboard"] == link and f"  dashboard: {link}" in report["report"].splitlines()
