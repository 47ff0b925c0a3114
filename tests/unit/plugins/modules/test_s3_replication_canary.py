# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_canary against a fake S3 that replicates the way S3 does (the emulator never does):
the source object is PENDING, then S3 copies it into the destination bucket with the rule's replica key,
keeping the version id, owned by the destination, and marks the source COMPLETED (or FAILED). The
requests themselves are checked against the S3 model with botocore's Stubber at the end."""

import itertools

import boto3
import botocore.exceptions
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import canary
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_canary as module

SRC, DST = "211258069784", "880161310235"
SRC_KEY = f"arn:aws:kms:us-east-1:{SRC}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DST_KEY = f"arn:aws:kms:us-east-1:{DST}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
OWNERS = {SRC: "canonical-src", DST: "canonical-dst"}


def replication_rule(prefix=None, owner_override=True, replica_key=DST_KEY):
    destination = {"Bucket": "arn:aws:s3:::stats-data-tgt", "Account": DST, "EncryptionConfiguration": {"ReplicaKmsKeyID": replica_key}}
    if owner_override:
        destination["AccessControlTranslation"] = {"Owner": "Destination"}
    return {
        "ID": "all-objects",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {"Prefix": prefix} if prefix else {},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": destination,
        "DeleteMarkerReplication": {"Status": "Disabled"},
    }


def client_error(code, operation):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, operation)


class S3World:
    """Two accounts' buckets and S3's replication of new objects, driven by reads of the source object."""

    def __init__(self, outcome="replicate", reads_until_done=2, rule=None):
        self.outcome = outcome
        self.reads_until_done = reads_until_done
        self.versions = itertools.count(1)
        self.buckets = {
            "stats-data-src": {"account": SRC, "objects": [], "replication": {"Role": "r", "Rules": [rule or replication_rule()]}},
            "stats-data-tgt": {"account": DST, "objects": [], "replication": None},
        }
        self.reads = 0

    def client(self, account):
        return FakeS3(self, account)

    def replicate(self, source):
        self.reads += 1
        if source.get("ReplicationStatus") != "PENDING" or self.reads < self.reads_until_done:
            return
        if self.outcome == "fail":
            source["ReplicationStatus"] = "FAILED"
        elif self.outcome == "replicate":
            destination = self.buckets["stats-data-src"]["replication"]["Rules"][0]["Destination"]
            owner = OWNERS[DST] if "AccessControlTranslation" in destination else OWNERS[SRC]
            self.buckets["stats-data-tgt"]["objects"].append(
                dict(
                    source,
                    SSEKMSKeyId=destination["EncryptionConfiguration"]["ReplicaKmsKeyID"],
                    ReplicationStatus="REPLICA",
                    Owner=owner,
                )
            )
            source["ReplicationStatus"] = "COMPLETED"


