# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper of the replicate_two_way molecule scenario, acting in the two-account harness with boto3.

    python two_way_harness.py others KEYS.json   other teams' work on both sides (after tests/harness/seed_demo.py)
    python two_way_harness.py break-reverse      remove the reverse role's statements from the source bucket policy

Two-way makes each account both a source and a destination, so each side gets what another team
would already have there. Source account: the replication role with another team's inline policy
and rule (daily/ into a third account); a statement of theirs in the source bucket policy; a source
key policy that does not delegate to IAM, with their statement. Destination account: the bucket,
versioned, with their bucket-policy statement and their rule (exports/ into the third account) under
a role named like the reverse role, which carries their inline policy; their destination key
statement. The run must keep every one of them.
"""

import json
import sys

import boto3

SOURCE, DESTINATION, THIRD = "211258069784", "880161310235", "444455556666"
ROLE_NAME = "s3-replication-role"
THIRD_BUCKET = "stats-data-third"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def session(profile):
    return boto3.Session(profile_name=profile, region_name="us-east-1")


def their_policy(sid, bucket):
    return {"Version": "2012-10-17", "Statement": [{"Sid": sid, "Effect": "Allow", "Action": ["s3:ReplicateObject"], "Resource": f"arn:aws:s3:::{bucket}/*"}]}


def their_rule(rule_id, prefix, priority):
    return {
        "ID": rule_id,
        "Priority": priority,
        "Status": "Enabled",
        "Filter": {"Prefix": prefix},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": f"arn:aws:s3:::{THIRD_BUCKET}", "Account": THIRD},
    }


def their_role_and_rule(aws, account, bucket, policy_name, rule):
    """The role named like ours with their inline policy, and their rule replicating with it."""
    iam = aws.client("iam")
    iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName=ROLE_NAME, PolicyName=policy_name, PolicyDocument=json.dumps(their_policy(policy_name, THIRD_BUCKET)))
    role_arn = f"arn:aws:iam::{account}:role/{ROLE_NAME}"
    aws.client("s3").put_bucket_replication(Bucket=bucket, ReplicationConfiguration={"Role": role_arn, "Rules": [rule]})


def their_bucket_statement(s3, bucket, sid):
    statement = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{THIRD}:root"}, "Action": "s3:GetObject",
                 "Resource": f"arn:aws:s3:::{bucket}/shared/*"}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))


def their_key_statement(sid, account):
    return {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:role/reporting"}, "Action": "kms:Decrypt", "Resource": "*"}


def administrators_only(account, extra):
    """A key policy whose administrators do not get kms:* (no delegation to IAM), plus extra."""
    administrators = {
        "Sid": "KeyAdministrators",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
                   "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource", "kms:UntagResource"],
        "Resource": "*",
    }
    return {"Version": "2012-10-17", "Statement": [administrators, extra]}


def seed_third():
    s3 = session("third").client("s3")
    s3.create_bucket(Bucket=THIRD_BUCKET)
    s3.put_bucket_versioning(Bucket=THIRD_BUCKET, VersioningConfiguration={"Status": "Enabled"})


def seed_source(keys):
    aws = session("prod")
    their_role_and_rule(aws, SOURCE, "stats-data-src", "to-third-account", their_rule("to-third-account", "daily/", 5))
    their_bucket_statement(aws.client("s3"), "stats-data-src", "AuditTeamRead")
    policy = administrators_only(SOURCE, their_key_statement("ReportingDecrypt", SOURCE))
    aws.client("kms").put_key_policy(KeyId=keys["source"].rsplit("/", 1)[-1], PolicyName="default", Policy=json.dumps(policy))


def seed_destination(keys):
    aws = session("analytics")
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="stats-data-tgt")
    s3.put_bucket_versioning(Bucket="stats-data-tgt", VersioningConfiguration={"Status": "Enabled"})
    their_role_and_rule(aws, DESTINATION, "stats-data-tgt", "to-dr-account", their_rule("to-dr-copy", "exports/", 7))
    their_bucket_statement(s3, "stats-data-tgt", "AnalyticsTeamRead")
    kms = aws.client("kms")
    key_id = keys["destination"].rsplit("/", 1)[-1]
    policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    policy["Statement"].append(their_key_statement("AnalyticsTeamDecrypt", DESTINATION))
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(policy))


def break_reverse():
    """The reverse direction broken on the source side: its replicas may no longer be written into the source bucket."""
    s3 = session("prod").client("s3")
    policy = json.loads(s3.get_bucket_policy(Bucket="stats-data-src")["Policy"])
    reverse_role = f"arn:aws:iam::{DESTINATION}:role/{ROLE_NAME}"
    policy["Statement"] = [statement for statement in policy["Statement"] if statement.get("Principal") != {"AWS": reverse_role}]
    s3.put_bucket_policy(Bucket="stats-data-src", Policy=json.dumps(policy))


def main(argv):
    if argv[1:2] == ["others"]:
        with open(argv[2], encoding="utf-8") as handle:
            keys = json.load(handle)
        seed_third()
        seed_source(keys)
        seed_destination(keys)
    elif argv[1:2] == ["break-reverse"]:
        break_reverse()
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
