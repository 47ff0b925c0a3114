# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the writers of a bucket's documents (replication configuration, policy, notification
configuration) share: the bucket named by the ``bucket`` option, and reading its document."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused


def bucket_of(params):
    """The bucket name of the ``bucket`` option (a name or an S3 bucket ARN); refused when it is neither."""
    try:
        return arns.bucket_name(params["bucket"])
    except ValueError as error:
        raise WriteRefused(f"bucket: {error}") from None


def read_document(aws, bucket, read):
    """``read(s3 client, bucket)``; a bucket that does not exist is refused, naming the option."""
    try:
        return read(aws.client("s3"), bucket)
    except AwsCallFailure as failure:
        if failure.code in aws_s3.MISSING_BUCKET:
            raise WriteRefused(f"bucket: {bucket} does not exist in this account; create it first or check bucket and profile") from None
        raise
