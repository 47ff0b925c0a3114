# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two-account estates for the doctor's harness tests, written with boto3 in the emulator.

``converge()`` writes what playbooks/replicate.yml converges to (every document from the policy
model). ``gather()`` runs s3_replication_info's gathering in both accounts and ``diagnose()`` the
doctor on the result. ``seed_vars()`` runs a seed script of tests/harness (seed_demo.py, seed_blog.py)
on an emptied emulator, ``run_playbook()`` and ``run_doctor()`` run the playbooks as a user would.
"""

import json
import os
import shutil
import subprocess
import sys

import boto3
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_info

REGION = "us-east-1"
SOURCE = {"account_id": "211258069784", "bucket": "stats-data-src", "region": REGION, "profile": "src"}
DESTINATION = {"account_id": "880161310235", "bucket": "stats-data-tgt", "region": REGION, "profile": "dst"}
ROLE_NAME = "s3-replication-role"
RULE_ID = "all-objects"
ROOT_STATEMENT_SID = "EnableIAMUserPermissions"


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.path.dirname(sys.executable)
HARNESS_DIR = os.path.join(ROOT, "tests", "harness")

_CLIENTS = {}


def forget_clients():
    """Assumed-role credentials die with an emulator reset: call this after each reset."""
    _CLIENTS.clear()


def client(side, service):
    """One client per account and service (assuming the account's role costs a round trip)."""
    key = (side["profile"], service)
    if key not in _CLIENTS:
        _CLIENTS[key] = boto3.Session(profile_name=side["profile"], region_name=side["region"]).client(service)
    return _CLIENTS[key]


class Estate:
    """Names and key ARNs of one seeded estate, and the spec the doctor checks it against."""

    def __init__(self, source_key, destination_key):
        self.source = dict(SOURCE, kms_key_arn=source_key)
        self.destination = dict(DESTINATION, kms_key_arn=destination_key)
        self.spec = {
            "source": {k: self.source[k] for k in ("account_id", "bucket", "kms_key_arn", "region")},
            "destination": dict({k: self.destination[k] for k in ("account_id", "bucket", "kms_key_arn", "region")}, bucket_key_enabled=True),
            "role_name": ROLE_NAME,
            "owner_override": True,
            "replicate_unencrypted_objects": True,
        }
        self.model = policy_model.replication_policies(self.spec)
        self.role_arn = self.model["role_arn"]

    def key_id(self, side):
        return getattr(self, side)["kms_key_arn"].rsplit("/", 1)[-1]


def _root_statement(account_id):
    return {"Sid": ROOT_STATEMENT_SID, "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "kms:*", "Resource": "*"}


def key_policy(account_id, *statements):
    return {"Version": "2012-10-17", "Statement": [_root_statement(account_id)] + list(statements)}


def put_key_policy(estate, side, policy):
    client(getattr(estate, side), "kms").put_key_policy(KeyId=estate.key_id(side), PolicyName="default", Policy=json.dumps(policy))


def _create_bucket(s3, name, versioned=True):
    s3.create_bucket(Bucket=name)
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def _encrypt(s3, name, key_arn, bucket_key):
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}, "BucketKeyEnabled": bucket_key}]
        },
    )


def base_estate():
    """Keys, buckets and objects, no replication yet: the state the seed article starts from."""
    source_kms, destination_kms = client(SOURCE, "kms"), client(DESTINATION, "kms")
    source_key = source_kms.create_key(Description="source objects")["KeyMetadata"]["Arn"]
    destination_key = destination_kms.create_key(Description="replicas")["KeyMetadata"]["Arn"]
    estate = Estate(source_key, destination_key)
    s3 = client(SOURCE, "s3")
    _create_bucket(s3, SOURCE["bucket"])
    _encrypt(s3, SOURCE["bucket"], source_key, False)
    s3.put_object(Bucket=SOURCE["bucket"], Key="daily/2026-11-25.csv", Body=b"day,visits\n", ServerSideEncryption="aws:kms", SSEKMSKeyId=source_key)
    s3 = client(DESTINATION, "s3")
    _create_bucket(s3, DESTINATION["bucket"])
    _encrypt(s3, DESTINATION["bucket"], destination_key, True)
    s3.put_bucket_ownership_controls(Bucket=DESTINATION["bucket"], OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    return estate


def model_rule(estate, **changes):
    """The rule s3_replication_rule writes for the estate (replicate.yml's defaults)."""
    destination = {
        "Bucket": f"arn:aws:s3:::{estate.destination['bucket']}",
        "Account": estate.destination["account_id"],
        "AccessControlTranslation": {"Owner": "Destination"},
        "EncryptionConfiguration": {"ReplicaKmsKeyID": estate.destination["kms_key_arn"]},
    }
    rule = {
        "ID": RULE_ID,
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": destination,
    }
    rule.update(changes)
    return rule


def put_rules(estate, *rules, role_arn=None):
    client(estate.source, "s3").put_bucket_replication(
        Bucket=estate.source["bucket"], ReplicationConfiguration={"Role": role_arn or estate.role_arn, "Rules": list(rules)}
    )


def put_role(estate, trust_policy, policies):
    iam = client(estate.source, "iam")
    iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(trust_policy))
    for name, document in policies.items():
        iam.put_role_policy(RoleName=ROLE_NAME, PolicyName=name, PolicyDocument=json.dumps(document))


