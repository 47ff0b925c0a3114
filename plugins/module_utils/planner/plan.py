# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planner: from every pair's public variables to the exact writes in each AWS account.

Two stages, both pure (the controller-side action plugin ``replication_plan`` calls them):

1. :func:`plan_pairs` checks each host's variables against the contract (module_utils/planner/contract),
   applies every default once, builds the pairs (one per destination), checks what pairs of one run
   must agree on when they share a document, and names the accounts to read: one per account id and
   region, with its credentials, and every bucket, role and key of every pair in it.
2. :func:`plan_writes` takes what ``s3_replication_info`` read in each account, refuses the pairs
   whose accounts cannot work (wrong identity, unusable key, missing source bucket), and returns, per
   account and phase, the writes: which module, with which arguments, each merged over every pair
   that shares the document, and only those the module's own planning (module_utils/writers/runner.needed)
   says would change something.

A refused pair is named with its problems; the other pairs go on. Messages name the user's variables
(``replication_destinations[1].kms_key_arn``), never internal paths.
"""

import copy
import os
import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import canary
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import admission as s3_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import SETTLE_SECONDS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import needed
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import validated
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS

PHASES = ("roles", "destinations", "rules")
ROLE_DESCRIPTION = "Assumed by Amazon S3 to replicate S3 buckets to other accounts (managed by s3_crossaccount.replication)"
WORKER_GROUP = "replication_accounts"
ALL_ATTRIBUTES = ["versioning", "encryption", "object_ownership", "object_lock", "policy", "replication", "has_objects"]
# Per playbook, per side it acts in, the bucket attributes its plan needs (the doctor reads everything).
READS = {
    "replicate": {"source": ["versioning", "encryption", "object_lock", "replication"],
                  "destination": ["versioning", "encryption", "object_ownership", "object_lock", "policy"]},
    "teardown": {"source": ["replication"], "destination": ["policy"]},
    "backfill": {"source": []},
    "verify": {"source": [], "destination": []},
    "doctor": {"source": ALL_ATTRIBUTES + ["notification"], "destination": ALL_ATTRIBUTES},
    "status": {"source": ALL_ATTRIBUTES + ["notification"], "destination": ALL_ATTRIBUTES},
}
# With replication_alerts, what the playbooks that write (or judge) alerts also read in the source account.
ALERT_READS = ("replicate", "teardown", "doctor", "status")
CREDENTIAL_KEYS = ("profile", "role_arn", "role_session_name", "external_id")
# The policy model's words in its messages, and the user's variables they stand for.
MODEL_WORDS = (("role_name", "replication_role_name"), ("role_path", "replication_role_path"), ("partition", "replication_partition"),
               ("batch_replication", "replication_backfill"))


class PlanError(ValueError):
    """Input the planner cannot work with at all (not one pair's problem)."""


# --- stage 1: pairs and accounts ------------------------------------------------------------------


def plan_pairs(hosts, playbook="replicate", limited=False, run_owner="this run"):
    """Stage 1. ``hosts``: ``[(host name, {variable: value})]`` in inventory order (the variables of this
    collection's prefixes). ``limited``: the run has --limit, so added hosts would not run; the pairs'
    own hosts then do the accounts' work. ``run_owner`` names the run in its lock.
    """
    refused, pairs = {}, []
    for host, variables in hosts:
        host_pairs, problems = _host_pairs(host, variables, multi_host=len(hosts) > 1, playbook=playbook)
        if problems:
            refused[host] = problems
        else:
            pairs += host_pairs
    pairs = _drop_conflicting(pairs, refused)
    accounts = _accounts(pairs, refused, playbook)
    pairs = [pair for pair in pairs if pair["host"] not in refused]
    accounts = {key: account for key, account in accounts.items() if any(p[side]["account"] == key for p in pairs for side in READS[playbook])}
    workers = _workers(accounts, [host for host, _variables in hosts if host not in refused], limited)
    return {
        "playbook": playbook,
        "pairs": pairs,
        "options": {pair["host"]: pair["playbook_options"] for pair in pairs},
        "refused": refused,
        "accounts": accounts,
        "workers": workers,
        "lock": run_lock_plan(pairs, workers, run_owner) if playbook in LOCKED_PLAYBOOKS else None,
    }


LOCKED_PLAYBOOKS = ("replicate", "teardown")


def run_lock_plan(pairs, workers, run_owner):
    """The run lock of the pairs that set replication_lock (they all name the same one: AGREEMENTS), or None."""
    locked = [pair for pair in pairs if pair["playbook_options"].get("replication_lock")]
    if not locked:
        return None
    first = locked[0]
    wanted = first["playbook_options"]["replication_lock"]
    side = wanted["side"]
    account = first[side]["account"]
    worker = next(host for host, worker in workers.items() if account in worker["accounts"])
    return {"bucket": wanted["bucket"], "key": wanted["key"], "timeout_seconds": wanted["timeout_seconds"], "wait_seconds": wanted["wait_seconds"],
            "account": account, "worker": worker, "owner": run_owner, "label": f"{first['labels'][side]} of pair {first['name']}"}


def _host_pairs(host, variables, multi_host, playbook="replicate"):
    """The pairs of one host (one per destination, and with two-way the reverse pair), in the directions of ``playbook``, or its problems."""
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
    problems = _host_problems(pairs)
    if not problems and values["replication_two_way"]:
        reverse = [two_way.reverse_pair(pair, values) for pair in pairs]
        problems = _reverse_problems(reverse)
        pairs += reverse
    if problems:
        return [], problems
    return [pair for pair in pairs if pair["direction"] in two_way.directions(values, playbook)], []


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


STATUS_OPTIONS = tuple(name for name in contract.SPEC if name.startswith("status_"))


def _alerts(alerts, source, partition):
    """replication_alerts as the planner uses it: the topic's ARN (also of a topic to create), whether to create it, subscriptions, latency."""
    if not alerts:
        return None
    return {"topic_arn": replication_alerts.topic_arn_of(alerts, source, partition), "create": bool(alerts.get("create_topic")),
            "subscriptions": [dict(item) for item in alerts["subscriptions"]], "alarm_latency_seconds": alerts.get("alarm_latency_seconds")}


def _batch(backfill):
    if not backfill:
        return None
    return {
        "report_bucket": backfill["report_bucket"],
        "report_prefix": backfill.get("report_prefix"),
        "manifest_bucket": backfill.get("manifest_bucket"),
        "manifest_prefix": backfill.get("manifest_prefix"),
    }


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


def user_words(message, pair):
    """The policy model's message in the user's variables (source.kms_key_arn -> replication_source.kms_key_arn ...)."""
    text = message
    for side in ("source", "destination"):
        text = re.sub(rf"(?<![\w.]){side}\.", f"{pair['labels'][side]}.", text)
    for word, variable in MODEL_WORDS:
        variable = pair.get("role_variable", variable) if word == "role_name" else variable
        text = re.sub(rf"(?<![\w.]){word}\b", variable, text)
    return text


def _host_problems(pairs):
    """What one host's pairs must satisfy: a valid model, buckets named once, rule ids and priorities unique, rules S3 accepts."""
    problems = _partition_problems(pairs) or _document_problems(pairs)
    if problems:
        return problems
    buckets = [pairs[0]["source"]["bucket"]] + [pair["destination"]["bucket"] for pair in pairs]
    if len(set(buckets)) != len(buckets):
        problems.append(
            f"replication_source.bucket and a destination bucket, or two destinations, are the same bucket ({', '.join(buckets)}): "
            "bucket names are global; name each destination bucket once, none the source (same bucket)"
        )
    problems += _rule_set_problems(pairs, [rule for pair in pairs for rule in pair["rules"]])
    role_arns = [(f"{pair['labels'][side]}.role_arn", pair["credentials"][side].get("role_arn")) for pair in pairs for side in ("source", "destination")]
    for variable, role_arn in role_arns:
        if role_arn:
            try:
                arns.parse_role_arn(role_arn)
            except ValueError:
                problems.append(
                    f"{variable}: role_arn {role_arn} is not an IAM role ARN: give arn:aws:iam::ACCOUNT:role/NAME of the role to assume in "
                    "that side's account, or a profile instead"
                )
    return sorted(set(problems), key=problems.index)


def _document_problems(pairs):
    """The policy model's refusals of the pairs; the others get their documents."""
    problems = []
    for pair in pairs:
        try:
            pair["documents"] = policy_model.replication_policies(model_spec(pair))
        except policy_model.PolicySpecError as error:
            problems.append(pair["display"] + user_words(str(error), pair))
    return problems


def _partition_problems(pairs):
    """Buckets in regions of different partitions: S3 replicates within one partition only (whichever the direction)."""
    problems = []
    for pair in pairs:
        partitions = {side: _region_partition(pair[side]["region"]) for side in ("source", "destination")}
        if None not in partitions.values() and partitions["source"] != partitions["destination"]:
            problems.append(
                f"{pair['display']}{pair['labels']['source']}.region {pair['source']['region']} is in partition {partitions['source']}, "
                f"{pair['labels']['destination']}.region {pair['destination']['region']} in partition {partitions['destination']}: S3 replicates "
                "only between buckets of one partition (aws, aws-cn, aws-us-gov), in either direction; put both buckets in regions of one partition"
            )
    return problems


def _region_partition(region):
    try:
        return arns.partition_of_region(arns.validate_region(str(region)))
    except ValueError:
        return None


def _reverse_problems(pairs):
    """What the reverse pairs of a two-way host must satisfy: rule ids S3 takes, a valid model, rules S3 accepts."""
    problems = two_way.rule_id_length_problems([rule for pair in pairs for rule in pair["rules"]]) or _document_problems(pairs)
    if problems:
        return problems
    return _rule_set_problems(pairs, [rule for pair in pairs for rule in pair["rules"]], where="replication_rules (their reverse rules, id + -reverse)")


def _rule_set_problems(pairs, rules, where="replication_rules"):
    problems = []
    ids = [rule["id"] for rule in rules]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        problems.append(
            f"{where}: each rule needs its own id (a rule is merged into the bucket replication configuration by id), but the ids are {', '.join(ids)}."
        )
    priorities = [rule["priority"] for rule in rules if rule.get("priority") is not None and rule.get("state") != "absent"]
    shared = sorted({priority for priority in priorities if priorities.count(priority) > 1})
    if shared:
        problems.append(
            f"{where}: rules share a priority ({', '.join(str(p) for p in shared)}): every rule of one replication configuration "
            "needs its own priority; change or drop the duplicate priority (unset priorities are chosen for you)."
        )
    for pair in pairs:
        problems += [f"{where} / {message}" for message in replication_rules.rule_problems(rule_module_options(pair, pair["rules"]))]
    return problems


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


# What pairs of one run must agree on when they share a document: (what, key of the document, the pair's setting).
AGREEMENTS = (
    (
        "the destination bucket's settings",
        lambda p: p["destination"]["bucket"],
        lambda p: {key: p["destination"][key] for key in ("account_id", "region", "kms_key_arn", "create_bucket", "bucket_key_enabled", "object_ownership")},
    ),
    ("the replication role", lambda p: (p["source"]["account_id"], p["role_name"]), lambda p: {"role_path": p["role_path"], "partition": p["partition"]}),
    (
        "the run lock",
        lambda p: "replication_lock" if p["playbook_options"].get("replication_lock") else p["name"],
        lambda p: {"replication_lock": p["playbook_options"].get("replication_lock")},
    ),
    (
        "the source bucket's failure alerts",
        lambda p: ("alerts", p["source"]["bucket"]) if p.get("alerts") else p["name"],
        lambda p: {"replication_alerts": p.get("alerts")},
    ),
    (
        "the source bucket's replication configuration",
        lambda p: p["source"]["bucket"],
        lambda p: {"replication_role_name": p["role_name"], "replication_role_path": p["role_path"], "replication_source": p["source"]},
    ),
)


def _drop_conflicting(pairs, refused):
    """Refuses (the host of) a later pair that disagrees with an earlier one on a document both would write."""
    kept = []
    for pair in pairs:
        if pair["host"] in refused:
            continue
        problems = []
        for what, document, setting in AGREEMENTS:
            earlier = next((other for other in kept if other["host"] != pair["host"] and document(other) == document(pair)), None)
            if earlier and setting(earlier) != setting(pair):
                problems.append(
                    f"{pair['display']}{what} ({_document_text(document(pair))}) is also written by pair {earlier['name']} with other "
                    f"settings ({_difference(setting(earlier), setting(pair))}): give both pairs the same settings, or other names"
                )
        problems += _shared_rule_problems(pair, kept) + _shared_two_way_problems(pair, kept)
        if problems:
            refused.setdefault(pair["host"], []).extend(problems)
            kept = [other for other in kept if other["host"] != pair["host"]]
        else:
            kept.append(pair)
    return kept


def _document_text(document):
    return document if isinstance(document, str) else " ".join(str(part) for part in document)


def _difference(first, second):
    return ", ".join(f"{key}: {first.get(key)!r} / {second.get(key)!r}" for key in sorted(set(first) | set(second)) if first.get(key) != second.get(key))


def _shared_rule_problems(pair, kept):
    """Rules of pairs of other hosts in the same source bucket: ids and priorities must not collide."""
    others = [other for other in kept if other["source"]["bucket"] == pair["source"]["bucket"] and other["host"] != pair["host"]]
    problems = []
    for other in others:
        same_ids = sorted({rule["id"] for rule in pair["rules"]} & {rule["id"] for rule in other["rules"]})
        if same_ids:
            problems.append(
                f"{pair['display']}rule ids {', '.join(same_ids)} are also rules of pair {other['name']} in source bucket "
                f"{pair['source']['bucket']}: one configuration merges rules by id, so give each pair's rules their own ids"
            )
        priorities = {rule.get("priority") for rule in other["rules"]} - {None}
        clashing = sorted(priorities & ({rule.get("priority") for rule in pair["rules"]} - {None}))
        if clashing:
            problems.append(
                f"{pair['display']}priorities {', '.join(str(p) for p in clashing)} are also used by pair {other['name']} in source "
                f"bucket {pair['source']['bucket']}: every rule of one configuration needs its own priority"
            )
    return problems


def _shared_two_way_problems(pair, kept):
    """Two-way pairs of two hosts sharing a bucket: a replica is never replicated again, so the third bucket would not see the second's objects."""
    if not pair["two_way"]:
        return []
    buckets = {pair[side]["bucket"] for side in ("source", "destination")}
    for other in kept:
        others = {other[side]["bucket"] for side in ("source", "destination")}
        if other["two_way"] and other["host"] != pair["host"] and len(buckets & others) == 1:
            (shared,), (mine,), (theirs,) = buckets & others, buckets - others, others - buckets
            return [
                f"{pair['display']}bucket {shared} is also in the two-way pair {other['name']} (with {theirs}): an object written into {mine} "
                f"reaches {shared} as a replica, and S3 never replicates a replica again, so it would never reach {theirs}; replicate two-way "
                "between two buckets only (set replication_two_way: false on one of the pairs)"
            ]
    return []


def _accounts(pairs, refused, playbook):
    """Every account (id and region) the pairs act in, with its credentials and what to read in it."""
    accounts = {}
    for pair in pairs:
        if pair["host"] in refused:
            continue
        for side in READS[playbook]:
            key = pair[side]["account"]
            credentials = pair["credentials"][side]
            account = accounts.setdefault(key, _account(pair, side, credentials))
            if account["credentials"] != credentials:
                refused.setdefault(pair["host"], []).append(
                    f"{pair['display']}{pair['labels'][side]} acts in account {pair[side]['account_id']} ({pair[side]['region']}) with "
                    f"{credentials_text(credentials)}, but {account['label']} of pair {account['first_pair']} acts in it with "
                    f"{credentials_text(account['credentials'])}: give one way of acting in an account per run"
                )
                continue
            _add_reads(account, pair, side, playbook)
    return accounts


def _account(pair, side, credentials):
    return {
        "key": pair[side]["account"],
        "account_id": pair[side]["account_id"],
        "region": pair[side]["region"],
        "credentials": credentials,
        "label": pair["labels"][side],
        "first_pair": pair["name"],
        "no_log": pair["no_log"],
        "read": {"buckets": [], "roles": [], "kms_keys": [], "bucket_attributes": [], "include_bucket_keys": False},
    }


def _add_reads(account, pair, side, playbook):
    read = account["read"]
    attributes = READS[playbook][side]
    read["include_bucket_keys"] = playbook == "doctor"
    _extend(read["buckets"], [pair[side]["bucket"]])
    _extend(read["kms_keys"], [pair[side]["kms_key_arn"]])
    _extend(read["bucket_attributes"], attributes)
    if side == "source":
        _extend(read["roles"], [pair["role_name"]])
    if side == "source" and pair.get("alerts") and playbook in ALERT_READS:
        _add_alert_reads(read, pair)


def _add_alert_reads(read, pair):
    """The bucket's notification configuration, the topic (and its key) and the rules' alarms: read only with replication_alerts."""
    _extend(read["bucket_attributes"], ["notification"])
    _extend(read.setdefault("sns_topics", []), [pair["alerts"]["topic_arn"]])
    names = [name for rule in pair["rules"] for name in replication_alerts.alarm_names(pair["source"]["bucket"], rule["id"])]
    _extend(read.setdefault("alarm_names", []), names)


def _extend(values, more):
    values.extend(value for value in more if value not in values)


def credentials_text(credentials):
    if credentials.get("profile"):
        return f"profile '{credentials['profile']}'"
    if credentials.get("role_arn"):
        return f"role_arn {credentials['role_arn']}"
    return "the environment (no profile or role_arn given)"


def worker_name(key):
    account_id, region = key.split("/")
    return f"aws-{account_id}-{region}"


def _workers(accounts, pair_hosts, limited):
    """Which host does which account's work: a host added per account, or, under --limit, the pairs' own hosts in turn."""
    keys = sorted(accounts)
    if not limited or not pair_hosts:
        return {worker_name(key): {"accounts": [key], "added": True} for key in keys}
    workers = {}
    for index, key in enumerate(keys):
        workers.setdefault(pair_hosts[index % len(pair_hosts)], {"accounts": [], "added": False})["accounts"].append(key)
    return workers


# --- stage 2: writes ------------------------------------------------------------------------------


def account_owners(stage):
    """``{account key: the worker host that does its work}``."""
    return {key: host for host, worker in stage["workers"].items() for key in worker["accounts"]}


def plan_writes(stage, read, sides=None):
    """Stage 2. ``read``: ``{account key: s3_replication_info result, or {"failed": True, "msg": ...}}``.

    What is planned follows the playbook: replicate and teardown plan writes (teardown: the removals),
    backfill the role's Batch Replication permissions and the jobs, doctor and verify no writes.
    ``sides`` limits the checks and writes to the accounts of those sides (a role used alone reads one side).
    """
    playbook = stage["playbook"]
    sides = tuple(sides or READS[playbook])
    refused = copy.deepcopy(stage["refused"])
    pairs = []
    for pair in stage["pairs"]:
        problems = account_problems(pair, read, sides) or FACT_CHECKS[playbook](pair, read, sides)
        if problems:
            refused.setdefault(pair["host"], []).extend(problems)
        else:
            pairs.append(_with_facts(pair, read))
    pairs = [dict(pair, workers=_pair_workers(pair, stage)) for pair in pairs if pair["host"] not in refused]
    accounts = {pair[side]["account"] for pair in pairs for side in sides}
    writes = [write for write in WRITE_PLANS[playbook](pairs, read) if write["account"] in accounts]
    planned = {
        "playbook": playbook,
        "pairs": pairs,
        "options": stage["options"],
        "refused": refused,
        "phases": _by_worker(writes, stage),
        "writes": writes,
        "account_writes": _by_account(writes),
        "notes": notes(playbook, pairs, read),
    }
    if playbook == "backfill":
        planned["jobs"] = _jobs(pairs, stage)
    if playbook == "verify":
        planned["canaries"] = _canaries(pairs)
    if playbook == "replicate":
        planned["verdicts"] = verdicts(pairs, predicted_facts(writes, read))
    if playbook in ("doctor", "status"):
        planned["reads"] = read
        planned["more_reads"] = _more_reads(pairs, read, stage)
    if playbook == "status":
        planned["status_reads"] = status_reads(pairs, stage)
    return planned


def _more_reads(pairs, read, stage):
    """The doctor's second read: replica keys the source rules name, in the destination account, that the first read did not cover."""
    owner = account_owners(stage)
    wanted = {}
    for pair in pairs:
        account = pair["destination"]["account"]
        configuration = (bucket_facts(_facts(pair, read, "source"), pair["source"]["bucket"]) or {}).get("replication") or {}
        for rule in configuration.get("Rules") or []:
            key_arn = ((rule.get("Destination") or {}).get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID") or ""
            if key_arn.startswith("arn:") and key_arn.split(":")[4] == pair["destination"]["account_id"] and key_facts(read[account], key_arn) is None:
                _extend(wanted.setdefault(account, []), [key_arn])
    more = {}
    for account, keys in wanted.items():
        more.setdefault(owner[account], []).append({"key": account, "label": stage["accounts"][account]["label"], "kms_keys": keys})
    return more


def status_reads(pairs, stage):
    """Per worker host, one s3_replication_status_info call per source account: each rule's metrics, a sample of each source bucket."""
    owner = account_owners(stage)
    reads = {}
    for account, members in _grouped(pairs, lambda p: p["source"]["account"]).items():
        rules = [{"source_bucket": pair["source"]["bucket"], "destination_bucket": pair["destination"]["bucket"], "rule_id": rule["id"]}
                 for pair in members for rule in pair["rules"] if rule["state"] != "absent"]
        samples = [_status_sample(bucket, bucket_pairs) for bucket, bucket_pairs in _grouped(members, lambda p: p["source"]["bucket"]).items()]
        args = {"rules": rules, "samples": samples, "hours": max(pair["playbook_options"]["status_hours"] for pair in members)}
        reads.setdefault(owner[account], []).append({"key": account, "label": stage["accounts"][account]["label"], "args": args})
    return reads


def _status_sample(bucket, pairs):
    """Where to sample a source bucket: status_sample_prefix, else the longest prefix every rule of ours there shares."""
    options = pairs[0]["playbook_options"]
    prefixes = [(rule.get("filter") or {}).get("prefix") or "" for pair in pairs for rule in pair["rules"] if rule["state"] != "absent"]
    prefix = options["status_sample_prefix"] if options["status_sample_prefix"] is not None else os.path.commonprefix(prefixes)
    return {"bucket": bucket, "prefix": prefix, "size": options["status_sample_size"], "scan": options["status_sample_scan"]}


def doctor_inputs(planned, host):
    """For each pair of ``host``: its name and direction, the facts of both its accounts, the policy model spec and our rule ids."""
    reads = planned.get("reads") or {}
    return [
        {
            "pair": pair["name"],
            "direction": pair["direction"] if pair["two_way"] else None,
            "facts": {side: reads[pair[side]["account"]] for side in ("source", "destination")},
            "spec": model_spec(pair),
            "rule_ids": [rule["id"] for rule in pair["rules"] if rule["state"] != "absent"],
        }
        for pair in planned["pairs"]
        if pair["host"] == host
    ]


def _pair_workers(pair, stage):
    owner = account_owners(stage)
    return {side: owner.get(pair[side]["account"]) for side in ("source", "destination")}


def account_problems(pair, read, sides=("source", "destination")):
    """Problems of the pair's accounts as read: the read failed, or the credentials act in another account."""
    problems = []
    for side in sides:
        facts = read.get(pair[side]["account"]) or {"failed": True, "msg": "its host stopped before the read (see the task that failed above)"}
        label = pair["labels"][side]
        credentials = credentials_text(pair["credentials"][side])
        if facts.get("failed"):
            problems.append(f"{pair['display']}{label}: could not read account {pair[side]['account_id']} with {credentials}: {facts.get('msg')}")
        elif str(facts.get("account_id")) != pair[side]["account_id"]:
            problems.append(
                f"{pair['display']}{label}: the credentials from {credentials} act in account {facts.get('account_id')} ({facts.get('caller_arn')}), "
                f"but account_id is {pair[side]['account_id']}. Fix {label}.account_id, or give a profile / role_arn that acts in {pair[side]['account_id']}."
            )
    return problems


def _facts(pair, read, side):
    """What was read in the account of the pair's ``side`` ({} when that side was not read: a role used alone)."""
    return read.get(pair[side]["account"]) or {}


def key_facts(account_facts, key_arn):
    for reference, key in (account_facts.get("keys") or {}).items():
        if key_arn in (reference, (key.get("metadata") or {}).get("Arn")):
            return key
    return None


def bucket_facts(account_facts, bucket):
    return (account_facts.get("buckets") or {}).get(bucket)


def pair_problems(pair, read, sides=("source", "destination")):
    """Problems found in the facts: keys S3 cannot use, a missing source bucket, a missing destination that must not be created."""
    if pair["direction"] == two_way.REVERSE:
        return reverse_pair_problems(pair, read)
    problems = []
    for side in sides:
        problems += _key_problems(pair, side, key_facts(_facts(pair, read, side), pair[side]["kms_key_arn"]))
    if "source" in sides:
        problems += _source_bucket_problems(pair, read)
    destination = (bucket_facts(_facts(pair, read, "destination"), pair["destination"]["bucket"]) or {}) if "destination" in sides else {}
    if destination.get("exists") is False and not pair["destination"]["create_bucket"]:
        label = pair["labels"]["destination"]
        problems.append(
            f"{pair['display']}{label}.bucket: bucket {pair['destination']['bucket']} does not exist in account "
            f"{pair['destination']['account_id']} and {label}.create_bucket is false: create it, or set create_bucket: true"
        )
    if tuple(sides) == ("source", "destination") and not problems:
        problems += [
            pair["display"] + problem
            for problem in s3_rules.estate_problems(
                rule_module_options(pair, pair["rules"]),
                _as_replicated(_facts(pair, read, "source"), pair["source"]["bucket"]),
                _as_replicated(_facts(pair, read, "destination"), pair["destination"]["bucket"]),
            )
        ]
    return problems


def reverse_pair_problems(pair, read):
    """A reverse pair's own problems (its keys and buckets are its forward pair's, checked there): rules S3 would refuse
    on these buckets, reverse rule ids another rule of the bucket has, a configuration another role serves."""
    configuration = (bucket_facts(_facts(pair, read, "source"), pair["source"]["bucket"]) or {}).get("replication")
    problems = [
        pair["display"] + problem
        for problem in s3_rules.estate_problems(
            rule_module_options(pair, pair["rules"]),
            _as_replicated(_facts(pair, read, "source"), pair["source"]["bucket"]),
            _as_replicated(_facts(pair, read, "destination"), pair["destination"]["bucket"]),
        )
    ]
    problems += two_way.rule_collisions(pair, configuration, pair["partition"])
    return problems + two_way.configuration_role_problems(pair, configuration, pair["documents"]["role_arn"])


def teardown_problems(pair, read, _sides=None):
    """Teardown removes rules by id: a reverse rule id that replicates elsewhere is another's rule, refused rather than removed."""
    if pair["direction"] != two_way.REVERSE:
        return []
    configuration = (bucket_facts(_facts(pair, read, "source"), pair["source"]["bucket"]) or {}).get("replication")
    return two_way.rule_collisions(pair, configuration, pair["partition"])


def _as_replicated(account_facts, bucket):
    """The bucket as this run leaves it for S3's admission rules: versioning enabled; a bucket it creates has no Object Lock."""
    facts = dict(bucket_facts(account_facts, bucket) or {"name": bucket})
    if facts.get("exists") is False:
        facts.update(exists=True, object_lock=False)
    return dict(facts, versioning="Enabled")


def _source_bucket_problems(pair, read):
    source = bucket_facts(_facts(pair, read, "source"), pair["source"]["bucket"]) or {}
    if source.get("exists") is False:
        return [
            f"{pair['display']}replication_source.bucket: bucket {pair['source']['bucket']} does not exist in account "
            f"{pair['source']['account_id']}: replication starts from an existing bucket; fix replication_source.bucket (or the account)"
        ]
    return []


def backfill_problems(pair, read, _sides=None):
    """Batch Replication needs the variables of the job, an existing source bucket and the role replicate.yml made."""
    if not pair["batch_replication"]:
        return [
            f"{pair['display']}replication_backfill is required by playbooks/backfill.yml: give at least replication_backfill.report_bucket (docs/backfill.md)"
        ]
    problems = _source_bucket_problems(pair, read)
    role = (_facts(pair, read, "source").get("roles") or {}).get(pair["role_name"]) or {}
    if role.get("exists") is False:
        problems.append(
            f"{pair['display']}the replication role {pair['role_name']} does not exist in account {pair['source']['account_id']}: "
            "run playbooks/replicate.yml with the same variables first"
        )
    return problems


def no_fact_problems(_pair, _read, _sides=None):
    return []


def _key_problems(pair, side, key):
    label = f"{pair['display']}{pair['labels'][side]}.kms_key_arn {pair[side]['kms_key_arn']}"
    if key is None or key.get("exists") is False:
        return [
            f"{label}: no such key in account {pair[side]['account_id']}; replication needs an enabled, customer-managed, symmetric "
            "(SYMMETRIC_DEFAULT) key: give the full ARN of such a key in that account and region"
        ]
    if key.get("exists") is not True:
        errors = "; ".join((key.get("errors") or {}).values())
        return [f"{label}: the key could not be read ({errors}); give the credentials kms:DescribeKey on it"]
    metadata = key.get("metadata") or {}
    reasons = kms_keys.key_refusal_reasons(metadata)
    if reasons:
        spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
        return [
            f"{label}: the key is {metadata.get('KeyState')}, {metadata.get('KeyManager')}-managed, {spec}; replication needs an enabled, "
            "customer-managed, symmetric (SYMMETRIC_DEFAULT) key: " + "; ".join(reasons)
        ]
    return []


def _with_facts(pair, read):
    """The pair with its documents derived from what the accounts hold: the Bucket Key setting of the bucket this run does not
    manage (the source; a reverse pair's destination, which is the forward source) decides its KMS context."""
    if pair["direction"] == two_way.REVERSE:
        pair = dict(pair, destination=dict(pair["destination"], bucket_key_enabled=_bucket_keys_as_read(pair, read, "destination")))
    else:
        pair = dict(pair, source_bucket_key_enabled=_bucket_keys_as_read(pair, read, "source"))
    pair["documents"] = policy_model.replication_policies(model_spec(pair, pair["source_bucket_key_enabled"]))
    return pair


def _bucket_keys_as_read(pair, read, side):
    encryption = (bucket_facts(_facts(pair, read, side), pair[side]["bucket"]) or {}).get("encryption") or {}
    bucket_keys = bool(encryption.get("bucket_key_enabled")) if encryption.get("algorithm") == "aws:kms" else None
    if encryption and encryption.get("algorithm") != "aws:kms":
        bucket_keys = False
    return bucket_keys


def _write(account, phase, module, args, pairs, pending=False, group=None):
    """One write. Writes of one ``group`` (one bucket) run in order; the others of a phase run in parallel."""
    return {
        "account": account,
        "phase": phase,
        "module": module,
        "args": args,
        "pending": pending,
        "group": group,
        "pairs": sorted({pair["name"] for pair in pairs}),
    }


def _grouped(pairs, key):
    groups = {}
    for pair in pairs:
        groups.setdefault(key(pair), []).append(pair)
    return groups


def _writes(pairs, read):
    """Every write the pairs need, each document once with all its pairs' entries, kept when the module would change something."""
    created = {
        pair["destination"]["bucket"]
        for pair in pairs
        if (bucket_facts(_facts(pair, read, "destination"), pair["destination"]["bucket"]) or {}).get("exists") is False
    }
    planned = _source_bucket_writes(pairs) + _role_writes(pairs) + _destination_bucket_writes(pairs)
    planned += _bucket_policy_writes(pairs, created) + _key_access_writes(pairs)
    planned += _rule_writes(pairs, created) + _source_key_writes(pairs, read) + _alert_writes(pairs)
    planned = two_way.one_write_per_key_policy(planned)
    return [write for write in planned if write["account"] in read and needed(WRITERS[write["module"]], write["args"], read[write["account"]])]


def _source_bucket_writes(pairs):
    """Versioning of the source buckets; a bucket that is also a (forward) destination of the run gets it with its settings."""
    destinations = {pair["destination"]["bucket"] for pair in _forward(pairs)}
    return [
        _write(members[0]["source"]["account"], "roles", "s3_replication_bucket", {"name": bucket, "versioning": True}, members)
        for bucket, members in _grouped(pairs, lambda p: p["source"]["bucket"]).items()
        if bucket not in destinations
    ]


def _forward(pairs):
    """The pairs whose destination settings this run manages (a reverse pair's destination is the forward source bucket)."""
    return [pair for pair in pairs if pair["direction"] == two_way.FORWARD]


def _role_writes(pairs):
    writes = []
    for (_account, name), members in _grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).items():
        trust, policies = _role_documents(members, _replication_policies)
        args = {"name": name, "path": members[0]["role_path"], "description": ROLE_DESCRIPTION, "trust_policy": trust, "inline_policies": policies}
        writes.append(_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members))
    return writes


