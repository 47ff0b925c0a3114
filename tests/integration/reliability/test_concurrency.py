# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simultaneous runs lose nothing of each other's: several replicate.yml (and teardown.yml) processes
started at once, each with its own source bucket and role, all into one destination bucket and key,
with every read answered late (the fault proxy's read_delay, as a real endpoint answers) so that the
read-merge-write windows overlap. After each round every pair's statements and rule, and the other
team's entries, must be there; a run that reports success must have left its entries in place.

CONCURRENCY_ROUNDS (default 3) sets the rounds of the stress test.
"""

import json
import os
import subprocess
import sys
import time

import estate
from conftest import BIN
from conftest import ROOT
from conftest import playbook_env
from conftest import wipe

sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared  # noqa: E402  pylint: disable=wrong-import-position

PAIRS = 4
READ_DELAY = 0.15
ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "3"))
LOCK_BUCKET = "stats-ops-locks"


def seed_pairs(workdir, lock=False):
    """Four pairs into the seed's destination (other teams' entries in place): {pair number: vars path}."""
    _path, base = estate.seed(workdir)
    source = estate.session("source")
    s3 = source.client("s3")
    paths = {}
    for number in range(1, PAIRS + 1):
        bucket = f"stats-data-src-{number}"
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        variables = json.loads(json.dumps(base))
        variables["replication_source"]["bucket"] = bucket
        variables["replication_role_name"] = f"replication-role-{number}"
        variables["replication_rules"] = [{"id": f"pair-{number}"}]
        if lock:
            variables["replication_lock"] = {"bucket": LOCK_BUCKET, "wait_seconds": 300}
        paths[number] = os.path.join(str(workdir), f"pair-{number}.yml")
        estate.write_vars(paths[number], variables)
    if lock:
        estate.session("destination").client("s3").create_bucket(Bucket=LOCK_BUCKET)
    return base, paths


def start(proxy, playbook, vars_path):
    command = [os.path.join(BIN, "ansible-playbook"), os.path.join(ROOT, "playbooks", playbook), "-e", f"@{vars_path}"]
    return subprocess.Popen(command, env=playbook_env(proxy), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(processes):
    """{name: (returncode, output)} once every process ended."""
    return {name: (process.wait(timeout=900), process.stdout.read()) for name, process in processes.items()}


def destination_documents(base):
    state = estate.account_snapshot("destination")
    bucket = state["buckets"][base["replication_destination"]["bucket"]]
    key = state["keys"][base["replication_destination"]["kms_key_arn"]]
    return {s["Sid"]: s for s in bucket["policy"]["Statement"]}, {s.get("Sid"): s for s in key["policy"]["Statement"]}


def _side(values):
    return {key: values[key] for key in ("account_id", "bucket", "kms_key_arn", "region")}


def model(base, number):
    """The policy model of pair ``number`` (its Sids name the statements it must find)."""
    spec = {"source": dict(_side(base["replication_source"]), bucket=f"stats-data-src-{number}"), "destination": _side(base["replication_destination"]),
            "role_name": f"replication-role-{number}"}
    return policy_model.replication_policies(spec)


def missing_entries(base, numbers):
    """What is missing of the pairs ``numbers`` and of the other teams, in the destination and the sources."""
    bucket_sids, key_sids = destination_documents(base)
    missing = []
    for number in numbers:
        role_arn = model(base, number)["role_arn"]
        # One statement per action set under a Sid of ours, every pair's role among its principals (policy/shared.py).
        for kind, found, prefixes in (("bucket-policy", bucket_sids, BUCKET_PREFIXES), ("key-policy", key_sids, KEY_PREFIXES)):
            missing += [f"pair {number}: {kind} {prefix} naming {role_arn}" for prefix in prefixes if not naming(found, prefix, role_arn)]
        rules = ((estate.account_snapshot("source")["buckets"][f"stats-data-src-{number}"].get("replication")) or {}).get("Rules", [])
        if f"pair-{number}" not in [rule["ID"] for rule in rules]:
            missing.append(f"pair {number}: rule pair-{number}")
    missing += [f"other team: {sid}" for sid in (estate.FOREIGN_BUCKET_STATEMENT["Sid"],) if sid not in bucket_sids]
    missing += [f"other team: {sid}" for sid in (estate.FOREIGN_KEY_STATEMENT["Sid"],) if sid not in key_sids]
    return missing


def present_entries(base, numbers):
    bucket_sids, key_sids = destination_documents(base)
    found = []
    for number in numbers:
        role_arn = model(base, number)["role_arn"]
        found += [f"{prefix} naming {role_arn}" for prefix in BUCKET_PREFIXES if naming(bucket_sids, prefix, role_arn)]
        found += [f"{prefix} naming {role_arn}" for prefix in KEY_PREFIXES if naming(key_sids, prefix, role_arn)]
    return found


BUCKET_PREFIXES = (policy_model.SID_PREFIXES["destination-objects"], policy_model.SID_PREFIXES["destination-bucket"])
KEY_PREFIXES = (policy_model.SID_PREFIXES["destination-key"],)


def naming(statements, prefix, role_arn):
    """Whether a statement of ours with the permission's Sid prefix names ``role_arn``."""
    return any(shared.sid_prefix(sid) == prefix and role_arn in policy_documents.aws_principals(statement) for sid, statement in statements.items())


