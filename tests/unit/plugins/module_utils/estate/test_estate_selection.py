# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which buckets become pairs, their source key, and the pair variables (the vars contract's)."""

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import options as estate_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import selection
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract

SOURCE = {"account_id": "211258069784", "region": "us-east-1"}
SRC_KEY = "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DST_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"


def encryption(algorithm, key=None):
    default = {"SSEAlgorithm": algorithm}
    if key:
        default["KMSMasterKeyID"] = key
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": default}]}


def options(bucket="central-archive", **vars_):
    return estate_options.validate({
        "source": dict(SOURCE, profile="prod", bucket_tags={"replicate-to": "analytics"}),
        "destination": {"account_id": "880161310235", "region": "us-east-1", "profile": "analytics", "bucket": bucket, "kms_key_arn": DST_KEY},
        "vars": vars_,
    })


@pytest.mark.parametrize("bucket, globs, expected", [
    ("stats-daily", ["stats-*"], True),
    ("billing", ["stats-*", "bill*"], True),
    ("stats", ["stats-*"], False),
    ("Stats-x", ["stats-*"], False),
    ("anything", [], True),
])
def test_names_match_a_glob(bucket, globs, expected):
    assert selection.name_matches(bucket, globs) is expected


def test_tags_must_all_match_compared_as_text():
    assert selection.tags_match({"replicate-to": "analytics", "year": "2026"}, {"replicate-to": "analytics", "year": 2026})
    assert not selection.tags_match({"replicate-to": "finance"}, {"replicate-to": "analytics"})
    assert not selection.tags_match({}, {"replicate-to": "analytics"})
    assert selection.tags_match({"team": "x"}, {})


def test_a_customer_key_of_the_default_encryption_is_the_source_key():
    assert selection.default_key(encryption("aws:kms", SRC_KEY), SOURCE) == (SRC_KEY, None)


def test_a_bare_key_id_or_alias_is_made_an_arn_of_the_source_account():
    key, reason = selection.default_key(encryption("aws:kms", "alias/estate"), SOURCE)
    assert (key, reason) == ("arn:aws:kms:us-east-1:211258069784:alias/estate", None)


@pytest.mark.parametrize("configuration, expected", [
    (None, "it has no default encryption"),
    (encryption("AES256"), "its default encryption is AES256, not SSE-KMS"),
    (encryption("aws:kms:dsse", SRC_KEY), "its default encryption is aws:kms:dsse, not SSE-KMS"),
    (encryption("aws:kms"), "its default encryption key (aws/s3) is an AWS-managed key"),
    (encryption("aws:kms", "alias/aws/s3"), "is an AWS-managed key"),
])
def test_a_bucket_not_encrypted_with_a_customer_key_is_left_out(configuration, expected):
    key, reason = selection.default_key(configuration, SOURCE)
    assert key is None and expected in reason


def test_described_keys_decide_with_the_key_checks():
    enabled = {"Arn": SRC_KEY, "KeyManager": "CUSTOMER", "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}
    assert selection.key_arn("arn:aws:kms:us-east-1:211258069784:alias/estate", enabled) == (SRC_KEY, None)
    key, reason = selection.key_arn(SRC_KEY, dict(enabled, KeyState="PendingDeletion"))
    assert key is None and "PendingDeletion, not Enabled" in reason
    key, reason = selection.key_arn(SRC_KEY, dict(enabled, KeyManager="AWS"))
    assert key is None and "AWS-managed key" in reason
    assert selection.key_arn(SRC_KEY, None) == (None, f"its default encryption key {SRC_KEY} does not exist")


def test_the_warning_names_the_bucket_and_the_fix():
    text = selection.skip_warning("stats-old", "its default encryption is AES256, not SSE-KMS (aws:kms)")
    assert "bucket stats-old matches but is left out of replication_pairs: its default encryption is AES256" in text
    assert "or set source.kms_key_arn" in text


def test_fan_in_pairs_pass_the_vars_contract():
    variables = selection.pair_variables(options(replication_role_name="estate-role"), "stats-daily", SRC_KEY)
    assert variables["replication_source"]["bucket"] == "stats-daily"
    assert variables["replication_source"]["kms_key_arn"] == SRC_KEY
    assert variables["replication_source"]["profile"] == "prod"
    assert "bucket_tags" not in variables["replication_source"]
    assert variables["replication_destination"]["bucket"] == "central-archive"
    assert variables["replication_role_name"] == "estate-role"
    assert selection.pair_problems(variables) == []
    values, problems = contract.validate(variables)
    assert problems == [] and values["replication_destination"]["kms_key_arn"] == DST_KEY


def test_a_pattern_names_each_destination_after_its_source():
    variables = selection.pair_variables(options("{source_bucket}-replica"), "stats-daily", SRC_KEY)
    assert variables["replication_destination"]["bucket"] == "stats-daily-replica"


def test_a_pattern_that_makes_an_invalid_name_is_a_problem_of_that_pair():
    variables = selection.pair_variables(options("{source_bucket}-replica"), "s" * 60, SRC_KEY)
    (problem,) = selection.pair_problems(variables)
    assert problem.startswith("replication_destination.bucket (from destination.bucket): 'ssss")


def test_vars_that_break_the_contract_are_problems_of_the_pair():
    variables = selection.pair_variables(options(replication_two_way="maybe"), "stats-daily", SRC_KEY)
    assert any("replication_two_way" in problem for problem in selection.pair_problems(variables))