def _role_documents(members, policies_of):
    """The role's trust policy (every pair's, merged) and the inline policies ``policies_of(documents)`` of every pair, each name once."""
    trust, policies = None, []
    for pair in members:
        trust = _union_trust(trust, pair["documents"]["trust_policy"])
        policies += policies_of(pair["documents"])
    return trust, _unique_by_name(policies)


def _replication_policies(documents):
    """The replication policy, and the Batch Replication policy when the pair backfills."""
    policies = [{"name": documents["role_policy_name"], "policy": documents["role_policy"]}]
    return policies + _batch_policies(documents) if documents.get("batch_role_policy_name") else policies


def _batch_policies(documents):
    return [{"name": documents["batch_role_policy_name"], "policy": documents["batch_role_policy"]}]


def _union_trust(current, more):
    if current is None:
        return copy.deepcopy(more)
    statements = list(current["Statement"])
    for statement in more["Statement"]:
        if not any(policy_documents.statements_equal(statement, existing) for existing in statements):
            statements.append(copy.deepcopy(statement))
    return dict(current, Statement=statements)


def _unique_by_name(policies):
    found = {}
    for policy in policies:
        found.setdefault(policy["name"], policy)
    return list(found.values())


def _destination_bucket_writes(pairs):
    writes = []
    for bucket, members in _grouped(_forward(pairs), lambda p: p["destination"]["bucket"]).items():
        destination = members[0]["destination"]
        args = {
            "name": bucket,
            "create": destination["create_bucket"],
            "versioning": True,
            "encryption": {"kms_key_arn": destination["kms_key_arn"], "bucket_key_enabled": destination["bucket_key_enabled"]},
            "object_ownership": destination["object_ownership"],
        }
        writes.append(_write(destination["account"], "destinations", "s3_replication_bucket", args, members, group=f"bucket:{bucket}"))
    return writes