def put_role_policy(estate, document, name=None):
    client(estate.source, "iam").put_role_policy(RoleName=ROLE_NAME, PolicyName=name or estate.model["role_policy_name"], PolicyDocument=json.dumps(document))


def put_bucket_policy(estate, statements):
    client(estate.destination, "s3").put_bucket_policy(
        Bucket=estate.destination["bucket"], Policy=json.dumps({"Version": "2012-10-17", "Statement": statements})
    )


def converge():
    """What playbooks/replicate.yml writes, straight from the policy model."""
    estate = base_estate()
    model = estate.model
    put_role(estate, model["trust_policy"], {model["role_policy_name"]: model["role_policy"]})
    put_bucket_policy(estate, model["destination_bucket_statements"])
    put_key_policy(estate, "destination", key_policy(estate.destination["account_id"], model["destination_key_statement"]))
    put_rules(estate, model_rule(estate))
    return estate


def without_action(document, action):
    """``document`` with ``action`` taken out of every statement."""
    copy = json.loads(json.dumps(document))
    for statement in copy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        statement["Action"] = [a for a in actions if a != action]
    copy["Statement"] = [s for s in copy["Statement"] if s["Action"]]
    return copy


def _clients(side):
    wrapped = {}
    for service in ("s3", "iam", "kms"):
        wrapped[service] = RetryingBotoClientWrapper(client(side, service), AWSRetry.jittered_backoff(retries=3))
    return wrapped


class _Account:
    """What s3_replication_info.gather asks of its module: the region and one client per service."""

    def __init__(self, side):
        self.region = REGION
        self.clients = _clients(side)

    def aws_client(self, service, region=None, extra_codes=()):
        return self.clients[service]


def gather(estate):
    """s3_replication_info's gathering in each account, with that account's credentials."""
    source = s3_replication_info.gather(
        _Account(estate.source), {"account_id": estate.source["account_id"], "partition": "aws"},
        buckets=[estate.source["bucket"]], roles=[ROLE_NAME], kms_keys=[estate.source["kms_key_arn"]],
    )
    destination = s3_replication_info.gather(
        _Account(estate.destination), {"account_id": estate.destination["account_id"], "partition": "aws"},
        buckets=[estate.destination["bucket"]], kms_keys=[estate.destination["kms_key_arn"]],
    )
    return {"source": source, "destination": destination}


def diagnose(estate, rule_ids=(RULE_ID,)):
    return doctor.diagnose(gather(estate), estate.spec, list(rule_ids))


def not_ok(result):
    """{finding id: status} of every finding that is not ok."""
    found = {}
    for item in result["findings"]:
        if item["status"] != doctor.OK:
            found[item["id"]] = max(found.get(item["id"], doctor.OK), item["status"], key=doctor.STATUS_ORDER.get)
    return found


def failing(result):
    return {finding_id for finding_id, status in not_ok(result).items() if status == doctor.FAIL}


# --- the playbooks, as a user runs them ------------------------------------------------------------------


def playbook_env():
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, ".build", "collections"),
        "PATH": BIN + os.pathsep + env.get("PATH", ""),
        "NO_COLOR": "1",
        "ANSIBLE_FORCE_COLOR": "false",
    })
    return env


def run_playbook(name, *extra):
    command = [os.path.join(BIN, "ansible-playbook"), os.path.join(ROOT, "playbooks", name)] + list(extra)
    return subprocess.run(command, env=playbook_env(), cwd=ROOT, capture_output=True, text=True, check=False)


def run_doctor(workdir, vars_path, *extra):
    """playbooks/doctor.yml over ``vars_path``: (the run, its JSON report)."""
    report = str(workdir / "report.json")
    if os.path.exists(report):
        os.remove(report)
    run = run_playbook("doctor.yml", "-e", f"@{vars_path}", "-e", f"doctor_report_path={report}", *extra)
    with open(report, encoding="utf-8") as handle:
        return run, json.load(handle)


def seed_vars(harness, script, vars_path):
    """An emptied emulator seeded by tests/harness/SCRIPT, which writes the vars file to ``vars_path``."""
    if shutil.which("ansible-playbook", path=BIN) is None:
        pytest.skip("ansible-playbook is not installed next to this Python")
    subprocess.run([sys.executable, os.path.join(HARNESS_DIR, "aws_harness.py"), "reset", "--dir", harness["HARNESS_DIR"]], check=True)
    forget_clients()
    subprocess.run([sys.executable, os.path.join(HARNESS_DIR, script), "--out", vars_path], env=playbook_env(), cwd=ROOT, check=True,
                   capture_output=True)
