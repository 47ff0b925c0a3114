# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reliability suites' estate: the seed's scenario plus other teams' work, and a snapshot of
every account (read straight from moto, never through the fault proxy)."""

import json
import os

import boto3
import botocore.exceptions
import yaml

import seed_demo

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SOURCE, DESTINATION, THIRD = "211258069784", "880161310235", "444455556666"
PROFILES = {"source": "prod", "destination": "analytics", "third": "third", "controller": "harness"}
ROLE_NAME = "s3-replication-role"
THIRD_BUCKET = "other-team-dr"
READER = f"arn:aws:iam::{DESTINATION}:role/analytics-reader"
FOREIGN_RULE = {
    "ID": "other-team-dr",
    "Priority": 7,
    "Status": "Enabled",
    "Filter": {"Prefix": "daily/"},
    "DeleteMarkerReplication": {"Status": "Disabled"},
    "Destination": {"Bucket": f"arn:aws:s3:::{THIRD_BUCKET}", "Account": THIRD},
}
FOREIGN_BUCKET_STATEMENT = {"Sid": "AnalyticsTeamRead", "Effect": "Allow", "Principal": {"AWS": READER}, "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::stats-data-tgt/*"}
FOREIGN_KEY_STATEMENT = {"Sid": "AnalyticsTeamDecrypt", "Effect": "Allow", "Principal": {"AWS": READER}, "Action": "kms:Decrypt", "Resource": "*"}
FOREIGN_GRANT = "analytics-reader-decrypt"
FOREIGN_INLINE = {"Version": "2012-10-17", "Statement": [{"Sid": "OtherTeam", "Effect": "Allow", "Action": "s3:ReplicateObject",
                                                          "Resource": f"arn:aws:s3:::{THIRD_BUCKET}/*"}]}
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def session(side):
    return boto3.Session(profile_name=PROFILES[side], region_name="us-east-1")


def seed(workdir, foreign=True, credentials="profile", **overrides):
    """Seeds the estate; writes and returns (vars path, vars dict). credentials: profile or role_arn."""
    with open(os.path.join(ROOT, "examples", "vars.yml"), encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    keys = {
        "source": seed_demo.seed_source(variables["replication_source"]),
        "destination": seed_demo.seed_destination(variables["replication_destination"]),
    }
    for side in ("source", "destination"):
        block = variables[f"replication_{side}"]
        block["kms_key_arn"] = keys[side]
        if credentials == "role_arn":
            block.pop("profile", None)
            block["role_arn"] = f"arn:aws:iam::{block['account_id']}:role/harness-admin"
    if foreign:
        seed_foreign(keys)
    for name, value in overrides.items():
        variables[name] = value
    os.makedirs(str(workdir), exist_ok=True)
    path = os.path.join(str(workdir), "vars.yml")
    write_vars(path, variables)
    return path, variables


def write_vars(path, variables):
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(variables, handle, sort_keys=False)


def seed_foreign(keys):
    """Other teams' rule, inline policy, bucket statement, key statement and grant, before our run."""
    third = session("third").client("s3")
    third.create_bucket(Bucket=THIRD_BUCKET)
    third.put_bucket_versioning(Bucket=THIRD_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    source = session("source")
    iam = source.client("iam")
    iam.create_role(RoleName="other-team-role", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="other-team-role", PolicyName="other-team", PolicyDocument=json.dumps(FOREIGN_INLINE))
    source.client("s3").put_bucket_replication(
        Bucket="stats-data-src",
        ReplicationConfiguration={"Role": f"arn:aws:iam::{SOURCE}:role/{ROLE_NAME}", "Rules": [FOREIGN_RULE]},
    )
    destination = session("destination")
    s3 = destination.client("s3")
    s3.create_bucket(Bucket="stats-data-tgt")
    s3.put_bucket_policy(Bucket="stats-data-tgt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [FOREIGN_BUCKET_STATEMENT]}))
    kms = destination.client("kms")
    key_id = keys["destination"].split("/")[-1]
    policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    policy["Statement"].append(FOREIGN_KEY_STATEMENT)
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(policy))
    kms.create_grant(KeyId=key_id, GranteePrincipal=READER, Operations=["Decrypt"], Name=FOREIGN_GRANT)


def _documents(value):
    return json.loads(value) if isinstance(value, str) else value


def _call(function, missing, **kwargs):
    try:
        return function(**kwargs)
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in missing:
            return None
        raise


def account_snapshot(side):
    """Everything a replication run could touch in one account, ids and timestamps left out."""
    aws = session(side)
    s3, iam, kms = aws.client("s3"), aws.client("iam"), aws.client("kms")
    buckets = {}
    for bucket in s3.list_buckets()["Buckets"]:
        name = bucket["Name"]
        policy = _call(s3.get_bucket_policy, ("NoSuchBucketPolicy",), Bucket=name)
        replication = _call(s3.get_bucket_replication, ("ReplicationConfigurationNotFoundError",), Bucket=name)
        encryption = _call(s3.get_bucket_encryption, ("ServerSideEncryptionConfigurationNotFoundError",), Bucket=name)
        ownership = _call(s3.get_bucket_ownership_controls, ("OwnershipControlsNotFoundError",), Bucket=name)
        buckets[name] = {
            "versioning": s3.get_bucket_versioning(Bucket=name).get("Status"),
            "policy": _documents(policy["Policy"]) if policy else None,
            "replication": replication["ReplicationConfiguration"] if replication else None,
            "encryption": encryption["ServerSideEncryptionConfiguration"] if encryption else None,
            "ownership": ownership["OwnershipControls"] if ownership else None,
        }
    roles = {}
    for role in iam.list_roles()["Roles"]:
        name = role["RoleName"]
        roles[name] = {
            "path": role["Path"],
            "trust": _documents(role["AssumeRolePolicyDocument"]),
            "inline": {policy: _documents(iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])
                       for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]},
            "attached": sorted(policy["PolicyArn"] for policy in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]),
        }
    keys = {}
    for key in kms.list_keys()["Keys"]:
        metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        keys[metadata["Arn"]] = {
            "state": metadata["KeyState"],
            "policy": _documents(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]),
            "grants": sorted(
                (json.dumps({name: grant.get(name) for name in ("Name", "GranteePrincipal", "RetiringPrincipal", "Operations", "Constraints")},
                            sort_keys=True)
                 for grant in kms.list_grants(KeyId=key["KeyId"])["Grants"])
            ),
        }
    return {"buckets": buckets, "roles": roles, "keys": keys}


