# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM eventual consistency: a role created seconds ago is refused as a principal for a while.

KMS answers ``MalformedPolicyDocumentException`` (invalid principals), S3 ``MalformedPolicy`` (Invalid
principal in policy) and IAM ``MalformedPolicyDocument``; it passes within seconds, sometimes a minute
or more. A write refused that way is tried again, backing off from one second (never more than
``MAX_STEP_SECONDS`` between tries, so a run costs at most that much more than IAM's own delay), for
up to ``PROPAGATION_SECONDS``; then it fails naming the principals and eventual consistency.
"""

import json
import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import error_code
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import error_text

PROPAGATION_CODES = ("MalformedPolicyDocumentException", "MalformedPolicy", "MalformedPolicyDocument")
PROPAGATION_SECONDS = 120.0
FIRST_STEP_SECONDS = 1.0
MAX_STEP_SECONDS = 3.0
ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+")


def is_propagation_refusal(failure):
    """Whether AWS refused the write because a principal it names is not (yet) valid."""
    text = f"{failure.message} {error_text(failure.error)}".lower()
    return error_code(failure.error) in PROPAGATION_CODES and "principal" in text


def step_seconds(attempt):
    """The wait before try ``attempt + 2``: 1, 1.5, 2, 2.5, 3, 3 ... seconds."""
    return min(FIRST_STEP_SECONDS + 0.5 * attempt, MAX_STEP_SECONDS)


def principals_named(planned):
    """The role ARNs of the document being written (the principals AWS may not know yet)."""
    return sorted(set(ROLE_ARN.findall(json.dumps(planned.get("after"), default=str))))


def apply_while_propagating(apply, planned, verification):
    """``apply()``, tried again while AWS refuses a principal of it as invalid, up to ``verification.propagation_seconds``."""
    started, attempt = verification.clock(), 0
    while True:
        try:
            return apply()
        except AwsCallFailure as failure:
            if not is_propagation_refusal(failure):
                raise
            waited = verification.clock() - started
            if waited >= verification.propagation_seconds:
                named = ", ".join(principals_named(planned)) or "a principal of the document"
                raise AwsCallFailure(
                    f"{planned['diff']['before_header']}: AWS still refuses {named} as a principal after {waited:.0f} s "
                    f"({error_text(failure.error)}). IAM is eventually consistent and a new role usually becomes a valid principal "
                    "within seconds: check that the role exists (a role deleted and re-created is a new principal), then rerun",
                    failure.error,
                ) from None
            verification.sleep(step_seconds(attempt))
            attempt += 1
