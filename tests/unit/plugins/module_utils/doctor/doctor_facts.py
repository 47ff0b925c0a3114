# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Facts of a converged setup for the doctor's tests, and the ways to break them and read the findings."""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import accounts_view

SRC = "211258069784"
DST = "880161310235"
SRC_KEY = f"arn:aws:kms:us-east-1:{SRC}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DST_KEY = f"arn:aws:kms:us-east-1:{DST}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
SPEC = {
    "source": {"account_id": SRC, "bucket": "stats-data-src", "kms_key_arn": SRC_KEY, "region": "us-east-1", "bucket_key_enabled": False},
    "destination": {"account_id": DST, "bucket": "stats-data-tgt", "kms_key_arn": DST_KEY, "region": "us-east-1", "bucket_key_enabled": True},
    "role_name": "s3-replication-role",
    "owner_override": True,
    "replicate_unencrypted_objects": True,
}
MODEL = policy_model.replication_policies(SPEC)
ROLE = MODEL["role_arn"]


def root_statement(account):
    return {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}


def key(arn, account, *statements, **metadata):
    return {
        "reference": arn,
        "exists": True,
        "metadata": dict(
            {"Arn": arn, "KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}, **metadata
        ),
        "policy": {"Version": "2012-10-17", "Statement": [root_statement(account)] + list(statements)},
        "grants": [],
        "errors": {},
    }


def rule(**changes):
    base = {
        "ID": "all-objects",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {
            "Bucket": "arn:aws:s3:::stats-data-tgt",
            "Account": DST,
            "AccessControlTranslation": {"Owner": "Destination"},
            "EncryptionConfiguration": {"ReplicaKmsKeyID": DST_KEY},
        },
    }
    base.update(changes)
    return base


def bucket(name, key_arn, bucket_key, **changes):
    base = {
        "name": name,
        "exists": True,
        "region": "us-east-1",
        "versioning": "Enabled",
        "encryption": {"algorithm": "aws:kms", "kms_key_arn": key_arn, "bucket_key_enabled": bucket_key},
        "object_ownership": "BucketOwnerEnforced",
        "object_lock": False,
        "policy": None,
        "replication": None,
        "has_objects": False,
        "errors": {},
    }
    base.update(changes)
    return base


def converged():
    """Facts of a setup exactly as playbooks/replicate.yml converges it."""
    role = {
        "name": "s3-replication-role",
        "exists": True,
        "arn": ROLE,
        "trust_policy": MODEL["trust_policy"],
        "inline_policies": {MODEL["role_policy_name"]: MODEL["role_policy"]},
        "managed_policies": [],
        "permissions_boundary": None,
        "errors": {},
    }
    source = bucket("stats-data-src", SRC_KEY, False, replication={"Role": ROLE, "Rules": [rule()]})
    destination = bucket("stats-data-tgt", DST_KEY, True, policy={"Version": "2012-10-17", "Statement": MODEL["destination_bucket_statements"]})
    return copy.deepcopy(
        {
            "source": {"account_id": SRC, "buckets": {"stats-data-src": source}, "roles": {"s3-replication-role": role}, "keys": {SRC_KEY: key(SRC_KEY, SRC)}},
            "destination": {
                "account_id": DST,
                "buckets": {"stats-data-tgt": destination},
                "roles": {},
                "keys": {DST_KEY: key(DST_KEY, DST, MODEL["destination_key_statement"])},
            },
        }
    )


def view(facts=None, spec=None, rule_ids=("all-objects",)):
    """The doctor's view of ``facts`` (default: the converged setup)."""
    return accounts_view(converged() if facts is None else facts, SPEC if spec is None else spec, list(rule_ids))


def diagnose(facts, spec=None, rule_ids=("all-objects",)):
    spec = SPEC if spec is None else spec
    return doctor.diagnose(facts, spec, list(rule_ids))


def not_ok(result):
    found = {}
    for item in result["findings"]:
        if item["status"] != doctor.OK:
            found[item["id"]] = max(found.get(item["id"], doctor.OK), item["status"], key=doctor.STATUS_ORDER.get)
    return found


def one(result, finding_id):
    matches = [f for f in result["findings"] if f["id"] == finding_id]
    assert len(matches) == 1, matches
    return matches[0]


def src_bucket(facts):
    return facts["source"]["buckets"]["stats-data-src"]


def dst_bucket(facts):
    return facts["destination"]["buckets"]["stats-data-tgt"]


def the_rule(facts):
    return src_bucket(facts)["replication"]["Rules"][0]


def role(facts):
    return facts["source"]["roles"]["s3-replication-role"]


def role_policy(facts):
    return role(facts)["inline_policies"][MODEL["role_policy_name"]]


def drop_action(document, action):
    for statement in document["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        statement["Action"] = [a for a in actions if a != action]


def break_and_expect(breaker, expected):
    facts = converged()
    breaker(facts)
    result = diagnose(facts)
    assert not_ok(result) == expected, [f for f in result["findings"] if f["status"] != "ok"]
    for finding_id, status in expected.items():
        if status != "ok":
            assert all(f["fix"] for f in result["findings"] if f["id"] == finding_id and f["status"] != "ok")
    return result


THRESHOLD_WITHOUT_RTC = {"Bucket": "arn:aws:s3:::logs-archive-tgt", "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}}


def other_team_rule(**changes):
    """Another team's rule towards another bucket, without SSE-KMS."""
    base = rule(ID="analytics-team-logs", Priority=10, Filter={"Prefix": "logs/"}, Destination={"Bucket": "arn:aws:s3:::logs-archive-tgt"})
    del base["SourceSelectionCriteria"]
    base.update(changes)
    return base


def add_rule(facts, new_rule):
    src_bucket(facts)["replication"]["Rules"].append(new_rule)