def test_simultaneous_runs_into_one_destination_lose_nothing(harness, proxy, tmp_path):
    proxy.read_delay = READ_DELAY
    failures, timings = [], []
    try:
        for round_number in range(1, ROUNDS + 1):
            wipe(harness, proxy)
            proxy.read_delay = READ_DELAY
            base, paths = seed_pairs(tmp_path / f"round-{round_number}")
            started = time.monotonic()
            outcomes = finish({number: start(proxy, "replicate.yml", path) for number, path in paths.items()})
            timings.append(round(time.monotonic() - started, 1))
            failed = [f"round {round_number} pair {number}: rc {rc}\n{output[-3000:]}" for number, (rc, output) in outcomes.items() if rc != 0]
            lost = [f"round {round_number}: {entry}" for entry in missing_entries(base, paths)]
            failures += failed + lost
    finally:
        proxy.read_delay = 0.0
    print(f"{ROUNDS} rounds of {PAIRS} simultaneous runs, seconds per round: {timings}")
    assert failures == []


def test_teardown_and_replicate_overlapping_lose_nothing(harness, proxy, tmp_path):
    wipe(harness, proxy)
    base, paths = seed_pairs(tmp_path)
    first = finish({number: start(proxy, "replicate.yml", paths[number]) for number in (1, 2)})
    assert all(rc == 0 for rc, _output in first.values()), first
    proxy.read_delay = READ_DELAY
    try:
        outcomes = finish({**{f"teardown {n}": start(proxy, "teardown.yml", paths[n]) for n in (1, 2)},
                           **{f"replicate {n}": start(proxy, "replicate.yml", paths[n]) for n in (3, 4)}})
    finally:
        proxy.read_delay = 0.0
    assert all(rc == 0 for rc, _output in outcomes.values()), {name: output[-3000:] for name, (rc, output) in outcomes.items() if rc}
    assert missing_entries(base, (3, 4)) == []
    assert present_entries(base, (1, 2)) == [], "teardown left statements of its pairs"


def test_with_the_run_lock_runs_take_turns_and_lose_nothing(harness, proxy, tmp_path):
    wipe(harness, proxy)
    base, paths = seed_pairs(tmp_path, lock=True)
    proxy.read_delay = READ_DELAY
    try:
        outcomes = finish({number: start(proxy, "replicate.yml", path) for number, path in paths.items()})
    finally:
        proxy.read_delay = 0.0
    assert all(rc == 0 for rc, _output in outcomes.values()), "\n".join(output[-6000:] for rc, output in outcomes.values() if rc)
    assert missing_entries(base, paths) == []
    locks = estate.session("destination").client("s3").list_objects_v2(Bucket=LOCK_BUCKET).get("KeyCount", 0)
    assert locks == 0, "a run left its lock behind"
    rounds = [output.count("Take the run lock") for _rc, output in outcomes.values()]
    assert rounds == [1] * PAIRS
