# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TransientRetry: the errors AWS really answers under load are retried, a bounded number of times."""

import botocore.exceptions
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import TransientRetry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry


def client_error(code, status=400):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Op")


def flaky(errors):
    calls = []

    @TransientRetry.jittered_backoff(retries=len(errors) + 1, delay=0, max_delay=0)
    def call():
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "done"

    return call, calls


@pytest.mark.parametrize("code", ["SlowDown", "ThrottlingException", "KMSInternalException", "ServiceFailure", "Throttling", "InternalError",
                                  "ServiceUnavailable", "503", "OperationAborted"])
def test_transient_codes_are_retried(code):
    call, calls = flaky([client_error(code)] * 2)
    assert call() == "done" and len(calls) == 3


def test_connection_resets_and_timeouts_are_retried():
    errors = [
        botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
        botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
    ]
    call, calls = flaky(errors)
    assert call() == "done" and len(calls) == 4


@pytest.mark.parametrize("code", ["AccessDenied", "NoSuchBucket", "MalformedPolicyDocument", "EntityAlreadyExists"])
def test_permanent_errors_are_not_retried(code):
    call, calls = flaky([client_error(code)])
    with pytest.raises(botocore.exceptions.ClientError):
        call()
    assert len(calls) == 1


def test_other_exceptions_are_not_retried():
    call, calls = flaky([ValueError("bug")])
    with pytest.raises(ValueError):
        call()
    assert len(calls) == 1


def test_retries_are_bounded():
    calls = []

    @TransientRetry.jittered_backoff(retries=4, delay=0, max_delay=0)
    def always_throttled():
        calls.append(1)
        raise client_error("SlowDown", 503)

    with pytest.raises(botocore.exceptions.ClientError):
        always_throttled()
    assert len(calls) == 4


def test_transient_retry_is_a_decorator_factory():
    decorator = transient_retry(retries=2, delay=0, max_delay=0)
    assert decorator(lambda: 5)() == 5
