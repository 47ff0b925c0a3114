# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/replicate.yml through tests/harness/fault_proxy.py: throttling, 5xx, resets, slow
answers and faults after the request took effect, with botocore's retries off (AWS_MAX_ATTEMPTS=1).
The run converges, the rerun changes nothing, and the end state equals a fault-free run's."""

import collections
import json

import pytest

import estate
from conftest import CONTROLLER_SECRET
from conftest import recap
from conftest import wipe
from conftest import run_playbook

OURS = "s3_crossaccount.replication"
AWX = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": CONTROLLER_SECRET}


@pytest.fixture(scope="module")
def reference(harness, proxy, tmp_path_factory):
    """The end state of a fault-free run on the same estate."""
    wipe(harness, proxy)
    vars_path, variables = estate.seed(tmp_path_factory.mktemp("reference"), credentials="role_arn")
    run = run_playbook(proxy, vars_path, env=AWX)
    assert run.returncode == 0, run.stdout[-4000:]
    return estate.with_placeholders(estate.snapshot(), variables)


def describe(proxy):
    injected = collections.Counter(f"{entry['fault']}:{entry['service']}" for entry in proxy.injected())
    return f"{len(proxy.requests)} requests, {len(proxy.injected())} faults injected: {dict(sorted(injected.items()))}"


@pytest.mark.parametrize("seed", [11])
def test_converges_at_twenty_percent_faults(reference, clean, proxy, tmp_path, seed):
    vars_path, variables = estate.seed(tmp_path, credentials="role_arn")
    proxy.user_agent = OURS
    proxy.reset_counters(rate=0.2)
    proxy._random.seed(seed)  # pylint: disable=protected-access
    first = run_playbook(proxy, vars_path, env=AWX)
    print("first run:", describe(proxy))
    assert first.returncode == 0, describe(proxy) + "\n" + first.stdout[-6000:]
    assert len(proxy.injected()) >= 3, "the proxy injected too little to prove anything"

    proxy.reset_counters(rate=0.2)
    second = run_playbook(proxy, vars_path, env=AWX)
    print("second run:", describe(proxy))
    assert second.returncode == 0, second.stdout[-6000:]
    assert recap(second.stdout)["changed"] == 0, second.stdout[-6000:]

    state = estate.snapshot()
    assert estate.foreign_intact(state) == []
    assert estate.with_placeholders(state, variables) == reference


def test_every_write_faulted_after_it_took_effect(clean, proxy, tmp_path):
    """Each write of the collection's modules reaches moto, then the client sees a 5xx or a reset;
    the retry (CreateBucket, PutBucketPolicy, PutKeyPolicy, CreateGrant, PutBucketReplication ...)
    must still converge, without a duplicate grant."""
    replicate_with_grant = {"key_access": "grant"}
    vars_path, variables = estate.seed(tmp_path, foreign=False, credentials="role_arn")  # the run creates the bucket
    variables["replication_destination"].update(replicate_with_grant)
    estate.write_vars(vars_path, variables)
    proxy.user_agent = OURS
    proxy.kinds = ("after",)
    proxy.max_consecutive = 1
    proxy.reset_counters(rate=1.0)
    try:
        first = run_playbook(proxy, vars_path, env=AWX)
    finally:
        proxy.max_consecutive = 2
    faulted = sorted({entry["operation"] for entry in proxy.injected() if entry["write"]})
    print("writes faulted after taking effect:", faulted)
    assert first.returncode == 0, describe(proxy) + "\n" + first.stdout[-6000:]
    assert {"PUT", "PUT policy", "PUT replication", "CreateGrant"} <= set(faulted), faulted

    proxy.reset_counters(rate=0.0)
    second = run_playbook(proxy, vars_path, env=AWX)
    summary = "\n".join(line for line in second.stdout.splitlines() if line.startswith(("changed", "fatal", "TASK", "localhost")))
    assert second.returncode == 0 and recap(second.stdout)["changed"] == 0, summary
    state = estate.snapshot()
    key = state["destination"]["keys"][variables["replication_destination"]["kms_key_arn"]]
    names = [json.loads(grant)["Name"] for grant in key["grants"]]
    assert len(names) == len(set(names)), f"duplicate grants after retried CreateGrant: {names}"
