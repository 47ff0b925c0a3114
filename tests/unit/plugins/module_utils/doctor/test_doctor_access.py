# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from doctor_facts import DST_KEY
from doctor_facts import MODEL
from doctor_facts import ROLE
from doctor_facts import SRC
from doctor_facts import SRC_KEY
from doctor_facts import break_and_expect
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import drop_action
from doctor_facts import dst_bucket
from doctor_facts import not_ok
from doctor_facts import one
from doctor_facts import role
from doctor_facts import role_policy
from doctor_facts import src_bucket
from doctor_facts import the_rule
from doctor_facts import view
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import access

BREAKS = {
    "trust for ec2": (
        lambda f: role(f)["trust_policy"]["Statement"][0].update(Principal={"Service": "ec2.amazonaws.com"}),
        {"assume-role.trust-policy": "fail"},
    ),
    "identity without source read": (
        lambda f: drop_action(role_policy(f), "s3:GetObjectVersionForReplication"),
        {"source-objects.identity": "fail"},
    ),
    "identity without configuration read": (
        lambda f: drop_action(role_policy(f), "s3:GetReplicationConfiguration"),
        {"source-bucket.identity": "fail"},
    ),
    "identity without replicate tags": (lambda f: drop_action(role_policy(f), "s3:ReplicateTags"), {"destination-objects.identity": "fail"}),
    "identity without owner override": (
        lambda f: drop_action(role_policy(f), "s3:ObjectOwnerOverrideToBucketOwner"),
        {"destination-objects.identity": "fail"},
    ),
    "identity without encrypt": (lambda f: drop_action(role_policy(f), "kms:Encrypt"), {"destination-key.identity": "fail"}),
    "identity without decrypt": (
        lambda f: drop_action(role_policy(f), "kms:Decrypt"),
        {"source-key.identity": "fail", "destination-key.identity": "fail"},
    ),
    "bucket policy without replicate tags": (
        lambda f: drop_action(dst_bucket(f)["policy"], "s3:ReplicateTags"),
        {"destination-objects.bucket-policy": "fail"},
    ),
    "bucket policy without versioning read": (
        lambda f: drop_action(dst_bucket(f)["policy"], "s3:GetBucketVersioning"),
        {"destination-bucket.bucket-policy": "fail"},
    ),
    "no bucket policy": (
        lambda f: dst_bucket(f).update(policy=None),
        {"destination-objects.bucket-policy": "fail", "destination-bucket.bucket-policy": "fail"},
    ),
    "destination key without the role": (
        lambda f: f["destination"]["keys"][DST_KEY]["policy"]["Statement"].pop(),
        {"destination-key.key-policy": "fail"},
    ),
    "source key without delegation": (
        lambda f: f["source"]["keys"][SRC_KEY]["policy"].update(Statement=[]),
        {"source-key.key-policy": "fail"},
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_break_fails_exactly_its_finding(name):
    breaker, expected = BREAKS[name]
    break_and_expect(breaker, expected)


def test_explicit_deny_in_an_identity_policy_is_named():
    facts = converged()
    role(facts)["managed_policies"].append(
        {
            "arn": "arn:aws:iam::aws:policy/Guardrail",
            "name": "Guardrail",
            "document": {"Statement": [{"Sid": "NoKms", "Effect": "Deny", "Action": "kms:*", "Resource": "*"}]},
        }
    )
    result = diagnose(facts)
    assert not_ok(result) == {"source-key.identity": "fail", "destination-key.identity": "fail"}
    assert "managed policy arn:aws:iam::aws:policy/Guardrail: Sid NoKms" in one(result, "destination-key.identity")["message"]


def test_key_policy_deny_wins_over_its_allow():
    facts = converged()
    facts["destination"]["keys"][DST_KEY]["policy"]["Statement"].append(
        {"Sid": "NoSrc", "Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{SRC}:root"}, "Action": "kms:Encrypt", "Resource": "*"}
    )
    result = diagnose(facts)
    assert not_ok(result) == {"destination-key.key-policy": "fail"}


def test_permissions_boundary_limits_the_role():
    facts = converged()
    role(facts)["permissions_boundary"] = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    result = diagnose(facts)
    assert set(not_ok(result)) == {"source-key.identity", "destination-key.identity"}


def test_unevaluable_condition_warns_instead_of_passing():
    facts = converged()
    dst_bucket(facts)["policy"]["Statement"].append(
        {
            "Sid": "OrgOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::stats-data-tgt/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}},
        }
    )
    result = diagnose(facts)
    assert not_ok(result) == {"destination-objects.bucket-policy": "warn"}
    assert "aws:PrincipalOrgID" in one(result, "destination-objects.bucket-policy")["message"]


def test_unevaluable_allow_warns_when_it_is_the_only_way():
    facts = converged()
    for statement in role_policy(facts)["Statement"]:
        if "kms:Encrypt" in statement["Action"]:
            statement["Condition"] = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    result = diagnose(facts)
    assert not_ok(result)["destination-key.identity"] == "warn"


def test_vpc_endpoint_deny_blocks_replication():
    facts = converged()
    src_bucket(facts)["policy"] = {
        "Statement": [
            {
                "Sid": "VpceOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::stats-data-src", "arn:aws:s3:::stats-data-src/*"],
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}},
            }
        ]
    }
    assert not_ok(diagnose(facts)) == {"source-bucket.bucket-policy": "fail", "source-objects.bucket-policy": "fail"}


