# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prints, for a person, what a replication vars file's setup looks like in both accounts.

    python tests/harness/show_state.py VARS.yml          # text, for a person
    python tests/harness/show_state.py VARS.yml --json   # the same state as data, for tests

Source account: the bucket (versioning, default encryption), its replication configuration rule
by rule, the replication role's trust policy and inline policies, the source key's policy.
Destination account: the bucket (versioning, encryption, ownership), its bucket policy, the
destination key's policy and grants. With replication_two_way, both accounts show all of it: each
bucket's replication configuration and policy, and each account's role (the reverse role in the
destination account). Policy statements print one per line:
``[Sid] Allow PRINCIPAL ACTIONS on RESOURCES when CONDITIONS``. Read-only.
"""

import argparse
import json
import sys

import boto3
import botocore.exceptions
import yaml

WIDTH = 100


def session(side):
    """A boto3 session in the side's account: its profile, its role_arn (assumed), else ambient."""
    if side.get("role_arn"):
        credentials = boto3.client("sts", region_name=side["region"]).assume_role(
            RoleArn=side["role_arn"], RoleSessionName="show-state"
        )["Credentials"]
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=side["region"],
        )
    return boto3.Session(profile_name=side.get("profile"), region_name=side["region"])


def error_code(error):
    return error.response.get("Error", {}).get("Code", "")


def heading(text):
    print()
    print(text)
    print("=" * len(text))


def subheading(text):
    print()
    print(text)
    print("-" * len(text))


def listed(values):
    values = values if isinstance(values, list) else [values]
    return ", ".join(str(value) for value in values)


def principal_text(principal):
    if principal is None:
        return ""
    if not isinstance(principal, dict):
        return str(principal)
    return " ".join(f"{kind}:{listed(values)}" for kind, values in sorted(principal.items()))


def condition_text(condition):
    parts = []
    for operator, pairs in sorted((condition or {}).items()):
        parts.append(f"{operator} " + ", ".join(f"{key}={listed(value)}" for key, value in sorted(pairs.items())))
    return "; ".join(parts)


def statement_lines(statement):
    """One readable line (wrapped) for an IAM statement."""
    text = f"[{statement.get('Sid', '-')}] {statement.get('Effect')}"
    principal = principal_text(statement.get("Principal"))
    if principal:
        text += f" {principal}"
    text += f" {listed(statement.get('Action', statement.get('NotAction', [])))}"
    if "Resource" in statement:
        text += f" on {listed(statement['Resource'])}"
    if statement.get("Condition"):
        text += f" when {condition_text(statement['Condition'])}"
    return wrap(text)


def wrap(text, indent="  ", follow="      "):
    words = text.split(" ")
    lines, line = [], indent
    for word in words:
        if len(line) + len(word) + 1 > WIDTH and line.strip():
            lines.append(line.rstrip())
            line = follow
        line += word + " "
    lines.append(line.rstrip())
    return lines


def print_policy(document):
    if isinstance(document, str):
        document = json.loads(document)
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        print("\n".join(statement_lines(statement)))


def status(block):
    return (block or {}).get("Status", "Disabled")


def rule_lines(rule):
    destination = rule.get("Destination", {})
    rule_filter = rule.get("Filter", {})
    scope = "every object"
    if rule_filter.get("Prefix") or rule_filter.get("Tag") or rule_filter.get("And"):
        scope = json.dumps(rule_filter, sort_keys=True)
    criteria = rule.get("SourceSelectionCriteria", {})
    return [
        f"  rule {rule.get('ID')}: {rule.get('Status')}, priority {rule.get('Priority')}, {scope}",
        f"    to {destination.get('Bucket')} in account {destination.get('Account', '(same)')}",
        f"    replica key: {destination.get('EncryptionConfiguration', {}).get('ReplicaKmsKeyID', 'none')}",
        f"    SSE-KMS objects: {status(criteria.get('SseKmsEncryptedObjects'))}, "
        f"replica modifications: {status(criteria.get('ReplicaModifications'))}, "
        f"delete markers: {status(rule.get('DeleteMarkerReplication'))}",
        f"    owner override: {destination.get('AccessControlTranslation', {}).get('Owner', 'off')}, "
        f"storage class: {destination.get('StorageClass', 'as source')}, "
        f"RTC: {status(destination.get('ReplicationTime'))}, metrics: {status(destination.get('Metrics'))}",
    ]


def read_bucket(s3, name):
    """The bucket's replication-relevant state, or None when it is missing."""
    try:
        s3.head_bucket(Bucket=name)
    except botocore.exceptions.ClientError:
        return None
    state = {"name": name, "versioning": s3.get_bucket_versioning(Bucket=name).get("Status", "Disabled")}
    try:
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
        default = rule["ApplyServerSideEncryptionByDefault"]
        state["encryption"] = {
            "algorithm": default["SSEAlgorithm"],
            "kms_key": default.get("KMSMasterKeyID"),
            "bucket_key_enabled": bool(rule.get("BucketKeyEnabled")),
        }
    except botocore.exceptions.ClientError:
        state["encryption"] = None
    try:
        state["object_ownership"] = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    except botocore.exceptions.ClientError:
        state["object_ownership"] = None
    state["replication"] = read_replication(s3, name)
    state["policy"] = read_bucket_policy(s3, name)
    state["objects"] = read_objects(s3, name)
    return state


def read_replication(s3, name):
    try:
        return s3.get_bucket_replication(Bucket=name)["ReplicationConfiguration"]
    except botocore.exceptions.ClientError as error:
        if error_code(error) != "ReplicationConfigurationNotFoundError":
            raise
        return None


def read_bucket_policy(s3, name):
    try:
        return json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except botocore.exceptions.ClientError as error:
        if error_code(error) != "NoSuchBucketPolicy":
            raise
        return None