def _bucket_policy_writes(pairs, created):
    writes = []
    for bucket, members in _grouped(pairs, lambda p: p["destination"]["bucket"]).items():
        args = {"bucket": bucket, "statements": _bucket_statements(members)}
        writes.append(_write(members[0]["destination"]["account"], "destinations", "s3_bucket_policy_statement", args, members,
                             pending=bucket in created, group=f"bucket:{bucket}"))
    return writes


def _bucket_statements(members):
    """The destination bucket-policy statements of every pair, each Sid once."""
    return _unique_by_sid([statement for pair in members for statement in pair["documents"]["destination_bucket_statements"]])


def _unique_by_sid(statements):
    found = {}
    for statement in statements:
        found.setdefault(statement["Sid"], statement)
    return list(found.values())


def key_statement_entry(statement, state="present"):
    """A kms_key_access ``statements`` item for a policy model statement (absent: only the Sid)."""
    if state == "absent":
        return {"sid": statement["Sid"], "state": "absent"}
    entry = {"sid": statement["Sid"], "principals": _as_list(statement["Principal"]["AWS"]), "operations": _as_list(statement["Action"])}
    if statement.get("Condition"):
        entry["conditions"] = statement["Condition"]
    return entry


def grant_entry(grant, state="present"):
    """A kms_key_access ``grants`` item for the policy model's grant (absent: only the name)."""
    if state == "absent":
        return {"name": grant["name"], "state": "absent"}
    entry = {"name": grant["name"], "principals": [grant["grantee_principal"]], "operations": list(grant["operations"])}
    for option, constraint in (("encryption_context_equals", "EncryptionContextEquals"), ("encryption_context_subset", "EncryptionContextSubset")):
        if (grant.get("constraints") or {}).get(constraint):
            entry[option] = grant["constraints"][constraint]
    return entry


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _key_access_writes(pairs):
    writes = []
    for key_arn, members in _grouped(pairs, lambda p: p["destination"]["kms_key_arn"]).items():
        statements, grants = [], []
        for pair in members:
            by_policy = pair["destination"]["key_access"] == "policy"
            statements.append(key_statement_entry(pair["documents"]["destination_key_statement"], "present" if by_policy else "absent"))
            grants.append(grant_entry(pair["documents"]["destination_key_grant"], "absent" if by_policy else "present"))
        account = members[0]["destination"]["account"]
        writes.append(_key_policy_write(account, "destinations", key_arn, statements, members))
        writes.append(_key_grants_write(account, "destinations", key_arn, grants, members))
    return writes


