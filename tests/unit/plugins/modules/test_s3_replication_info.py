# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_info's reads (module_utils/aws/facts, and gather) against botocore's Stubber: every request is checked
against the S3, IAM and KMS models, and a call that was not expected fails the test even though the reads record
AWS errors instead of raising them."""

import datetime
import json
from urllib.parse import quote

import boto3
import pytest
import aws_stubs

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_info as info

SRC = "211258069784"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY = f"arn:aws:kms:us-east-1:{SRC}:key/{KEY_ID}"
ROLE_ARN = f"arn:aws:iam::{SRC}:role/r"
IDENTITY = {"account_id": SRC, "arn": f"arn:aws:sts::{SRC}:assumed-role/deployer/s", "partition": "aws"}


# --- Stubber-backed clients ---------------------------------------------------------------------


class RecordingStubber(aws_stubs.RecordingStubber):
    """The shared recording Stubber (the reads record AWS errors instead of raising them), with shorthands."""

    def ok(self, operation, response, **params):
        self.add_response(operation, response, params)

    def fails(self, operation, code, status=403, **params):
        self.add_client_error(operation, code, f"{code} happened", status, expected_params=params)


@pytest.fixture(name="stubbers")
def stubbers_fixture():
    made = {}

    def stubbed(service):
        if service not in made:
            raw = boto3.client(service, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
            stubber = RecordingStubber(raw)
            stubber.activate()
            made[service] = (RetryingBotoClientWrapper(raw, transient_retry(retries=3, delay=0, max_delay=0)), stubber)
        return made[service]

    yield stubbed
    for _client, stubber in made.values():
        stubber.deactivate()
        assert stubber.violations == []
        stubber.assert_no_pending_responses()


@pytest.fixture(name="s3")
def s3_fixture(stubbers):
    return stubbers("s3")


@pytest.fixture(name="iam")
def iam_fixture(stubbers):
    return stubbers("iam")


@pytest.fixture(name="kms")
def kms_fixture(stubbers):
    return stubbers("kms")


# --- buckets ------------------------------------------------------------------------------------

KMS_ENCRYPTION = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ID}, "BucketKeyEnabled": True}]}


def answer_bucket(stubber, name="stats-data-src", **overrides):
    """Queues the answers of every bucket read, in facts.bucket's order; ``overrides``: operation -> response, or an error code."""
    answers = {
        "head_bucket": {"BucketRegion": "us-east-1"},
        "get_bucket_versioning": {"Status": "Enabled"},
        "get_bucket_encryption": {"ServerSideEncryptionConfiguration": KMS_ENCRYPTION},
        "get_bucket_ownership_controls": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
        "get_object_lock_configuration": "ObjectLockConfigurationNotFoundError",
        "get_bucket_policy": {"Policy": json.dumps({"Statement": [{"Effect": "Deny"}]})},
        "get_bucket_replication": {"ReplicationConfiguration": {"Role": "r", "Rules": []}},
        "list_objects_v2": {"KeyCount": 0},
    }
    answers.update(overrides)
    for operation, answer in answers.items():
        params = {"Bucket": name, "MaxKeys": 1} if operation == "list_objects_v2" else {"Bucket": name}
        if isinstance(answer, str):
            stubber.fails(operation, answer, status=404, **params)
        elif answer is not None:
            stubber.ok(operation, answer, **params)


def test_bucket_read_in_full(s3):
    client, stubber = s3
    answer_bucket(stubber)
    bucket = facts.bucket(client, "stats-data-src", SRC, "aws", "us-east-1")
    assert bucket == {
        "name": "stats-data-src", "exists": True, "region": "us-east-1", "versioning": "Enabled",
        "encryption": {"algorithm": "aws:kms", "kms_key_arn": KEY, "bucket_key_enabled": True},
        "object_ownership": "BucketOwnerEnforced", "object_lock": False, "policy": {"Statement": [{"Effect": "Deny"}]},
        "replication": {"Role": "r", "Rules": []}, "has_objects": False, "notification": None, "errors": {},
    }


