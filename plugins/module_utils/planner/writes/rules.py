# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication rules' writes: all rules of one source bucket in one write."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import rule_module_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import grouped
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import make_write


def rule_writes(pairs, created):
    """All rules of one bucket in one write (pending in check mode when the run creates the bucket: a reverse pair's source)."""
    writes = []
    for bucket, members in grouped(pairs, lambda p: p["source"]["bucket"]).items():
        rules = [options for pair in members for options in rule_module_options(pair, pair["rules"])]
        args = {
            "bucket": bucket,
            "role_arn": members[0]["documents"]["role_arn"],
            "replace_role": any(pair["replace_role"] for pair in members),
            "rules": rules,
        }
        writes.append(make_write(members[0]["source"]["account"], "rules", "s3_replication_rule", args, members, pending=bucket in created))
    return writes
