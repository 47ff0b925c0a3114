# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeds the replication the seed blog post sets up by hand, in the two-account harness, with boto3.

    python tests/harness/seed_blog.py [--vars examples/vars.yml] [--out .build/blog/vars.yml]

First the estate of seed_demo.py (source key, bucket and SSE-KMS objects; destination key), then
what a reader of the post made in the consoles (docs/from-the-blog.md):

- source account: the role ``s3-replication-role`` with the post's trust policy and role policy
  (inline policy ``BLOG_ROLE_POLICY``), and the console rule ``replicate-all`` (priority 1, every
  object, owner override, no SSE-KMS selection, no replica key);
- destination account: the bucket, versioned and encrypted with the destination key, with the
  post's two bucket policy statements;
- both keys: a statement allowing the role to encrypt and decrypt (the post asks for one without
  giving it).

IAM refuses two of the post's documents as published, so they are seeded as a reader must have
fixed them: the role policy without ``Principal`` (an identity policy has none) and the trust
principal ``s3.amazonaws.com`` (the post writes ``s3:amazonaws.com``). Other teams' statements
(``OTHER_TEAM_SIDS``) are added to the destination bucket policy and key policy, for the checks
that a run keeps them.
"""

import argparse
import json
import sys

import yaml

from seed_demo import create_bucket
from seed_demo import seed_destination
from seed_demo import seed_source
from seed_demo import substitute_keys
from seed_demo import write
from show_state import session

RULE_ID = "replicate-all"
BLOG_ROLE_POLICY = "s3-replication-policy"
BLOG_BUCKET_SIDS = ("Permissions on objects and buckets", "Permission to override bucket owner")
BLOG_KEY_SID = "AllowS3ReplicationRole"
OTHER_TEAM_SIDS = {"bucket": "AnalyticsTeamRead", "key": "AnalyticsTeamDecrypt"}
KEY_ACTIONS = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*"]


def role_arn(source):
    return f"arn:aws:iam::{source['account_id']}:role/s3-replication-role"


def role_policy(source, destination, keys):
    """The post's role policy (its first statement without the Principal IAM refuses)."""
    src, dst = source["bucket"], destination["bucket"]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GetSourceBucketConfiguration",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetReplicationConfiguration",
                           "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                "Resource": [f"arn:aws:s3:::{src}", f"arn:aws:s3:::{src}/*"],
            },
            {
                "Sid": "ReplicateToDestinationBuckets",
                "Effect": "Allow",
                "Action": ["s3:List*", "s3:*Object", "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                "Resource": [f"arn:aws:s3:::{dst}", f"arn:aws:s3:::{dst}/*"],
            },
            {"Sid": "PermissionToOverrideBucketOwner", "Effect": "Allow", "Action": ["s3:ObjectOwnerOverrideToBucketOwner"],
             "Resource": [f"arn:aws:s3:::{dst}/*"]},
            {"Sid": "KMSEncryptDecryptAccess", "Effect": "Allow",
             "Action": ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt"],
             "Resource": [keys["source"], keys["destination"]]},
        ],
    }


def trust_policy():
    return {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "s3.amazonaws.com"}}]}


def console_rule(destination):
    """What the S3 console writes for "all objects" to a bucket of another account with owner override."""
    return {
        "ID": RULE_ID,
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {
            "Bucket": f"arn:aws:s3:::{destination['bucket']}",
            "Account": destination["account_id"],
            "AccessControlTranslation": {"Owner": "Destination"},
        },
    }


def bucket_policy(source, destination):
    """The post's destination bucket policy, and another team's statement."""
    bucket = f"arn:aws:s3:::{destination['bucket']}"
    return {
        "Version": "2012-10-17",
        "Id": "PolicyForDestinationBucket",
        "Statement": [
            {"Sid": BLOG_BUCKET_SIDS[0], "Effect": "Allow", "Principal": {"AWS": role_arn(source)},
             "Action": ["s3:List*", "s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:ReplicateDelete", "s3:ReplicateObject"],
             "Resource": [bucket, f"{bucket}/*"]},
            {"Sid": BLOG_BUCKET_SIDS[1], "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{source['account_id']}:root"},
             "Action": "s3:ObjectOwnerOverrideToBucketOwner", "Resource": f"{bucket}/*"},
            {"Sid": OTHER_TEAM_SIDS["bucket"], "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{destination['account_id']}:root"},
             "Action": "s3:GetObject", "Resource": f"{bucket}/*"},
        ],
    }


def add_key_statements(kms, key_arn, statements):
    policy = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
    policy["Statement"].extend(statements)
    kms.put_key_policy(KeyId=key_arn, PolicyName="default", Policy=json.dumps(policy))


def key_statement(source):
    return {"Sid": BLOG_KEY_SID, "Effect": "Allow", "Principal": {"AWS": role_arn(source)}, "Action": KEY_ACTIONS, "Resource": "*"}


def other_team_key_statement(destination):
    return {"Sid": OTHER_TEAM_SIDS["key"], "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{destination['account_id']}:root"},
            "Action": "kms:Decrypt", "Resource": "*"}


def seed_by_hand(source, destination, keys):
    """The consoles' work: role, destination bucket and its policy, key statements, the console rule."""
    iam = session(source).client("iam")
    iam.create_role(RoleName="s3-replication-role", AssumeRolePolicyDocument=json.dumps(trust_policy()))
    iam.put_role_policy(RoleName="s3-replication-role", PolicyName=BLOG_ROLE_POLICY, PolicyDocument=json.dumps(role_policy(source, destination, keys)))
    s3 = session(destination).client("s3")
    create_bucket(s3, destination["bucket"], destination["region"])
    s3.put_bucket_versioning(Bucket=destination["bucket"], VersioningConfiguration={"Status": "Enabled"})
    by_default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": keys["destination"]}
    s3.put_bucket_encryption(Bucket=destination["bucket"], ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": by_default}]})
    s3.put_bucket_policy(Bucket=destination["bucket"], Policy=json.dumps(bucket_policy(source, destination)))
    add_key_statements(session(source).client("kms"), keys["source"], [key_statement(source)])
    add_key_statements(session(destination).client("kms"), keys["destination"], [key_statement(source), other_team_key_statement(destination)])
    session(source).client("s3").put_bucket_replication(
        Bucket=source["bucket"], ReplicationConfiguration={"Role": role_arn(source), "Rules": [console_rule(destination)]}
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vars", default="examples/vars.yml", help="the vars file naming buckets, regions and profiles")
    parser.add_argument("--out", help="write the vars file again here, with the real key ARNs")
    args = parser.parse_args(argv)

    with open(args.vars, encoding="utf-8") as handle:
        text = handle.read()
    example = yaml.safe_load(text)
    source, destination = example["replication_source"], example["replication_destination"]
    keys = {"source": seed_source(source), "destination": seed_destination(destination)}
    seed_by_hand(source, destination, keys)
    if args.out:
        write(args.out, substitute_keys(text, example, keys))
    print(f"source account {source['account_id']}: role s3-replication-role (inline policy {BLOG_ROLE_POLICY}), rule {RULE_ID} "
          f"on {source['bucket']}, key {keys['source']}")
    print(f"destination account {destination['account_id']}: bucket {destination['bucket']} with the post's policy, key {keys['destination']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
