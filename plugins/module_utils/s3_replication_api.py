# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin retried wrappers around the S3 replication configuration API.

The client comes from ``module.client("s3", retry_decorator=...)``: every call passes
``aws_retry=True``. Errors propagate as botocore exceptions; ``describe_error`` turns them
into a message naming the bucket and the fix.
"""

import time

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.retries import TransientRetry

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.replication_rules import same_configuration

NOT_FOUND = "ReplicationConfigurationNotFoundError"
# S3 answers these while another change to the bucket's configuration is in flight.
EXTRA_RETRY_CODES = ["SlowDown", "OperationAborted"]
STALE_READ_ATTEMPTS = 10
STALE_READ_DELAY = 2.0


def retry_decorator():
    return TransientRetry.jittered_backoff(catch_extra_error_codes=EXTRA_RETRY_CODES)


def get_replication(client, bucket):
    """The bucket's ReplicationConfiguration, or None when it has none."""
    try:
        return client.get_bucket_replication(aws_retry=True, Bucket=bucket)["ReplicationConfiguration"]
    except is_boto3_error_code(NOT_FOUND):
        return None


def put_replication(client, bucket, configuration):
    client.put_bucket_replication(aws_retry=True, Bucket=bucket, ReplicationConfiguration=configuration)


def delete_replication(client, bucket):
    client.delete_bucket_replication(aws_retry=True, Bucket=bucket)


def wait_for_replication(client, bucket, expected, attempts=STALE_READ_ATTEMPTS, delay=STALE_READ_DELAY, sleep=time.sleep):
    """Re-reads until S3 shows ``expected`` (None: no configuration); gives up after ``attempts``.

    S3 configuration reads are eventually consistent: right after a write a read may still
    show the previous configuration, or none at all right after the first one.
    Returns ``(configuration as last read, whether it matched)``.
    """
    seen = None
    for attempt in range(attempts):
        seen = get_replication(client, bucket)
        if same_configuration(seen, expected):
            return seen, True
        if attempt + 1 < attempts:
            sleep(delay)
    return seen, False


def bucket_region(client, bucket):
    """The bucket's region from HeadBucket's x-amz-bucket-region header, which S3 also sends
    with a 403 for another account's bucket; None when it cannot be told."""
    try:
        response = client.head_bucket(aws_retry=True, Bucket=bucket)
    except ClientError as error:
        response = error.response
    headers = (response or {}).get("ResponseMetadata", {}).get("HTTPHeaders", {})
    return headers.get("x-amz-bucket-region") or (response or {}).get("BucketRegion")


def describe_error(error, bucket, action):
    """A message for a failed ``action`` (e.g. 'read') that names the bucket and the fix."""
    code = error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""
    text = error.response.get("Error", {}).get("Message", "") if isinstance(error, ClientError) else ""
    if code == "NoSuchBucket":
        return f"Source bucket '{bucket}' does not exist or is not visible to these credentials: check bucket, the profile/account and region"
    if "ersioning" in text and "estination" in text:
        return (
            "The destination bucket must have versioning Enabled before S3 accepts a rule towards it: enable versioning on the destination "
            "bucket (s3_replication_bucket with versioning: true, in the destination account) and rerun"
        )
    if "ersioning" in text:
        return (
            f"Versioning must be Enabled on source bucket '{bucket}' before a replication configuration can be written: enable it "
            "(s3_replication_bucket with versioning: true) and rerun"
        )
    if code in ("AccessDenied", "AllAccessDisabled"):
        return (
            f"Access denied to the replication configuration of bucket '{bucket}' ({action}): the credentials need "
            "s3:GetReplicationConfiguration and s3:PutReplicationConfiguration on the bucket, and iam:PassRole on the replication role"
        )
    return f"Could not {action} the replication configuration of bucket '{bucket}'"
