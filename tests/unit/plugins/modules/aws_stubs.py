# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""botocore Stubber clients for the module tests: every request is checked against the service model,
and an unexpected call (a write in check mode) is recorded as a violation even where the code turns botocore errors into
AwsCallFailure."""

import contextlib

import boto3
from botocore.exceptions import StubResponseError
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry

ACCOUNT = "211258069784"
NO_SETTLE = runner.Verification(settle_seconds=0)


class RecordingStubber(Stubber):
    """Stubber that records every call and every violation."""

    def __init__(self, client):
        super().__init__(client)
        self.calls = []
        self.violations = []

    def _assert_expected_params(self, model, params, context, **kwargs):
        self.calls.append((model.name, dict(params)))
        self._checked(super()._assert_expected_params, model, params, context, **kwargs)

    def _get_response_handler(self, model, params, context, **kwargs):
        return self._checked(super()._get_response_handler, model, params, context, **kwargs)

    def _checked(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except StubResponseError as error:
            self.violations.append(str(error))
            raise

    def operations(self):
        return [name for name, _params in self.calls]

    def params_of(self, operation):
        return [params for name, params in self.calls if name == operation]


@contextlib.contextmanager
def stubbed(*services):
    """``(aws, {service: stubber})``: a runner.Aws whose clients answer only what the test queued."""
    stubbers, clients = {}, {}
    with contextlib.ExitStack() as stack:
        for service in services:
            client = boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
            stubbers[service] = stack.enter_context(RecordingStubber(client))
            clients[service] = RetryingBotoClientWrapper(client, transient_retry(retries=3, delay=0, max_delay=0))
        yield runner.Aws(clients=clients, account_id=ACCOUNT, partition="aws", region="us-east-1"), stubbers
        for stubber in stubbers.values():
            assert stubber.violations == []
            stubber.assert_no_pending_responses()


def run(writer, aws, args, check_mode=False):
    return runner.run_write(writer, aws, runner.validated(writer, args), check_mode, verification=NO_SETTLE)