def _key_policy_write(account, phase, key_arn, statements, members):
    """The kms_key_access write of a key's policy statements (each Sid once)."""
    return _write(account, phase, "kms_key_access", {"key_id": key_arn, "mode": "policy", "statements": _unique_entries(statements, "sid")}, members)


def _key_grants_write(account, phase, key_arn, grants, members):
    """The kms_key_access write of a key's named grants (each name once)."""
    return _write(account, phase, "kms_key_access", {"key_id": key_arn, "mode": "grant", "grants": _unique_entries(grants, "name")}, members)


def _unique_entries(entries, identity):
    found = {}
    for entry in entries:
        found.setdefault(entry[identity], entry)
    return list(found.values())


def _rule_writes(pairs, created):
    """All rules of one bucket in one write (pending in check mode when the run creates the bucket: a reverse pair's source)."""
    writes = []
    for bucket, members in _grouped(pairs, lambda p: p["source"]["bucket"]).items():
        rules = [options for pair in members for options in rule_module_options(pair, pair["rules"])]
        args = {
            "bucket": bucket,
            "role_arn": members[0]["documents"]["role_arn"],
            "replace_role": any(pair["replace_role"] for pair in members),
            "rules": rules,
        }
        writes.append(_write(members[0]["source"]["account"], "rules", "s3_replication_rule", args, members, pending=bucket in created))
    return writes


