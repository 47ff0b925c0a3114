# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_status_info's reads against botocore's Stubber: the emulator never replicates, so an object's
x-amz-replication-status (COMPLETED, PENDING, FAILED) can only be shown by a stub."""

import datetime

import pytest
from aws_stubs import stubbed

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_status_info as module

BUCKET = "stats-data-src"
NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.timezone.utc)


def version(key, minutes_ago, version_id):
    return {"Key": key, "VersionId": version_id, "IsLatest": True, "LastModified": NOW - datetime.timedelta(minutes=minutes_ago), "Size": 1,
            "ETag": '"e"', "StorageClass": "STANDARD"}


def test_the_newest_versions_are_checked_with_head_object_and_their_status_kept():
    versions = [version("a.csv", 30, "va"), version("b.csv", 1, "vb"), version("c.csv", 10, "vc"), version("d.csv", 5, "vd")]
    with stubbed("s3") as (aws, stubs):
        s3 = stubs["s3"]
        s3.add_response("list_object_versions", {"Versions": versions, "IsTruncated": False}, {"Bucket": BUCKET, "Prefix": "", "MaxKeys": 1000})
        for key, version_id, answer in (("b.csv", "vb", "FAILED"), ("d.csv", "vd", "PENDING"), ("c.csv", "vc", "COMPLETED")):
            s3.add_response("head_object", {"ReplicationStatus": answer}, {"Bucket": BUCKET, "Key": key, "VersionId": version_id})
        sample = module.read_sample(aws.client("s3"), {"bucket": BUCKET, "prefix": "", "size": 3, "scan": 1000}, max_concurrency=1)
    assert sample["scanned"] == 4
    assert [(item["key"], item["replication_status"]) for item in sample["objects"]] == [("b.csv", "FAILED"), ("d.csv", "PENDING"), ("c.csv", "COMPLETED")]


def test_an_object_without_status_or_gone_since_the_listing_has_none():
    with stubbed("s3") as (aws, stubs):
        s3 = stubs["s3"]
        s3.add_response("list_object_versions", {"Versions": [version("a", 1, "v1"), version("b", 2, "v2")], "IsTruncated": False}, None)
        s3.add_response("head_object", {}, {"Bucket": BUCKET, "Key": "a", "VersionId": "v1"})
        s3.add_client_error("head_object", "404", http_status_code=404, expected_params={"Bucket": BUCKET, "Key": "b", "VersionId": "v2"})
        sample = module.read_sample(aws.client("s3"), {"bucket": BUCKET, "prefix": "", "size": 5, "scan": 1000}, max_concurrency=1)
    assert [item["replication_status"] for item in sample["objects"]] == [None, None]


def test_a_size_of_zero_lists_nothing():
    with stubbed("s3") as (aws, stubs):
        sample = module.read_sample(aws.client("s3"), {"bucket": BUCKET, "prefix": "logs/", "size": 0, "scan": 3}, max_concurrency=1)
    assert sample == {"prefix": "logs/", "scanned": 0, "objects": []} and stubs["s3"].operations() == []


def test_the_listing_stops_at_scan_even_when_more_pages_follow():
    page = {"Versions": [version(f"k{n}", n, f"v{n}") for n in range(3)], "IsTruncated": True, "NextKeyMarker": "k2", "NextVersionIdMarker": "v2"}
    with stubbed("s3") as (aws, stubs):
        stubs["s3"].add_response("list_object_versions", page, {"Bucket": BUCKET, "Prefix": "logs/", "MaxKeys": 3})
        stubs["s3"].add_response("head_object", {"ReplicationStatus": "COMPLETED"}, {"Bucket": BUCKET, "Key": "k0", "VersionId": "v0"})
        sample = module.read_sample(aws.client("s3"), {"bucket": BUCKET, "prefix": "logs/", "size": 1, "scan": 3}, max_concurrency=1)
    assert sample["scanned"] == 3 and [(item["key"], item["replication_status"]) for item in sample["objects"]] == [("k0", "COMPLETED")]


def test_metrics_of_every_rule_come_from_one_get_metric_data_call():
    rules = [{"source_bucket": BUCKET, "destination_bucket": "stats-data-tgt", "rule_id": "all-objects"}]
    answer = {"MetricDataResults": [{"Id": "m0_0", "Timestamps": [NOW], "Values": [3.0], "StatusCode": "Complete"},
                                    {"Id": "m0_3", "Timestamps": [NOW, NOW - datetime.timedelta(minutes=5)], "Values": [20.0, 90.0], "StatusCode": "Complete"}]}
    with stubbed("cloudwatch") as (aws, stubs):
        stubs["cloudwatch"].add_response("get_metric_data", answer, None)
        metrics = module.read_metrics(aws.client("cloudwatch"), rules, 3, NOW)
    (params,) = stubs["cloudwatch"].params_of("GetMetricData")
    assert len(params["MetricDataQueries"]) == 4 and params["EndTime"] == NOW and params["StartTime"] == NOW - datetime.timedelta(hours=3)
    assert metrics["stats-data-src|stats-data-tgt|all-objects"] == {"failed_operations": 3.0, "pending_operations": None, "pending_bytes": None,
                                                                    "latency_seconds": 90.0, "datapoints": 3}


def test_hours_out_of_range_are_refused_before_any_call_naming_the_option():
    class Module:
        params = {"hours": 400, "rules": [], "samples": [], "max_concurrency": 8}

        def aws_client(self, _service):
            raise AssertionError("no AWS call may be made")

    with pytest.raises(Refused, match=r"hours is 400: give 1 to 336"):
        module.read_status(Module())
