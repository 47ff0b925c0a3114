# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prints, as JSON, the state of every pair of a many-pairs or fan-out run (tests; read-only).

    python tests/harness/show_pairs.py PAIRS.json

PAIRS.json maps a pair's name to its replication variables (replication_source, and
replication_destination or replication_destinations, replication_role_name). For each pair: the
source bucket (versioning, replication configuration), the replication role, and per destination
the bucket (versioning, encryption, ownership, policy) and the destination key (policy, grants).
"""

import json
import sys

from show_state import read_bucket, read_key, read_role, session


def destinations(variables):
    if "replication_destinations" in variables:
        return variables["replication_destinations"]
    return [variables["replication_destination"]]


def pair_state(variables):
    source = variables["replication_source"]
    source_session = session(source)
    state = {
        "source": {
            "bucket": read_bucket(source_session.client("s3"), source["bucket"]),
            "role": read_role(source_session.client("iam"), variables.get("replication_role_name") or "s3-replication-role"),
        },
        "destinations": [],
    }
    for destination in destinations(variables):
        destination_session = session(destination)
        state["destinations"].append({
            "bucket": read_bucket(destination_session.client("s3"), destination["bucket"]),
            "key": read_key(destination_session.client("kms"), destination["kms_key_arn"]),
        })
    return state


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        pairs = json.load(handle)
    print(json.dumps({name: pair_state(variables) for name, variables in sorted(pairs.items())}, indent=2, sort_keys=True, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