def _alerted(pairs):
    return [pair for pair in pairs if pair.get("alerts")]


def _alert_writes(pairs):
    """replication_alerts: the topic with each source bucket's statements (roles, so that it exists and lets S3 publish before S3 tests it),
    then each source bucket's notification entry and each rule's alarms (rules)."""
    writes = []
    for topic_arn, members in _grouped(_alerted(pairs), lambda p: p["alerts"]["topic_arn"]).items():
        statements, subscriptions = _topic_inputs(topic_arn, members)
        args = {"topic_arn": topic_arn, "create": any(pair["alerts"]["create"] for pair in members), "statements": statements, "subscriptions": subscriptions}
        writes.append(_write(members[0]["source"]["account"], "roles", "s3_replication_alert_topic", args, members))
    for bucket, members in _grouped(_alerted(pairs), lambda p: p["source"]["bucket"]).items():
        rules = [options for pair in members for options in rule_module_options(pair, pair["rules"]) if options.get("state") != "absent"]
        entry = replication_alerts.notification_entry(members[0]["alerts"]["topic_arn"], rules)
        writes.append(_write(members[0]["source"]["account"], "rules", "s3_bucket_notification_entry", {"bucket": bucket, "entries": [entry]}, members))
    for account, members in _grouped(_alerted(pairs), lambda p: p["source"]["account"]).items():
        alarms = [alarm for pair in members for rule in pair["rules"] for alarm in _rule_alarms(pair, rule)]
        writes.append(_write(account, "rules", "s3_replication_alarm", {"alarms": alarms}, members))
    return writes


