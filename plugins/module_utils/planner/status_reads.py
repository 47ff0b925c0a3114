# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What status.yml reads besides the accounts: each rule's metrics and a sample of each source bucket."""

import os

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import account_owners
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped


def status_reads(pairs, stage):
    """Per worker host, one s3_replication_status_info call per source account: each rule's metrics, a sample of each source bucket."""
    owner = account_owners(stage)
    reads = {}
    for account, members in grouped(pairs, lambda p: p["source"]["account"]).items():
        rules = [{"source_bucket": pair["source"]["bucket"], "destination_bucket": pair["destination"]["bucket"], "rule_id": rule["id"]}
                 for pair in members for rule in pair["rules"] if rule["state"] != "absent"]
        samples = [_status_sample(bucket, bucket_pairs) for bucket, bucket_pairs in grouped(members, lambda p: p["source"]["bucket"]).items()]
        args = {"rules": rules, "samples": samples, "hours": max(pair["playbook_options"]["status_hours"] for pair in members)}
        reads.setdefault(owner[account], []).append({"key": account, "label": stage["accounts"][account]["label"], "args": args})
    return reads


def _status_sample(bucket, pairs):
    """Where to sample a source bucket: status_sample_prefix, else the longest prefix every rule of ours there shares."""
    options = pairs[0]["playbook_options"]
    prefixes = [(rule.get("filter") or {}).get("prefix") or "" for pair in pairs for rule in pair["rules"] if rule["state"] != "absent"]
    prefix = options["status_sample_prefix"] if options["status_sample_prefix"] is not None else os.path.commonprefix(prefixes)
    return {"bucket": bucket, "prefix": prefix, "size": options["status_sample_size"], "scan": options["status_sample_scan"]}