def test_same_account_bucket_policy_can_grant_instead_of_identity():
    facts = converged()
    drop_action(role_policy(facts), "s3:GetObjectVersionForReplication")
    src_bucket(facts)["policy"] = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ROLE},
                "Action": "s3:GetObjectVersionForReplication",
                "Resource": "arn:aws:s3:::stats-data-src/*",
            }
        ]
    }
    assert not_ok(diagnose(facts)) == {}


def test_grant_stands_in_for_the_destination_key_statement():
    facts = converged()
    dst_key = facts["destination"]["keys"][DST_KEY]
    dst_key["policy"]["Statement"].pop()
    grant = MODEL["destination_key_grant"]
    dst_key["grants"] = [
        {"Name": grant["name"], "GranteePrincipal": grant["grantee_principal"], "Operations": grant["operations"], "Constraints": grant["constraints"]}
    ]
    assert not_ok(diagnose(facts)) == {}


def test_source_key_statement_for_the_role_needs_no_iam_permission():
    facts = converged()
    facts["source"]["keys"][SRC_KEY]["policy"]["Statement"] = [MODEL["source_key_statement"]]
    drop_action(role_policy(facts), "kms:Decrypt")
    assert not_ok(diagnose(facts)) == {"destination-key.identity": "fail"}


def test_bucket_keys_on_the_source_change_the_encryption_context():
    facts = converged()
    src_bucket(facts)["encryption"]["bucket_key_enabled"] = True
    # The converged role policy allows only object contexts (bucket_key_enabled was false); the
    # doctor follows what the bucket really does.
    assert not_ok(diagnose(facts)) == {"source-key.identity": "fail"}


def test_rule_prefix_is_used_for_sample_objects():
    facts = converged()
    the_rule(facts)["Filter"] = {"Prefix": "reports/"}
    for statement in role_policy(facts)["Statement"]:
        if statement["Resource"] == "arn:aws:s3:::stats-data-src/*":
            statement["Resource"] = "arn:aws:s3:::stats-data-src/reports/*"
    assert not_ok(diagnose(facts)) == {}


def test_without_owner_override_the_permission_is_not_required():
    facts = converged()
    the_rule(facts)["Destination"].pop("AccessControlTranslation")
    drop_action(role_policy(facts), "s3:ObjectOwnerOverrideToBucketOwner")
    assert not_ok(diagnose(facts)) == {}


def test_a_bucket_policy_that_could_not_be_read_warns():
    facts = converged()
    dst_bucket(facts).update(policy=None, errors={"policy": "AccessDenied: no"})
    found = not_ok(diagnose(facts))
    assert found == {"destination-objects.bucket-policy": "warn", "destination-bucket.bucket-policy": "warn"}


# --- the access check on its own -------------------------------------------------------------------


def test_every_permission_of_the_model_is_evaluated_on_each_document_that_grants_it():
    ids = {f["id"] for f in access.check_permissions(view())}
    assert "assume-role.trust-policy" in ids
    for permission in MODEL["required_permissions"]:
        if "identity" in permission["granted_by"]:
            assert f"{permission['id']}.identity" in ids
        if "bucket_policy" in permission["granted_by"]:
            assert f"{permission['id']}.bucket-policy" in ids


def test_without_the_role_only_what_resource_policies_alone_grant_is_judged():
    facts = converged()
    role(facts).update(exists=False)
    ids = {f["id"] for f in access.check_permissions(view(facts))}
    # Permissions the role's own policies must grant too (objects, the source bucket) wait for the role.
    assert ids == {"destination-bucket.bucket-policy", "destination-key.key-policy", "source-key.key-policy"}


def test_a_key_policy_that_could_not_be_read_warns_and_names_the_permissions():
    facts = converged()
    facts["destination"]["keys"][DST_KEY].update(policy=None, errors={"policy": "AccessDenied: no"})
    (found,) = [f for f in access.check_permissions(view(facts)) if f["id"] == "destination-key.key-policy"]
    assert found["status"] == "warn" and "kms:GetKeyPolicy" in found["fix"]


def test_kms_use_is_asked_through_s3_of_the_buckets_region():
    facts = converged()
    for statement in role_policy(facts)["Statement"]:
        for block in (statement.get("Condition") or {}).values():
            if "kms:ViaService" in block:
                block["kms:ViaService"] = "s3.eu-west-1.amazonaws.com"
    found = {f["id"]: f["status"] for f in access.check_permissions(view(facts))}
    assert found["source-key.identity"] == "fail" and found["destination-key.identity"] == "fail"


def test_a_not_allowed_action_is_named_with_the_statement_that_denies_it():
    facts = converged()
    src_bucket(facts)["policy"] = {"Statement": [
        {"Sid": "NoReads", "Effect": "Deny", "Principal": {"AWS": ROLE}, "Action": "s3:GetObjectVersionForReplication", "Resource": "*"}]}
    (found,) = [f for f in access.check_permissions(view(facts)) if f["id"] == "source-objects.bucket-policy"]
    assert found["status"] == "fail" and "s3:GetObjectVersionForReplication not allowed" in found["message"] and "Sid NoReads" in found["message"]


def test_the_sample_object_is_under_the_prefix_of_an_and_filter():
    facts = converged()
    the_rule(facts)["Filter"] = {"And": {"Prefix": "reports/", "Tags": [{"Key": "team", "Value": "stats"}]}}
    for statement in role_policy(facts)["Statement"]:
        if statement["Resource"] == "arn:aws:s3:::stats-data-src/*":
            statement["Resource"] = "arn:aws:s3:::stats-data-src/reports/*"
    found = one({"findings": access.check_permissions(view(facts))}, "source-objects.identity")
    assert found["status"] == "ok" and found["account"] == SRC
