# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""backfill.yml's S3 Batch Replication jobs, one per source bucket."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import account_owners
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped


def backfill_jobs(pairs, stage):
    """Per worker host, one s3_batch_replication_job per source bucket: [{account, label, args}]."""
    owner = account_owners(stage)
    jobs = {}
    for bucket, members in grouped(pairs, lambda p: p["source"]["bucket"]).items():
        pair = members[0]
        backfill = pair["playbook_options"]["replication_backfill"]
        args = {"bucket": bucket, "account_id": pair["source"]["account_id"], "role_arn": pair["documents"]["role_arn"], "partition": pair["partition"]}
        args.update({key: value for key, value in backfill.items() if value is not None and key not in BACKFILL_PLAN_OPTIONS})
        args.update({key: value for key, value in (pair["batch_replication"] or {}).items() if value is not None})
        jobs.setdefault(owner[pair["source"]["account"]], []).append({"account": pair["source"]["account"], "label": bucket, "args": args})
    return jobs


# Options of replication_backfill that decide the plan, not the job (the reverse job's report bucket is its batch_replication's).
BACKFILL_PLAN_OPTIONS = ("direction", "reverse_report_bucket")
