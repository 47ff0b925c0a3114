# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeds the seed scenario's "existing estate" in the two-account harness, with boto3.

    python tests/harness/seed_demo.py [--vars examples/vars.yml] [--out .build/demo/vars.yml]
                                      [--keys-out KEYS.json]

Source account: a customer-managed key, the versioned bucket encrypted by default with it and
holding a few SSE-KMS objects. Destination account: a customer-managed key; the destination
bucket stays missing (the playbook creates it). Both keys keep KMS's default key policy.

moto picks key ids, so the vars file is written again with the real key ARNs in place of the
example's (a text substitution: the example's comments survive). Run again, it reuses the keys
(found by alias) and the bucket.
"""

import argparse
import json
import os
import sys

import yaml

from show_state import session

OBJECTS = {
    "daily/2026-11-25.csv": "day,visits\n2026-11-25,1203\n",
    "daily/2026-11-26.csv": "day,visits\n2026-11-26,1311\n",
    "reports/november.json": '{"month": "2026-11", "visits": 35210}\n',
}


def customer_key(kms, alias, description):
    """Returns the ARN of the key behind alias/ALIAS, creating both when missing."""
    try:
        return kms.describe_key(KeyId=f"alias/{alias}")["KeyMetadata"]["Arn"]
    except kms.exceptions.NotFoundException:
        pass
    arn = kms.create_key(Description=description, KeyUsage="ENCRYPT_DECRYPT", KeySpec="SYMMETRIC_DEFAULT")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=arn)
    return arn


def create_bucket(s3, name, region):
    arguments = {"Bucket": name}
    if region != "us-east-1":
        arguments["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**arguments)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass


def seed_source(side):
    aws = session(side)
    key_arn = customer_key(aws.client("kms"), side["bucket"], f"Encrypts the objects of {side['bucket']}")
    s3 = aws.client("s3")
    create_bucket(s3, side["bucket"], side["region"])
    s3.put_bucket_versioning(Bucket=side["bucket"], VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=side["bucket"],
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}, "BucketKeyEnabled": False}]
        },
    )
    for name, body in OBJECTS.items():
        s3.put_object(Bucket=side["bucket"], Key=name, Body=body.encode("utf-8"), ServerSideEncryption="aws:kms", SSEKMSKeyId=key_arn)
    return key_arn


def seed_destination(side):
    return customer_key(session(side).client("kms"), side["bucket"], f"Encrypts the replicas in {side['bucket']}")


def substitute_keys(text, example, keys):
    """The example vars text with each side's kms_key_arn replaced by the real one."""
    for side in ("source", "destination"):
        placeholder = example[f"replication_{side}"]["kms_key_arn"]
        if placeholder not in text:
            raise SystemExit(f"replication_{side}.kms_key_arn {placeholder} not found in the vars file")
        text = text.replace(placeholder, keys[side])
    return text


def write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vars", default="examples/vars.yml", help="the vars file naming buckets, regions and profiles")
    parser.add_argument("--out", help="write the vars file again here, with the real key ARNs")
    parser.add_argument("--keys-out", help="write {source, destination} key ARNs here as JSON")
    args = parser.parse_args(argv)

    with open(args.vars, encoding="utf-8") as handle:
        text = handle.read()
    example = yaml.safe_load(text)
    keys = {
        "source": seed_source(example["replication_source"]),
        "destination": seed_destination(example["replication_destination"]),
    }
    if args.out:
        write(args.out, substitute_keys(text, example, keys))
    if args.keys_out:
        write(args.keys_out, json.dumps(keys, indent=2) + "\n")
    source = example["replication_source"]
    print(f"source account {source['account_id']}: bucket {source['bucket']} (versioned, {len(OBJECTS)} SSE-KMS objects), key {keys['source']}")
    destination = example["replication_destination"]
    print(f"destination account {destination['account_id']}: key {keys['destination']}; bucket {destination['bucket']} not created yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
