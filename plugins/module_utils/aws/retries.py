# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""amazon.aws's AWSRetry, widened to the transient errors S3, IAM, STS and KMS really answer.

AWSRetry retries a fixed list of codes (Throttling, InternalError, ServiceUnavailable, ...) and
only botocore ClientErrors. At scale AWS also answers S3 ``SlowDown``, KMS ``ThrottlingException``
and ``KMSInternalException``, IAM ``ServiceFailure``, bare HTTP 5xx, and drops connections;
botocore retries those only when its own retry mode allows more than one attempt. This class
retries them all with the same jittered backoff, a bounded number of times.
"""

try:
    from botocore.exceptions import ClientError
    from botocore.exceptions import ConnectionClosedError
    from botocore.exceptions import EndpointConnectionError
    from botocore.exceptions import ReadTimeoutError
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

CONNECTION_ERROR = "ConnectionError"
TRANSIENT_CODES = [
    "SlowDown",
    "OperationAborted",
    "RequestTimeout",
    "ThrottlingException",
    "TooManyRequests",
    "KMSInternalException",
    "DependencyTimeoutException",
    "ServiceFailure",
    "InternalServerError",
    "500",
    "502",
    "503",
    "504",
    CONNECTION_ERROR,
]


def _retried_exceptions():
    try:
        return (ClientError, ConnectionClosedError, EndpointConnectionError, ReadTimeoutError)
    except NameError:
        return type(None)


class TransientRetry(AWSRetry):
    base_class = _retried_exceptions()

    @staticmethod
    def status_code_from_exception(error):
        response = getattr(error, "response", None)
        if isinstance(response, dict):
            return response.get("Error", {}).get("Code", "")
        return CONNECTION_ERROR

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return AWSRetry.found(response_code, TRANSIENT_CODES + list(catch_extra_error_codes or []))


def transient_retry(**kwargs):
    """A retry_decorator for ``module.client(...)``: jittered backoff over every transient error."""
    return TransientRetry.jittered_backoff(**kwargs)
