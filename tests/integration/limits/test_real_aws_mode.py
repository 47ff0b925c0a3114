# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real-AWS mode through boto3 and the profiles of two accounts, and one playbook run through it."""

import json
import os
import shutil
import subprocess
import sys
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.path.dirname(sys.executable)
SOURCE, DESTINATION = "211258069784", "880161310235"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
ROOT_STATEMENT = {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DESTINATION}:root"}, "Action": "kms:*", "Resource": "*"}


def client(profile, service):
    return boto3.Session(profile_name=profile).client(service)


def spec(number):
    """The policy model's input for pair ``number`` into the central bucket, with the planner's defaults (source Bucket Keys off, destination on)."""
    key = f"arn:aws:kms:us-east-1:{{}}:key/00000000-0000-0000-0000-0000000000{number:02d}"
    return {"source": {"account_id": SOURCE, "bucket": f"src-{number:02d}", "kms_key_arn": key.format(SOURCE), "region": "us-east-1",
                       "bucket_key_enabled": False},
            "destination": {"account_id": DESTINATION, "bucket": "central", "kms_key_arn": key.format(DESTINATION), "region": "us-east-1",
                            "bucket_key_enabled": True},
            "role_name": "s3-replication-role"}


def test_a_new_role_is_refused_in_the_other_accounts_key_policy_until_the_delay_has_passed(clean_real_harness):
    delay = float(clean_real_harness["HARNESS_PRINCIPAL_DELAY"])
    iam, kms = client("src", "iam"), client("dst", "kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    arn = iam.create_role(RoleName="fresh", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    created = time.monotonic()
    grant = {"Sid": "Fresh", "Effect": "Allow", "Principal": {"AWS": arn}, "Action": "kms:Encrypt", "Resource": "*"}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [ROOT_STATEMENT, grant]})
    refusals = []
    while True:
        try:
            kms.put_key_policy(KeyId=key, PolicyName="default", Policy=policy)
            break
        except ClientError as error:
            refusals.append((error.response["Error"]["Code"], error.response["Error"]["Message"]))
            time.sleep(0.25)
    waited = time.monotonic() - created
    assert refusals and set(refusals) == {("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.")}
    assert delay >= 1 and delay - 0.5 <= waited < delay + 2


def test_the_ninth_per_pair_policy_of_a_shared_role_is_refused_with_awss_answer(clean_real_harness):
    iam = client("src", "iam")
    iam.create_role(RoleName="s3-replication-role", AssumeRolePolicyDocument=json.dumps(TRUST))
    documents = [policy_model.replication_policies(spec(number)) for number in range(1, 10)]
    for documents_of_pair in documents[:8]:
        iam.put_role_policy(RoleName="s3-replication-role", PolicyName=documents_of_pair["role_policy_name"],
                            PolicyDocument=json.dumps(documents_of_pair["role_policy"], indent=2))
    with pytest.raises(ClientError) as refused:
        iam.put_role_policy(RoleName="s3-replication-role", PolicyName=documents[8]["role_policy_name"], PolicyDocument=json.dumps(documents[8]["role_policy"]))
    assert refused.value.response["Error"]["Code"] == "LimitExceeded"
    assert str(refused.value).endswith("Maximum policy size of 10240 bytes exceeded for role s3-replication-role")
    assert sum(quotas.iam_size(d["role_policy"]) for d in documents[:8]) <= 10240 < sum(quotas.iam_size(d["role_policy"]) for d in documents)


def test_a_bucket_policy_of_two_statements_per_role_is_refused_at_the_role_past_20_kb(clean_real_harness):
    iam, s3 = client("src", "iam"), client("dst", "s3")
    s3.create_bucket(Bucket="central")
    statements = []
    for number in range(1, 46):
        iam.create_role(RoleName=f"s3-replication-role-{number:02d}", AssumeRolePolicyDocument=json.dumps(TRUST))
        statements += policy_model.replication_policies(dict(spec(number), role_name=f"s3-replication-role-{number:02d}"))["destination_bucket_statements"]
    time.sleep(float(clean_real_harness["HARNESS_PRINCIPAL_DELAY"]))

    def policy(roles):
        return {"Version": "2012-10-17", "Statement": statements[:2 * roles]}

    fitting = max(roles for roles in range(1, 46) if quotas.document_bytes(policy(roles)) <= 20480)
    assert 38 <= fitting < 45
    s3.put_bucket_policy(Bucket="central", Policy=json.dumps(policy(fitting), separators=(",", ":")))
    with pytest.raises(ClientError) as refused:
        s3.put_bucket_policy(Bucket="central", Policy=json.dumps(policy(fitting + 1), separators=(",", ":")))
    assert (refused.value.response["Error"]["Code"], refused.value.response["Error"]["Message"]) == (
        "PolicyTooLarge", "Policy exceeds the maximum allowed document size.")


def _playbook_env():
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"), PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
               ANSIBLE_NOCOLOR="true", ANSIBLE_DEPRECATION_WARNINGS="false", ANSIBLE_LOCALHOST_WARNING="false")
    return env


def test_one_pair_converges_through_the_propagation_window_and_reruns_without_change(clean_real_harness, tmp_path):
    if shutil.which("ansible-playbook", path=BIN) is None:
        pytest.skip("ansible-playbook is not installed next to this Python")
    inventory = str(tmp_path / "pairs.yml")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "harness", "seed_pairs.py"), "--pairs", "1", "--inventory", inventory,
                    "--prefix", "limits"], check=True, capture_output=True, cwd=os.path.join(ROOT, "tests", "harness"))
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, os.path.join(ROOT, "playbooks", "replicate.yml")]
    fresh = subprocess.run(command, env=_playbook_env(), cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert fresh.returncode == 0, fresh.stdout[-4000:]
    rerun = subprocess.run(command, env=_playbook_env(), cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert rerun.returncode == 0 and " changed=0 " in rerun.stdout.split("PLAY RECAP")[-1], rerun.stdout[-3000:]
