# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_batch_replication_job against botocore's Stubber (moto has no S3 Batch Operations jobs): every
request is validated against the s3control/s3/sts models, and an unexpected call (a second CreateJob,
a write in check mode) fails the test."""

import datetime
import uuid

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import backfill as batch_replication
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_batch_replication_job as module

ACCOUNT = "211258069784"
BUCKET = "stats-data-src"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/s3-replication-role"
TOKEN = uuid.UUID("12345678-1234-5678-1234-567812345678")
CONFIGURATION = {"Role": ROLE, "Rules": [{"ID": "all-objects", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::stats-data-tgt"}}]}
ACTIVE = list(batch_replication.ACTIVE_STATUSES)
NOW = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.timezone.utc)


def params(**overrides):
    values = {
        "bucket": BUCKET, "account_id": ACCOUNT, "role_arn": ROLE, "replication_statuses": ["NONE"], "prefixes": [],
        "report_bucket": "stats-ops-reports", "report_prefix": "batch-replication", "report_scope": "AllTasks",
        "manifest_output": True, "manifest_bucket": None, "manifest_prefix": None, "priority": 10,
        "wait": False, "wait_timeout": 3600, "poll_interval": 30, "partition": "aws",
    }
    values.update(overrides)
    return values


def expected_request(**overrides):
    scope = batch_replication.job_scope(BUCKET, ["NONE"], [])
    request = {
        "AccountId": ACCOUNT,
        "ConfirmationRequired": False,
        "Operation": {"S3ReplicateObject": {}},
        "Report": {
            "Bucket": "arn:aws:s3:::stats-ops-reports", "Format": "Report_CSV_20180820", "Enabled": True,
            "Prefix": "batch-replication", "ReportScope": "AllTasks", "ExpectedBucketOwner": ACCOUNT,
        },
        "ManifestGenerator": {"S3JobManifestGenerator": {
            "ExpectedBucketOwner": ACCOUNT,
            "SourceBucket": f"arn:aws:s3:::{BUCKET}",
            "Filter": {"EligibleForReplication": True, "ObjectReplicationStatuses": ["NONE"]},
            "EnableManifestOutput": True,
            "ManifestOutputLocation": {
                "ExpectedManifestBucketOwner": ACCOUNT, "Bucket": "arn:aws:s3:::stats-ops-reports",
                "ManifestPrefix": "batch-replication", "ManifestFormat": "S3InventoryReport_CSV_20211130",
            },
        }},
        "Description": batch_replication.job_description(scope),
        "Priority": 10,
        "RoleArn": ROLE,
        "Tags": [{"Key": "s3-crossaccount-replication-backfill", "Value": batch_replication.scope_digest(scope)}],
    }
    request.update(overrides)
    return request


def job(status, job_id="job-1", description=None, **extra):
    described = {
        "JobId": job_id, "Status": status, "Description": description or expected_request()["Description"], "Priority": 10,
        "CreationTime": NOW, "Report": {"Enabled": True, "Bucket": "arn:aws:s3:::stats-ops-reports", "Prefix": "batch-replication"},
    }
    described.update(extra)
    return described


class Clients:
    def __init__(self):
        retry = AWSRetry.jittered_backoff(retries=3, delay=0, max_delay=0)
        self.raw = {name: boto3.client(name, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
                    for name in ("s3", "s3control", "sts")}
        self.stubbers = {name: Stubber(client) for name, client in self.raw.items()}
        self.wrapped = {name: RetryingBotoClientWrapper(client, retry) for name, client in self.raw.items()}

    def replication(self, configuration=CONFIGURATION):  # pylint: disable=dangerous-default-value
        if configuration is None:
            self.stubbers["s3"].add_client_error(
                "get_bucket_replication", "ReplicationConfigurationNotFoundError", http_status_code=404,
                expected_params={"Bucket": BUCKET, "ExpectedBucketOwner": ACCOUNT},
            )
        else:
            self.stubbers["s3"].add_response(
                "get_bucket_replication", {"ReplicationConfiguration": configuration}, {"Bucket": BUCKET, "ExpectedBucketOwner": ACCOUNT},
            )

    def list_jobs(self, jobs, next_token=None, token=None):
        expected = {"AccountId": ACCOUNT, "JobStatuses": ACTIVE}
        if token:
            expected["NextToken"] = token
        response = {"Jobs": [{key: value for key, value in j.items() if key in ("JobId", "Description", "Status", "CreationTime", "Priority")} for j in jobs]}
        if next_token:
            response["NextToken"] = next_token
        self.stubbers["s3control"].add_response("list_jobs", response, expected)

    def create(self, request=None, job_id="job-1"):
        self.stubbers["s3control"].add_response("create_job", {"JobId": job_id}, dict(request or expected_request(), ClientRequestToken=str(TOKEN)))

    def create_unavailable(self, request=None):
        self.stubbers["s3control"].add_client_error(
            "create_job", "ServiceUnavailable", http_status_code=503, expected_params=dict(request or expected_request(), ClientRequestToken=str(TOKEN)),
        )

    def describe(self, described):
        self.stubbers["s3control"].add_response("describe_job", {"Job": described}, {"AccountId": ACCOUNT, "JobId": described["JobId"]})

    def __enter__(self):
        for stubber in self.stubbers.values():
            stubber.activate()
        return self

    def __exit__(self, *exc):
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()
            stubber.deactivate()


@pytest.fixture(name="clients")
def clients_fixture(monkeypatch):
    monkeypatch.setattr(module.uuid, "uuid4", lambda: TOKEN)
    monkeypatch.setattr(module.time, "sleep", lambda seconds: None)
    with Clients() as clients:
        yield clients


def test_starts_a_job_with_the_documented_manifest_generator_and_report(clients):
    clients.replication()
    clients.list_jobs([])
    clients.create()
    clients.describe(job("New"))
    result = module.ensure_job(clients.wrapped, params(), check_mode=False)
    assert result["changed"] and result["created"]
    assert result["request"] == expected_request()
    assert result["job"]["job_id"] == "job-1" and result["job"]["status"] == "New"
    assert result["problems"] == []
    assert result["diff"]["before"] == {"active_job": None}


def test_a_rerun_while_the_job_is_active_starts_nothing(clients):
    clients.replication()
    clients.list_jobs([job("Active", job_id="job-1")])
    clients.describe(job("Active", ProgressSummary={"TotalNumberOfTasks": 10, "NumberOfTasksSucceeded": 4, "NumberOfTasksFailed": 0}))
    result = module.ensure_job(clients.wrapped, params(), check_mode=False)
    assert not result["changed"] and not result["created"] and result["request"] is None
    assert result["job"]["progress"] == {"total": 10, "succeeded": 4, "failed": 0}
    assert result["diff"]["before"] == result["diff"]["after"]


def test_other_jobs_and_other_scopes_do_not_count_as_ours(clients):
    failed_scope = batch_replication.job_description(batch_replication.job_scope(BUCKET, ["FAILED"], []))
    clients.replication()
    clients.list_jobs([job("Active", job_id="theirs", description="another team's copy job"), job("Active", job_id="failed-only", description=failed_scope)])
    clients.create()
    clients.describe(job("New"))
    assert module.ensure_job(clients.wrapped, params(), check_mode=False)["created"]


def test_jobs_are_found_on_later_list_pages(clients):
    clients.replication()
    clients.list_jobs([job("Active", job_id="theirs", description="another")], next_token="page-2")
    clients.list_jobs([job("Suspended", job_id="job-7")], token="page-2")
    clients.describe(job("Suspended", job_id="job-7"))
    result = module.ensure_job(clients.wrapped, params(), check_mode=False)
    assert not result["created"] and result["job"]["job_id"] == "job-7"


def test_check_mode_reports_the_job_it_would_start_and_writes_nothing(clients):
    clients.replication()
    clients.list_jobs([])
    result = module.ensure_job(clients.wrapped, params(), check_mode=True)
    assert result["changed"] and result["created"] and result["job"] is None
    assert result["request"] == expected_request()
    assert result["diff"]["after"]["active_job"]["description"] == expected_request()["Description"]


def test_check_mode_with_an_active_job_reports_no_change(clients):
    clients.replication()
    clients.list_jobs([job("Preparing")])
    clients.describe(job("Preparing"))
    assert not module.ensure_job(clients.wrapped, params(), check_mode=True)["changed"]


def test_a_bucket_without_replication_is_refused_before_any_job_call(clients):
    clients.replication(None)
    with pytest.raises(AwsCallFailure, match="stats-data-src has no replication configuration.*replicate.yml"):
        module.ensure_job(clients.wrapped, params(), check_mode=False)


def test_an_unavailable_create_is_retried_with_the_same_request_token(clients):
    clients.replication()
    clients.list_jobs([])
    clients.create_unavailable()
    clients.create()
    clients.describe(job("New"))
    assert module.ensure_job(clients.wrapped, params(), check_mode=False)["created"]


def test_failed_statuses_prefixes_and_a_separate_manifest_location(clients):
    scope = batch_replication.job_scope(BUCKET, ["FAILED", "NONE"], ["reports/", "/daily/"])
    request = expected_request(Description=batch_replication.job_description(scope), Priority=50,
                               Tags=[{"Key": "s3-crossaccount-replication-backfill", "Value": batch_replication.scope_digest(scope)}])
    request["ManifestGenerator"]["S3JobManifestGenerator"]["Filter"] = {
        "EligibleForReplication": True, "ObjectReplicationStatuses": ["FAILED", "NONE"], "KeyNameConstraint": {"MatchAnyPrefix": ["daily/", "reports/"]},
    }
    request["ManifestGenerator"]["S3JobManifestGenerator"]["ManifestOutputLocation"].update(Bucket="arn:aws:s3:::stats-manifests", ManifestPrefix="generated")
    request["Report"]["ReportScope"] = "FailedTasksOnly"
    clients.replication()
    clients.list_jobs([])
    clients.create(request)
    clients.describe(job("New", description=request["Description"]))
    result = module.ensure_job(clients.wrapped, params(
        replication_statuses=["NONE", "FAILED"], prefixes=["reports/", "/daily/"], priority=50, report_scope="FailedTasksOnly",
        manifest_bucket="arn:aws:s3:::stats-manifests", manifest_prefix="/generated/",
    ), check_mode=False)
    assert result["request"] == request


def test_without_manifest_output_no_location_is_sent(clients):
    request = expected_request()
    generator = request["ManifestGenerator"]["S3JobManifestGenerator"]
    generator["EnableManifestOutput"] = False
    del generator["ManifestOutputLocation"]
    clients.replication()
    clients.list_jobs([])
    clients.create(request)
    clients.describe(job("New"))
    assert module.ensure_job(clients.wrapped, params(manifest_output=False), check_mode=False)["request"] == request


def test_the_account_defaults_to_the_callers(clients):
    clients.stubbers["sts"].add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ops", "UserId": "AIDA"}, {})
    clients.replication()
    clients.list_jobs([])
    result = module.ensure_job(clients.wrapped, params(account_id=None), check_mode=True)
    assert result["request"]["AccountId"] == ACCOUNT


def test_waiting_polls_until_the_job_finishes_and_reports_counts(clients):
    clients.replication()
    clients.list_jobs([])
    clients.create()
    clients.describe(job("New"))
    clients.describe(job("Active"))
    clients.describe(job("Complete", TerminationDate=NOW, ProgressSummary={"TotalNumberOfTasks": 3, "NumberOfTasksSucceeded": 3, "NumberOfTasksFailed": 0}))
    result = module.ensure_job(clients.wrapped, params(wait=True, poll_interval=1), check_mode=False)
    assert result["job"]["status"] == "Complete" and not result["timed_out"]
    assert result["job"]["progress"] == {"total": 3, "succeeded": 3, "failed": 0}
    assert result["problems"] == []


def test_waiting_reports_failed_objects_and_where_the_report_is(clients):
    clients.replication()
    clients.list_jobs([job("Active")])
    clients.describe(job("Active"))
    clients.describe(job("Complete", ProgressSummary={"TotalNumberOfTasks": 5, "NumberOfTasksSucceeded": 3, "NumberOfTasksFailed": 2}))
    result = module.ensure_job(clients.wrapped, params(wait=True, poll_interval=1), check_mode=False)
    assert result["problems"] == [
        "2 of 5 objects failed to replicate; the completion report in arn:aws:s3:::stats-ops-reports/batch-replication lists each object and its error",
    ]


def test_a_failed_job_reports_its_failure_reasons(clients):
    clients.replication()
    clients.list_jobs([])
    clients.create()
    clients.describe(job("Failed", FailureReasons=[{"FailureCode": "AccessDenied", "FailureReason": "Unable to write the manifest"}]))
    result = module.ensure_job(clients.wrapped, params(), check_mode=False)
    assert result["problems"] == ["job job-1 failed: AccessDenied: Unable to write the manifest"]


def test_waiting_gives_up_after_the_timeout_without_failing(clients, monkeypatch):
    ticks = iter(range(0, 1000, 40))
    monkeypatch.setattr(module.time, "monotonic", lambda: next(ticks))
    clients.replication()
    clients.list_jobs([job("Active")])
    clients.describe(job("Active"))
    clients.describe(job("Active"))
    clients.describe(job("Active"))
    result = module.ensure_job(clients.wrapped, params(wait=True, wait_timeout=60, poll_interval=30), check_mode=False)
    assert result["timed_out"] and result["job"]["status"] == "Active" and result["problems"] == []


@pytest.mark.parametrize("overrides, words", [
    ({"role_arn": "s3-replication-role"}, "role_arn"),
    ({"priority": -1}, "priority: -1 is out of range"),
    ({"report_bucket": "Reports_Bucket"}, "report_bucket"),
    ({"manifest_bucket": "Bad Bucket"}, "manifest_bucket"),
    ({"bucket": "x"}, "bucket"),
    ({"replication_statuses": []}, "replication_statuses: give at least one"),
    ({"prefixes": ["/"]}, "prefixes: '/' must be a non-empty key prefix"),
])
def test_bad_options_fail_before_any_request(overrides, words):
    with pytest.raises(batch_replication.BatchJobError, match=words):
        batch_replication.planned_request(params(**overrides), ACCOUNT)


def test_negative_waits_are_refused():
    with pytest.raises(batch_replication.BatchJobError, match="wait_timeout"):
        batch_replication.validate_waiting(params(wait_timeout=-1))
    with pytest.raises(batch_replication.BatchJobError, match="poll_interval"):
        batch_replication.validate_waiting(params(poll_interval=0))
