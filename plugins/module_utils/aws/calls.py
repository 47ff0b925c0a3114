# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one way this collection calls AWS: the shared retry, "not found" as a plain value, one failure type.

Clients come from ``AnsibleS3CrossAccountModule.client`` (a retrying wrapper), so every call passes
``aws_retry=True``. The service modules (aws_s3, aws_kms, aws_iam, aws_sts) are one function per API
call built on :func:`call` and :func:`paged`.
"""

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry


def aws_errors():
    try:
        return (ClientError, BotoCoreError)
    except NameError:
        return ()


def api_name(operation):
    """``get_bucket_policy`` -> ``GetBucketPolicy``, as AWS names the call in errors and docs."""
    return "".join(part.capitalize() for part in operation.split("_"))


def call(client, operation, what, missing_codes=(), missing=None, **params):
    """``client.OPERATION(**params)``; ``missing`` when AWS answers one of ``missing_codes``.

    Any other error raises AwsCallFailure("OPERATION failed for WHAT"), which keeps the AWS error.
    """
    try:
        return getattr(client, operation)(aws_retry=True, **params)
    except is_boto3_error_code(list(missing_codes)):
        return missing
    except aws_errors() as error:  # pylint: disable=duplicate-except
        raise AwsCallFailure(f"{api_name(operation)} failed for {what}", error) from error


def paged(client, operation, field, what, missing_codes=(), missing=None, **params):
    """Every page's ``field`` of a paginated call, joined; retried as a whole on transient errors."""

    @transient_retry()
    def all_pages():
        return client.get_paginator(operation).paginate(**params).build_full_result().get(field, [])

    try:
        return all_pages()
    except is_boto3_error_code(list(missing_codes)):
        return missing
    except aws_errors() as error:  # pylint: disable=duplicate-except
        raise AwsCallFailure(f"{api_name(operation)} failed for {what}", error) from error
