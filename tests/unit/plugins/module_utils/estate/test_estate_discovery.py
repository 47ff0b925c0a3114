# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""find_pairs on stubbed S3, KMS and STS clients: the reads made (only reads, only the needed ones) and the pairs found."""

import contextlib
import os
import sys

import boto3
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import discovery
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import options as estate_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "modules"))
from aws_stubs import RecordingStubber  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT = "211258069784"
SRC_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALIAS = f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/estate"
DST_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_METADATA = {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Arn": SRC_KEY, "KeyManager": "CUSTOMER", "KeyState": "Enabled",
                "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}


@contextlib.contextmanager
def stubbed():
    stubbers, clients = {}, {}
    with contextlib.ExitStack() as stack:
        for service in ("s3", "kms", "sts"):
            client = boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
            stubbers[service] = stack.enter_context(RecordingStubber(client))
            clients[service] = RetryingBotoClientWrapper(client, transient_retry(retries=3, delay=0, max_delay=0))
        yield clients, stubbers
        for stubber in stubbers.values():
            assert stubber.violations == []
            stubber.assert_no_pending_responses()


def options(source=None, bucket="central-archive"):
    return estate_options.validate({
        "source": dict({"account_id": ACCOUNT, "region": "us-east-1", "profile": "prod"}, **(source or {"bucket_tags": {"replicate-to": "analytics"}})),
        "destination": {"account_id": "880161310235", "region": "us-east-1", "profile": "analytics", "bucket": bucket, "kms_key_arn": DST_KEY},
        "read_workers": 1,
    })


def identity(stubbers, account=ACCOUNT):
    stubbers["sts"].add_response("get_caller_identity", {"Account": account, "Arn": f"arn:aws:sts::{account}:assumed-role/deployer/x", "UserId": "x"})


def listing(stubbers, names):
    stubbers["s3"].add_response("list_buckets", {"Buckets": [{"Name": name} for name in names]}, {"BucketRegion": "us-east-1"})


def tags(stubbers, bucket, tag_set):
    if tag_set is None:
        stubbers["s3"].add_client_error("get_bucket_tagging", "NoSuchTagSet", expected_params={"Bucket": bucket, "ExpectedBucketOwner": ACCOUNT})
    else:
        stubbers["s3"].add_response("get_bucket_tagging", {"TagSet": [{"Key": k, "Value": v} for k, v in tag_set.items()]},
                                    {"Bucket": bucket, "ExpectedBucketOwner": ACCOUNT})


def encryption(stubbers, bucket, algorithm, key=None):
    default = dict({"SSEAlgorithm": algorithm}, **({"KMSMasterKeyID": key} if key else {}))
    stubbers["s3"].add_response("get_bucket_encryption", {"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": default}]}},
                                {"Bucket": bucket, "ExpectedBucketOwner": ACCOUNT})


def test_tagged_buckets_with_a_customer_key_become_pairs_and_the_others_warnings():
    with stubbed() as (clients, stubbers):
        identity(stubbers)
        listing(stubbers, ["stats-a", "stats-b", "untagged", "finance", "stats-aes"])
        for bucket, tag_set in (("stats-a", {"replicate-to": "analytics", "team": "web"}), ("stats-b", {"replicate-to": "analytics"}), ("untagged", None),
                                ("finance", {"replicate-to": "finance"}), ("stats-aes", {"replicate-to": "analytics"})):
            tags(stubbers, bucket, tag_set)
        encryption(stubbers, "stats-a", "aws:kms", SRC_KEY)
        encryption(stubbers, "stats-b", "aws:kms", ALIAS)
        encryption(stubbers, "stats-aes", "AES256")
        stubbers["kms"].add_response("describe_key", {"KeyMetadata": KEY_METADATA}, {"KeyId": ALIAS})  # the distinct keys, in order
        stubbers["kms"].add_response("describe_key", {"KeyMetadata": KEY_METADATA}, {"KeyId": SRC_KEY})
        found = discovery.find_pairs(clients, options())
    assert [pair["bucket"] for pair in found["pairs"]] == ["stats-a", "stats-b"]
    assert [pair["variables"]["replication_source"]["kms_key_arn"] for pair in found["pairs"]] == [SRC_KEY, SRC_KEY]
    assert found["pairs"][0]["tags"] == {"replicate-to": "analytics", "team": "web"}
    (warning,) = found["warnings"]
    assert "bucket stats-aes matches but is left out" in warning and "AES256" in warning
    for pair in found["pairs"]:
        assert contract.validate(pair["variables"])[1] == []
    operations = [name for stubber in stubbers.values() for name in stubber.operations()]
    assert all(name.startswith(("Get", "List", "Describe")) for name in operations), operations


