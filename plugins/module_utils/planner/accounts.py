# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The accounts of a run: one per account id and region, with its credentials and what to read in it; the worker host
that does each account's work; the run lock.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts


WORKER_GROUP = "replication_accounts"


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


def pair_accounts(pairs, refused, book):
    """Every account (id and region) the pairs act in, with its credentials and what to read in it."""
    accounts = {}
    for pair in pairs:
        if pair["host"] in refused:
            continue
        for side in book.reads:
            key = pair[side]["account"]
            credentials = pair["credentials"][side]
            account = accounts.setdefault(key, new_account(pair, side, credentials))
            if account["credentials"] != credentials:
                refused.setdefault(pair["host"], []).append(
                    f"{pair['display']}{pair['labels'][side]} acts in account {pair[side]['account_id']} ({pair[side]['region']}) with "
                    f"{credentials_text(credentials)}, but {account['label']} of pair {account['first_pair']} acts in it with "
                    f"{credentials_text(account['credentials'])}: give one way of acting in an account per run"
                )
                continue
            _add_reads(account, pair, side, book)
    return accounts


def new_account(pair, side, credentials):
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


def _add_reads(account, pair, side, book):
    read = account["read"]
    attributes = book.reads[side]
    read["include_bucket_keys"] = book.reads_bucket_keys
    extend_unique(read["buckets"], [pair[side]["bucket"]])
    extend_unique(read["kms_keys"], [pair[side]["kms_key_arn"]])
    extend_unique(read["bucket_attributes"], attributes)
    if side == "source":
        extend_unique(read["roles"], [pair["role_name"]])
    if side == "source" and pair.get("alerts") and book.reads_alerts:
        _add_alert_reads(read, pair)


def _add_alert_reads(read, pair):
    """The bucket's notification configuration, the topic (and its key), the rules' alarms and the dashboard: read only with replication_alerts."""
    extend_unique(read["bucket_attributes"], ["notification"])
    extend_unique(read.setdefault("sns_topics", []), [pair["alerts"]["topic_arn"]])
    names = [name for rule in pair["rules"] for name in replication_alerts.alarm_names(pair["source"]["bucket"], rule["id"])]
    extend_unique(read.setdefault("alarm_names", []), names)
    if pair["alerts"]["dashboard"]:
        extend_unique(read.setdefault("dashboards", []), [pair["alerts"]["dashboard"]["name"]])


def extend_unique(values, more):
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


def assign_workers(accounts, pair_hosts, limited):
    """Which host does which account's work: a host added per account, or, under --limit, the pairs' own hosts in turn."""
    keys = sorted(accounts)
    if not limited or not pair_hosts:
        return {worker_name(key): {"accounts": [key], "added": True} for key in keys}
    workers = {}
    for index, key in enumerate(keys):
        workers.setdefault(pair_hosts[index % len(pair_hosts)], {"accounts": [], "added": False})["accounts"].append(key)
    return workers


def account_owners(stage):
    """``{account key: the worker host that does its work}``."""
    return {key: host for host, worker in stage["workers"].items() for key in worker["accounts"]}


def pair_workers(pair, stage):
    owner = account_owners(stage)
    return {side: owner.get(pair[side]["account"]) for side in ("source", "destination")}