def snapshot():
    """Every account's snapshot (source, destination, third, controller)."""
    return {side: account_snapshot(side) for side in PROFILES}


def with_placeholders(state, variables):
    """The snapshot with this run's random key ARNs replaced, so two seeded runs compare equal."""
    text = json.dumps(state, sort_keys=True)
    for side in ("source", "destination"):
        arn = variables[f"replication_{side}"]["kms_key_arn"]
        text = text.replace(arn, f"<{side}-key-arn>").replace(arn.split("/")[-1], f"<{side}-key-id>")
    return json.loads(text)


def foreign_intact(state):
    """Assertion messages for every foreign entry missing from the snapshot (empty: all there)."""
    problems = []
    source_bucket = state["source"]["buckets"].get("stats-data-src") or {}
    rules = (source_bucket.get("replication") or {}).get("Rules", [])
    if not any(rule.get("ID") == FOREIGN_RULE["ID"] and rule.get("Destination") == FOREIGN_RULE["Destination"] for rule in rules):
        problems.append("the other team's replication rule is gone or changed")
    role = state["source"]["roles"].get("other-team-role")
    if not role or role["inline"].get("other-team") != FOREIGN_INLINE:
        problems.append("the other team's role or inline policy is gone or changed")
    destination = state["destination"]["buckets"].get("stats-data-tgt") or {}
    statements = (destination.get("policy") or {}).get("Statement", [])
    if FOREIGN_BUCKET_STATEMENT not in statements:
        problems.append("the other team's bucket-policy statement is gone or changed")
    key = next(iter(value for arn, value in state["destination"]["keys"].items() if arn.startswith(f"arn:aws:kms:us-east-1:{DESTINATION}:")), {})
    if FOREIGN_KEY_STATEMENT not in key.get("policy", {}).get("Statement", []):
        problems.append("the other team's key-policy statement is gone or changed")
    if not any(json.loads(grant)["Name"] == FOREIGN_GRANT for grant in key.get("grants", [])):
        problems.append("the other team's grant is gone")
    return problems
