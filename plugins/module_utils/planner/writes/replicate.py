# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every write replicate.yml needs, each document once, kept when its writer says it would change something."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import changing
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.alerts import alert_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.buckets import bucket_policy_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.buckets import destination_bucket_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.buckets import source_bucket_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.keys import key_access_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.keys import source_key_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.roles import role_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.rules import rule_writes


def replicate_writes(pairs, read):
    """Every write the pairs need, each document once with all its pairs' entries, kept when the module would change something."""
    created = {
        pair["destination"]["bucket"]
        for pair in pairs
        if (bucket_facts(facts_of(pair, read, "destination"), pair["destination"]["bucket"]) or {}).get("exists") is False
    }
    planned = source_bucket_writes(pairs) + role_writes(pairs) + destination_bucket_writes(pairs)
    planned += bucket_policy_writes(pairs, created) + key_access_writes(pairs)
    planned += rule_writes(pairs, created) + source_key_writes(pairs, read) + alert_writes(pairs)
    planned = two_way.one_write_per_key_policy(planned)
    return changing(planned, read)
