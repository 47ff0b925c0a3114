# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The policy model's batch_replication option: what an S3 Batch Replication job run with the replication role needs."""

import copy
import hashlib
import json

import parliament
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import PolicySpecError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import replication_policies

SOURCE_KEY = "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DESTINATION_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
SOURCE_DIGEST = "23724fd450"
BATCH = {"report_bucket": "stats-ops-reports", "report_prefix": "batch-replication"}


def seed_spec(**overrides):
    spec = {
        "source": {"account_id": "211258069784", "bucket": "stats-data-src", "kms_key_arn": SOURCE_KEY, "region": "us-east-1", "bucket_key_enabled": False},
        "destination": {
            "account_id": "880161310235",
            "bucket": "stats-data-tgt",
            "kms_key_arn": DESTINATION_KEY,
            "region": "us-east-1",
            "bucket_key_enabled": True,
        },
        "role_name": "s3-replication-role",
        "owner_override": True,
        "replicate_unencrypted_objects": True,
    }
    spec.update(overrides)
    return spec


def by_sid(policy):
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def test_without_the_option_every_output_is_unchanged():
    plain = replication_policies(seed_spec())
    assert replication_policies(seed_spec(batch_replication=None)) == plain
    assert "batch_role_policy" not in plain and "batch_role_policy_name" not in plain


def test_with_the_option_only_trust_permissions_and_the_new_keys_change():
    plain = replication_policies(seed_spec())
    batch = replication_policies(seed_spec(batch_replication=BATCH))
    assert set(batch) - set(plain) == {"batch_role_policy_name", "batch_role_policy"}
    for key in (
        "role_arn",
        "role_policy_name",
        "role_policy",
        "destination_bucket_statements",
        "destination_key_statement",
        "destination_key_grant",
        "source_key_statement",
    ):
        assert batch[key] == plain[key], key
    assert batch["required_permissions"][: len(plain["required_permissions"])] == plain["required_permissions"]


def test_trust_policy_adds_batch_operations_beside_s3():
    trust = replication_policies(seed_spec(batch_replication=BATCH))["trust_policy"]
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": "batchoperations.s3.amazonaws.com"}, "Action": "sts:AssumeRole"},
    ]


def test_trust_condition_applies_to_batch_operations_too():
    trust = replication_policies(seed_spec(batch_replication=BATCH, trust_source_account_condition=True))["trust_policy"]
    assert [s["Condition"] for s in trust["Statement"]] == [{"StringEquals": {"aws:SourceAccount": "211258069784"}}] * 2


def test_batch_policy_is_the_aws_documented_policy_scoped_to_the_prefixes():
    result = replication_policies(seed_spec(batch_replication=BATCH))
    assert result["batch_role_policy_name"] == f"s3-crossaccount-replication-batch-{SOURCE_DIGEST}"
    assert result["batch_role_policy"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"S3ReplBatchInitiate{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:InitiateReplication"],
                "Resource": "arn:aws:s3:::stats-data-src/*",
            },
            {
                "Sid": f"S3ReplBatchSourceBucket{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
                "Resource": "arn:aws:s3:::stats-data-src",
            },
            {
                "Sid": f"S3ReplBatchManifest{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": "arn:aws:s3:::stats-ops-reports/batch-replication/*",
            },
            {
                "Sid": f"S3ReplBatchReport{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:PutObject"],
                "Resource": "arn:aws:s3:::stats-ops-reports/batch-replication/*",
            },
        ],
    }


def test_policy_name_depends_only_on_role_and_source_bucket():
    names = {
        replication_policies(seed_spec(batch_replication=batch))["batch_role_policy_name"]
        for batch in (BATCH, {"report_bucket": "other-reports"}, {"report_bucket": "reports", "manifest_bucket": "manifests", "manifest_prefix": "x"})
    }
    expected = hashlib.sha256(f"{ROLE}|stats-data-src".encode()).hexdigest()[:10]
    assert names == {f"s3-crossaccount-replication-batch-{expected}"}
    assert policy_model.batch_role_policy_name(ROLE, "stats-data-src") in names


