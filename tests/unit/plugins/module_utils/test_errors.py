# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from unittest.mock import MagicMock

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import fail_with


class Ended(Exception):
    pass


def module():
    fake = MagicMock()
    fake.fail_json.side_effect = Ended("fail_json")
    fake.fail_json_aws.side_effect = Ended("fail_json_aws")
    return fake


def test_a_failure_with_an_aws_error_reports_it_with_the_message():
    fake, error = module(), RuntimeError("AccessDenied")
    with pytest.raises(Ended, match="fail_json_aws"):
        fail_with(fake, AwsCallFailure("Failed to read the bucket policy of b", error))
    fake.fail_json_aws.assert_called_once_with(error, msg="Failed to read the bucket policy of b")


def test_a_refusal_without_an_aws_error_is_a_plain_failure():
    fake = module()
    with pytest.raises(Ended, match="fail_json$"):
        fail_with(fake, AwsCallFailure("b has no replication configuration: run replicate.yml first"))
    fake.fail_json.assert_called_once_with(msg="b has no replication configuration: run replicate.yml first")
    fake.fail_json_aws.assert_not_called()