class FakeS3:
    """The S3 calls of the canary (module_utils/aws/s3), answered from an S3World in one account."""

    def __init__(self, world, account):
        self.world = world
        self.account = account
        self.calls = []

    def _bucket(self, operation, params):
        self.calls.append(operation)
        params.pop("aws_retry", None)
        bucket = self.world.buckets[params.pop("Bucket")]
        if bucket["account"] != self.account or params.pop("ExpectedBucketOwner", self.account) != bucket["account"]:
            raise client_error("AccessDenied", operation)
        return bucket

    def _find(self, bucket, key, version_id=None):
        for entry in reversed(bucket["objects"]):
            if entry["Key"] == key and version_id in (None, entry["VersionId"]):
                return entry
        return None

    def get_bucket_replication(self, **params):
        bucket = self._bucket("GetBucketReplication", params)
        if bucket["replication"] is None:
            raise client_error("ReplicationConfigurationNotFoundError", "GetBucketReplication")
        return {"ReplicationConfiguration": bucket["replication"]}

    def put_object(self, **params):
        bucket = self._bucket("PutObject", params)
        tags = dict(pair.split("=") for pair in params["Tagging"].split("&")) if params.get("Tagging") else {}
        entry = {
            "Key": params["Key"],
            "VersionId": f"v{next(self.world.versions)}",
            "ServerSideEncryption": params["ServerSideEncryption"],
            "SSEKMSKeyId": params["SSEKMSKeyId"],
            "Owner": OWNERS[self.account],
        }
        if canary.matching_rules(bucket["replication"], params["Key"], tags) and self.world.outcome != "never":
            entry["ReplicationStatus"] = "PENDING"
        bucket["objects"].append(entry)
        return {"VersionId": entry["VersionId"]}

    def head_object(self, **params):
        bucket = self._bucket("HeadObject", params)
        entry = self._find(bucket, params["Key"], params.get("VersionId"))
        if entry is None:
            raise client_error("404", "HeadObject")
        if bucket["replication"]:
            self.world.replicate(entry)
        return {key: value for key, value in entry.items() if key not in ("Key", "Owner")}

    def get_object_acl(self, **params):
        bucket = self._bucket("GetObjectAcl", params)
        return {"Owner": {"ID": self._find(bucket, params["Key"], params.get("VersionId"))["Owner"]}, "Grants": []}

    def get_bucket_acl(self, **params):
        bucket = self._bucket("GetBucketAcl", params)
        return {"Owner": {"ID": OWNERS[bucket["account"]]}, "Grants": []}

    def list_object_versions(self, **params):
        bucket = self._bucket("ListObjectVersions", params)
        return {"Versions": [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in bucket["objects"] if e["Key"].startswith(params["Prefix"])]}

    def delete_objects(self, **params):
        bucket = self._bucket("DeleteObjects", params)
        doomed = {(o["Key"], o["VersionId"]) for o in params["Delete"]["Objects"]}
        bucket["objects"] = [e for e in bucket["objects"] if (e["Key"], e["VersionId"]) not in doomed]
        return {}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def params(**overrides):
    values = {
        "bucket": "stats-data-src",
        "mode": "source",
        "state": "present",
        "key": None,
        "key_prefix": canary.DEFAULT_KEY_PREFIX,
        "kms_key_arn": SRC_KEY,
        "tags": {},
        "body": "canary\n",
        "source_version_id": None,
        "expected_bucket_owner": SRC,
        "wait_timeout": 60,
        "poll_interval": 5,
    }
    values.update(overrides)
    return canary.validated_options(values)


def run_canary(world, **overrides):
    clock = Clock()
    result = module.source_canary(world.client(SRC), params(**overrides), check_mode=False, sleep=clock.sleep, clock=clock)
    key, version = result["canary"]["key"], result["canary"]["version_id"]
    replica = module.replica_check(
        world.client(DST),
        params(
            bucket="stats-data-tgt",
            mode="replica",
            key=key,
            kms_key_arn=DST_KEY,
            source_version_id=version,
            expected_bucket_owner=DST,
            wait_timeout=0,
        ),
        sleep=clock.sleep,
        clock=clock,
    )
    return result, replica


def test_replication_that_works_end_to_end():
    world = S3World()
    result, replica = run_canary(world)
    assert result["changed"] and result["verdict"]["ok"] and result["canary"]["replication_status"] == "COMPLETED"
    assert result["canary"]["matching_rules"] == ["all-objects"]
    assert result["canary"]["key"].startswith("s3-crossaccount-canary/")
    assert replica["replica"]["ok"] and replica["replica"]["same_version_id"] and replica["replica"]["replication_status"] == "REPLICA"
    assert not replica["changed"]


def test_a_failed_replication_is_reported_with_hints():
    result, replica = run_canary(S3World(outcome="fail"))
    assert result["verdict"]["status"] == "FAILED" and not result["verdict"]["ok"] and result["verdict"]["hints"]
    assert not replica["replica"]["present"]


