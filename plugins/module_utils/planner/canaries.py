# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""verify.yml's canaries, one per pair."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import canary
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract


def verify_canaries(pairs):
    """Per pair host, the canary of each of its pairs: the source side's and the replica's s3_replication_canary options."""
    canaries = {}
    for pair in pairs:
        options = dict(pair["playbook_options"]["replication_verify"] or {}, **{})
        options = {name: (options.get(name) if options.get(name) is not None else option.get("default")) for name, option in contract.VERIFY_OPTIONS.items()}
        rule = next((rule for rule in pair["rules"] if rule["state"] != "absent"), {})
        rule_filter = rule.get("filter") or {}
        canaries.setdefault(pair["host"], []).append(
            {
                "pair": pair["name"],
                "workers": pair["workers"],
                "accounts": {side: pair[side]["account"] for side in ("source", "destination")},
                "keep_canary": options["keep_canary"],
                "source": {
                    "bucket": pair["source"]["bucket"],
                    "kms_key_arn": pair["source"]["kms_key_arn"],
                    "expected_bucket_owner": pair["source"]["account_id"],
                    "key_prefix": options["key_prefix"] if options["key_prefix"] is not None else (rule_filter.get("prefix") or "") + canary.DEFAULT_KEY_PREFIX,
                    "tags": options["tags"] if options["tags"] is not None else rule_filter.get("tags") or {},
                    "wait_timeout": options["wait_timeout"],
                    "poll_interval": options["poll_interval"],
                },
                "destination": {
                    "bucket": pair["destination"]["bucket"],
                    "kms_key_arn": pair["destination"]["kms_key_arn"],
                    "expected_bucket_owner": pair["destination"]["account_id"],
                    "wait_timeout": options["replica_wait_timeout"],
                    "poll_interval": options["poll_interval"],
                },
            }
        )
    return canaries
