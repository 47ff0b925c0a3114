# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An estate of tagged buckets replicated through the replication_pairs inventory, with no other file.

24 buckets tagged replicate-to=analytics (SSE-KMS, a customer managed key; every fifth names it by
alias; a replication role per team tag, by compose), and buckets that must not become pairs: untagged, tagged for finance, tagged but AES256,
tagged but the AWS managed key. Into one central bucket (fan-in), then, under --limit, two of them
each into its own replica ({source_bucket}-replica).
"""

import json

import boto3
import pytest

from conftest import ansible, failure, recap

import seed_estate

TAGGED = 24
WARNED = ("estate-aes", "estate-aws-managed")


@pytest.fixture(scope="module")
def estate(harness, tmp_path_factory):
    return seed_estate.seed(TAGGED, str(tmp_path_factory.mktemp("estate")), others=True)


def s3(profile):
    return boto3.Session(profile_name=profile, region_name="us-east-1").client("s3")


def replication(client, bucket):
    try:
        return client.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]
    except client.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError":
            return None
        raise


def destinations(client, bucket):
    configuration = replication(client, bucket)
    return [rule["Destination"]["Bucket"] for rule in configuration["Rules"]] if configuration else []


def plain(value):
    """ansible-inventory --list's JSON without its markers of values from AWS ({"__ansible_unsafe": text})."""
    if isinstance(value, dict):
        return value["__ansible_unsafe"] if set(value) == {"__ansible_unsafe"} else {key: plain(item) for key, item in value.items()}
    return [plain(item) for item in value] if isinstance(value, list) else value


def bucket_names(profile):
    return {bucket["Name"] for bucket in s3(profile).list_buckets()["Buckets"]}


def test_the_inventory_holds_the_tagged_customer_key_buckets_and_warns_about_the_others(estate):
    graph = ansible("inventory", "-i", estate["inventories"]["fan-in"], "--graph", "replication_pairs")
    assert graph.returncode == 0, graph.stderr
    hosts = sorted(line.strip(" |-") for line in graph.stdout.splitlines()[1:])
    assert hosts == estate["tagged"]
    flat = " ".join(graph.stderr.split())
    for bucket in WARNED:
        assert f"bucket {bucket} matches but is left out of replication_pairs" in flat
    for bucket in ("estate-untagged", "estate-finance"):
        assert bucket not in flat
    listed = json.loads(ansible("inventory", "-i", estate["inventories"]["per-bucket"], "--list").stdout)
    variables = plain(listed["_meta"]["hostvars"]["estate-006"])
    assert variables["replication_source"]["kms_key_arn"] == estate["source_key"], "the alias of the default encryption was not resolved to the key ARN"
    assert variables["replication_destination"]["bucket"] == "estate-006-replica"
    assert variables["replication_role_name"] == "estate-team-2", "compose did not give the team's role"


def test_fan_in_converges_for_every_pair_writes_nothing_for_the_others_and_a_rerun_writes_nothing(estate):
    inventory = estate["inventories"]["fan-in"]
    run = ansible("playbook", "-i", inventory, "playbooks/replicate.yml")
    assert run.returncode == 0, failure(run.stdout)
    source = s3("prod")
    for bucket in estate["tagged"]:
        assert destinations(source, bucket) == ["arn:aws:s3:::estate-central"], bucket
    for bucket in estate["others"]:
        assert replication(source, bucket) is None, f"{bucket} got a replication configuration"
    assert "estate-central" in bucket_names("analytics")
    assert not any(name.endswith("-replica") for name in bucket_names("analytics"))

    rerun = ansible("playbook", "-i", inventory, "playbooks/replicate.yml")
    assert rerun.returncode == 0, failure(rerun.stdout)
    changed = {host: counts["changed"] for host, counts in recap(rerun.stdout).items() if counts["changed"]}
    assert changed == {}, failure(rerun.stdout)


def test_a_pattern_under_limit_replicates_only_the_limited_buckets_each_into_its_own_replica(estate):
    limited = ["estate-003", "estate-010"]
    run = ansible("playbook", "-i", estate["inventories"]["per-bucket"], "playbooks/replicate.yml", "--limit", ",".join(limited))
    assert run.returncode == 0, failure(run.stdout)
    assert set(recap(run.stdout)) == set(limited)
    source = s3("prod")
    for bucket in limited:
        assert destinations(source, bucket) == [f"arn:aws:s3:::{bucket}-replica"]
    assert destinations(source, "estate-004") == ["arn:aws:s3:::estate-central"], "a pair outside --limit was rewritten"
    assert {name for name in bucket_names("analytics") if name.endswith("-replica")} == {f"{bucket}-replica" for bucket in limited}