def test_a_stalled_replication_times_out_pending():
    result, _replica = run_canary(S3World(outcome="stall"), wait_timeout=20)
    assert result["canary"]["timed_out"] and result["canary"]["waited_seconds"] == 20.0
    assert "still PENDING after 20.0 seconds" in result["verdict"]["reason"]


def test_an_emulator_that_never_replicates_is_named():
    result, _replica = run_canary(S3World(outcome="never"), wait_timeout=10)
    assert result["verdict"]["status"] is None and "no replication status" in result["verdict"]["reason"]


def test_a_wrong_replica_key_and_source_ownership_are_problems():
    world = S3World(rule=replication_rule(owner_override=False, replica_key=SRC_KEY))
    result, replica = run_canary(world)
    assert result["verdict"]["ok"]
    problems = " ".join(replica["replica"]["problems"])
    assert "not the destination key" in problems and "owned by canonical user canonical-src" in problems


def test_a_key_no_rule_selects_is_refused_before_writing():
    world = S3World(rule=replication_rule(prefix="reports/"))
    with pytest.raises(AwsCallFailure, match="no enabled replication rule"):
        run_canary(world)
    assert world.buckets["stats-data-src"]["objects"] == []
    result, replica = run_canary(world, key_prefix="reports/canary")
    assert result["canary"]["key"].startswith("reports/canary/") and replica["replica"]["ok"]


def test_a_bucket_without_replication_is_refused_before_writing():
    world = S3World()
    world.buckets["stats-data-src"]["replication"] = None
    with pytest.raises(AwsCallFailure, match="no replication configuration"):
        run_canary(world)
    assert world.buckets["stats-data-src"]["objects"] == []


def test_check_mode_writes_nothing():
    world = S3World()
    client = world.client(SRC)
    result = module.source_canary(client, params(), check_mode=True)
    assert result["changed"] and result["verdict"]["ok"] is None and client.calls == ["GetBucketReplication"]


def test_removal_takes_every_version_of_the_canary_and_nothing_else():
    world = S3World()
    result, _replica = run_canary(world)
    key = result["canary"]["key"]
    source_objects = world.buckets["stats-data-src"]["objects"]
    source_objects.append(dict(source_objects[0], VersionId="v99"))
    source_objects.append({"Key": key + ".keep", "VersionId": "v100"})
    source_objects.append({"Key": "data/other-teams-object", "VersionId": "v101"})
    api = world.client(SRC)
    preview = module.remove_canary(api, params(key=key, state="absent"), check_mode=True)
    assert preview["changed"] and len(preview["removed"]) == 2 and len(source_objects) == 4
    removed = module.remove_canary(api, params(key=key, state="absent"), check_mode=False)
    assert sorted(v["VersionId"] for v in removed["removed"]) == ["v1", "v99"]
    assert [e["Key"] for e in world.buckets["stats-data-src"]["objects"]] == [key + ".keep", "data/other-teams-object"]
    assert not module.remove_canary(api, params(key=key, state="absent"), check_mode=False)["changed"]


def test_a_bucket_of_another_account_is_never_touched():
    world = S3World()
    with pytest.raises(AwsCallFailure, match=f"GetBucketReplication failed for bucket 'stats-data-src' in account {DST}"):
        module.source_canary(world.client(SRC), params(expected_bucket_owner=DST), check_mode=False)
    assert world.buckets["stats-data-src"]["objects"] == []


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"kms_key_arn": None}, "kms_key_arn is required"),
        ({"kms_key_arn": "alias/aws/s3"}, "kms_key_arn"),
        ({"bucket": "Bad_Bucket"}, "bucket"),
        ({"expected_bucket_owner": "12345"}, "expected_bucket_owner"),
        ({"mode": "replica"}, "key is required with mode=replica"),
        ({"state": "absent", "kms_key_arn": None}, "key is required with mode=source state=absent"),
        ({"wait_timeout": -1}, "wait_timeout"),
    ],
)
def test_bad_options_are_refused(overrides, words):
    with pytest.raises(canary.CanaryError, match=words):
        params(**overrides)


