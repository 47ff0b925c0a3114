# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bucket option and the read of a bucket's document, shared by the replication, policy and notification writers."""

import pytest
from botocore.exceptions import ClientError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import WriteRefused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import bucket_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.bucket_documents import read_document


class Aws:
    def client(self, service):
        assert service == "s3"
        return "s3-client"


def failing(code):
    def read(_client, bucket):
        raise AwsCallFailure(f"could not read {bucket}", ClientError({"Error": {"Code": code, "Message": code}}, "GetBucketPolicy"))
    return read


def test_a_bucket_is_a_name_or_an_arn_and_anything_else_is_refused_naming_the_option():
    assert bucket_of({"bucket": "stats-data-tgt"}) == "stats-data-tgt"
    assert bucket_of({"bucket": "arn:aws:s3:::stats-data-tgt"}) == "stats-data-tgt"
    with pytest.raises(WriteRefused, match=r"^bucket: "):
        bucket_of({"bucket": "arn:aws:s3:::stats-data-tgt/objects/*"})


def test_the_document_is_read_with_the_s3_client():
    assert read_document(Aws(), "stats-data-tgt", lambda client, bucket: (client, bucket)) == ("s3-client", "stats-data-tgt")


def test_a_missing_bucket_is_refused_and_other_failures_pass_through():
    with pytest.raises(WriteRefused, match="bucket: stats-data-tgt does not exist in this account; create it first or check bucket and profile"):
        read_document(Aws(), "stats-data-tgt", failing("NoSuchBucket"))
    with pytest.raises(AwsCallFailure, match="could not read stats-data-tgt"):
        read_document(Aws(), "stats-data-tgt", failing("AccessDenied"))