def _topic_inputs(topic_arn, members):
    """``(statements, subscriptions)`` of a topic shared by ``members``: each source bucket's publish statements, each subscription once."""
    source = members[0]["source"]
    statements = [statement for bucket in dict.fromkeys(pair["source"]["bucket"] for pair in members)
                  for statement in replication_alerts.topic_statements(topic_arn, bucket, source["account_id"], source["region"], members[0]["partition"])]
    subscriptions = list({(item["protocol"], item["endpoint"]): item for pair in members for item in pair["alerts"]["subscriptions"]}.values())
    return statements, subscriptions


def _rule_alarms(pair, rule):
    if rule["state"] == "absent":
        return replication_alerts.absent_alarms(pair["source"]["bucket"], rule["id"])
    return replication_alerts.rule_alarms(pair["source"]["bucket"], pair["destination"]["bucket"], rule["id"], pair["alerts"]["topic_arn"],
                                          pair["alerts"]["alarm_latency_seconds"])


def _alert_removals(pairs, read):
    """Teardown of replication_alerts: our notification entry and alarms (rules), our topic statements and subscriptions, the topic
    itself when we created it and nothing else uses it (roles, last)."""
    writes = []
    for bucket, members in _grouped(_alerted(pairs), lambda p: p["source"]["bucket"]).items():
        if (bucket_facts(_facts(members[0], read, "source"), bucket) or {}).get("exists"):
            entries = [{"id": replication_alerts.NOTIFICATION_ID, "state": "absent"}]
            writes.append(_write(members[0]["source"]["account"], "rules", "s3_bucket_notification_entry", {"bucket": bucket, "entries": entries}, members))
    for account, members in _grouped(_alerted(pairs), lambda p: p["source"]["account"]).items():
        alarms = [alarm for pair in members for rule in pair["rules"] for alarm in replication_alerts.absent_alarms(pair["source"]["bucket"], rule["id"])]
        writes.append(_write(account, "rules", "s3_replication_alarm", {"alarms": _unique_entries(alarms, "name")}, members))
    for topic_arn, members in _grouped(_alerted(pairs), lambda p: p["alerts"]["topic_arn"]).items():
        statements, subscriptions = _topic_inputs(topic_arn, members)
        args = {"topic_arn": topic_arn, "state": "absent", "statements": [{"Sid": statement["Sid"]} for statement in statements],
                "subscriptions": subscriptions, "delete_when_unused": any(pair["alerts"]["create"] for pair in members)}
        writes.append(_write(members[0]["source"]["account"], "roles", "s3_replication_alert_topic", args, members))
    return writes


def alert_problems(pair, read, sides=("source", "destination")):
    """What keeps replication_alerts from being wired, found in the facts before any write: a missing topic, a topic key S3 may not use,
    another entry of the bucket that S3 would find overlapping ours."""
    if not pair.get("alerts") or "source" not in sides:
        return []
    facts, alerts, label = _facts(pair, read, "source"), pair["alerts"], f"{pair['display']}replication_alerts"
    topic = (facts.get("topics") or {}).get(alerts["topic_arn"]) or {}
    problems = []
    if topic.get("errors"):
        problems.append(f"{label}: could not read topic {alerts['topic_arn']} ({'; '.join(topic['errors'].values())}): give the credentials "
                        "sns:GetTopicAttributes, sns:ListSubscriptionsByTopic and sns:ListTagsForResource on it")
    elif topic.get("exists") is False and not alerts["create"]:
        problems.append(f"{label}.topic_arn: topic {alerts['topic_arn']} does not exist in account {pair['source']['account_id']}: create it, "
                        "or give create_topic instead")
    elif topic.get("exists"):
        problems += replication_alerts.topic_key_problems(topic, key_facts(facts, topic.get("kms_master_key_id") or ""), f"{label}.topic_arn")[0]
    bucket = bucket_facts(facts, pair["source"]["bucket"]) or {}
    if bucket.get("notification") is not None:
        rules = [options for options in rule_module_options(pair, pair["rules"]) if options.get("state") != "absent"]
        problems += replication_alerts.notification_problems(bucket["notification"], alerts["topic_arn"], rules,
                                                             f"{label} (bucket {pair['source']['bucket']}'s notification configuration)")
    return problems


