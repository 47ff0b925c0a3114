# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The buckets' writes: source versioning, the destination bucket's settings, and its policy statements for the roles."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import forward_pairs
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import unique_by


def source_bucket_writes(pairs):
    """Versioning of the source buckets; a bucket that is also a (forward) destination of the run gets it with its settings."""
    destinations = {pair["destination"]["bucket"] for pair in forward_pairs(pairs)}
    return [
        make_write(members[0]["source"]["account"], "roles", "s3_replication_bucket", {"name": bucket, "versioning": True}, members)
        for bucket, members in grouped(pairs, lambda p: p["source"]["bucket"]).items()
        if bucket not in destinations
    ]


def destination_bucket_writes(pairs):
    writes = []
    for bucket, members in grouped(forward_pairs(pairs), lambda p: p["destination"]["bucket"]).items():
        destination = members[0]["destination"]
        args = {
            "name": bucket,
            "create": destination["create_bucket"],
            "versioning": True,
            "encryption": {"kms_key_arn": destination["kms_key_arn"], "bucket_key_enabled": destination["bucket_key_enabled"]},
            "object_ownership": destination["object_ownership"],
        }
        writes.append(make_write(destination["account"], "destinations", "s3_replication_bucket", args, members, group=f"bucket:{bucket}"))
    return writes


def bucket_policy_writes(pairs, created):
    writes = []
    for bucket, members in grouped(pairs, lambda p: p["destination"]["bucket"]).items():
        args = {"bucket": bucket, "statements": bucket_statements(members)}
        writes.append(make_write(members[0]["destination"]["account"], "destinations", "s3_bucket_policy_statement", args, members,
                                 pending=bucket in created, group=f"bucket:{bucket}"))
    return writes


def bucket_statements(members):
    """The destination bucket-policy statements of every pair, each Sid once."""
    return unique_by([statement for pair in members for statement in pair["documents"]["destination_bucket_statements"]], "Sid")
