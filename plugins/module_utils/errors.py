# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's one exception hierarchy: what stops a module or a run, in words the user can act on.

* :class:`Refused`: input or state refused *before* any write (every module's and the pure logic's validation
  errors derive from it: policy documents, keys, bucket settings, rules, the policy model ...);
* :class:`AwsCallFailure`: an AWS call failed (the one failure type of the AWS layer);
* :class:`RunFailed`: the module did its work, and the work failed (one of several writes, a job S3 failed).
"""


class ReplicationError(Exception):
    """Anything this collection stops on."""


class AwsCallFailure(ReplicationError):
    """A failed AWS call, or a refusal found through one; ``error`` is the botocore exception, if any."""

    def __init__(self, message, error=None):
        super().__init__(message)
        self.message = message
        self.error = error

    @property
    def code(self):
        return error_code(self.error)


class Refused(ReplicationError, ValueError):
    """Input or state a module refuses before (or instead of) acting; the message names the input and the fix."""


class RunFailed(ReplicationError):
    """The module did its work, and the work failed (one of several writes, a job S3 failed): ``result`` is returned with the message."""

    def __init__(self, message, result):
        super().__init__(message)
        self.message = message
        self.result = result


def error_code(error):
    """The AWS error code of a botocore ClientError ('' for anything else)."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def error_text(error):
    """``Code: Message`` of a ClientError, else the exception's own text."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        details = response.get("Error", {})
        return f"{details.get('Code', 'Error')}: {details.get('Message', '')}".strip()
    return str(error)


def fail_with(module, failure):
    """Ends the module with the failure's message (and the AWS error's code and details, when there is one)."""
    if failure.error is None:
        module.fail_json(msg=failure.message)
    module.fail_json_aws(failure.error, msg=failure.message)
