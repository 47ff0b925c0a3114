# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeds N replication pairs in the harness and writes an inventory with one host per pair.

    python tests/harness/seed_pairs.py --pairs 5 --inventory pairs.yml [--prefix bench]
        [--shared-role] [--shared-destination-key] [--fan-out K | --fan-in] [--keys-out keys.json]

Pair NN: source bucket PREFIX-src-NN in the source account (versioned, SSE-KMS by default with the
source account's key, no objects); destination bucket PREFIX-dst-NN in the destination account,
left missing (the playbook creates it). Keys keep KMS's default key policy.

Independent pairs (the default) each get their own replication role and destination key, so no
two pairs write the same IAM role, bucket policy or key policy. ``--shared-role`` gives every pair
the same role (one per source account, the usual estate), ``--shared-destination-key`` one key in
the destination account for every destination bucket. ``--fan-out K`` gives each pair K
destinations (``replication_destinations``), alternating between the destination and third
accounts, instead of one ``replication_destination``. ``--fan-in`` sends every pair to one central
destination bucket PREFIX-central (with --shared-destination-key: into one bucket and one key).

The inventory is the many-pairs layout of docs/scaling.md: group ``replication_pairs``, one host
per pair with ``ansible_connection: local`` and that pair's replication variables. Run again, it
reuses keys (found by alias) and buckets.
"""

import argparse
import json
import os
import sys

import yaml

from seed_demo import create_bucket, customer_key
from show_state import session

REGION = "us-east-1"
ACCOUNTS = {"source": "211258069784", "destination": "880161310235", "third": "444455556666"}
PROFILES = {"source": "src", "destination": "dst", "third": "third"}
FAN_OUT_SIDES = ("destination", "third")


def side(account, bucket, key_arn):
    return {"account_id": ACCOUNTS[account], "bucket": bucket, "kms_key_arn": key_arn, "region": REGION, "profile": PROFILES[account]}


class Estate:
    """Keys created on first use and remembered, so shared keys are one key."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.keys = {}
        self.sessions = {}

    def session(self, account):
        if account not in self.sessions:
            self.sessions[account] = session({"profile": PROFILES[account], "region": REGION})
        return self.sessions[account]

    def key(self, account, alias):
        if alias not in self.keys:
            self.keys[alias] = customer_key(self.session(account).client("kms"), alias, f"bench key {alias}")
        return self.keys[alias]

    def source_bucket(self, name, key_arn):
        s3 = self.session("source").client("s3")
        create_bucket(s3, name, REGION)
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}, "BucketKeyEnabled": False}]
            },
        )


def pair_host(estate, number, args):
    """The host variables of pair ``number`` (1-based)."""
    prefix = args.prefix
    source_key = estate.key("source", f"{prefix}-src")
    source_bucket = f"{prefix}-src-{number:02d}"
    estate.source_bucket(source_bucket, source_key)
    host = {"replication_source": side("source", source_bucket, source_key)}
    if not args.shared_role:
        host["replication_role_name"] = f"{prefix}-replication-role-{number:02d}"

    def destination(account, bucket):
        alias = f"{prefix}-dst-{account}" if args.shared_destination_key else f"{bucket}-key"
        return side(account, bucket, estate.key(account, alias))

    if args.fan_out:
        host["replication_destinations"] = [
            dict(destination(FAN_OUT_SIDES[index % len(FAN_OUT_SIDES)], f"{prefix}-dst-{number:02d}-{index + 1}"),
                 rules=[{"id": f"to-{prefix}-dst-{number:02d}-{index + 1}"}])
            for index in range(args.fan_out)
        ]
    else:
        host["replication_destination"] = destination("destination", f"{prefix}-central" if args.fan_in else f"{prefix}-dst-{number:02d}")
    return host


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, required=True, help="how many pairs (hosts)")
    parser.add_argument("--inventory", required=True, help="write the inventory (YAML) here")
    parser.add_argument("--prefix", default="bench", help="bucket, key alias and role name prefix")
    parser.add_argument("--shared-role", action="store_true", help="one replication role for every pair")
    parser.add_argument("--shared-destination-key", action="store_true", help="one destination key per destination account")
    parser.add_argument("--fan-out", type=int, default=0, help="destinations per pair (replication_destinations)")
    parser.add_argument("--fan-in", action="store_true", help="every pair into one destination bucket, PREFIX-central")
    parser.add_argument("--keys-out", help="write {alias: key ARN} here as JSON")
    args = parser.parse_args(argv)
    if args.fan_in and args.fan_out:
        parser.error("--fan-in and --fan-out exclude each other")

    estate = Estate(args.prefix)
    hosts = {f"pair-{number:02d}": pair_host(estate, number, args) for number in range(1, args.pairs + 1)}
    inventory = {"replication_pairs": {"vars": {"ansible_connection": "local"}, "hosts": hosts}}
    os.makedirs(os.path.dirname(os.path.abspath(args.inventory)), exist_ok=True)
    with open(args.inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle, sort_keys=False)
    if args.keys_out:
        with open(args.keys_out, "w", encoding="utf-8") as handle:
            json.dump(estate.keys, handle, indent=2)
    print(f"{args.pairs} pairs seeded, {len(estate.keys)} keys; inventory {args.inventory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
