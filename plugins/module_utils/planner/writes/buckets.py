# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The buckets' writes: source versioning, the destination bucket's settings, and its policy statements for the roles: one
statement per action set with the roles listed (policy/shared.py), merged with the principals other runs put there; the
per-role statements of earlier versions removed in the same PutBucketPolicy, so no role loses access in between."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import forward_pairs
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write


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
        args = {"bucket": bucket, "statements": bucket_statements(members), "merge_principals": True, "remove_sids": legacy_bucket_sids(members)}
        writes.append(make_write(members[0]["destination"]["account"], "destinations", "s3_bucket_policy_statement", args, members,
                                 pending=bucket in created, group=f"bucket:{bucket}"))
    return writes


def bucket_statements(members):
    """The destination bucket-policy statements of every pair, packed: one per action set, the pairs' roles listed."""
    return shared.shared_statements([statement for pair in members for statement in pair["documents"]["destination_bucket_statements"]])


def legacy_bucket_sids(members):
    """The Sids of the per-role statements earlier versions wrote for these pairs."""
    return list(dict.fromkeys(statement["Sid"] for pair in members for statement in pair["documents"]["destination_bucket_statements"]))
