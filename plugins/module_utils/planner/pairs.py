# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pairs from one host's variables: each checked against the contract, every default applied once, one pair per
destination (and with two-way, the reverse pair).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import CREDENTIAL_KEYS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import account_key
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.validation import host_problems
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.validation import reverse_problems


STATUS_OPTIONS = tuple(name for name in contract.SPEC if name.startswith("status_"))


def host_pairs(host, variables, multi_host, book):
    """The pairs of one host (one per destination, and with two-way the reverse pair), in the directions of the playbook ``book``
    (planner/playbooks.py), or its problems."""
    problems = contract.unknown_variables(variables)
    values, invalid = contract.validate(variables)
    problems += invalid
    if problems:
        return [], problems
    fan_out = values.get("replication_destinations") is not None
    destinations = values["replication_destinations"] if fan_out else [values["replication_destination"]]
    pairs = []
    for index, destination in enumerate(destinations):
        name = host if len(destinations) == 1 else f"{host}[{index}]"
        label = f"replication_destinations[{index}]" if fan_out else "replication_destination"
        rules = destination.get("rules") if fan_out else values["replication_rules"]
        if fan_out and not rules:
            rules = [{"id": contract.FAN_OUT_RULE_ID.format(bucket=destination["bucket"])}]
        if values["replication_two_way"]:
            rules = two_way.forward_rules(rules)
        pairs.append(_pair(host, name, label, values, destination, rules, multi_host))
    problems = host_problems(pairs)
    if not problems and values["replication_two_way"]:
        reverse = [two_way.reverse_pair(pair, values) for pair in pairs]
        problems = reverse_problems(reverse)
        pairs += reverse
    if problems:
        return [], problems
    return [pair for pair in pairs if pair["direction"] in book.directions(values)], []


def _pair(host, name, label, values, destination, rules, multi_host):
    source = values["replication_source"]
    pair = {
        "host": host,
        "name": name,
        "display": f"pair {name}: " if multi_host or "[" in name else "",
        "direction": two_way.FORWARD,
        "two_way": values["replication_two_way"],
        "role_variable": "replication_role_name",
        "source_bucket_key_enabled": None,
        "labels": {"source": "replication_source", "destination": label},
        "source": _side(source),
        "destination": dict(_side(destination), **{key: destination[key] for key in ("create_bucket", "bucket_key_enabled", "object_ownership", "key_access")}),
        "credentials": {"source": _credentials(source), "destination": _credentials(destination)},
        "rules": [_rule_with_defaults(rule) for rule in rules],
        "batch_replication": _batch(values.get("replication_backfill")),
        "alerts": _alerts(values.get("replication_alerts"), source, values["replication_partition"]),
        "replace_role": values["replication_replace_role"],
        "no_log": values["replication_no_log"],
        "playbook_options": {
            key: values.get(key)
            for key in ("replication_backfill", "replication_verify", "replication_lock", "replication_alerts", "doctor_fail_on_warn", "doctor_report_path",
                        "doctor_show_ok") + STATUS_OPTIONS
        },
    }
    for option, variable in (
        ("role_name", "replication_role_name"),
        ("role_path", "replication_role_path"),
        ("owner_override", "replication_owner_override"),
        ("replicate_unencrypted_objects", "replication_replicate_unencrypted_objects"),
        ("object_lock", "replication_object_lock"),
        ("trust_source_account_condition", "replication_trust_source_account_condition"),
        ("partition", "replication_partition"),
    ):
        pair[option] = values[variable]
    return pair


def _side(side):
    return {
        "account_id": str(side["account_id"]),
        "bucket": side["bucket"],
        "kms_key_arn": side["kms_key_arn"],
        "region": side["region"],
        "account": account_key(side["account_id"], side["region"]),
    }


def _credentials(side):
    return {key: side.get(key) for key in CREDENTIAL_KEYS if side.get(key) is not None and (key in ("profile", "role_arn") or side.get("role_arn"))}


def _rule_with_defaults(rule):
    defaults = {name: option.get("default") for name, option in contract.RULE_OPTIONS.items()}
    return dict(defaults, **{name: value for name, value in rule.items() if value is not None})


def _alerts(alerts, source, partition):
    """replication_alerts as the planner uses it: the topic's ARN (also of a topic to create), whether to create it, subscriptions, latency."""
    if not alerts:
        return None
    return {"topic_arn": replication_alerts.topic_arn_of(alerts, source, partition), "create": bool(alerts.get("create_topic")),
            "subscriptions": [dict(item) for item in alerts["subscriptions"]], "alarm_latency_seconds": alerts.get("alarm_latency_seconds"),
            "dashboard": _dashboard(alerts, source)}


def _dashboard(alerts, source):
    """replication_alerts.dashboard as the planner uses it: the dashboard's name and runbook link, or None."""
    if not alerts.get("dashboard"):
        return None
    return {"name": alerts.get("dashboard_name") or replication_dashboard.default_name(source["bucket"]), "runbook_url": alerts.get("dashboard_runbook_url")}


def _batch(backfill):
    if not backfill:
        return None
    return {
        "report_bucket": backfill["report_bucket"],
        "report_prefix": backfill.get("report_prefix"),
        "manifest_bucket": backfill.get("manifest_bucket"),
        "manifest_prefix": backfill.get("manifest_prefix"),
    }
