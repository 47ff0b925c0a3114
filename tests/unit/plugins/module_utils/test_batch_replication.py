# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import botocore.session
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import backfill as br

JOB_STATUSES = botocore.session.get_session().get_service_model("s3control").shape_for("JobStatus").enum


def test_every_s3control_job_status_is_either_active_or_finished():
    assert sorted(br.ACTIVE_STATUSES + br.FINISHED_STATUSES) == sorted(JOB_STATUSES)


def test_scope_is_normalised_so_equivalent_options_match():
    assert br.job_scope("arn:aws:s3:::stats-data-src", ["FAILED", "NONE", "NONE"], ["/b/", "a/"]) == br.job_scope(
        "stats-data-src", ["NONE", "FAILED"], ["a/", "b/"]
    )
    assert br.job_scope("stats-data-src", ["NONE"], None) == {"bucket": "stats-data-src", "replication_statuses": ["NONE"], "prefixes": []}


def test_description_names_the_scope_and_differs_per_scope():
    none = br.job_description(br.job_scope("stats-data-src", ["NONE"], []))
    assert none.startswith("s3_crossaccount.replication backfill stats-data-src statuses=NONE prefixes=(all) #")
    others = {
        br.job_description(br.job_scope("stats-data-src", ["FAILED"], [])),
        br.job_description(br.job_scope("stats-data-src", ["NONE"], ["logs/"])),
        br.job_description(br.job_scope("other-bucket", ["NONE"], [])),
    }
    assert none not in others and len(others) == 3


def test_long_scopes_are_cut_to_the_api_limit_but_keep_their_digest():
    first = br.job_description(br.job_scope("stats-data-src", ["NONE"], ["p" * 300 + "1"]))
    second = br.job_description(br.job_scope("stats-data-src", ["NONE"], ["p" * 300 + "2"]))
    assert len(first) == len(second) == 256 and first != second


def test_find_active_job_ignores_finished_and_foreign_jobs_and_takes_the_newest():
    jobs = [
        {"JobId": "done", "Description": "d", "Status": "Complete", "CreationTime": "2026-01-03"},
        {"JobId": "cancelling", "Description": "d", "Status": "Cancelling", "CreationTime": "2026-01-04"},
        {"JobId": "foreign", "Description": "other", "Status": "Active", "CreationTime": "2026-01-05"},
        {"JobId": "old", "Description": "d", "Status": "Paused", "CreationTime": "2026-01-01"},
        {"JobId": "new", "Description": "d", "Status": "Active", "CreationTime": "2026-01-02"},
    ]
    assert br.find_active_job(jobs, "d")["JobId"] == "new"
    assert br.find_active_job(jobs[:3], "d") is None


def test_job_summary_and_problems():
    summary = br.job_summary(
        {
            "JobId": "j",
            "Status": "Complete",
            "Description": "d",
            "ProgressSummary": {"TotalNumberOfTasks": 4, "NumberOfTasksSucceeded": 4, "NumberOfTasksFailed": 0},
            "Report": {"Enabled": False},
        }
    )
    assert summary["progress"] == {"total": 4, "succeeded": 4, "failed": 0} and summary["report"] is None
    assert br.job_problems(summary) == []
    assert br.job_problems(br.job_summary({"JobId": "j", "Status": "Cancelled"})) == ["job j was cancelled"]
    assert br.job_problems(br.job_summary({"JobId": "j", "Status": "Failed", "StatusUpdateReason": "Role is not trusted"})) == [
        "job j failed: Role is not trusted",
    ]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: br.job_scope("stats-data-src", ["PENDING"], []), "PENDING is not a replication status"),
        (lambda: br.validate_priority(2147483648), "priority"),
        (lambda: br.validate_role_arn("arn:aws:iam::211258069784:user/ops"), "role_arn"),
        (lambda: br.location("bad_bucket", "", "report_bucket"), "report_bucket"),
    ],
)
def test_errors_name_the_option(call, words):
    with pytest.raises(br.BatchJobError, match=words):
        call()


def options(**changes):
    values = {
        "bucket": "stats-data-src", "account_id": None, "role_arn": "arn:aws:iam::211258069784:role/s3-replication-role", "replication_statuses": ["NONE"],
        "prefixes": [], "report_bucket": "stats-ops-reports", "report_prefix": "batch-replication", "report_scope": "AllTasks",
        "manifest_output": True, "manifest_bucket": None, "manifest_prefix": None, "priority": 10,
        "wait": False, "wait_timeout": 3600, "poll_interval": 30, "partition": "aws",
    }
    values.update(changes)
    return values


def test_options_are_checked_before_any_request_the_account_id_too():
    assert br.validated_options(options(account_id="211258069784"))["account_id"] == "211258069784"
    with pytest.raises(br.BatchJobError, match="^account_id: "):
        br.validated_options(options(account_id="2112"))
    with pytest.raises(br.BatchJobError, match="^poll_interval: "):
        br.validated_options(options(poll_interval=0))
    with pytest.raises(br.BatchJobError, match="^role_arn: "):
        br.validated_options(options(role_arn="s3-replication-role"))


def test_the_job_diff_shows_the_active_job_before_and_after():
    listed = {"JobId": "j-1", "Description": "d", "Status": "Active", "Priority": 10}
    assert br.job_diff(listed, {"job_id": "j-1", "description": "d", "status": "Complete"}) == {
        "before": {"active_job": {"job_id": "j-1", "description": "d", "status": "Active"}},
        "after": {"active_job": {"job_id": "j-1", "description": "d", "status": "Complete"}},
    }
    assert br.job_diff(None, {"description": "d", "status": "New"})["before"] == {"active_job": None}