def replicate_problems(pair, read, sides=("source", "destination")):
    return pair_problems(pair, read, sides) or alert_problems(pair, read, sides)


def _source_key_writes(pairs, read):
    """The source-key statement of the pairs whose source key policy, without it, would not let the role decrypt."""
    writes = []
    for key_arn, members in _grouped(pairs, lambda p: p["source"]["kms_key_arn"]).items():
        statements = [key_statement_entry(pair["documents"]["source_key_statement"]) for pair in members if source_key_statement_needed(pair, read)]
        if statements:
            writes.append(_key_policy_write(members[0]["source"]["account"], "rules", key_arn, statements, members))
    return writes


def source_key_statement_needed(pair, read):
    """Whether the source key policy, without this collection's statement, would refuse the role kms:Decrypt (the doctor's verdict)."""
    source = copy.deepcopy(_facts(pair, read, "source"))
    key = key_facts(source, pair["source"]["kms_key_arn"])
    sid = pair["documents"]["source_key_statement"]["Sid"]
    if key is None or not key.get("policy"):
        return True
    key["policy"] = policy_documents.remove_statements(key["policy"], [sid])
    verdicts = doctor.diagnose({"source": source, "destination": _facts(pair, read, "destination")}, model_spec(pair, pair.get("source_bucket_key_enabled")))
    verdict = next((f for f in verdicts["findings"] if f["id"] == "source-key.key-policy"), None)
    return verdict is None or verdict["status"] != doctor.OK


def _teardown_writes(pairs, read):
    """The removals: our rules, bucket-policy statements, key statements and grants, inline policies, and the role when nothing else uses it."""
    writes = []
    for bucket, members in _grouped(pairs, lambda p: p["source"]["bucket"]).items():
        if (bucket_facts(_facts(members[0], read, "source"), bucket) or {}).get("exists"):
            rules = [{"id": rule["id"], "state": "absent"} for pair in members for rule in pair["rules"]]
            writes.append(
                _write(members[0]["source"]["account"], "rules", "s3_replication_rule", {"bucket": bucket, "rules": _unique_entries(rules, "id")}, members)
            )
    for bucket, members in _grouped(pairs, lambda p: p["destination"]["bucket"]).items():
        if (bucket_facts(_facts(members[0], read, "destination"), bucket) or {}).get("exists"):
            args = {"bucket": bucket, "statements": [{"Sid": s["Sid"]} for s in _bucket_statements(members)], "state": "absent"}
            writes.append(_write(members[0]["destination"]["account"], "destinations", "s3_bucket_policy_statement", args, members))
    for side, phase, documents in (("destination", "destinations", ("destination_key_statement",)), ("source", "roles", ("source_key_statement",))):
        for key_arn, members in _grouped(pairs, lambda p, side=side: p[side]["kms_key_arn"]).items():
            if (key_facts(_facts(members[0], read, side), key_arn) or {}).get("exists"):
                entries = [key_statement_entry(pair["documents"][document], "absent") for pair in members for document in documents]
                writes.append(_key_policy_write(members[0][side]["account"], phase, key_arn, entries, members))
                if side == "destination":
                    grants = [grant_entry(pair["documents"]["destination_key_grant"], "absent") for pair in members]
                    writes.append(_key_grants_write(members[0][side]["account"], phase, key_arn, grants, members))
    writes += [_role_removal(members, read) for members in _grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).values()]
    writes += _alert_removals(pairs, read)
    writes = two_way.one_write_per_key_policy(writes)
    return [write for write in writes if needed(WRITERS[write["module"]], write["args"], read[write["account"]])]


def _role_removal(members, read):
    """The role write of a teardown: our inline policies removed; the role deleted unless rules left after ours still use it."""
    names = [pair["documents"]["role_policy_name"] for pair in members]
    names += [policy_model.batch_role_policy_name(pair["documents"]["role_arn"], pair["source"]["bucket"]) for pair in members]
    args = {"name": members[0]["role_name"], "state": "absent", "inline_policies": [{"name": name, "state": "absent"} for name in dict.fromkeys(names)]}
    users = _remaining_users(members, read)
    if users:
        args["kept_because"] = users
    return _write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members)


def _remaining_users(members, read):
    """The rules, other than ours, of the pairs' source buckets that still replicate with the role."""
    role_arn = members[0]["documents"]["role_arn"]
    ours = {rule["id"] for pair in members for rule in pair["rules"]}
    users = []
    for bucket, pairs in _grouped(members, lambda p: p["source"]["bucket"]).items():
        configuration = (bucket_facts(_facts(pairs[0], read, "source"), bucket) or {}).get("replication") or {}
        left = [rule.get("ID") for rule in configuration.get("Rules") or [] if rule.get("ID") not in ours]
        if left and configuration.get("Role") == role_arn:
            users.append(f"rules {', '.join(left)} of {bucket} still replicate with it")
    return users


def _backfill_writes(pairs, read):
    """The role's trust in S3 Batch Operations and its Batch Replication inline policy."""
    writes = []
    for (_account, name), members in _grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).items():
        trust, policies = _role_documents(members, _batch_policies)
        args = {"name": name, "path": members[0]["role_path"], "trust_policy": trust, "inline_policies": policies}
        writes.append(_write(members[0]["source"]["account"], "roles", "s3_replication_role", args, members))
    return [write for write in writes if needed(WRITERS[write["module"]], write["args"], read[write["account"]])]


def _jobs(pairs, stage):
    """Per worker host, one s3_batch_replication_job per source bucket: [{account, label, args}]."""
    owner = account_owners(stage)
    jobs = {}
    for bucket, members in _grouped(pairs, lambda p: p["source"]["bucket"]).items():
        pair = members[0]
        backfill = pair["playbook_options"]["replication_backfill"]
        args = {"bucket": bucket, "account_id": pair["source"]["account_id"], "role_arn": pair["documents"]["role_arn"], "partition": pair["partition"]}
        args.update({key: value for key, value in backfill.items() if value is not None and key not in BACKFILL_PLAN_OPTIONS})
        args.update({key: value for key, value in (pair["batch_replication"] or {}).items() if value is not None})
        jobs.setdefault(owner[pair["source"]["account"]], []).append({"account": pair["source"]["account"], "label": bucket, "args": args})
    return jobs


# Options of replication_backfill that decide the plan, not the job (the reverse job's report bucket is its batch_replication's).
BACKFILL_PLAN_OPTIONS = ("direction", "reverse_report_bucket")


def _canaries(pairs):
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


def no_writes(_pairs, _read):
    return []


