# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 Batch Replication jobs: the CreateJob request, finding an identical active job, reading progress.

A job's scope (source bucket, object replication statuses, key prefixes) is encoded in its
Description, ``s3_crossaccount.replication backfill BUCKET statuses=... prefixes=... #DIGEST``: ListJobs
returns descriptions but not tags, so the description is what a rerun matches to avoid starting a
second identical job while one is still active.
"""

import hashlib
import json

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

REPLICATION_STATUSES = ("NONE", "FAILED", "COMPLETED", "REPLICA")
# Statuses after which the job does no more work. Cancelling and Failing end without doing more, so
# a rerun may start a new job; every other status (New, Preparing, Suspended, Ready, Active, Pausing,
# Paused, Completing) is a job that still runs or can resume.
FINISHED_STATUSES = ("Complete", "Cancelled", "Failed", "Cancelling", "Failing")
ACTIVE_STATUSES = ("New", "Preparing", "Suspended", "Ready", "Active", "Pausing", "Paused", "Completing")
DESCRIPTION_PREFIX = "s3_crossaccount.replication backfill"
DESCRIPTION_LIMIT = 256
TAG_KEY = "s3-crossaccount-replication-backfill"
MANIFEST_FORMAT = "S3InventoryReport_CSV_20211130"
REPORT_FORMAT = "Report_CSV_20180820"
REPORT_SCOPES = ("AllTasks", "FailedTasksOnly")
MAX_PRIORITY = 2147483647
MAX_PREFIX_LENGTH = 1024


class BatchJobError(Refused):
    """An option cannot make a valid job; the message names the option and the fix."""


def job_scope(bucket, replication_statuses, prefixes):
    """The normalised scope: which objects of which bucket the job replicates."""
    try:
        name = arns.bucket_name(bucket)
    except ValueError as e:
        raise BatchJobError(f"bucket: {e}") from e
    statuses = sorted(set(replication_statuses or ()))
    if not statuses:
        raise BatchJobError("replication_statuses: give at least one of " + ", ".join(REPLICATION_STATUSES))
    unknown = [status for status in statuses if status not in REPLICATION_STATUSES]
    if unknown:
        raise BatchJobError(f"replication_statuses: {', '.join(unknown)} is not a replication status; use {', '.join(REPLICATION_STATUSES)}")
    cleaned = sorted({_prefix(prefix) for prefix in prefixes or ()})
    return {"bucket": name, "replication_statuses": statuses, "prefixes": cleaned}


def _prefix(prefix):
    text = str(prefix).lstrip("/")
    if not text or len(text) > MAX_PREFIX_LENGTH:
        raise BatchJobError(f"prefixes: '{prefix}' must be a non-empty key prefix of up to {MAX_PREFIX_LENGTH} characters; drop prefixes for every object")
    return text


def scope_digest(scope):
    return hashlib.sha256(json.dumps(scope, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def job_description(scope):
    """A description that names the scope for humans and ends in its digest, so truncation never merges two scopes."""
    prefixes = ",".join(scope["prefixes"]) or "(all)"
    suffix = f" #{scope_digest(scope)}"
    text = f"{DESCRIPTION_PREFIX} {scope['bucket']} statuses={','.join(scope['replication_statuses'])} prefixes={prefixes}"
    return text[: DESCRIPTION_LIMIT - len(suffix)] + suffix


def is_active(status):
    return status not in FINISHED_STATUSES


def find_active_job(jobs, description):
    """The newest job of ListJobs with this exact description that still runs, or None."""
    matching = [job for job in jobs if job.get("Description") == description and is_active(job.get("Status"))]
    return max(matching, key=lambda job: str(job.get("CreationTime", ""))) if matching else None


def location(bucket, prefix, option):
    """(bucket ARN, prefix without surrounding slashes) of a report or manifest location."""
    try:
        name = arns.bucket_name(bucket)
    except ValueError as e:
        raise BatchJobError(f"{option}: {e}") from e
    return name, (prefix or "").strip("/")


def validate_priority(priority):
    if not 0 <= priority <= MAX_PRIORITY:
        raise BatchJobError(f"priority: {priority} is out of range; use 0 to {MAX_PRIORITY} (higher runs first)")
    return priority


def validate_role_arn(role_arn):
    try:
        arns.parse_role_arn(role_arn)
    except ValueError as e:
        raise BatchJobError(f"role_arn: {e}") from e
    return role_arn


def create_job_request(account_id, scope, role_arn, report, manifest, priority, partition="aws"):
    """CreateJob parameters without the ClientRequestToken (the caller adds one per attempt series).

    ``report`` is ``{bucket, prefix, scope}``; ``manifest`` is ``{bucket, prefix}`` or None for no
    manifest output. Filter ``EligibleForReplication`` limits the generated manifest to objects some
    enabled rule of the bucket's replication configuration covers.
    """
    manifest_filter = {"EligibleForReplication": True, "ObjectReplicationStatuses": list(scope["replication_statuses"])}
    if scope["prefixes"]:
        manifest_filter["KeyNameConstraint"] = {"MatchAnyPrefix": list(scope["prefixes"])}
    generator = {
        "ExpectedBucketOwner": account_id,
        "SourceBucket": f"arn:{partition}:s3:::{scope['bucket']}",
        "Filter": manifest_filter,
        "EnableManifestOutput": manifest is not None,
    }
    if manifest is not None:
        generator["ManifestOutputLocation"] = _without_empty({
            "ExpectedManifestBucketOwner": account_id,
            "Bucket": f"arn:{partition}:s3:::{manifest['bucket']}",
            "ManifestPrefix": manifest["prefix"],
            "ManifestFormat": MANIFEST_FORMAT,
        })
    return {
        "AccountId": account_id,
        "ConfirmationRequired": False,
        "Operation": {"S3ReplicateObject": {}},
        "Report": _without_empty({
            "Bucket": f"arn:{partition}:s3:::{report['bucket']}",
            "Format": REPORT_FORMAT,
            "Enabled": True,
            "Prefix": report["prefix"],
            "ReportScope": report["scope"],
            "ExpectedBucketOwner": account_id,
        }),
        "ManifestGenerator": {"S3JobManifestGenerator": generator},
        "Description": job_description(scope),
        "Priority": priority,
        "RoleArn": role_arn,
        "Tags": [{"Key": TAG_KEY, "Value": scope_digest(scope)}],
    }


def planned_request(params, account_id):
    """(scope, CreateJob request) of the module's options for ``account_id``; BatchJobError names a wrong option."""
    scope = job_scope(params["bucket"], params["replication_statuses"], params["prefixes"])
    report_bucket, report_prefix = location(params["report_bucket"], params["report_prefix"], "report_bucket")
    manifest = None
    if params["manifest_output"]:
        manifest_bucket, manifest_prefix = location(
            params["manifest_bucket"] or report_bucket,
            params["manifest_prefix"] if params["manifest_prefix"] is not None else report_prefix,
            "manifest_bucket",
        )
        manifest = {"bucket": manifest_bucket, "prefix": manifest_prefix}
    report = {"bucket": report_bucket, "prefix": report_prefix, "scope": params["report_scope"]}
    return scope, create_job_request(account_id, scope, validate_role_arn(params["role_arn"]), report, manifest, validate_priority(params["priority"]),
                                     params["partition"])


