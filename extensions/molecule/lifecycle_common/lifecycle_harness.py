# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper of the lifecycle_* molecule scenarios, acting in the two-account harness with boto3.

python lifecycle_harness.py foreign KEYS.json        another team's entries in both accounts
python lifecycle_harness.py drop-foreign-role-users  remove the other team's rule and inline policy on our role
python lifecycle_harness.py state                    both accounts' state as JSON (read-only)
python lifecycle_harness.py replicate BUCKET KEY DST_BUCKET DST_KEY_ARN
    what S3 would do for one object (the emulator never replicates): copy the latest version of
    KEY into DST_BUCKET in the destination account, encrypted with DST_KEY_ARN
"""

import json
import sys

import boto3
import botocore.exceptions

SOURCE_PROFILE, DESTINATION_PROFILE = "prod", "analytics"
SOURCE_BUCKET, DESTINATION_BUCKET = "stats-data-src", "stats-data-tgt"
ARCHIVE_BUCKET = "other-team-archive"
OTHER_ACCOUNT_ROOT = "arn:aws:iam::444455556666:root"
ROLE = "s3-replication-role"
FOREIGN_RULE = "other-team-archive"
FOREIGN_ROLE_POLICY = "other-team-extra"
FOREIGN_ROLE = "other-team-role"
FOREIGN_GRANT = "other-team-grant"
FOREIGN_OBJECT = "other-team/keep-me.txt"


def client(profile, service):
    return boto3.Session(profile_name=profile, region_name="us-east-1").client(service)


def merge_statement(policy_text, statement):
    policy = json.loads(policy_text)
    policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != statement["Sid"]] + [statement]
    return json.dumps(policy)


def add_key_statement(kms, key_arn, sid):
    policy = kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"]
    statement = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": OTHER_ACCOUNT_ROOT}, "Action": "kms:Decrypt", "Resource": "*"}
    kms.put_key_policy(KeyId=key_arn, PolicyName="default", Policy=merge_statement(policy, statement))


def foreign(keys_file):
    with open(keys_file, encoding="utf-8") as handle:
        keys = json.load(handle)
    src_s3, dst_s3 = client(SOURCE_PROFILE, "s3"), client(DESTINATION_PROFILE, "s3")
    src_s3.create_bucket(Bucket=ARCHIVE_BUCKET)
    src_s3.put_bucket_versioning(Bucket=ARCHIVE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    configuration = src_s3.get_bucket_replication(Bucket=SOURCE_BUCKET)["ReplicationConfiguration"]
    configuration["Rules"].append(
        {
            "ID": FOREIGN_RULE,
            "Priority": 100,
            "Status": "Enabled",
            "Filter": {"Prefix": "archive/"},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": f"arn:aws:s3:::{ARCHIVE_BUCKET}"},
        }
    )
    src_s3.put_bucket_replication(Bucket=SOURCE_BUCKET, ReplicationConfiguration=configuration)
    src_s3.put_object(Bucket=SOURCE_BUCKET, Key=FOREIGN_OBJECT, Body=b"another team's object\n")
    dst_s3.put_object(Bucket=DESTINATION_BUCKET, Key=FOREIGN_OBJECT, Body=b"another team's object\n")
    policy = dst_s3.get_bucket_policy(Bucket=DESTINATION_BUCKET)["Policy"]
    dst_s3.put_bucket_policy(
        Bucket=DESTINATION_BUCKET,
        Policy=merge_statement(
            policy,
            {
                "Sid": "OtherTeamRead",
                "Effect": "Allow",
                "Principal": {"AWS": OTHER_ACCOUNT_ROOT},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{DESTINATION_BUCKET}/other-team/*",
            },
        ),
    )
    dst_kms, src_kms = client(DESTINATION_PROFILE, "kms"), client(SOURCE_PROFILE, "kms")
    add_key_statement(dst_kms, keys["destination"], "OtherTeamDecrypt")
    add_key_statement(src_kms, keys["source"], "OtherTeamSourceDecrypt")
    dst_kms.create_grant(KeyId=keys["destination"], GranteePrincipal=OTHER_ACCOUNT_ROOT, Operations=["Decrypt"], Name=FOREIGN_GRANT)
    iam = client(SOURCE_PROFILE, "iam")
    trust = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    )
    iam.create_role(RoleName=FOREIGN_ROLE, AssumeRolePolicyDocument=trust)
    read = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{ARCHIVE_BUCKET}/*"}]})
    iam.put_role_policy(RoleName=FOREIGN_ROLE, PolicyName="read-archive", PolicyDocument=read)
    iam.put_role_policy(RoleName=ROLE, PolicyName=FOREIGN_ROLE_POLICY, PolicyDocument=read)


def drop_foreign_role_users():
    src_s3 = client(SOURCE_PROFILE, "s3")
    configuration = src_s3.get_bucket_replication(Bucket=SOURCE_BUCKET)["ReplicationConfiguration"]
    configuration["Rules"] = [rule for rule in configuration["Rules"] if rule["ID"] != FOREIGN_RULE]
    if configuration["Rules"]:
        src_s3.put_bucket_replication(Bucket=SOURCE_BUCKET, ReplicationConfiguration=configuration)
    else:
        src_s3.delete_bucket_replication(Bucket=SOURCE_BUCKET)
    client(SOURCE_PROFILE, "iam").delete_role_policy(RoleName=ROLE, PolicyName=FOREIGN_ROLE_POLICY)


def _sids(policy_text):
    return sorted(s.get("Sid", "") for s in json.loads(policy_text)["Statement"]) if policy_text else []


def _ignore(error_codes, call, default):
    try:
        return call()
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] in error_codes:
            return default
        raise


def _role(iam, name):
    role = _ignore(("NoSuchEntity",), lambda: iam.get_role(RoleName=name)["Role"], None)
    if role is None:
        return None
    return {
        "arn": role["Arn"],
        "trust_principals": sorted(
            principal
            for statement in role["AssumeRolePolicyDocument"]["Statement"]
            for principal in ([statement["Principal"]["Service"]] if isinstance(statement["Principal"]["Service"], str) else statement["Principal"]["Service"])
        ),
        "inline_policies": sorted(iam.list_role_policies(RoleName=name)["PolicyNames"]),
        "inline_documents": {
            n: iam.get_role_policy(RoleName=name, PolicyName=n)["PolicyDocument"] for n in iam.list_role_policies(RoleName=name)["PolicyNames"]
        },
    }


def _key(kms, alias):
    key_id = kms.describe_key(KeyId=f"alias/{alias}")["KeyMetadata"]["KeyId"]
    return {
        "policy_sids": _sids(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]),
        "grants": sorted(g.get("Name", "") for g in kms.list_grants(KeyId=key_id)["Grants"]),
    }


def _objects(s3, bucket):
    answer = s3.list_object_versions(Bucket=bucket)
    return sorted({entry["Key"] for entry in answer.get("Versions", []) + answer.get("DeleteMarkers", [])})


def state():
    src_s3, dst_s3 = client(SOURCE_PROFILE, "s3"), client(DESTINATION_PROFILE, "s3")
    iam = client(SOURCE_PROFILE, "iam")
    configuration = _ignore(
        ("ReplicationConfigurationNotFoundError",), lambda: src_s3.get_bucket_replication(Bucket=SOURCE_BUCKET)["ReplicationConfiguration"], {}
    )
    return {
        "source": {
            "rules": sorted(rule["ID"] for rule in configuration.get("Rules", [])),
            "configuration_role": configuration.get("Role"),
            "objects": _objects(src_s3, SOURCE_BUCKET),
            "versioning": src_s3.get_bucket_versioning(Bucket=SOURCE_BUCKET).get("Status"),
            "key": _key(client(SOURCE_PROFILE, "kms"), SOURCE_BUCKET),
            "role": _role(iam, ROLE),
            "foreign_role": _role(iam, FOREIGN_ROLE),
        },
        "destination": {
            "bucket_policy_sids": _sids(_ignore(("NoSuchBucketPolicy",), lambda: dst_s3.get_bucket_policy(Bucket=DESTINATION_BUCKET)["Policy"], None)),
            "objects": _objects(dst_s3, DESTINATION_BUCKET),
            "versioning": dst_s3.get_bucket_versioning(Bucket=DESTINATION_BUCKET).get("Status"),
            "key": _key(client(DESTINATION_PROFILE, "kms"), DESTINATION_BUCKET),
        },
    }


def replicate(bucket, key, destination_bucket, destination_key_arn):
    body = client(SOURCE_PROFILE, "s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    client(DESTINATION_PROFILE, "s3").put_object(
        Bucket=destination_bucket,
        Key=key,
        Body=body,
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=destination_key_arn,
    )


def main(argv):
    command = argv[1]
    if command == "foreign":
        foreign(argv[2])
    elif command == "drop-foreign-role-users":
        drop_foreign_role_users()
    elif command == "state":
        json.dump(state(), sys.stdout, indent=1, sort_keys=True)
    elif command == "replicate":
        replicate(*argv[2:6])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