def test_a_given_source_key_reads_no_encryption_and_names_without_tags_read_no_tags():
    with stubbed() as (clients, stubbers):
        identity(stubbers)
        listing(stubbers, ["stats-a", "logs", "stats-b"])
        found = discovery.find_pairs(clients, options({"bucket_names": ["stats-*"], "kms_key_arn": SRC_KEY}, bucket="{source_bucket}-replica"))
    assert [pair["variables"]["replication_destination"]["bucket"] for pair in found["pairs"]] == ["stats-a-replica", "stats-b-replica"]
    assert stubbers["s3"].operations() == ["ListBuckets"] and stubbers["kms"].operations() == []


def test_tags_are_read_for_groups_when_names_select():
    with stubbed() as (clients, stubbers):
        identity(stubbers)
        listing(stubbers, ["stats-a"])
        tags(stubbers, "stats-a", {"team": "web"})
        found = discovery.find_pairs(clients, options({"bucket_names": ["stats-*"], "kms_key_arn": SRC_KEY}), want_tags=True)
    assert found["pairs"][0]["tags"] == {"team": "web"}


def test_one_describe_key_per_distinct_key():
    with stubbed() as (clients, stubbers):
        identity(stubbers)
        listing(stubbers, ["a-1", "a-2", "a-3"])
        for bucket in ("a-1", "a-2", "a-3"):
            tags(stubbers, bucket, {"replicate-to": "analytics"})
        for bucket in ("a-1", "a-2", "a-3"):
            encryption(stubbers, bucket, "aws:kms", SRC_KEY)
        stubbers["kms"].add_response("describe_key", {"KeyMetadata": KEY_METADATA}, {"KeyId": SRC_KEY})
        found = discovery.find_pairs(clients, options())
    assert len(found["pairs"]) == 3 and stubbers["kms"].operations() == ["DescribeKey"]


def test_credentials_of_another_account_are_refused_before_any_bucket_read():
    with stubbed() as (clients, stubbers):
        identity(stubbers, account="444455556666")
        with pytest.raises(estate_options.EstateOptionsError) as raised:
            discovery.find_pairs(clients, options())
    assert "act in account 444455556666" in str(raised.value) and "but source.account_id is 211258069784" in str(raised.value)
    assert stubbers["s3"].operations() == []


def test_the_reads_run_at_most_read_workers_at_a_time(monkeypatch):
    bounds = []

    def recording_run_all(function, items, max_workers):
        bounds.append(max_workers)
        return [function(item) for item in items]

    monkeypatch.setattr(discovery, "run_all", recording_run_all)
    chosen = dict(options(), read_workers=3)
    with stubbed() as (clients, stubbers):
        identity(stubbers)
        listing(stubbers, ["a-1"])
        tags(stubbers, "a-1", {"replicate-to": "analytics"})
        encryption(stubbers, "a-1", "aws:kms", SRC_KEY)
        stubbers["kms"].add_response("describe_key", {"KeyMetadata": KEY_METADATA}, {"KeyId": SRC_KEY})
        discovery.find_pairs(clients, chosen)
    assert bounds == [3, 3, 3]


def test_a_pair_whose_pattern_makes_an_invalid_name_is_left_out_with_a_warning():
    long_name = "s" * 60
    with stubbed() as (clients, stubbers):
        identity(stubbers)
        listing(stubbers, [long_name, "stats-a"])
        found = discovery.find_pairs(clients, options({"bucket_names": ["s*"], "kms_key_arn": SRC_KEY}, bucket="{source_bucket}-replica"))
    assert [pair["bucket"] for pair in found["pairs"]] == ["stats-a"]
    (warning,) = found["warnings"]
    assert f"bucket {long_name} matches but is left out" in warning and "fix destination.bucket or vars" in warning