def test_bucket_settings_that_are_not_set(s3):
    client, stubber = s3
    answer_bucket(
        stubber, "b",
        get_bucket_versioning={},
        get_bucket_encryption="ServerSideEncryptionConfigurationNotFoundError",
        get_bucket_ownership_controls="OwnershipControlsNotFoundError",
        get_object_lock_configuration={"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}},
        get_bucket_policy="NoSuchBucketPolicy",
        get_bucket_replication="ReplicationConfigurationNotFoundError",
        list_objects_v2={"KeyCount": 1},
    )
    bucket = facts.bucket(client, "b", SRC, "aws", "us-east-1")
    assert bucket["versioning"] == "Disabled" and bucket["encryption"] is None and bucket["object_ownership"] is None
    assert bucket["object_lock"] is True and bucket["policy"] is None and bucket["replication"] is None
    assert bucket["has_objects"] is True and bucket["errors"] == {}


def test_denied_reads_are_recorded_not_raised(s3):
    client, stubber = s3
    stubber.ok("head_bucket", {"BucketRegion": "us-east-1"}, Bucket="b")
    stubber.fails("get_bucket_versioning", "AccessDenied", Bucket="b")
    stubber.fails("get_bucket_policy", "AccessDenied", Bucket="b")
    bucket = facts.bucket(client, "b", SRC, "aws", "us-east-1", ["versioning", "policy"])
    assert bucket["policy"] is None and bucket["versioning"] is None
    assert bucket["errors"] == {"policy": "AccessDenied: AccessDenied happened", "versioning": "AccessDenied: AccessDenied happened"}


def test_missing_and_forbidden_buckets(s3):
    client, stubber = s3
    stubber.fails("head_bucket", "404", status=404, Bucket="b")
    missing = facts.bucket(client, "b", SRC, "aws", "us-east-1")
    assert missing["exists"] is False and missing["errors"] == {}
    stubber.fails("head_bucket", "403", status=403, Bucket="b")
    forbidden = facts.bucket(client, "b", SRC, "aws", "us-east-1")
    assert forbidden["exists"] is None and "403" in forbidden["errors"]["exists"]
    assert stubber.operations() == ["HeadBucket", "HeadBucket"]


def test_bucket_reads_only_the_attributes_asked_for(s3):
    client, stubber = s3
    stubber.ok("head_bucket", {"BucketRegion": "us-east-1"}, Bucket="stats-data-tgt")
    stubber.ok("get_bucket_versioning", {"Status": "Enabled"}, Bucket="stats-data-tgt")
    stubber.ok("get_bucket_policy", {"Policy": json.dumps({"Statement": [{"Effect": "Deny"}]})}, Bucket="stats-data-tgt")
    bucket = facts.bucket(client, "stats-data-tgt", SRC, "aws", "us-east-1", ["versioning", "policy"])
    assert stubber.operations() == ["HeadBucket", "GetBucketVersioning", "GetBucketPolicy"]
    assert bucket["versioning"] == "Enabled" and bucket["policy"] == {"Statement": [{"Effect": "Deny"}]}
    assert bucket["encryption"] is None and bucket["replication"] is None and bucket["errors"] == {}


# --- roles --------------------------------------------------------------------------------------


def iam_document(document):
    """IAM answers policy documents URL-encoded."""
    return quote(json.dumps(document))


def role_answers(name):
    """Every answer of the reads of role ``name``, in facts.role's order: (operation, response, expected parameters)."""
    role = {"Path": "/", "RoleName": name, "RoleId": "AROAEXAMPLEROLEID0001", "Arn": ROLE_ARN, "CreateDate": datetime.datetime(2026, 1, 1),
            "AssumeRolePolicyDocument": iam_document({"Statement": []}),
            "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/B"}}
    answers = [
        ("get_role", {"Role": role}, {"RoleName": name}),
        ("list_role_policies", {"PolicyNames": ["inline"], "IsTruncated": False}, {"RoleName": name}),
        ("get_role_policy", {"RoleName": name, "PolicyName": "inline", "PolicyDocument": iam_document({"Statement": [{"Effect": "Allow"}]})},
         {"RoleName": name, "PolicyName": "inline"}),
        ("list_attached_role_policies", {"AttachedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/M", "PolicyName": "M"}], "IsTruncated": False},
         {"RoleName": name}),
    ]
    for policy in ("M", "B"):
        arn = f"arn:aws:iam::aws:policy/{policy}"
        answers.append(("get_policy", {"Policy": {"Arn": arn, "DefaultVersionId": "v2"}}, {"PolicyArn": arn}))
        answers.append(("get_policy_version", {"PolicyVersion": {"Document": iam_document({"Id": arn, "Version": "v2"}), "VersionId": "v2"}},
                        {"PolicyArn": arn, "VersionId": "v2"}))
    return answers


