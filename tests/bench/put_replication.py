# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The baseline's replication step (amazon.aws has no replication module): whole-configuration write.

    python put_replication.py PROFILE REGION BUCKET CONFIGURATION_JSON

Reads the bucket's replication configuration and writes CONFIGURATION_JSON over it when it
differs, the straightforward way (other teams' rules are not merged). Prints ``changed`` or
``unchanged``.
"""

import json
import sys

import boto3


def main(argv):
    profile, region, bucket, configuration = argv[1], argv[2], argv[3], json.loads(argv[4])
    s3 = boto3.Session(profile_name=profile, region_name=region).client("s3")
    try:
        current = s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "ReplicationConfigurationNotFoundError":
            raise
        current = None
    if current == configuration:
        print("unchanged")
        return 0
    s3.put_bucket_replication(Bucket=bucket, ReplicationConfiguration=configuration)
    print("changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
