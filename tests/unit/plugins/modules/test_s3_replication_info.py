# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import datetime
import json

import botocore.exceptions

from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_info as info

SRC = "211258069784"
KEY = f"arn:aws:kms:us-east-1:{SRC}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def client_error(code, operation="Op"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": f"{code} happened"}}, operation)


class Stub:
    """A client whose operations answer from ``answers``: a value, or an exception to raise."""

    def __init__(self, **answers):
        self.answers = answers
        self.calls = []

    def __getattr__(self, operation):
        def call(aws_retry=False, **params):
            assert aws_retry, f"{operation} must be retried"
            self.calls.append((operation, params))
            answer = self.answers[operation]
            if isinstance(answer, Exception):
                raise answer
            return answer(**params) if callable(answer) else answer
        return call

    def get_paginator(self, operation):
        stub = self

        class Pages:
            def paginate(self, **params):
                answer = stub.answers[operation]
                if isinstance(answer, Exception):
                    raise answer

                class Result:
                    def build_full_result(self):
                        return answer
                return Result()
        return Pages()


def s3_stub(**overrides):
    answers = {
        "head_bucket": {"BucketRegion": "us-east-1"},
        "get_bucket_versioning": {"Status": "Enabled"},
        "get_bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "1234abcd-12ab-34cd-56ef-1234567890ab"},
             "BucketKeyEnabled": True}]}},
        "get_bucket_ownership_controls": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
        "get_object_lock_configuration": client_error("ObjectLockConfigurationNotFoundError"),
        "get_bucket_policy": {"Policy": json.dumps({"Statement": [{"Effect": "Deny"}]})},
        "get_bucket_replication": {"ReplicationConfiguration": {"Role": "r", "Rules": []}},
        "list_objects_v2": {"KeyCount": 0},
    }
    answers.update(overrides)
    return Stub(**answers)


def test_bucket_read_in_full():
    bucket = info.gather_bucket(s3_stub(), "stats-data-src", SRC, "aws", "us-east-1")
    assert bucket == {
        "name": "stats-data-src", "exists": True, "region": "us-east-1", "versioning": "Enabled",
        "encryption": {"algorithm": "aws:kms", "kms_key_arn": KEY, "bucket_key_enabled": True},
        "object_ownership": "BucketOwnerEnforced", "object_lock": False, "policy": {"Statement": [{"Effect": "Deny"}]},
        "replication": {"Role": "r", "Rules": []}, "has_objects": False, "errors": {},
    }


def test_bucket_settings_that_are_not_set():
    stub = s3_stub(
        get_bucket_versioning={},
        get_bucket_encryption=client_error("ServerSideEncryptionConfigurationNotFoundError"),
        get_bucket_ownership_controls=client_error("OwnershipControlsNotFoundError"),
        get_object_lock_configuration={"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}},
        get_bucket_policy=client_error("NoSuchBucketPolicy"),
        get_bucket_replication=client_error("ReplicationConfigurationNotFoundError"),
        list_objects_v2={"KeyCount": 1},
    )
    bucket = info.gather_bucket(stub, "b", SRC, "aws", "us-east-1")
    assert bucket["versioning"] == "Disabled" and bucket["encryption"] is None and bucket["object_ownership"] is None
    assert bucket["object_lock"] is True and bucket["policy"] is None and bucket["replication"] is None
    assert bucket["has_objects"] is True and bucket["errors"] == {}


def test_denied_reads_are_recorded_not_raised():
    stub = s3_stub(get_bucket_policy=client_error("AccessDenied"), get_bucket_versioning=client_error("AccessDenied"))
    bucket = info.gather_bucket(stub, "b", SRC, "aws", "us-east-1")
    assert bucket["policy"] is None and bucket["versioning"] is None
    assert bucket["errors"] == {"policy": "AccessDenied: AccessDenied happened", "versioning": "AccessDenied: AccessDenied happened"}


def test_missing_and_forbidden_buckets():
    missing = info.gather_bucket(s3_stub(head_bucket=client_error("404")), "b", SRC, "aws", "us-east-1")
    assert missing["exists"] is False and missing["errors"] == {}
    forbidden = info.gather_bucket(s3_stub(head_bucket=client_error("403")), "b", SRC, "aws", "us-east-1")
    assert forbidden["exists"] is None and "403" in forbidden["errors"]["exists"]


def iam_stub(**overrides):
    answers = {
        "get_role": {"Role": {"Arn": f"arn:aws:iam::{SRC}:role/r", "AssumeRolePolicyDocument": {"Statement": []},
                              "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::aws:policy/B"}}},
        "list_role_policies": {"PolicyNames": ["inline"]},
        "get_role_policy": {"PolicyDocument": {"Statement": [{"Effect": "Allow"}]}},
        "list_attached_role_policies": {"AttachedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/M", "PolicyName": "M"}]},
        "get_policy": {"Policy": {"DefaultVersionId": "v2"}},
        "get_policy_version": lambda PolicyArn, VersionId: {"PolicyVersion": {"Document": json.dumps({"Id": PolicyArn, "Version": VersionId})}},
    }
    answers.update(overrides)
    return Stub(**answers)