def answer_role(stubber, name="r", **errors):
    """Queues the answers of the reads of role ``name``; ``errors``: operation -> error code. A failed GetRole ends the
    reads, a failed ListAttachedRolePolicies leaves only the permissions boundary to read."""
    for operation, response, params in role_answers(name):
        if operation in errors:
            stubber.fails(operation, errors[operation], status=404 if errors[operation] == "NoSuchEntity" else 403, **params)
            if operation == "get_role":
                return
        elif not ("list_attached_role_policies" in errors and params.get("PolicyArn") == "arn:aws:iam::aws:policy/M"):
            stubber.ok(operation, response, **params)


def test_role_with_every_policy(iam):
    client, stubber = iam
    answer_role(stubber)
    role = facts.role(client, "r")
    assert role["exists"] is True and role["arn"] == ROLE_ARN
    assert role["trust_policy"] == {"Statement": []}
    assert role["inline_policies"] == {"inline": {"Statement": [{"Effect": "Allow"}]}}
    assert role["managed_policies"] == [{"arn": "arn:aws:iam::aws:policy/M", "name": "M", "document": {"Id": "arn:aws:iam::aws:policy/M", "Version": "v2"}}]
    assert role["permissions_boundary"] == {"Id": "arn:aws:iam::aws:policy/B", "Version": "v2"}
    assert role["errors"] == {}


def test_missing_and_unreadable_roles(iam):
    client, stubber = iam
    answer_role(stubber, get_role="NoSuchEntity")
    assert facts.role(client, "r")["exists"] is False
    answer_role(stubber, get_role="AccessDenied")
    denied = facts.role(client, "r")
    assert denied["exists"] is None and "AccessDenied" in denied["errors"]["role"]
    answer_role(stubber, list_attached_role_policies="AccessDenied")
    partial = facts.role(client, "r")
    assert partial["managed_policies"] == [] and "managed_policies" in partial["errors"]
    assert partial["inline_policies"] and partial["permissions_boundary"]


# --- keys ---------------------------------------------------------------------------------------


def answer_key(stubber, reference=KEY, **overrides):
    metadata = {"KeyId": KEY_ID, "Arn": KEY, "KeyState": "PendingDeletion", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT",
                "DeletionDate": datetime.datetime(2027, 1, 1), "Description": "x"}
    answers = [
        ("describe_key", {"KeyMetadata": metadata}, {"KeyId": reference}),
        ("get_key_policy", {"Policy": json.dumps({"Statement": []}), "PolicyName": "default"}, {"KeyId": KEY, "PolicyName": "default"}),
        ("list_grants", {"Grants": [{"Name": "g", "CreationDate": datetime.datetime(2026, 1, 1)}], "Truncated": False}, {"KeyId": KEY}),
    ]
    for operation, response, params in answers:
        answer = overrides.get(operation, response)
        if isinstance(answer, str):
            stubber.fails(operation, answer, status=400, **params)
            if operation == "describe_key":
                return
        else:
            stubber.ok(operation, answer, **params)


def test_key_with_policy_and_grants(kms):
    client, stubber = kms
    answer_key(stubber)
    key = facts.key(client, KEY)
    assert key["exists"] is True and key["policy"] == {"Statement": []}
    assert key["metadata"]["DeletionDate"] == "2027-01-01T00:00:00" and "Description" not in key["metadata"]
    assert key["grants"] == [{"Name": "g", "CreationDate": "2026-01-01T00:00:00"}]


def test_missing_and_unreadable_keys(kms):
    client, stubber = kms
    answer_key(stubber, describe_key="NotFoundException")
    assert facts.key(client, KEY)["exists"] is False
    answer_key(stubber, describe_key="AccessDeniedException")
    denied = facts.key(client, KEY)
    assert denied["exists"] is None and "AccessDeniedException" in denied["errors"]["metadata"]
    answer_key(stubber, get_key_policy="AccessDeniedException")
    no_policy = facts.key(client, KEY)
    assert no_policy["policy"] is None and "policy" in no_policy["errors"]
    assert no_policy["grants"] == [{"Name": "g", "CreationDate": "2026-01-01T00:00:00"}]


