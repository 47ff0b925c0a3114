# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every part of the planner derives from a pair: its accounts' keys, the policy model's spec and documents, the
s3_replication_rule options of its rules, and messages in the user's variables.
"""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of


CREDENTIAL_KEYS = ("profile", "role_arn", "role_session_name", "external_id")


# The policy model's words in its messages, and the user's variables they stand for.
MODEL_WORDS = (("role_name", "replication_role_name"), ("role_path", "replication_role_path"), ("partition", "replication_partition"),
               ("batch_replication", "replication_backfill"))


def account_key(account_id, region):
    return f"{account_id}/{region}"


def model_spec(pair, source_bucket_key_enabled=None):
    """The policy model's input for ``pair`` (the source's Bucket Key setting as read, when known)."""
    return {
        "source": dict({key: pair["source"][key] for key in ("account_id", "bucket", "kms_key_arn", "region")}, bucket_key_enabled=source_bucket_key_enabled),
        "destination": {key: pair["destination"][key] for key in ("account_id", "bucket", "kms_key_arn", "region", "bucket_key_enabled")},
        "role_name": pair["role_name"],
        "role_path": pair["role_path"],
        "owner_override": pair["owner_override"],
        "replicate_unencrypted_objects": pair["replicate_unencrypted_objects"],
        "object_lock": pair["object_lock"],
        "trust_source_account_condition": pair["trust_source_account_condition"],
        "partition": pair["partition"],
        "batch_replication": pair["batch_replication"],
    }


def dashboard_name(pair):
    """The name of the dashboard replication_alerts asked for (None without one)."""
    return ((pair.get("alerts") or {}).get("dashboard") or {}).get("name")


def user_words(message, pair):
    """The policy model's message in the user's variables (source.kms_key_arn -> replication_source.kms_key_arn ...)."""
    text = message
    for side in ("source", "destination"):
        text = re.sub(rf"(?<![\w.]){side}\.", f"{pair['labels'][side]}.", text)
    for word, variable in MODEL_WORDS:
        variable = pair.get("role_variable", variable) if word == "role_name" else variable
        text = re.sub(rf"(?<![\w.]){word}\b", variable, text)
    return text


def rule_module_options(pair, rules):
    """The s3_replication_rule options (items of ``rules``) for the pair's rules."""
    destination = pair["destination"]
    options = []
    for rule in rules:
        item = {name: rule.get(name) for name in contract.RULE_OPTIONS}
        item.update(
            sse_kms_encrypted_objects=True,
            destination_bucket=destination["bucket"],
            destination_account=destination["account_id"],
            destination_region=destination["region"],
            replica_kms_key_arn=destination["kms_key_arn"],
            owner_override=pair["owner_override"],
        )
        if pair.get("alerts") and item.get("metrics") is None:
            item["metrics"] = True  # failure events and metrics exist only for rules with replication metrics
        options.append({name: value for name, value in item.items() if value is not None})
    return options


def with_facts(pair, read):
    """The pair with its documents derived from what the accounts hold: the Bucket Key setting of the bucket this run does not
    manage (the source; a reverse pair's destination, which is the forward source) decides its KMS context."""
    if pair["direction"] == two_way.REVERSE:
        pair = dict(pair, destination=dict(pair["destination"], bucket_key_enabled=_bucket_keys_as_read(pair, read, "destination")))
    else:
        pair = dict(pair, source_bucket_key_enabled=_bucket_keys_as_read(pair, read, "source"))
    pair["documents"] = policy_model.replication_policies(model_spec(pair, pair["source_bucket_key_enabled"]))
    return pair


def documents_any_bucket_keys(pair):
    """The pair's documents for every Bucket Key setting its buckets may have had when a run wrote them (teardown takes out
    what any of them granted: the shared statements' Sids and the KMS conditions depend on it)."""
    return [
        policy_model.replication_policies(model_spec(dict(pair, destination=dict(pair["destination"], bucket_key_enabled=destination)), source))
        for source in (None, True, False)
        for destination in (None, True, False)
    ]


def _bucket_keys_as_read(pair, read, side):
    encryption = (bucket_facts(facts_of(pair, read, side), pair[side]["bucket"]) or {}).get("encryption") or {}
    bucket_keys = bool(encryption.get("bucket_key_enabled")) if encryption.get("algorithm") == "aws:kms" else None
    if encryption and encryption.get("algorithm") != "aws:kms":
        bucket_keys = False
    return bucket_keys
