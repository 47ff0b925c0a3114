# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeds a tagged estate in the harness and writes replication_pairs inventory files for it.

    python tests/harness/seed_estate.py --tagged 30 --out DIR [--prefix estate] [--others]

Source account (prod): ``--tagged`` versioned buckets PREFIX-NNN tagged replicate-to=analytics and
team=team-1..4 in turn, SSE-KMS by default with one customer managed key (a few with their key named
by alias, as S3 keeps it).
With ``--others``, buckets that must not become pairs: untagged, tagged replicate-to=finance, tagged
but AES256, tagged but SSE-KMS with the AWS managed key (aws/s3). Destination account (analytics):
a customer managed key. Two inventories in DIR: ``fan-in.replication_pairs.yml`` (every bucket into
PREFIX-central) and ``per-bucket.replication_pairs.yml`` ({source_bucket}-replica), each with one
replication role per team tag (``compose``: a role holds at most 8 pairs' policies, docs/quotas.md). Prints JSON:
{tagged: [...], others: [...], source_key, destination_key, inventories: {fan-in, per-bucket}}.
"""

import argparse
import json
import os
import sys

import yaml

from seed_demo import create_bucket, customer_key
from show_state import session

SOURCE, DESTINATION, REGION = "211258069784", "880161310235", "us-east-1"
TAG = {"replicate-to": "analytics"}
TEAMS = 4
OTHERS = {
    "untagged": ({}, "kms"),
    "finance": ({"replicate-to": "finance"}, "kms"),
    "aes": (TAG, "AES256"),
    "aws-managed": (TAG, "aws-managed"),
}


def encryption(kind, key):
    if kind == "AES256":
        default = {"SSEAlgorithm": "AES256"}
    elif kind == "aws-managed":
        default = {"SSEAlgorithm": "aws:kms"}
    else:
        default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": False}]}


def seed_bucket(s3, name, tags, kind, key):
    create_bucket(s3, name, REGION)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=encryption(kind, key))
    if tags:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]})


def inventory(bucket, destination_key):
    return {
        "plugin": "s3_crossaccount.replication.replication_pairs",
        "source": {"account_id": SOURCE, "region": REGION, "profile": "prod", "bucket_tags": dict(TAG)},
        "destination": {"account_id": DESTINATION, "region": REGION, "profile": "analytics", "bucket": bucket, "kms_key_arn": destination_key},
        "compose": {"replication_role_name": "'estate-' ~ bucket_tags.team"},
    }


def seed(count, out, prefix="estate", others=False):
    source = session({"profile": "prod", "region": REGION})
    source_key = customer_key(source.client("kms"), f"{prefix}-source", "Encrypts the estate's buckets")
    destination_key = customer_key(session({"profile": "analytics", "region": REGION}).client("kms"), f"{prefix}-replicas", "Encrypts the replicas")
    s3 = source.client("s3")
    tagged = [f"{prefix}-{number:03d}" for number in range(1, count + 1)]
    for index, name in enumerate(tagged):
        # S3 keeps the key as written: every fifth bucket names it by alias ARN, which the inventory resolves.
        key = source_key if index % 5 else f"arn:aws:kms:{REGION}:{SOURCE}:alias/{prefix}-source"
        seed_bucket(s3, name, dict(TAG, team=f"team-{index % TEAMS + 1}"), "kms", key)
    other_names = []
    for suffix, (tags, kind) in (OTHERS.items() if others else ()):
        name = f"{prefix}-{suffix}"
        seed_bucket(s3, name, tags, kind, source_key)
        other_names.append(name)
    os.makedirs(out, exist_ok=True)
    paths = {}
    for label, bucket in (("fan-in", f"{prefix}-central"), ("per-bucket", "{source_bucket}-replica")):
        paths[label] = os.path.join(out, f"{label}.replication_pairs.yml")
        with open(paths[label], "w", encoding="utf-8") as handle:
            yaml.safe_dump(inventory(bucket, destination_key), handle, sort_keys=False)
    return {"tagged": tagged, "others": other_names, "source_key": source_key, "destination_key": destination_key, "inventories": paths}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tagged", type=int, required=True, help="how many tagged SSE-KMS buckets")
    parser.add_argument("--out", required=True, help="directory of the inventory files")
    parser.add_argument("--prefix", default="estate", help="bucket and key alias prefix")
    parser.add_argument("--others", action="store_true", help="also buckets that must not become pairs")
    args = parser.parse_args(argv)
    print(json.dumps(seed(args.tagged, args.out, args.prefix, args.others), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