def validate_waiting(params):
    if params["wait_timeout"] < 0:
        raise BatchJobError(f"wait_timeout: {params['wait_timeout']} is negative; give seconds, 0 or more")
    if params["poll_interval"] < 1:
        raise BatchJobError(f"poll_interval: {params['poll_interval']} must be at least 1 second")


def validated_options(params):
    """The module's options, every one checked before any request (the account id too, when given)."""
    options = dict(params)
    if options["account_id"] is not None:
        try:
            options["account_id"] = arns.validate_account_id(options["account_id"])
        except ValueError as e:
            raise BatchJobError(f"account_id: {e}") from e
    validate_waiting(options)
    planned_request(options, options["account_id"] or "000000000000")
    return options


def no_replication_problem(bucket):
    return f"bucket: {bucket} has no replication configuration; Batch Replication replicates by its rules: run playbooks/replicate.yml first"


def job_diff(active, after):
    """before/after of the active job: ``active`` as ListJobs listed it (or None), ``after`` the job this run leaves active."""
    before = {"job_id": active["JobId"], "description": active.get("Description"), "status": active.get("Status")} if active else None
    return {"before": {"active_job": before}, "after": {"active_job": after}}


def _without_empty(values):
    return {key: value for key, value in values.items() if value not in (None, "")}


def job_summary(job):
    """The parts of a DescribeJob ``Job`` a user needs: status, counts, why it failed, where the report is."""
    progress = job.get("ProgressSummary") or {}
    report = job.get("Report") or {}
    return {
        "job_id": job.get("JobId"),
        "status": job.get("Status"),
        "description": job.get("Description"),
        "creation_time": _text(job.get("CreationTime")),
        "termination_date": _text(job.get("TerminationDate")),
        "progress": {
            "total": progress.get("TotalNumberOfTasks"),
            "succeeded": progress.get("NumberOfTasksSucceeded"),
            "failed": progress.get("NumberOfTasksFailed"),
        },
        "failure_reasons": [
            f"{reason.get('FailureCode', '')}: {reason.get('FailureReason', '')}".strip(": ") for reason in job.get("FailureReasons") or []
        ],
        "status_update_reason": job.get("StatusUpdateReason"),
        "report": {"bucket": report.get("Bucket"), "prefix": report.get("Prefix")} if report.get("Enabled") else None,
    }


def _text(value):
    return None if value is None else str(value)


def job_problems(summary):
    """Plain-language problems of a finished job: empty when every task succeeded."""
    problems = []
    if summary["status"] in ("Failed", "Failing"):
        reasons = "; ".join(summary["failure_reasons"]) or summary["status_update_reason"] or "no reason given"
        problems.append(f"job {summary['job_id']} failed: {reasons}")
    elif summary["status"] in ("Cancelled", "Cancelling"):
        problems.append(f"job {summary['job_id']} was cancelled")
    failed = summary["progress"]["failed"] or 0
    if failed:
        where = summary["report"] or {}
        problems.append(
            f"{failed} of {summary['progress']['total']} objects failed to replicate; the completion report in "
            f"{where.get('bucket')}/{where.get('prefix') or ''} lists each object and its error"
        )
    return problems


def job_message(result, params, check_mode):
    """One line on what the run did with the job of ``params['bucket']``, for the playbook's report."""
    job = result.get("job") or {}
    action = ("Would start" if check_mode else "Started") if result.get("created") else "Found active"
    statuses = ", ".join(params["replication_statuses"])
    progress = job.get("progress") or {}
    counts = ", ".join(f"{name} {value}" for name, value in sorted(progress.items())) or "-"
    text = (f"{action} Batch Replication job {job.get('job_id') or '(check mode)'} for {params['bucket']} (statuses {statuses}): "
            f"status {job.get('status') or '-'}, {counts}. Report: s3://{params['report_bucket']}/{params['report_prefix']}")
    return " ".join([text] + list(result.get("problems") or []))
