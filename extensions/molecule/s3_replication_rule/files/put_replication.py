# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeds a replication configuration the way another tool would: python put_replication.py PROFILE BUCKET JSON."""

import json
import sys

import boto3


def main(profile, bucket, configuration):
    client = boto3.Session(profile_name=profile).client("s3")
    client.put_bucket_replication(Bucket=bucket, ReplicationConfiguration=json.loads(configuration))


if __name__ == "__main__":
    main(*sys.argv[1:4])