def read_objects(s3, name):
    objects = []
    for version in s3.list_object_versions(Bucket=name).get("Versions", []):
        head = s3.head_object(Bucket=name, Key=version["Key"], VersionId=version["VersionId"])
        objects.append({"key": version["Key"], "encryption": head.get("ServerSideEncryption"), "kms_key": head.get("SSEKMSKeyId")})
    return objects


def read_role(iam, name):
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except botocore.exceptions.ClientError as error:
        if error_code(error) != "NoSuchEntity":
            raise
        return None
    return {
        "arn": role["Arn"],
        "trust_policy": as_document(role["AssumeRolePolicyDocument"]),
        "inline_policies": {
            policy_name: as_document(iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"])
            for policy_name in iam.list_role_policies(RoleName=name)["PolicyNames"]
        },
        "managed_policies": [policy["PolicyArn"] for policy in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]],
    }


def read_key(kms, key_arn):
    metadata = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    return {
        "arn": metadata["Arn"],
        "state": metadata["KeyState"],
        "manager": metadata["KeyManager"],
        "spec": metadata.get("KeySpec"),
        "policy": json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"]),
        "grants": [
            {key: grant.get(key) for key in ("Name", "GranteePrincipal", "Operations", "Constraints")}
            for grant in kms.list_grants(KeyId=key_arn).get("Grants", [])
        ],
    }


def as_document(document):
    return json.loads(document) if isinstance(document, str) else document


def read_side(side, role_name=None):
    aws = session(side)
    state = {
        "account_id": aws.client("sts").get_caller_identity()["Account"],
        "bucket": read_bucket(aws.client("s3"), side["bucket"]),
        "key": read_key(aws.client("kms"), side["kms_key_arn"]),
    }
    if role_name:
        state["role"] = read_role(aws.client("iam"), role_name)
    return state


def role_names(variables):
    """The replication role of each account: the source's, and with two-way the reverse role in the destination account."""
    forward = variables.get("replication_role_name", "s3-replication-role")
    reverse = variables.get("replication_reverse_role_name") or forward if variables.get("replication_two_way") else None
    return {"source": forward, "destination": reverse}


def read_state(variables):
    """Both accounts' state as plain data (printed with --json, for tests)."""
    roles = role_names(variables)
    return {side: read_side(variables[f"replication_{side}"], roles[side]) for side in ("source", "destination")}


def print_bucket(bucket, name):
    if bucket is None:
        print(f"bucket {name}: missing")
        return
    encryption = bucket["encryption"]
    encryption_text = "none"
    if encryption:
        encryption_text = f"{encryption['algorithm']} {encryption['kms_key'] or ''}".rstrip()
        encryption_text += f", Bucket Key {'on' if encryption['bucket_key_enabled'] else 'off'}"
    print(f"bucket {name}")
    print(f"  versioning: {bucket['versioning']}")
    print(f"  default encryption: {encryption_text}")
    print(f"  object ownership: {bucket['object_ownership'] or 'not set'}")


def print_objects(objects):
    print(f"  objects: {len(objects)} version(s)")
    for item in objects:
        print(f"    {item['key']}  ({item['encryption'] or 'none'} {item['kms_key'] or ''})".rstrip())


def print_replication(configuration):
    if configuration is None:
        print("  replication: none")
        return
    print(f"  replication role: {configuration['Role']}")
    for rule in configuration.get("Rules", []):
        print("\n".join(rule_lines(rule)))


def print_role(role, name):
    if role is None:
        print(f"role {name}: missing")
        return
    subheading(f"Replication role {role['arn']}")
    print("trust policy:")
    print_policy(role["trust_policy"])
    for policy_name, document in sorted(role["inline_policies"].items()):
        print(f"inline policy {policy_name}:")
        print_policy(document)
    print(f"managed policies: {listed(role['managed_policies']) or 'none'}")


def print_key(key, label):
    subheading(f"{label} {key['arn']}")
    print(f"state {key['state']}, {key['manager']}-managed, {key['spec']}")
    print("key policy:")
    print_policy(key["policy"])
    for grant in key["grants"]:
        constraints = json.dumps(grant.get("Constraints") or {}, sort_keys=True)
        print(f"grant {grant['Name']}: {grant['GranteePrincipal']} {listed(grant['Operations'])} {constraints}")
    if not key["grants"]:
        print("grants: none")


def print_state(variables, state):
    """Each account: its bucket, and what replicates out of it (rules, role) and into it (bucket policy, key)."""
    roles = role_names(variables)
    for side in ("source", "destination"):
        bucket, name = state[side]["bucket"], variables[f"replication_{side}"]["bucket"]
        heading(f"{side.capitalize()} account {state[side]['account_id']}")
        print_bucket(bucket, name)
        if bucket and side == "source":
            print_objects(bucket["objects"])
        if bucket and (side == "source" or roles[side]):
            print_replication(bucket["replication"])
        if bucket and (side == "destination" or roles["destination"]):
            print_bucket_policy(bucket["policy"])
        if roles[side]:
            print_role(state[side]["role"], roles[side])
        print_key(state[side]["key"], f"{side.capitalize()} key")


def print_bucket_policy(policy):
    if not policy:
        print("  bucket policy: none")
        return
    print("  bucket policy:")
    print_policy(policy)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vars", help="the replication vars file (replication_source, replication_destination, ...)")
    parser.add_argument("--json", action="store_true", help="print the state as JSON instead of text")
    args = parser.parse_args(argv)
    with open(args.vars, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    state = read_state(variables)
    if args.json:
        print(json.dumps(state, indent=2, sort_keys=True, default=str))
    else:
        print_state(variables, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
