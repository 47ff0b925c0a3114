# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The doctor against two emulated accounts: gathering with s3_replication_info's code in each
account, evaluation on the result. A converged estate has no failure; each test then breaks
exactly one thing and expects exactly that finding to fail."""

import json

import pytest

import doctor_estate as de


@pytest.fixture()
def estate(clean_harness):
    return de.converge()


def _expect_only(estate, *finding_ids):
    result = de.diagnose(estate)
    assert de.failing(result) == set(finding_ids), json.dumps([f for f in result["findings"] if f["status"] != "ok"], indent=1)
    return result


def test_converged_estate_has_no_failure(estate):
    result = de.diagnose(estate)
    assert de.failing(result) == set()
    # Only advice remains: objects older than the rule, and the source key's standard delegation.
    assert de.not_ok(result) == {"existing-objects": "info"}


def test_gathering_reads_both_accounts(estate):
    facts = de.gather(estate)
    source = facts["source"]["buckets"]["stats-data-src"]
    assert source["versioning"] == "Enabled" and source["replication"]["Rules"][0]["ID"] == "all-objects"
    assert source["has_objects"] is True and source["encryption"]["bucket_key_enabled"] is False
    role = facts["source"]["roles"][de.ROLE_NAME]
    assert role["trust_policy"]["Statement"][0]["Principal"] == {"Service": "s3.amazonaws.com"}
    assert list(role["inline_policies"]) == [estate.model["role_policy_name"]]
    destination = facts["destination"]["buckets"]["stats-data-tgt"]
    assert destination["object_ownership"] == "BucketOwnerEnforced" and destination["policy"]["Statement"]
    key = facts["destination"]["keys"][estate.destination["kms_key_arn"]]
    assert key["metadata"]["KeyState"] == "Enabled" and len(key["policy"]["Statement"]) == 2


def test_destination_unversioned(estate):
    de.client(estate.destination, "s3").put_bucket_versioning(Bucket=estate.destination["bucket"], VersioningConfiguration={"Status": "Suspended"})
    _expect_only(estate, "destination-versioning")


def test_source_unversioned(estate):
    de.client(estate.source, "s3").put_bucket_versioning(Bucket=estate.source["bucket"], VersioningConfiguration={"Status": "Suspended"})
    _expect_only(estate, "source-versioning")


def test_destination_bucket_missing(clean_harness):
    estate = de.converge()
    s3 = de.client(estate.destination, "s3")
    s3.delete_bucket_policy(Bucket=estate.destination["bucket"])
    s3.delete_bucket(Bucket=estate.destination["bucket"])
    _expect_only(estate, "destination-bucket")


def test_no_replication_configuration(estate):
    de.client(estate.source, "s3").delete_bucket_replication(Bucket=estate.source["bucket"])
    _expect_only(estate, "replication-configuration")


def test_configuration_uses_another_role(estate):
    de.put_rules(estate, de.model_rule(estate), role_arn="arn:aws:iam::211258069784:role/other")
    _expect_only(estate, "replication-role")


def test_rule_disabled(estate):
    de.put_rules(estate, de.model_rule(estate, Status="Disabled"))
    _expect_only(estate, "replication-rules")


def test_no_sse_kms_selection(estate):
    rule = de.model_rule(estate)
    del rule["SourceSelectionCriteria"]
    de.put_rules(estate, rule)
    _expect_only(estate, "sse-kms-selection")


def test_no_replica_key(estate):
    rule = de.model_rule(estate)
    del rule["Destination"]["EncryptionConfiguration"]
    de.put_rules(estate, rule)
    _expect_only(estate, "replica-key")


def test_replica_key_given_as_key_id(estate):
    rule = de.model_rule(estate)
    rule["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] = estate.key_id("destination")
    de.put_rules(estate, rule)
    _expect_only(estate, "replica-key-arn")


def test_replication_time_control_without_metrics(estate):
    rule = de.model_rule(estate)
    rule["Destination"]["ReplicationTime"] = {"Status": "Enabled", "Time": {"Minutes": 15}}
    de.put_rules(estate, rule)
    _expect_only(estate, "replication-time-control")


def test_owner_override_without_account(estate):
    rule = de.model_rule(estate)
    del rule["Destination"]["Account"]
    de.put_rules(estate, rule)
    _expect_only(estate, "ownership")


def test_replica_key_disabled(estate):
    de.client(estate.destination, "kms").disable_key(KeyId=estate.key_id("destination"))
    _expect_only(estate, "replica-key-state")


def test_source_key_disabled(estate):
    de.client(estate.source, "kms").disable_key(KeyId=estate.key_id("source"))
    _expect_only(estate, "source-key-state")


def test_role_missing(estate):
    iam = de.client(estate.source, "iam")
    iam.delete_role_policy(RoleName=de.ROLE_NAME, PolicyName=estate.model["role_policy_name"])
    iam.delete_role(RoleName=de.ROLE_NAME)
    _expect_only(estate, "replication-role-exists")


def test_trust_policy_for_another_service(estate):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    de.client(estate.source, "iam").update_assume_role_policy(RoleName=de.ROLE_NAME, PolicyDocument=json.dumps(trust))
    _expect_only(estate, "assume-role.trust-policy")


def test_principal_in_identity_policy(estate):
    policy = json.loads(json.dumps(estate.model["role_policy"]))
    policy["Statement"][0]["Principal"] = {"AWS": estate.role_arn}
    de.put_role_policy(estate, policy)
    _expect_only(estate, "identity-policy-principal")


@pytest.mark.parametrize(
    "action, finding_id",
    [
        ("s3:GetReplicationConfiguration", "source-bucket.identity"),
        ("s3:GetObjectVersionForReplication", "source-objects.identity"),
        ("s3:ReplicateTags", "destination-objects.identity"),
        ("s3:ObjectOwnerOverrideToBucketOwner", "destination-objects.identity"),
        ("kms:Decrypt", None),
        ("kms:Encrypt", "destination-key.identity"),
    ],
)
def test_role_policy_without_one_action(estate, action, finding_id):
    policy = de.without_action(estate.model["role_policy"], action)
    de.put_role_policy(estate, policy)
    # kms:Decrypt is needed on both keys (the destination uses Bucket Keys): both identity findings fail.
    expected = {finding_id} if finding_id else {"source-key.identity", "destination-key.identity"}
    _expect_only(estate, *expected)


@pytest.mark.parametrize(
    "action, finding_id",
    [
        ("s3:ReplicateTags", "destination-objects.bucket-policy"),
        ("s3:ObjectOwnerOverrideToBucketOwner", "destination-objects.bucket-policy"),
        ("s3:GetBucketVersioning", "destination-bucket.bucket-policy"),
    ],
)
def test_bucket_policy_without_one_action(estate, action, finding_id):
    statements = de.without_action({"Statement": estate.model["destination_bucket_statements"]}, action)["Statement"]
    de.put_bucket_policy(estate, statements)
    _expect_only(estate, finding_id)


def test_bucket_policy_denies_replication(estate):
    deny = {"Sid": "NoReplicas", "Effect": "Deny", "Principal": "*", "Action": "s3:ReplicateObject",
            "Resource": f"arn:aws:s3:::{estate.destination['bucket']}/*"}
    de.put_bucket_policy(estate, estate.model["destination_bucket_statements"] + [deny])
    result = _expect_only(estate, "destination-objects.bucket-policy")
    message = next(f["message"] for f in result["findings"] if f["id"] == "destination-objects.bucket-policy")
    assert "Sid NoReplicas" in message


def test_source_bucket_policy_deny_outside_a_vpc_endpoint(estate):
    """S3's replication requests never come through your VPC endpoint: such a Deny blocks them."""
    deny = {
        "Sid": "OnlyThroughVpce", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{estate.source['bucket']}", f"arn:aws:s3:::{estate.source['bucket']}/*"],
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    }
    de.client(estate.source, "s3").put_bucket_policy(Bucket=estate.source["bucket"], Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny]}))
    _expect_only(estate, "source-bucket.bucket-policy", "source-objects.bucket-policy")


def test_destination_key_policy_without_the_role(estate):
    de.put_key_policy(estate, "destination", de.key_policy(estate.destination["account_id"]))
    _expect_only(estate, "destination-key.key-policy")


def test_destination_key_grant_instead_of_policy(estate):
    de.put_key_policy(estate, "destination", de.key_policy(estate.destination["account_id"]))
    grant = estate.model["destination_key_grant"]
    de.client(estate.destination, "kms").create_grant(
        KeyId=estate.destination["kms_key_arn"], GranteePrincipal=grant["grantee_principal"], Operations=grant["operations"],
        Name=grant["name"], Constraints=grant["constraints"],
    )
    _expect_only(estate)


def test_source_key_policy_without_delegation(estate):
    admin = {"Sid": "KeyAdmins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::211258069784:role/key-admin"}, "Action": "kms:*", "Resource": "*"}
    de.client(estate.source, "kms").put_key_policy(
        KeyId=estate.key_id("source"), PolicyName="default", Policy=json.dumps({"Version": "2012-10-17", "Statement": [admin]}),
        BypassPolicyLockoutSafetyCheck=False,
    )
    _expect_only(estate, "source-key.key-policy")


def test_seed_article_documents_as_written(clean_harness):
    """The seed article's documents applied as published: every defect is named."""
    estate = de.base_estate()
    source_key, destination_key = estate.source["kms_key_arn"], estate.destination["kms_key_arn"]
    role_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GetSourceBucketConfiguration", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::211258069784:role/s3-replication-role"},
                "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetReplicationConfiguration",
                           "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                "Resource": ["arn:aws:s3:::stats-data-src", "arn:aws:s3:::stats-data-src/*"],
            },
            {
                "Sid": "ReplicateToDestinationBuckets", "Effect": "Allow",
                "Action": ["s3:List*", "s3:*Object", "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                "Resource": ["arn:aws:s3:::stats-data-tgt", "arn:aws:s3:::stats-data-tgt/*"],
            },
            {"Sid": "PermissionToOverrideBucketOwner", "Effect": "Allow", "Action": ["s3:ObjectOwnerOverrideToBucketOwner"],
             "Resource": ["arn:aws:s3:::stats-data-tgt/*"]},
            {
                "Sid": "KMSEncryptDecryptAccess", "Effect": "Allow",
                "Action": ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt"],
                "Resource": [source_key, destination_key],
            },
        ],
    }
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "s3:amazonaws.com"}}]}
    de.put_role(estate, trust, {"s3-replication-policy": role_policy})
    # "Both source and target accounts KMS key policies should allow decrypt and encrypt access to this role."
    role_statement = {"Sid": "ReplicationRole", "Effect": "Allow", "Principal": {"AWS": estate.role_arn},
                      "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"}
    de.put_key_policy(estate, "source", de.key_policy(estate.source["account_id"], role_statement))
    de.put_key_policy(estate, "destination", de.key_policy(estate.destination["account_id"], role_statement))
    # Step 3: all objects, destination account, change ownership, RTC; nothing about KMS.
    rule = de.model_rule(estate)
    del rule["SourceSelectionCriteria"]
    del rule["Destination"]["EncryptionConfiguration"]
    rule["Destination"]["ReplicationTime"] = {"Status": "Enabled", "Time": {"Minutes": 15}}
    rule["Destination"]["Metrics"] = {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}
    de.put_rules(estate, rule)
    de.client(estate.destination, "s3").put_bucket_ownership_controls(
        Bucket=estate.destination["bucket"], OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    )
    de.put_bucket_policy(estate, [
        {"Sid": "Permissions on objects and buckets", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::211258069784:role/s3-replication-role"},
         "Action": ["s3:List*", "s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:ReplicateDelete", "s3:ReplicateObject"],
         "Resource": ["arn:aws:s3:::stats-data-tgt", "arn:aws:s3:::stats-data-tgt/*"]},
        {"Sid": "Permission to override bucket owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::211258069784:root"},
         "Action": "s3:ObjectOwnerOverrideToBucketOwner", "Resource": "arn:aws:s3:::stats-data-tgt/*"},
    ])

    result = de.diagnose(estate)
    found = de.not_ok(result)
    expected = {
        "trust-principal": "fail",                       # "s3:amazonaws.com"
        "assume-role.trust-policy": "fail",              # so S3 cannot assume the role
        "identity-policy-principal": "fail",             # Principal in the role policy
        "sse-kms-selection": "fail",                     # SSE-KMS objects are skipped
        "replica-key": "fail",                           # no replica key
        "destination-objects.bucket-policy": "fail",     # no s3:ReplicateTags for the role
        "unknown-actions": "warn",                       # kms:ReEncrypt
        "broad-actions": "warn",                         # s3:*Object, s3:List*
        "kms-conditions": "warn",                        # KMS use not limited to S3
        "destination-bucket-policy-principal": "warn",   # owner override granted to root, not the role
        "existing-objects": "info",                      # objects older than the rule
    }
    assert found == expected, json.dumps([f for f in result["findings"] if f["status"] != "ok"], indent=1)
    messages = " ".join(f["message"] for f in result["findings"])
    assert "kms:ReEncrypt" in messages and "s3:*Object" in messages and "s3:amazonaws.com" in messages
