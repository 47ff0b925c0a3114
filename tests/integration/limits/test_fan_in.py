# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fan-in at AWS's real limits, on the harness in real-AWS mode (it refuses what AWS refuses, and a new
role is an invalid principal for a few seconds): many source buckets into one central bucket and key.

The seeding and the sizing of the accounts' documents are the fan-in benchmark's (tests/bench/fan_in.py).
"""

import json
import os
import shutil
import subprocess
import sys

import boto3
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))

import fan_in  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas  # noqa: E402  pylint: disable=wrong-import-position

TEARDOWN = os.path.join(ROOT, "playbooks", "teardown.yml")
DESTINATION = "880161310235"


@pytest.fixture(autouse=True)
def _playbooks_installed():
    if shutil.which("ansible-playbook", path=BIN) is None:
        pytest.skip("ansible-playbook is not installed next to this Python")


def client(profile, service):
    return boto3.Session(profile_name=profile, region_name="us-east-1").client(service)


def rules_of(bucket):
    return [rule["ID"] for rule in client("src", "s3").get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]["Rules"]]


def within_quotas(rows):
    """Every shared document as the accounts hold it, within AWS's quota (the rows of fan_in.document_rows)."""
    over = [(document, size, quota) for document, size, quota, _detail in rows if quotas.over_quota(quota, size)]
    assert over == [], over
    return {document: (size, detail) for document, size, _quota, detail in rows}


def replicate(inventory, tmp_path, name):
    run = fan_in.run_playbook(inventory, 20, str(tmp_path / f"{name}.log"))
    assert run["rc"] == 0 and run["failed"] == 0, (run, (tmp_path / f"{name}.log").read_text()[-4000:])
    return run


def test_thirty_sources_sharing_a_role_replicate_into_one_bucket_and_key_and_one_leaves_alone(clean_real_harness, tmp_path):
    inventory = str(tmp_path / "shared-30.yml")
    fan_in.seed("shared", 30, inventory)
    replicate(inventory, tmp_path, "fresh")
    documents = within_quotas(fan_in.document_rows("shared", 30)[0])
    assert documents[f"role {fan_in.SHARED_ROLE}: inline policies"][1] == "1 inline policies"
    assert all(rules_of(f"{fan_in.PREFIX}-src-{number:02d}") for number in range(1, 31))
    assert replicate(inventory, tmp_path, "rerun")["changed"] == 0

    # Under --limit the pairs' own hosts do the accounts' work: they run the modules with this Python.
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, "--limit", "pair-30", "-e", f"ansible_python_interpreter={sys.executable}", TEARDOWN]
    removed = subprocess.run(command, env=fan_in.bench.playbook_environment(str(tmp_path / "teardown.calls.jsonl"), False), cwd=ROOT,
                             capture_output=True, text=True, check=False, timeout=900)
    assert removed.returncode == 0, removed.stdout[-4000:]
    role_policies = client("src", "iam").list_role_policies(RoleName=fan_in.SHARED_ROLE)["PolicyNames"]
    (packed,) = role_policies
    text = json.dumps(client("src", "iam").get_role_policy(RoleName=fan_in.SHARED_ROLE, PolicyName=packed)["PolicyDocument"])
    assert f"{fan_in.PREFIX}-src-30" not in text and f"{fan_in.PREFIX}-src-29" in text
    assert all(rules_of(f"{fan_in.PREFIX}-src-{number:02d}") for number in range(1, 30))


def test_sixty_sources_with_a_role_each_share_one_statement_per_action_set(clean_real_harness, tmp_path):
    inventory = str(tmp_path / "own-60.yml")
    fan_in.seed("own", 60, inventory)
    replicate(inventory, tmp_path, "fresh")
    rows, roles = fan_in.document_rows("own", 60)
    documents = within_quotas(rows)
    assert roles == 60
    bucket_statements = int(documents[f"bucket policy of {fan_in.CENTRAL}"][1].split()[0])
    assert bucket_statements <= 4
    assert replicate(inventory, tmp_path, "rerun")["changed"] == 0


def test_an_estate_that_cannot_fit_is_refused_before_any_write(clean_real_harness, tmp_path):
    inventory = str(tmp_path / "shared-2.yml")
    fan_in.seed("shared", 2, inventory)
    s3 = client("dst", "s3")
    s3.create_bucket(Bucket=fan_in.CENTRAL)
    reader = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DESTINATION}:root"}, "Action": "s3:GetObject"}
    theirs = {"Version": "2012-10-17", "Statement": []}
    while quotas.document_bytes(theirs) < 20_200:  # ours, two statements for the role, do not fit beside them
        number = len(theirs["Statement"])
        theirs["Statement"].append(dict(reader, Sid=f"OtherTeam{number:03d}", Resource=f"arn:aws:s3:::{fan_in.CENTRAL}/team-{number:03d}/*"))
    assert quotas.document_bytes(theirs) <= 20_480
    s3.put_bucket_policy(Bucket=fan_in.CENTRAL, Policy=json.dumps(theirs, separators=(",", ":")))
    run = fan_in.run_playbook(inventory, 2, str(tmp_path / "refused.log"))
    log = (tmp_path / "refused.log").read_text()
    assert run["rc"] != 0 and run["changed"] == 0
    assert "refused before any write: quota bucket-policy" in log and fan_in.CENTRAL in log
    assert json.loads(s3.get_bucket_policy(Bucket=fan_in.CENTRAL)["Policy"]) == theirs
    roles = client("src", "iam").list_roles()["Roles"]
    assert fan_in.SHARED_ROLE not in [role["RoleName"] for role in roles]
    assert s3.get_bucket_versioning(Bucket=fan_in.CENTRAL).get("Status") is None
    with pytest.raises(client("src", "s3").exceptions.ClientError, match="ReplicationConfigurationNotFound"):
        client("src", "s3").get_bucket_replication(Bucket=f"{fan_in.PREFIX}-src-01")
