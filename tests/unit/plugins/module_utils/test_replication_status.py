# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The status report: metric queries and summaries, the newest objects, each rule's problems, the table, and the whole host report
from a status plan (the emulator cannot show an object's replication status, so samples come as data here, and from a stubbed S3
client in tests/unit/plugins/modules/test_s3_replication_status_info.py)."""

import datetime

import pytest
from test_replication_plan import fresh_estate
from test_replication_plan import converge
from test_replication_plan import one_pair
from test_replication_plan import SRC_KEY
from test_replication_plan import plan_run

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import planner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import status

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.timezone.utc)
RULE = {"source_bucket": "src-data", "destination_bucket": "dst-data", "rule_id": "all-objects"}
KEY = "src-data|dst-data|all-objects"


def at(minutes_ago):
    return (NOW - datetime.timedelta(minutes=minutes_ago)).isoformat()


def obj(name, replication_status, minutes_ago=1):
    return {"key": name, "version_id": "v", "last_modified": at(minutes_ago), "replication_status": replication_status}


def test_four_queries_per_rule_with_the_rules_dimensions():
    queries = status.metric_queries([RULE, dict(RULE, rule_id="other")], hours=3)
    assert [query["Id"] for query in queries] == ["m0_0", "m0_1", "m0_2", "m0_3", "m1_0", "m1_1", "m1_2", "m1_3"]
    stat = queries[0]["MetricStat"]
    assert stat["Metric"]["MetricName"] == "OperationsFailedReplication" and stat["Stat"] == "Sum" and stat["Period"] == 300
    dimensions = {d["Name"]: d["Value"] for d in stat["Metric"]["Dimensions"]}
    assert dimensions == {"SourceBucket": "src-data", "DestinationBucket": "dst-data", "RuleId": "all-objects"}
    assert status.metric_queries([RULE], hours=48)[0]["MetricStat"]["Period"] == 3600


def test_failures_add_up_pending_is_the_latest_and_latency_the_highest():
    points = {"m0_0": [(at(5), 2.0), (at(10), 1.0)], "m0_1": [(at(5), 4.0), (at(30), 9.0)], "m0_3": [(at(5), 30.0), (at(60), 700.0)]}
    summary = status.metric_summary([RULE], points)[KEY]
    assert summary == {"failed_operations": 3.0, "pending_operations": 4.0, "pending_bytes": None, "latency_seconds": 700.0, "datapoints": 6}


def test_the_sample_is_the_newest_versions():
    versions = [{"key": "a", "last_modified": at(30)}, {"key": "b", "last_modified": at(1)}, {"key": "c", "last_modified": at(10)}]
    assert [version["key"] for version in status.newest(versions, 2)] == ["b", "c"]


def row(**changes):
    base = {"rule_id": "r", "failed_operations": None, "pending_operations": None, "pending_bytes": None, "latency_seconds": None, "metrics_enabled": True,
            "in_configuration": True, "failed_keys": [], "pending": []}
    base.update(changes)
    return base


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"failed_operations": 0.0}, []),
    ({"failed_operations": 3.0}, [("fail", "rule r: 3 operations failed to replicate in the last 3 h")]),
    ({"failed_keys": ["a.csv"]}, [("fail", "rule r: 1 of the newest objects are FAILED (a.csv)")]),
    ({"latency_seconds": 1000.0}, [("fail", "replication latency reached 1000 s, above 900 s")]),
    ({"pending": [obj("late.csv", "PENDING", 120), obj("new.csv", "PENDING", 1)]}, [("warn", "1 objects are still PENDING more than 900 s")]),
    ({"metrics_enabled": False}, [("warn", "rule r has no replication metrics")]),
])
def test_each_rule_row_says_what_failed_and_what_to_do(changes, expected):
    found = status.row_problems(row(**changes), 3, 900, NOW, 900)
    assert len(found) == len(expected)
    for (level, text), (wanted_level, words) in zip(found, expected):
        assert level == wanted_level and words in text, text
        if "FAILED" in text or "operations failed" in text:
            assert "playbooks/backfill.yml" in text and "replication_statuses: [FAILED]" in text and "fix the cause first" in text


WITH_METRICS = [{"id": "all-objects", "metrics": True}]


def sse_kms_estate():
    read = fresh_estate()
    read["211258069784/us-east-1"]["buckets"]["src-data"]["encryption"] = {"algorithm": "aws:kms", "kms_key_arn": SRC_KEY, "bucket_key_enabled": False}
    return read


def status_plan(**variables):
    _stage, plan = plan_run(one_pair(replication_rules=WITH_METRICS), sse_kms_estate())
    read = converge(plan, sse_kms_estate())
    stage = planner.plan_pairs(one_pair(replication_rules=WITH_METRICS, **variables), "status")
    return planner.plan_writes(stage, read)


def status_result(metrics=None, objects=()):
    return {"item": {"key": "211258069784/us-east-1"}, "metrics": {KEY: metrics} if metrics else {},
            "samples": {"src-data": {"prefix": "", "scanned": len(objects), "objects": list(objects)}}}


def test_a_healthy_pair_reports_ok_and_does_not_fail():
    metrics = {"failed_operations": 0.0, "pending_operations": 0.0, "pending_bytes": 0.0, "latency_seconds": 12.0, "datapoints": 40}
    report = status.host_status(status_plan(), "localhost", [status_result(metrics, [obj("a", "COMPLETED"), obj("b", None)])], NOW)
    assert report["failed"] is False and report["problems"] == []
    (pair,) = report["pairs"]
    assert pair["status"] == "ok" and pair["sample"]["counts"]["COMPLETED"] == 1 and pair["sample"]["counts"]["NONE"] == 1
    assert "all-objects" in report["report"] and "doctor: OK" in report["report"]


def test_failing_data_fails_naming_the_rule_and_backfill():
    metrics = {"failed_operations": 3.0, "pending_operations": 1.0, "pending_bytes": 2048.0, "latency_seconds": 40.0, "datapoints": 4}
    result = status_result(metrics, [obj("daily/x.csv", "FAILED"), obj("daily/y.csv", "COMPLETED")])
    report = status.host_status(status_plan(), "localhost", [result], NOW)
    assert report["failed"] is True
    assert report["problems"][0].startswith("pair localhost: rule all-objects: 3 operations failed to replicate in the last 3 h")
    assert any("daily/x.csv" in problem and "backfill.yml" in problem for problem in report["problems"])
    lines = report["report"].splitlines()
    assert lines[1].split() == ["RULE", "METRICS", "FAILED", "OPS", "PENDING", "OPS", "PENDING", "BYTES", "MAX", "LATENCY", "SAMPLE", "C/P/F/none"]
    assert lines[2].split() == ["all-objects", "on", "3", "1", "2.0", "KiB", "40", "s", "1/0/1/0"]


def test_warnings_fail_only_with_status_fail_on_warn():
    old_pending = status_result(None, [obj("p", "PENDING", 600)])
    assert status.host_status(status_plan(), "localhost", [old_pending], NOW)["failed"] is False
    report = status.host_status(status_plan(status_fail_on_warn=True), "localhost", [old_pending], NOW)
    assert report["failed"] is True and any("still PENDING" in problem for problem in report["problems"])


def test_a_rule_without_metrics_warns_that_nobody_would_be_alerted():
    _stage, plan = plan_run(one_pair(), fresh_estate())
    stage = planner.plan_pairs(one_pair(), "status")
    report = status.host_status(planner.plan_writes(stage, converge(plan, fresh_estate())), "localhost", [status_result()], NOW)
    assert report["pairs"][0]["status"] == "warn" and report["failed"] is False
    assert "rule all-objects has no replication metrics" in report["pairs"][0]["problems"][0]["text"]
    assert report["report"].splitlines()[2].split()[:2] == ["all-objects", "off"]


def test_a_doctor_failure_fails_the_status():
    plan = status_plan()
    plan["reads"]["880161310235/us-east-1"]["buckets"]["dst-data"]["versioning"] = "Suspended"
    report = status.host_status(plan, "localhost", [status_result()], NOW)
    assert report["failed"] is True and any("doctor destination-versioning" in problem for problem in report["problems"])


def test_an_unread_account_is_an_error_naming_the_account():
    with pytest.raises(ValueError, match="account 211258069784 could not be read: AccessDenied"):
        status.host_status(status_plan(), "localhost", [{"item": {"key": "211258069784/us-east-1"}, "failed": True, "msg": "AccessDenied"}], NOW)