def test_a_key_is_read_by_alias_and_then_by_its_arn(kms):
    client, stubber = kms
    answer_key(stubber, "alias/replica")
    assert facts.key(client, "alias/replica")["metadata"]["Arn"] == KEY


# --- gather: one account's reads --------------------------------------------------------------


class FakeModule:
    """What gather uses of the module: its region and its clients (one per service; the region asked for is recorded)."""

    region = "us-east-1"

    def __init__(self, stubbers):
        self._stubbers = stubbers
        self.asked = []

    def aws_client(self, service, region=None):
        self.asked.append((service, region))
        return self._stubbers(service)[0]


def test_gather_reads_bucket_keys_of_its_own_account_once(stubbers):
    module = FakeModule(stubbers)
    answer_bucket(stubbers("s3")[1])
    answer_role(stubbers("iam")[1])
    answer_key(stubbers("kms")[1])
    found = info.gather(module, IDENTITY, buckets=["arn:aws:s3:::stats-data-src"], roles=[ROLE_ARN], kms_keys=[KEY], max_concurrency=1)
    assert list(found["buckets"]) == ["stats-data-src"] and list(found["roles"]) == ["r"] and list(found["keys"]) == [KEY]
    assert stubbers("kms")[1].operations() == ["DescribeKey", "GetKeyPolicy", "ListGrants"]


def test_gather_reads_the_default_key_of_a_bucket_when_asked(stubbers):
    module = FakeModule(stubbers)
    answer_bucket(stubbers("s3")[1])
    answer_key(stubbers("kms")[1])
    found = info.gather(module, IDENTITY, buckets=["stats-data-src"], max_concurrency=1)
    assert list(found["keys"]) == [KEY] and found["keys"][KEY]["exists"] is True
    answer_bucket(stubbers("s3")[1])
    assert info.gather(module, IDENTITY, buckets=["stats-data-src"], include_bucket_keys=False, max_concurrency=1)["keys"] == {}


def test_keys_of_other_accounts_are_not_bucket_keys():
    assert facts.bucket_default_keys({"b": {"encryption": {"kms_key_arn": KEY.replace(SRC, "880161310235")}}}, SRC) == []
    assert facts.bucket_default_keys({"b": {"encryption": {"kms_key_arn": KEY}}, "c": {"encryption": {"kms_key_arn": KEY}}}, SRC) == [KEY]


def test_gather_reads_a_key_in_the_region_of_its_arn(stubbers):
    module = FakeModule(stubbers)
    eu_key = KEY.replace("us-east-1", "eu-west-1")
    answer_key(stubbers("kms")[1], eu_key)
    info.gather(module, IDENTITY, kms_keys=[eu_key], max_concurrency=1)
    assert module.asked == [("kms", "eu-west-1")]


def test_gather_reads_only_the_bucket_attributes_asked_for(stubbers):
    module = FakeModule(stubbers)
    stubber = stubbers("s3")[1]
    stubber.ok("head_bucket", {"BucketRegion": "us-east-1"}, Bucket="stats-data-tgt")
    stubber.ok("get_bucket_policy", {"Policy": json.dumps({"Statement": []})}, Bucket="stats-data-tgt")
    found = info.gather(module, IDENTITY, buckets=["stats-data-tgt", "stats-data-tgt"], bucket_attributes=["policy"], max_concurrency=1)
    assert found["buckets"]["stats-data-tgt"]["policy"] == {"Statement": []}


def test_clients_are_asked_for_on_first_use(stubbers):
    module = FakeModule(stubbers)
    assert info.gather(module, IDENTITY, max_concurrency=1) == {"buckets": {}, "roles": {}, "keys": {}}
    assert module.asked == []
    answer_role(stubbers("iam")[1], get_role="NoSuchEntity")
    info.gather(module, IDENTITY, roles=["r"], max_concurrency=1)
    assert module.asked == [("iam", None)]