def test_separate_manifest_location_is_read_and_written():
    batch = dict(BATCH, manifest_bucket="arn:aws:s3:::stats-manifests", manifest_prefix="/generated/")
    statements = by_sid(replication_policies(seed_spec(batch_replication=batch))["batch_role_policy"])
    assert statements[f"S3ReplBatchManifest{SOURCE_DIGEST}"]["Resource"] == "arn:aws:s3:::stats-manifests/generated/*"
    assert statements[f"S3ReplBatchReport{SOURCE_DIGEST}"]["Resource"] == [
        "arn:aws:s3:::stats-manifests/generated/*",
        "arn:aws:s3:::stats-ops-reports/batch-replication/*",
    ]


def test_no_prefix_means_the_whole_bucket_and_manifest_defaults_to_the_report_location():
    statements = by_sid(replication_policies(seed_spec(batch_replication={"report_bucket": "stats-ops-reports"}))["batch_role_policy"])
    assert statements[f"S3ReplBatchManifest{SOURCE_DIGEST}"]["Resource"] == "arn:aws:s3:::stats-ops-reports/*"
    assert statements[f"S3ReplBatchReport{SOURCE_DIGEST}"]["Resource"] == "arn:aws:s3:::stats-ops-reports/*"


def test_manifest_prefix_alone_keeps_the_report_bucket():
    statements = by_sid(replication_policies(seed_spec(batch_replication=dict(BATCH, manifest_prefix="manifests")))["batch_role_policy"])
    assert statements[f"S3ReplBatchManifest{SOURCE_DIGEST}"]["Resource"] == "arn:aws:s3:::stats-ops-reports/manifests/*"


def test_required_permissions_list_the_batch_permissions_with_their_documents():
    permissions = {p["id"]: p for p in replication_policies(seed_spec(batch_replication=BATCH))["required_permissions"]}
    assert permissions["batch-assume-role"]["granted_by"] == ["trust_policy"]
    assert permissions["batch-assume-role"]["principal"] == {"Service": "batchoperations.s3.amazonaws.com"}
    for permission_id in ("batch-initiate", "batch-source-bucket", "batch-manifest-read", "batch-report-write"):
        assert permissions[permission_id]["granted_by"] == ["batch_identity"]
        assert "sid" not in permissions[permission_id]


def test_other_partitions_use_their_arns():
    spec = seed_spec(partition="aws-cn", batch_replication=BATCH)
    spec["source"].update(region="cn-north-1", kms_key_arn=SOURCE_KEY.replace("aws:kms:us-east-1", "aws-cn:kms:cn-north-1"))
    spec["destination"].update(region="cn-north-1", kms_key_arn=DESTINATION_KEY.replace("aws:kms:us-east-1", "aws-cn:kms:cn-north-1"))
    resources = json.dumps(replication_policies(spec)["batch_role_policy"])
    assert "arn:aws-cn:s3:::stats-data-src/*" in resources and "arn:aws:" not in resources


def test_batch_policy_lints_clean_and_has_no_principal():
    policy = replication_policies(seed_spec(batch_replication=dict(BATCH, manifest_bucket="stats-manifests")))["batch_role_policy"]
    assert all("Principal" not in statement for statement in policy["Statement"])
    assert {f.issue for f in parliament.analyze_policy_string(json.dumps(policy)).findings} == set()


def test_sids_are_alphanumeric_and_distinct_from_the_replication_policy():
    result = replication_policies(seed_spec(batch_replication=BATCH))
    batch_sids = list(by_sid(result["batch_role_policy"]))
    assert all(sid.isalnum() for sid in batch_sids)
    assert not set(batch_sids) & set(by_sid(result["role_policy"]))


def test_the_input_is_not_modified():
    spec = seed_spec(batch_replication=dict(BATCH))
    before = copy.deepcopy(spec)
    replication_policies(spec)
    assert spec == before


@pytest.mark.parametrize(
    "batch, words",
    [
        ("yes", r"batch_replication must be a dict"),
        ({}, r"batch_replication.report_bucket is required"),
        ({"report_bucket": "reports", "report_prefx": "p"}, r"unknown key\(s\) report_prefx in batch_replication"),
        ({"report_bucket": "Not_A_Bucket"}, r"batch_replication.report_bucket"),
        ({"report_bucket": "reports", "report_prefix": "jobs/*"}, r"batch_replication.report_prefix 'jobs/\*' must be a plain key prefix"),
        ({"report_bucket": "reports", "manifest_bucket": "Bad Bucket"}, r"batch_replication.manifest_bucket"),
    ],
)
def test_bad_batch_options_are_refused_with_the_key(batch, words):
    with pytest.raises(PolicySpecError, match=words):
        replication_policies(seed_spec(batch_replication=batch))
