# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.filter import replication_rule_problems as plugin

FILTER = plugin.FilterModule().filters()["replication_rule_problems"]
RULE = {"id": "all-objects", "destination_bucket": "stats-data-tgt", "destination_account": "880161310235"}


def test_filter_reports_what_the_rule_module_would_refuse():
    assert FILTER([RULE]) == []
    assert FILTER([dict(RULE, id="x" * 256)]) == [f"rule '{'x' * 256}': id is 256 characters long: S3 rule IDs have at most 255, shorten it"]


def test_filter_refuses_input_that_is_not_a_list_of_rules():
    with pytest.raises(AnsibleFilterError, match="list of rule option dicts"):
        FILTER({"id": "a"})
