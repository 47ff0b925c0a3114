#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_batch_replication_job
short_description: Start an S3 Batch Replication job for existing (or FAILED) objects, once
version_added: 0.1.0
description:
  - Live replication only copies objects written after the rule exists. This module starts an S3 Batch
    Operations job (C(S3ReplicateObject)) whose manifest S3 generates from the bucket's replication
    configuration, for objects whose replication status is one of O(replication_statuses)
    (V(NONE) = never replicated, V(FAILED) = failed before).
  - Idempotent. A job's scope (bucket, statuses, prefixes) is written into its description; when a job
    with the same description is still active (not Complete, Cancelled, Failed, Cancelling or Failing)
    no second job is started and that job is reported. A run after the job finished starts a new one.
  - The job runs as O(role_arn). It needs C(batchoperations.s3.amazonaws.com) in its trust policy and the
    Batch Replication permissions; the C(replication_policies) filter's C(batch_replication) option
    derives both (playbooks/backfill.yml applies them). The caller needs C(s3:CreateJob),
    C(s3:ListJobs), C(s3:DescribeJob), C(s3:GetReplicationConfiguration) and C(iam:PassRole) on the role.
  - Fails before starting a job when the bucket has no replication configuration.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description:
      - The replication source bucket (name or C(arn:aws:s3:::NAME)).
    type: str
    required: true
  account_id:
    description:
      - The account that owns O(bucket) and runs the job (12 digits).
      - Default the account of the credentials in use (STS GetCallerIdentity).
    type: str
  role_arn:
    description:
      - The IAM role S3 Batch Operations assumes to run the job, usually the replication role.
    type: str
    required: true
  replication_statuses:
    description:
      - The object replication statuses the generated manifest selects.
      - V(NONE) backfills objects written before the rule existed; add V(FAILED) to retry failed ones.
        V(COMPLETED) and V(REPLICA) re-replicate replicated objects and replicas.
    type: list
    elements: str
    choices: [NONE, FAILED, COMPLETED, REPLICA]
    default: [NONE]
  prefixes:
    description:
      - Only objects whose key starts with one of these prefixes. Default every object the
        replication rules select.
    type: list
    elements: str
    default: []
  report_bucket:
    description:
      - The bucket (name or ARN) the completion report is written to; in O(account_id).
    type: str
    required: true
  report_prefix:
    description:
      - Key prefix of the completion report in O(report_bucket).
    type: str
    default: batch-replication
  report_scope:
    description:
      - V(AllTasks) reports every object, V(FailedTasksOnly) only those that failed.
    type: str
    choices: [AllTasks, FailedTasksOnly]
    default: AllTasks
  manifest_output:
    description:
      - Keep the manifest S3 generates (the list of objects the job replicated) in O(manifest_bucket).
    type: bool
    default: true
  manifest_bucket:
    description:
      - Where the generated manifest is kept; default O(report_bucket).
    type: str
  manifest_prefix:
    description:
      - Key prefix of the generated manifest; default O(report_prefix).
    type: str
  priority:
    description:
      - Job priority, 0 to 2147483647; higher runs first.
    type: int
    default: 10
  wait:
    description:
      - Wait until the job (new or already active) finishes and report its counts.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true). When the job is still running then, the module returns it
        with RV(timed_out=true) without failing.
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds between two DescribeJob calls while waiting.
    type: int
    default: 30
  partition:
    description:
      - The AWS partition of the bucket ARNs (V(aws), V(aws-cn), V(aws-us-gov)).
    type: str
    choices: [aws, aws-cn, aws-us-gov]
    default: aws
notes:
  - A job that ends C(Failed) fails the task with the job's failure reasons. Objects that failed inside a
    finished job are reported in RV(problems) and as a warning; the completion report lists each one.
  - Every CreateJob call of one run carries the same C(ClientRequestToken), so a retried request never
    starts two jobs.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Replicate every object written before the replication rule existed
  s3_crossaccount.replication.s3_batch_replication_job:
    bucket: stats-data-src
    role_arn: arn:aws:iam::211258069784:role/s3-replication-role
    report_bucket: stats-ops-reports
    report_prefix: batch-replication

- name: Retry objects that failed to replicate, and wait for the counts
  s3_crossaccount.replication.s3_batch_replication_job:
    bucket: stats-data-src
    role_arn: arn:aws:iam::211258069784:role/s3-replication-role
    replication_statuses: [FAILED]
    report_bucket: stats-ops-reports
    report_scope: FailedTasksOnly
    wait: true
    wait_timeout: 7200
  register: backfill
"""

RETURN = r"""
message:
  description: One line on what the run did with the job (started, would start, found active), its status and progress, and where the report goes.
  returned: success
  type: str
  sample: "Started Batch Replication job 9b6f... for stats-data-src (statuses NONE): status Ready, -. Report: s3://stats-ops-reports/batch-replication"
created:
  description: Whether this run started the job (in check mode, whether it would).
  returned: always
  type: bool
  sample: true
