# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every AWS call the integration suite saw the collection's modules make is covered by the IAM
declaration (@needs) of the wrapper that made it, so docs/permissions.md and the deployer policies
miss nothing the code does. Runs last (tests/integration/conftest.py); alone it has nothing to check."""

import collections
import json

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.call_log import CREDENTIAL_PROVIDER
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import usage

# botocore's own call while it gets a profile's credentials: a profile with role_arn + source_profile assumes
# its role (the profile's business, outside the account's deployer policy; docs/permissions.md says so).
PROFILE_ROLE = ("sts", "AssumeRole")


def records(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def covered(record):
    wrapper = record["wrapper"]
    if wrapper == CREDENTIAL_PROVIDER:
        return (record["service"], record["operation"]) == PROFILE_ROLE
    if wrapper is None:
        return False
    return wrapper.split(".")[0] == record["service"] and record["operation"] in permissions.operations(wrapper)


def test_every_aws_call_of_the_suite_is_declared_by_its_wrapper(call_log, request):
    assert usage.WRAPPER_MODULES
    seen = records(call_log)
    if not seen:
        pytest.skip("no AWS call recorded: run it with the integration suite (make integration)")
    operations = collections.Counter((record["service"], record["operation"], record["wrapper"]) for record in seen)
    uncovered = sorted({key for key in operations if not covered(dict(zip(("service", "operation", "wrapper"), key)))}, key=str)
    request.config.operations_summary = (f"AWS calls checked against the wrappers' IAM declarations: {len(seen)} calls, "
                                         f"{len({(service, operation) for service, operation, _wrapper in operations})} distinct operations, "
                                         f"{len(operations)} (operation, wrapper) pairs")
    assert not uncovered, f"calls no @needs declaration covers (service, operation, wrapper): {uncovered}"