def test_role_with_every_policy():
    role = info.gather_role(iam_stub(), "r")
    assert role["exists"] is True and role["arn"] == f"arn:aws:iam::{SRC}:role/r"
    assert role["inline_policies"] == {"inline": {"Statement": [{"Effect": "Allow"}]}}
    assert role["managed_policies"] == [{"arn": "arn:aws:iam::aws:policy/M", "name": "M", "document": {"Id": "arn:aws:iam::aws:policy/M", "Version": "v2"}}]
    assert role["permissions_boundary"] == {"Id": "arn:aws:iam::aws:policy/B", "Version": "v2"}
    assert role["errors"] == {}


def test_missing_and_unreadable_roles():
    assert info.gather_role(iam_stub(get_role=client_error("NoSuchEntity")), "r")["exists"] is False
    denied = info.gather_role(iam_stub(get_role=client_error("AccessDenied")), "r")
    assert denied["exists"] is None and "AccessDenied" in denied["errors"]["role"]
    partial = info.gather_role(iam_stub(list_attached_role_policies=client_error("AccessDenied")), "r")
    assert partial["managed_policies"] == [] and "managed_policies" in partial["errors"]


def kms_stub(**overrides):
    answers = {
        "describe_key": {"KeyMetadata": {"KeyId": "k", "Arn": KEY, "KeyState": "PendingDeletion", "KeyManager": "CUSTOMER",
                                         "KeySpec": "SYMMETRIC_DEFAULT", "DeletionDate": datetime.datetime(2027, 1, 1), "Description": "x"}},
        "get_key_policy": {"Policy": json.dumps({"Statement": []})},
        "list_grants": {"Grants": [{"Name": "g", "CreationDate": datetime.datetime(2026, 1, 1)}]},
    }
    answers.update(overrides)
    return Stub(**answers)


def test_key_with_policy_and_grants():
    key = info.gather_key(kms_stub(), KEY)
    assert key["exists"] is True and key["policy"] == {"Statement": []}
    assert key["metadata"]["DeletionDate"] == "2027-01-01T00:00:00" and "Description" not in key["metadata"]
    assert key["grants"] == [{"Name": "g", "CreationDate": "2026-01-01T00:00:00"}]


def test_missing_and_unreadable_keys():
    assert info.gather_key(kms_stub(describe_key=client_error("NotFoundException")), KEY)["exists"] is False
    denied = info.gather_key(kms_stub(describe_key=client_error("AccessDeniedException")), KEY)
    assert denied["exists"] is None and "AccessDeniedException" in denied["errors"]["metadata"]
    no_policy = info.gather_key(kms_stub(get_key_policy=client_error("AccessDeniedException")), KEY)
    assert no_policy["policy"] is None and "policy" in no_policy["errors"]


def test_gather_reads_bucket_keys_of_its_own_account_once():
    clients = {"s3": s3_stub(), "iam": iam_stub(), "kms": kms_stub()}
    facts = info.gather(clients, SRC, "aws", "us-east-1", buckets=["arn:aws:s3:::stats-data-src"], roles=[f"arn:aws:iam::{SRC}:role/r"], kms_keys=[KEY])
    assert list(facts["buckets"]) == ["stats-data-src"] and list(facts["roles"]) == ["r"] and list(facts["keys"]) == [KEY]
    facts = info.gather(clients, SRC, "aws", "us-east-1", buckets=["stats-data-src"], include_bucket_keys=False)
    assert facts["keys"] == {}
    assert info.bucket_keys({"b": {"encryption": {"kms_key_arn": KEY.replace(SRC, "880161310235")}}}, SRC) == []


def test_bucket_reads_only_the_attributes_asked_for():
    stub = s3_stub()
    bucket = info.gather_bucket(stub, "stats-data-tgt", SRC, "aws", "us-east-1", ["versioning", "policy"])
    assert [operation for operation, _params in stub.calls] == ["head_bucket", "get_bucket_versioning", "get_bucket_policy"]
    assert bucket["versioning"] == "Enabled" and bucket["policy"] == {"Statement": [{"Effect": "Deny"}]}
    assert bucket["encryption"] is None and bucket["replication"] is None and bucket["errors"] == {}


def test_clients_are_made_on_first_use():
    made = []

    class Module:
        def client(self, service, retry_decorator=None):
            made.append(service)
            return service + "-client"

    clients = info.LazyClients(Module(), None)
    assert made == []
    assert clients["kms"] == "kms-client" and clients["kms"] == "kms-client"
    assert made == ["kms"]