job:
  description: The job started or found active, as DescribeJob reports it; null in check mode when no job is active.
  returned: always
  type: dict
  contains:
    job_id:
      description: The job id.
      type: str
      sample: 7cf5d5b2-0d0e-4b4f-9f55-0c8d1ba4ab3a
    status:
      description: The job status (New, Preparing, Active, Complete, Failed, ...).
      type: str
      sample: Complete
    description:
      description: The description that encodes the job's scope.
      type: str
      sample: "s3_crossaccount.replication backfill stats-data-src statuses=NONE prefixes=(all) #1f2e3d4c5b6a"
    creation_time:
      description: When the job was created.
      type: str
      sample: "2026-01-10 09:00:00+00:00"
    termination_date:
      description: When the job finished, or null.
      type: str
      sample: "2026-01-10 09:20:00+00:00"
    progress:
      description: Task counts, C(total), C(succeeded) and C(failed) (null until S3 knows them).
      type: dict
      sample: {total: 1200, succeeded: 1198, failed: 2}
    failure_reasons:
      description: Why the job failed, one failure code and reason per item, joined by a colon.
      type: list
      elements: str
      sample: []
    status_update_reason:
      description: S3's reason for the last status change.
      type: str
      sample: null
    report:
      description: Where the completion report goes (bucket ARN and prefix), or null.
      type: dict
      sample: {bucket: "arn:aws:s3:::stats-ops-reports", prefix: batch-replication}
request:
  description: The CreateJob request of the job this run started or would start (without the request token); null when an active job was found.
  returned: always
  type: dict
  sample: {AccountId: "211258069784", Operation: {S3ReplicateObject: {}}, Priority: 10}
timed_out:
  description: With O(wait=true), whether the job was still running after O(wait_timeout) seconds.
  returned: always
  type: bool
  sample: false
problems:
  description: Failed or cancelled job, objects that failed; empty when none (or while the job runs).
  returned: always
  type: list
  elements: str
  sample: ["2 of 1200 objects failed to replicate; the completion report in arn:aws:s3:::stats-ops-reports/batch-replication lists each object and its error"]
"""

import time
import uuid

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3control as aws_s3control
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sts as aws_sts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import backfill as batch_replication
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.polling import poll_until
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import RunFailed
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module


def replication_configuration(s3, bucket, account_id):
    try:
        return aws_s3.get_replication(s3, bucket, account_id)
    except AwsCallFailure as failure:
        if failure.code == "NoSuchBucket":
            raise AwsCallFailure(f"bucket: {bucket} does not exist; check bucket and the account of the credentials", failure.error) from None
        raise


def wait_for_job(s3control, account_id, job_id, timeout, interval):
    job, _waited, timed_out = poll_until(
        lambda: aws_s3control.describe_job(s3control, account_id, job_id),
        lambda job: not batch_replication.is_active(job.get("Status")),
        timeout,
        interval,
        time.sleep,
        time.monotonic,
    )
    return job, timed_out


def ensure_job(clients, params, check_mode):
    """Finds an active job with the same scope or starts one; waits when asked. Returns the module result."""
    account_id = params["account_id"] or aws_sts.caller_identity(clients["sts"])["account_id"]
    scope, request = batch_replication.planned_request(params, account_id)
    if replication_configuration(clients["s3"], scope["bucket"], account_id) is None:
        raise AwsCallFailure(batch_replication.no_replication_problem(scope["bucket"]))
    jobs = aws_s3control.list_jobs(clients["s3control"], account_id, batch_replication.ACTIVE_STATUSES)
    active = batch_replication.find_active_job(jobs, request["Description"])
    result = {"changed": False, "created": False, "job": None, "request": None, "timed_out": False, "problems": []}
    if active:
        job_id = active["JobId"]
    else:
        result.update(changed=True, created=True, request=request)
        if check_mode:
            result["diff"] = batch_replication.job_diff(None, {"description": request["Description"], "status": "New"})
            return result
        job_id = aws_s3control.create_job(clients["s3control"], request, str(uuid.uuid4()))
    job = aws_s3control.describe_job(clients["s3control"], account_id, job_id)
    if params["wait"]:
        job, result["timed_out"] = wait_for_job(clients["s3control"], account_id, job_id, params["wait_timeout"], params["poll_interval"])
    summary = batch_replication.job_summary(job)
    result["job"] = summary
    result["problems"] = [] if batch_replication.is_active(summary["status"]) else batch_replication.job_problems(summary)
    result["diff"] = batch_replication.job_diff(active, {name: summary[name] for name in ("job_id", "description", "status")})
    return result


def run(module):
    params = batch_replication.validated_options(module.params)
    clients = {name: module.aws_client(name) for name in ("s3", "s3control", "sts")}
    result = ensure_job(clients, params, module.check_mode)
    if result["job"] and result["job"]["status"] == "Failed":
        raise RunFailed("; ".join(result["problems"]), result)
    return dict(result, message=batch_replication.job_message(result, params, module.check_mode), warnings=list(result["problems"]))


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        account_id=dict(type="str"),
        role_arn=dict(type="str", required=True),
        replication_statuses=dict(type="list", elements="str", choices=list(batch_replication.REPLICATION_STATUSES), default=["NONE"]),
        prefixes=dict(type="list", elements="str", default=[]),
        report_bucket=dict(type="str", required=True),
        report_prefix=dict(type="str", default="batch-replication"),
        report_scope=dict(type="str", choices=list(batch_replication.REPORT_SCOPES), default="AllTasks"),
        manifest_output=dict(type="bool", default=True),
        manifest_bucket=dict(type="str"),
        manifest_prefix=dict(type="str"),
        priority=dict(type="int", default=10),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=3600),
        poll_interval=dict(type="int", default=30),
        partition=dict(type="str", choices=["aws", "aws-cn", "aws-us-gov"], default="aws"),
    )
    module = AnsibleS3CrossAccountModule(argument_spec=argument_spec, supports_check_mode=True)
    end_module(module, lambda: run(module))


if __name__ == "__main__":
    main()
