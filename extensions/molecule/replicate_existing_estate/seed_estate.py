# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adds other teams' work to the seed's estate (after tests/harness/seed_demo.py), with boto3.

    python seed_estate.py KEYS.json

Source account: the replication role already exists with another team's inline policy and a
rule replicating daily/ into a third account; the source key's policy does not delegate to IAM.
Destination account: the bucket exists, unversioned, with another team's bucket-policy statement;
the destination key's policy has another team's statement. The run must keep all of them.
"""

import json
import sys

import boto3

SOURCE, DESTINATION, THIRD = "211258069784", "880161310235", "444455556666"
ROLE_NAME = "s3-replication-role"
ROLE_ARN = f"arn:aws:iam::{SOURCE}:role/{ROLE_NAME}"
THIRD_BUCKET = "stats-data-third"
READER_ARN = f"arn:aws:iam::{DESTINATION}:role/analytics-reader"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
THIRD_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "ToThirdAccount", "Effect": "Allow", "Action": ["s3:ReplicateObject"], "Resource": f"arn:aws:s3:::{THIRD_BUCKET}/*"}],
}
THIRD_RULE = {
    "ID": "to-third-account",
    "Priority": 5,
    "Status": "Enabled",
    "Filter": {"Prefix": "daily/"},
    "DeleteMarkerReplication": {"Status": "Disabled"},
    "Destination": {"Bucket": f"arn:aws:s3:::{THIRD_BUCKET}", "Account": THIRD},
}


def key_policy(account, extra):
    """A key policy whose administrators do not get kms:* (no delegation to IAM), plus extra."""
    administrators = {
        "Sid": "KeyAdministrators",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                   "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion",
                   "kms:CancelKeyDeletion", "kms:TagResource", "kms:UntagResource"],
        "Resource": "*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [administrators] + extra})


def seed_source(keys):
    aws = boto3.Session(profile_name="prod")
    iam = aws.client("iam")
    iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName=ROLE_NAME, PolicyName="to-third-account", PolicyDocument=json.dumps(THIRD_POLICY))
    aws.client("s3").put_bucket_replication(Bucket="stats-data-src", ReplicationConfiguration={"Role": ROLE_ARN, "Rules": [THIRD_RULE]})
    reporting = {"Sid": "ReportingDecrypt", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SOURCE}:role/reporting"},
                 "Action": "kms:Decrypt", "Resource": "*"}
    aws.client("kms").put_key_policy(KeyId=keys["source"].split("/")[-1], PolicyName="default", Policy=key_policy(SOURCE, [reporting]))


def seed_third():
    s3 = boto3.Session(profile_name="third").client("s3")
    s3.create_bucket(Bucket=THIRD_BUCKET)
    s3.put_bucket_versioning(Bucket=THIRD_BUCKET, VersioningConfiguration={"Status": "Enabled"})


def seed_destination(keys):
    aws = boto3.Session(profile_name="analytics")
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="stats-data-tgt")
    reader = {"Sid": "AnalyticsTeamRead", "Effect": "Allow", "Principal": {"AWS": READER_ARN}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::stats-data-tgt/*"}
    s3.put_bucket_policy(Bucket="stats-data-tgt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [reader]}))
    kms = aws.client("kms")
    policy = json.loads(kms.get_key_policy(KeyId=keys["destination"].split("/")[-1], PolicyName="default")["Policy"])
    policy["Statement"].append({"Sid": "AnalyticsTeamDecrypt", "Effect": "Allow", "Principal": {"AWS": READER_ARN},
                                "Action": "kms:Decrypt", "Resource": "*"})
    kms.put_key_policy(KeyId=keys["destination"].split("/")[-1], PolicyName="default", Policy=json.dumps(policy))


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        keys = json.load(handle)
    seed_third()
    seed_source(keys)
    seed_destination(keys)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