# --- the requests, validated against the S3 model ---------------------------------------------------


@pytest.fixture(name="stubbed")
def stubbed_fixture():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff(retries=2, delay=0)), stubber
        stubber.assert_no_pending_responses()


def test_requests_match_the_s3_model(stubbed):
    s3, stubber = stubbed
    owned = {"Bucket": "stats-data-src", "ExpectedBucketOwner": SRC}
    stubber.add_response(
        "put_object",
        {"VersionId": "v1"},
        dict(
            owned,
            Key="c/k.txt",
            Body=b"canary\n",
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=SRC_KEY,
            Tagging="replicate=yes%2Fplease",
        ),
    )
    stubber.add_response("head_object", {"ReplicationStatus": "PENDING", "VersionId": "v1"}, dict(owned, Key="c/k.txt", VersionId="v1"))
    stubber.add_client_error("head_object", "404", http_status_code=404, expected_params=dict(owned, Key="c/gone.txt"))
    stubber.add_response("get_object_acl", {"Owner": {"ID": "o"}}, dict(owned, Key="c/k.txt", VersionId="v1"))
    stubber.add_response("get_bucket_acl", {"Owner": {"ID": "o"}}, owned)
    stubber.add_response(
        "list_object_versions",
        {
            "IsTruncated": True,
            "NextKeyMarker": "c/k.txt",
            "NextVersionIdMarker": "v2",
            "Versions": [{"Key": "c/k.txt", "VersionId": "v1"}],
            "DeleteMarkers": [{"Key": "c/k.txt", "VersionId": "v2"}],
        },
        dict(owned, Prefix="c/k.txt"),
    )
    stubber.add_response(
        "list_object_versions",
        {"IsTruncated": False, "Versions": [{"Key": "c/k.txt.bak", "VersionId": "v3"}]},
        dict(owned, Prefix="c/k.txt", KeyMarker="c/k.txt", VersionIdMarker="v2"),
    )
    stubber.add_response(
        "delete_objects", {}, dict(owned, Delete={"Objects": [{"Key": "c/k.txt", "VersionId": "v1"}, {"Key": "c/k.txt", "VersionId": "v2"}], "Quiet": True})
    )
    assert aws_s3.put_encrypted_object(s3, "stats-data-src", "c/k.txt", "canary\n", SRC_KEY, {"replicate": "yes/please"}, SRC) == "v1"
    assert aws_s3.head_object(s3, "stats-data-src", "c/k.txt", "v1", SRC)["ReplicationStatus"] == "PENDING"
    assert aws_s3.head_object(s3, "stats-data-src", "c/gone.txt", owner=SRC) is None
    assert aws_s3.get_object_owner(s3, "stats-data-src", "c/k.txt", "v1", SRC) == aws_s3.get_bucket_owner(s3, "stats-data-src", SRC) == "o"
    versions = canary.versions_of_key(aws_s3.list_object_versions(s3, "stats-data-src", "c/k.txt", SRC), "c/k.txt")
    assert versions == [{"Key": "c/k.txt", "VersionId": "v1"}, {"Key": "c/k.txt", "VersionId": "v2"}]
    aws_s3.delete_object_versions(s3, "stats-data-src", versions, SRC)


def test_a_refused_delete_is_reported(stubbed):
    s3, stubber = stubbed
    stubber.add_response(
        "delete_objects",
        {"Errors": [{"Key": "c/k.txt", "VersionId": "v1", "Code": "AccessDenied", "Message": "no"}]},
        {"Bucket": "stats-data-src", "ExpectedBucketOwner": SRC, "Delete": {"Objects": [{"Key": "c/k.txt", "VersionId": "v1"}], "Quiet": True}},
    )
    with pytest.raises(AwsCallFailure, match="AccessDenied"):
        aws_s3.delete_object_versions(s3, "stats-data-src", [{"Key": "c/k.txt", "VersionId": "v1"}], SRC)
