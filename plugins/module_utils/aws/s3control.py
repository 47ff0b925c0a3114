# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The S3 Batch Operations calls of this collection (s3control), one function per API call (see aws_calls)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs


def _what(account_id):
    return f"S3 Batch Operations jobs of account {account_id}"


@needs("ListJobs", "s3:ListJobs", permissions.ANY)
def list_jobs(client, account_id, statuses):
    """Every job of the account whose status is one of ``statuses``, as ListJobs lists them (all pages)."""
    jobs, token = [], {}
    while True:
        page = call(client, "list_jobs", _what(account_id), AccountId=account_id, JobStatuses=list(statuses), **token)
        jobs.extend(page.get("Jobs", []))
        if not page.get("NextToken"):
            return jobs
        token = {"NextToken": page["NextToken"]}


@needs("DescribeJob", "s3:DescribeJob", permissions.JOB)
def describe_job(client, account_id, job_id):
    return call(client, "describe_job", f"job {job_id} of account {account_id}", AccountId=account_id, JobId=job_id)["Job"]


@needs("CreateJob", "s3:CreateJob", permissions.ANY)
@needs(None, "iam:PassRole", permissions.ROLE)
def create_job(client, request, token):
    """Starts the job of ``request`` (a CreateJob request without the token); its JobId. A retried request with one token starts one job."""
    return call(client, "create_job", _what(request["AccountId"]), ClientRequestToken=token, **request)["JobId"]