def notes(playbook, pairs, read):
    """What the run says besides its writes (teardown: why a role stays)."""
    if playbook != "teardown":
        return []
    found = []
    for members in _grouped(pairs, lambda p: (p["source"]["account"], p["role_name"])).values():
        write = _role_removal(members, read)
        writer = WRITERS["s3_replication_role"]
        state = writer.state_from_facts(read[write["account"]], write["args"])
        if state is not UNKNOWN and state.get("exists"):
            found += writer.plan(validated(writer, write["args"]), state)["warnings"]
    return found


def predicted_facts(writes, read):
    """The facts as the writes leave them: each write applied with its writer's own plan (no read)."""
    predicted = copy.deepcopy(read)
    for write in writes:
        writer = WRITERS[write["module"]]
        params = validated(writer, write["args"])
        facts = predicted[write["account"]]
        state = writer.state_from_facts(facts, params)
        if state is not UNKNOWN:
            APPLIED[write["module"]](facts, params, writer.plan(params, state))
    return predicted


def _bucket_applied(facts, params, planned):
    facts["buckets"][params["name"]].update(planned["after"], exists=True)


def _bucket_policy_applied(facts, params, planned):
    facts["buckets"][params["bucket"]]["policy"] = planned["after"]


def _key_applied(facts, params, planned):
    key = key_facts(facts, params["key_id"]) or {}
    if params["mode"] == "policy":
        key["policy"] = planned["after"]
    else:
        key["grants"] = [dict(grant, GrantId=grant.get("GrantId") or f"planned-{grant['Name']}") for grant in planned["after"]["grants"]]


def _role_applied(facts, params, planned):
    role = facts["roles"][params["name"]]
    if params["state"] == "absent":
        if planned["changes"]["delete"]:
            role.update(exists=False, inline_policies={}, trust_policy=None)
        elif planned["after"]:
            role["inline_policies"] = planned["after"]["inline_policies"]
        return
    after = planned["after"]
    role.update(
        exists=True,
        arn=planned["result"]["role"]["arn"],
        path=after["path"],
        description=after["description"],
        trust_policy=after["trust_policy"],
        inline_policies=after["inline_policies"],
    )


def _rules_applied(facts, params, planned):
    facts["buckets"][params["bucket"]]["replication"] = planned["after"]


def _notification_applied(facts, params, planned):
    facts["buckets"][params["bucket"]]["notification"] = planned["after"]


def _topic_applied(facts, params, planned):
    topic = facts.setdefault("topics", {}).setdefault(params["topic_arn"], {"arn": params["topic_arn"], "kms_master_key_id": None, "errors": {}})
    if planned["after"] is None:
        topic.update(exists=False, policy=None, subscriptions=[])
        return
    subscriptions = [dict(zip(("protocol", "endpoint"), text.split(":", 1)), arn="PendingConfirmation") for text in planned["after"]["subscriptions"]]
    topic.update(exists=True, policy=planned["after"]["policy"], subscriptions=subscriptions, tags=topic.get("tags") or dict(replication_alerts.MANAGED_TAG))


def _alarms_applied(facts, _params, planned):
    alarms = facts.setdefault("alarms", {})
    for request in planned["put"]:
        alarms[request["AlarmName"]] = {"name": request["AlarmName"], "exists": True, "alarm": request, "errors": {}}
    for name in planned["delete"]:
        alarms[name] = {"name": name, "exists": False, "alarm": None, "errors": {}}


APPLIED = {
    "s3_replication_bucket": _bucket_applied,
    "s3_bucket_policy_statement": _bucket_policy_applied,
    "kms_key_access": _key_applied,
    "s3_replication_role": _role_applied,
    "s3_replication_rule": _rules_applied,
    "s3_bucket_notification_entry": _notification_applied,
    "s3_replication_alert_topic": _topic_applied,
    "s3_replication_alarm": _alarms_applied,
}
OUR_SIDS = re.compile(r"^(" + "|".join(policy_model.SID_PREFIXES.values()) + r")[0-9a-f]{10}$")
NAMED_SID = re.compile(r"Sid (\w+)")
# Findings about what replicate.yml does not manage, or reads it does not make: not part of its verdict. A reverse pair's
# destination is the forward source bucket, whose default encryption the run does not manage either.
VERDICT_IGNORES = {two_way.FORWARD: ("existing-objects", "source-encryption"), two_way.REVERSE: ("existing-objects", "destination-encryption")}


def verdicts(pairs, predicted):
    """Per host, what the doctor's evaluator says of each pair in the state the run leaves: ``{fail: [...], warn: [...]}``."""
    found = {}
    for pair in pairs:
        facts = {side: _facts(pair, predicted, side) for side in ("source", "destination")}
        diagnosis = doctor.diagnose(facts, model_spec(pair, pair.get("source_bucket_key_enabled")), [r["id"] for r in pair["rules"] if r["state"] != "absent"])
        diagnosis = two_way.labelled(diagnosis, pair["direction"]) if pair["two_way"] else diagnosis
        verdict = found.setdefault(pair["host"], {"fail": [], "warn": []})
        for item in diagnosis["findings"]:
            if item["status"] in doctor.PROBLEMS and item["id"] not in VERDICT_IGNORES[pair["direction"]]:
                verdict[item["status"]].append(pair["display"] + verdict_line(item))
    return {host: verdict for host, verdict in found.items() if verdict["fail"] or verdict["warn"]}


def verdict_line(item):
    """A doctor finding as the run's verdict says it: status, id, account and resource, the message, who owns the cause, the fix."""
    owners = [sid for sid in NAMED_SID.findall(item["message"]) if not OUR_SIDS.match(sid)]
    owner = f" Sid {', '.join(owners)} is not this collection's: the owner of that statement must change it." if owners else ""
    return f"{item['status'].upper()} {item['id']} (account {item['account']}, {item['resource']}): {item['message']}.{owner}" + (
        f" Fix: {item['fix']}" if item.get("fix") else ""
    )


FACT_CHECKS = {"replicate": replicate_problems, "teardown": teardown_problems, "doctor": no_fact_problems, "verify": no_fact_problems,
               "backfill": backfill_problems, "status": no_fact_problems}
WRITE_PLANS = {"replicate": _writes, "teardown": _teardown_writes, "backfill": _backfill_writes, "doctor": no_writes, "verify": no_writes,
               "status": no_writes}


def _by_account(writes):
    """Per account key, per phase, the writes (for a role used alone, which has no worker hosts)."""
    found = {}
    for write in writes:
        found.setdefault(write["account"], {}).setdefault(write["phase"], []).append(
            {key: write[key] for key in ("module", "args", "pending", "group") if write[key] is not None}
        )
    return found


def _by_worker(writes, stage):
    """Per phase, per worker host, the accounts with writes: [{account, account_id, region, label, writes}]."""
    owner = account_owners(stage)
    phases = {phase: {} for phase in PHASES + ("jobs",)}
    for write in writes:
        account = stage["accounts"][write["account"]]
        items = phases[write["phase"]].setdefault(owner[write["account"]], [])
        entry = next((item for item in items if item["account"] == write["account"]), None)
        if entry is None:
            entry = {
                "account": write["account"],
                "account_id": account["account_id"],
                "region": account["region"],
                "label": account["label"],
                "settle_seconds": 0.0 if stage.get("lock") else SETTLE_SECONDS,
                "writes": [],
            }
            items.append(entry)
        entry["writes"].append({key: write[key] for key in ("module", "args", "pending", "group") if write[key] is not None})
    return phases
