# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prints, for a person, what a replication vars file's setup looks like in both accounts.

    python tests/harness/show_state.py VARS.yml

Source account: the bucket (versioning, default encryption), its replication configuration rule
by rule, the replication role's trust policy and inline policies, the source key's policy.
Destination account: the bucket (versioning, encryption, ownership), its bucket policy, the
destination key's policy and grants. Policy statements print one per line:
``[Sid] Allow PRINCIPAL ACTIONS on RESOURCES when CONDITIONS``. Read-only.
"""

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


def show_bucket(s3, name):
    try:
        s3.head_bucket(Bucket=name)
    except botocore.exceptions.ClientError:
        print(f"bucket {name}: missing")
        return False
    versioning = s3.get_bucket_versioning(Bucket=name).get("Status", "Disabled")
    try:
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
        default = rule["ApplyServerSideEncryptionByDefault"]
        encryption = f"{default['SSEAlgorithm']} {default.get('KMSMasterKeyID', '')}".strip()
        encryption += f", Bucket Key {'on' if rule.get('BucketKeyEnabled') else 'off'}"
    except botocore.exceptions.ClientError:
        encryption = "none"
    try:
        ownership = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    except botocore.exceptions.ClientError:
        ownership = "not set"
    print(f"bucket {name}")
    print(f"  versioning: {versioning}")
    print(f"  default encryption: {encryption}")
    print(f"  object ownership: {ownership}")
    return True


def show_objects(s3, name):
    versions = s3.list_object_versions(Bucket=name).get("Versions", [])
    print(f"  objects: {len(versions)} version(s)")
    for version in versions:
        head = s3.head_object(Bucket=name, Key=version["Key"], VersionId=version["VersionId"])
        encryption = head.get("ServerSideEncryption", "none")
        print(f"    {version['Key']}  ({encryption} {head.get('SSEKMSKeyId', '')})".rstrip())


def rule_lines(rule):
    destination = rule.get("Destination", {})
    rule_filter = rule.get("Filter", {})
    scope = "every object"
    if rule_filter.get("Prefix") or rule_filter.get("Tag") or rule_filter.get("And"):
        scope = json.dumps(rule_filter, sort_keys=True)
    lines = [
        f"  rule {rule.get('ID')}: {rule.get('Status')}, priority {rule.get('Priority')}, {scope}",
        f"    to {destination.get('Bucket')} in account {destination.get('Account', '(same)')}",
        f"    replica key: {destination.get('EncryptionConfiguration', {}).get('ReplicaKmsKeyID', 'none')}",
        f"    SSE-KMS objects: {status(rule.get('SourceSelectionCriteria', {}).get('SseKmsEncryptedObjects'))}, "
        f"replica modifications: {status(rule.get('SourceSelectionCriteria', {}).get('ReplicaModifications'))}, "
        f"delete markers: {status(rule.get('DeleteMarkerReplication'))}",
        f"    owner override: {destination.get('AccessControlTranslation', {}).get('Owner', 'off')}, "
        f"storage class: {destination.get('StorageClass', 'as source')}, "
        f"RTC: {status(destination.get('ReplicationTime'))}, metrics: {status(destination.get('Metrics'))}",
    ]
    return lines


def show_replication(s3, name):
    try:
        configuration = s3.get_bucket_replication(Bucket=name)["ReplicationConfiguration"]
    except botocore.exceptions.ClientError as error:
        if error_code(error) != "ReplicationConfigurationNotFoundError":
            raise
        print("  replication: none")
        return None
    print(f"  replication role: {configuration['Role']}")
    for rule in configuration.get("Rules", []):
        print("\n".join(rule_lines(rule)))
    return configuration["Role"]


def show_role(iam, role_arn):
    name = role_arn.rsplit("/", 1)[-1]
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except botocore.exceptions.ClientError:
        print(f"role {name}: missing")
        return
    subheading(f"Replication role {role['Arn']}")
    print("trust policy:")
    print_policy(role["AssumeRolePolicyDocument"])
    for policy_name in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        print(f"inline policy {policy_name}:")
        print_policy(iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"])
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    print(f"managed policies: {listed([policy['PolicyArn'] for policy in attached]) or 'none'}")


def show_key(kms, key_arn, label):
    subheading(f"{label} {key_arn}")
    metadata = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    print(f"state {metadata['KeyState']}, {metadata['KeyManager']}-managed, {metadata.get('KeySpec')}")
    print("key policy:")
    print_policy(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
    grants = kms.list_grants(KeyId=key_arn).get("Grants", [])
    for grant in grants:
        constraints = json.dumps(grant.get("Constraints", {}), sort_keys=True)
        print(f"grant {grant.get('Name', grant['GrantId'])}: {grant['GranteePrincipal']} {listed(grant['Operations'])} {constraints}")
    if not grants:
        print("grants: none")


def show_bucket_policy(s3, name):
    try:
        policy = s3.get_bucket_policy(Bucket=name)["Policy"]
    except botocore.exceptions.ClientError as error:
        if error_code(error) != "NoSuchBucketPolicy":
            raise
        print("  bucket policy: none")
        return
    print("  bucket policy:")
    print_policy(policy)


def show_source(side):
    heading(f"Source account {side['account_id']}")
    aws = session(side)
    s3 = aws.client("s3")
    if show_bucket(s3, side["bucket"]):
        show_objects(s3, side["bucket"])
        role_arn = show_replication(s3, side["bucket"])
        if role_arn:
            show_role(aws.client("iam"), role_arn)
    show_key(aws.client("kms"), side["kms_key_arn"], "Source key")


def show_destination(side):
    heading(f"Destination account {side['account_id']}")
    aws = session(side)
    s3 = aws.client("s3")
    if show_bucket(s3, side["bucket"]):
        show_bucket_policy(s3, side["bucket"])
    show_key(aws.client("kms"), side["kms_key_arn"], "Destination key")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    show_source(variables["replication_source"])
    show_destination(variables["replication_destination"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
