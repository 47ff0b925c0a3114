# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""runner.end_module, the one ending of every module: the same warnings, diff and failure handling everywhere."""

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.backfill import BatchJobError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.canary import CanaryError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.replication_rules import ReplicationRuleError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.run_lock import LockBusy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import RunFailed
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module


class Ended(Exception):
    pass


class FakeModule:
    """The ending calls of AnsibleModule, recorded; exit_json and fail_json end the run as they do."""

    def __init__(self, diff=False):
        self._diff = diff
        self.warnings = []
        self.ended = None

    def warn(self, warning):
        self.warnings.append(warning)

    def exit_json(self, **result):
        self.ended = ("exit_json", result)
        raise Ended()

    def fail_json(self, **result):
        self.ended = ("fail_json", result)
        raise Ended()

    def fail_json_aws(self, error, **result):
        self.ended = ("fail_json_aws", dict(result, error=error))
        raise Ended()


def ended(act, diff=False):
    module = FakeModule(diff)
    with pytest.raises(Ended):
        end_module(module, act)
    return module


RESULT = {"changed": True, "bucket": "b", "diff": {"before": {}, "after": {"x": 1}}, "warnings": ["careful"]}


def test_the_diff_is_returned_in_diff_mode_only_and_warnings_go_through_warn():
    plain = ended(lambda: dict(RESULT))
    assert plain.ended == ("exit_json", {"changed": True, "bucket": "b"}) and plain.warnings == ["careful"]
    with_diff = ended(lambda: dict(RESULT), diff=True)
    assert with_diff.ended == ("exit_json", {"changed": True, "bucket": "b", "diff": {"before": {}, "after": {"x": 1}}})


def test_a_run_that_failed_returns_its_result_with_the_message():
    def act():
        raise RunFailed("job j-1 failed", dict(RESULT, job={"job_id": "j-1"}))

    module = ended(act)
    assert module.ended == ("fail_json", {"msg": "job j-1 failed", "changed": True, "bucket": "b", "job": {"job_id": "j-1"}})
    assert module.warnings == ["careful"]


@pytest.mark.parametrize("refusal", [Refused("bucket: bad"), WriteRefused("bucket: bad"), CanaryError("bucket: bad"), BatchJobError("bucket: bad"),
                                     LockBusy("bucket: bad")])
def test_every_refusal_fails_with_its_message(refusal):
    def act():
        raise refusal

    assert ended(act).ended == ("fail_json", {"msg": "bucket: bad"})


def test_a_refusal_with_problems_returns_them():
    def act():
        raise ReplicationRuleError(["rule a: x", "rule b: y"])

    assert ended(act).ended == ("fail_json", {"msg": "rule a: x | rule b: y", "problems": ["rule a: x", "rule b: y"]})


def test_an_aws_failure_is_reported_with_the_aws_error():
    error = RuntimeError("AccessDenied")

    def act():
        raise AwsCallFailure("GetBucketPolicy failed for bucket 'b'", error)

    assert ended(act).ended == ("fail_json_aws", {"msg": "GetBucketPolicy failed for bucket 'b'", "error": error})


def test_anything_else_is_a_bug_and_not_hidden():
    def act():
        raise KeyError("Rules")

    with pytest.raises(KeyError):
        end_module(FakeModule(), act)
