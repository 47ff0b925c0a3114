# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM propagation: a write refused because a new role is not yet a valid principal is tried again, then fails naming it."""

import botocore.exceptions
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import propagation
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import Verification

ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
PLANNED = {"after": {"Statement": [{"Principal": {"AWS": ROLE}}]}, "diff": {"before_header": "account 880161310235: s3://dst (bucket policy)"}}


def refusal(code="MalformedPolicy", message="Invalid principal in policy"):
    error = botocore.exceptions.ClientError({"Error": {"Code": code, "Message": message}}, "PutBucketPolicy")
    return AwsCallFailure(f"could not write the bucket policy: {code}: {message}", error)


class Clock:
    def __init__(self):
        self.now, self.slept = 0.0, []

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def verification(clock, seconds=120.0):
    return Verification(sleep=clock.sleep, clock=lambda: clock.now, propagation_seconds=seconds)


def refused_until(clock, valid_after, failure=None):
    def apply():
        if clock.now < valid_after:
            raise failure or refusal()
        return {"written": True}
    return apply


def test_a_new_role_is_waited_for_within_three_seconds_of_its_propagation():
    clock = Clock()
    assert propagation.apply_while_propagating(refused_until(clock, 6.0), PLANNED, verification(clock)) == {"written": True}
    assert clock.now < 6.0 + propagation.MAX_STEP_SECONDS and clock.slept[0] == 1.0


@pytest.mark.parametrize("code, message", [("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals."),
                                           ("MalformedPolicyDocument", "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1:role/x\"")])
def test_kms_and_iam_refusals_of_a_principal_are_retried(code, message):
    clock = Clock()
    propagation.apply_while_propagating(refused_until(clock, 2.0, refusal(code, message)), PLANNED, verification(clock))
    assert clock.slept


def test_after_two_minutes_it_fails_naming_the_principal_and_eventual_consistency():
    clock = Clock()
    with pytest.raises(AwsCallFailure) as raised:
        propagation.apply_while_propagating(refused_until(clock, 10_000.0), PLANNED, verification(clock))
    assert ROLE in raised.value.message and "eventually consistent" in raised.value.message and "s3://dst" in raised.value.message
    assert 120.0 <= clock.now < 120.0 + propagation.MAX_STEP_SECONDS


def test_other_failures_are_not_retried():
    clock = Clock()
    with pytest.raises(AwsCallFailure):
        propagation.apply_while_propagating(refused_until(clock, 5.0, refusal("AccessDenied", "not allowed to name a principal")), PLANNED, verification(clock))
    assert clock.slept == []
