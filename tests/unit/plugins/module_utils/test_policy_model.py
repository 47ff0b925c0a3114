import copy
import hashlib
import itertools
import json
import re

import parliament
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import PolicySpecError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import replication_policies

SOURCE_KEY = "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DESTINATION_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
THIRD_KEY = "arn:aws:kms:eu-west-1:444455556666:key/11112222-3333-4444-5555-666677778888"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
VIA_US_EAST_1 = "s3.us-east-1.amazonaws.com"
CONTEXT = "kms:EncryptionContext:aws:s3:arn"
# sha256("<ROLE>|stats-data-src")[:10] and sha256("<ROLE>|stats-data-tgt")[:10], pinned: changing them orphans statements already written.
SOURCE_DIGEST = "23724fd450"
DESTINATION_DIGEST = "fd03b07cca"
ACTION_PATTERN = re.compile(r"^(s3|kms|sts):[A-Za-z]+$")
SID_PATTERN = re.compile(r"^[A-Za-z0-9]+$")


def seed_spec(**overrides):
    """The seed article's two accounts, with the interface's example settings."""
    spec = {
        "source": {"account_id": "211258069784", "bucket": "stats-data-src", "kms_key_arn": SOURCE_KEY, "region": "us-east-1", "bucket_key_enabled": False},
        "destination": {
            "account_id": "880161310235", "bucket": "stats-data-tgt", "kms_key_arn": DESTINATION_KEY, "region": "us-east-1", "bucket_key_enabled": True,
        },
        "role_name": "s3-replication-role",
        "owner_override": True,
        "replicate_unencrypted_objects": True,
    }
    spec.update(overrides)
    return spec


def with_side(spec, side, **values):
    spec = copy.deepcopy(spec)
    spec[side].update(values)
    return spec


def role_principal():
    return {"AWS": ROLE}


SEED_EXPECTED = {
    "role_arn": ROLE,
    "trust_policy": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    },
    "role_policy_name": "s3-crossaccount-replication-0a2d85d446",
    "role_policy": {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"S3ReplSourceBucket{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                "Resource": "arn:aws:s3:::stats-data-src",
            },
            {
                "Sid": f"S3ReplSourceObjects{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
                "Resource": "arn:aws:s3:::stats-data-src/*",
            },
            {
                "Sid": f"S3ReplObjects{DESTINATION_DIGEST}",
                "Effect": "Allow",
                "Action": ["s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
                "Resource": "arn:aws:s3:::stats-data-tgt/*",
            },
            {
                "Sid": f"S3ReplSourceKey{SOURCE_DIGEST}",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": SOURCE_KEY,
                "Condition": {"StringEquals": {"kms:ViaService": VIA_US_EAST_1}, "StringLike": {CONTEXT: "arn:aws:s3:::stats-data-src/*"}},
            },
            {
                "Sid": f"S3ReplDestinationKey{DESTINATION_DIGEST}",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": DESTINATION_KEY,
                "Condition": {"StringEquals": {"kms:ViaService": VIA_US_EAST_1, CONTEXT: "arn:aws:s3:::stats-data-tgt"}},
            },
        ],
    },
    "destination_bucket_statements": [
        {
            "Sid": f"S3ReplObjects{DESTINATION_DIGEST}",
            "Effect": "Allow",
            "Principal": {"AWS": ROLE},
            "Action": ["s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
            "Resource": "arn:aws:s3:::stats-data-tgt/*",
        },
        {
            "Sid": f"S3ReplDestinationBucket{DESTINATION_DIGEST}",
            "Effect": "Allow",
            "Principal": {"AWS": ROLE},
            "Action": ["s3:GetBucketVersioning", "s3:PutBucketVersioning"],
            "Resource": "arn:aws:s3:::stats-data-tgt",
        },
    ],
    "destination_key_statement": {
        "Sid": f"S3ReplDestinationKey{DESTINATION_DIGEST}",
        "Effect": "Allow",
        "Principal": {"AWS": ROLE},
        "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": VIA_US_EAST_1, CONTEXT: "arn:aws:s3:::stats-data-tgt"}},
    },
    "destination_key_grant": {
        "name": f"s3-crossaccount-replication-{DESTINATION_DIGEST}",
        "grantee_principal": ROLE,
        "operations": ["Decrypt", "Encrypt", "GenerateDataKey"],
        "constraints": {"EncryptionContextSubset": {"aws:s3:arn": "arn:aws:s3:::stats-data-tgt"}},
    },
    "source_key_statement": {
        "Sid": f"S3ReplSourceKey{SOURCE_DIGEST}",
        "Effect": "Allow",
        "Principal": {"AWS": ROLE},
        "Action": ["kms:Decrypt"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": VIA_US_EAST_1}, "StringLike": {CONTEXT: "arn:aws:s3:::stats-data-src/*"}},
    },
    "required_permissions": [
        {
            "id": "assume-role",
            "principal": {"Service": "s3.amazonaws.com"},
            "actions": ["sts:AssumeRole"],
            "resources": [ROLE],
            "conditions": {},
            "granted_by": ["trust_policy"],
        },
        {
            "id": "source-bucket",
            "principal": {"AWS": ROLE},
            "actions": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "resources": ["arn:aws:s3:::stats-data-src"],
            "conditions": {},
            "granted_by": ["identity"],
        },
        {
            "id": "source-objects",
            "principal": {"AWS": ROLE},
            "actions": ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
            "resources": ["arn:aws:s3:::stats-data-src/*"],
            "conditions": {},
            "granted_by": ["identity"],
        },
        {
            "id": "destination-objects",
            "principal": {"AWS": ROLE},
            "actions": ["s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
            "resources": ["arn:aws:s3:::stats-data-tgt/*"],
            "conditions": {},
            "granted_by": ["identity", "bucket_policy"],
        },
        {
            "id": "destination-bucket",
            "principal": {"AWS": ROLE},
            "actions": ["s3:GetBucketVersioning", "s3:PutBucketVersioning"],
            "resources": ["arn:aws:s3:::stats-data-tgt"],
            "conditions": {},
            "granted_by": ["bucket_policy"],
        },
        {
            "id": "source-key",
            "principal": {"AWS": ROLE},
            "actions": ["kms:Decrypt"],
            "resources": [SOURCE_KEY],
            "conditions": {"StringEquals": {"kms:ViaService": VIA_US_EAST_1}, "StringLike": {CONTEXT: "arn:aws:s3:::stats-data-src/*"}},
            "granted_by": ["identity", "key_policy"],
        },
        {
            "id": "destination-key",
            "principal": {"AWS": ROLE},
            "actions": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            "resources": [DESTINATION_KEY],
            "conditions": {"StringEquals": {"kms:ViaService": VIA_US_EAST_1, CONTEXT: "arn:aws:s3:::stats-data-tgt"}},
            "granted_by": ["identity", "key_policy"],
        },
    ],
}


# --- the seed scenario ----------------------------------------------------------------------------


def test_seed_scenario_documents_exactly():
    assert replication_policies(seed_spec()) == SEED_EXPECTED


def test_output_keys_are_the_agreed_interface():
    assert list(replication_policies(seed_spec())) == [
        "role_arn", "trust_policy", "role_policy_name", "role_policy", "destination_bucket_statements",
        "destination_key_statement", "destination_key_grant", "source_key_statement", "required_permissions",
    ]


def test_required_permissions_alone_match_the_full_output():
    assert policy_model.required_permissions(seed_spec()) == SEED_EXPECTED["required_permissions"]


def test_sid_digest_scheme_is_sha256_of_role_and_bucket():
    assert policy_model.statement_digest(ROLE, "stats-data-tgt") == hashlib.sha256(f"{ROLE}|stats-data-tgt".encode()).hexdigest()[:10] == DESTINATION_DIGEST
    assert policy_model.statement_digest(ROLE, "stats-data-src") == SOURCE_DIGEST


def test_the_seed_articles_own_policy_fails_the_same_lint():
    """The linter used below is not blind: the seed's broad policy and its kms:ReEncrypt are flagged."""
    seed_statements = [
        {"Effect": "Allow", "Action": ["s3:List*", "s3:*Object"], "Resource": ["arn:aws:s3:::stats-data-tgt", "arn:aws:s3:::stats-data-tgt/*"]},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncrypt"], "Resource": [SOURCE_KEY, DESTINATION_KEY]},
    ]
    assert lint_issues({"Version": "2012-10-17", "Statement": seed_statements}) == {"UNKNOWN_ACTION", "RESOURCE_MISMATCH"}


# --- every document comes from required_permissions -------------------------------------------------


def permissions_granted_by(result, document):
    return [p for p in result["required_permissions"] if document in p["granted_by"]]


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_role_policy_is_exactly_the_identity_permissions():
    result = replication_policies(seed_spec())
    granted = [(s["Action"], as_list(s["Resource"]), s.get("Condition", {})) for s in result["role_policy"]["Statement"]]
    assert granted == [(p["actions"], p["resources"], p["conditions"]) for p in permissions_granted_by(result, "identity")]


def test_bucket_statements_are_exactly_the_bucket_policy_permissions():
    result = replication_policies(seed_spec())
    granted = [(s["Principal"], s["Action"], as_list(s["Resource"]), s.get("Condition", {})) for s in result["destination_bucket_statements"]]
    assert granted == [(p["principal"], p["actions"], p["resources"], p["conditions"]) for p in permissions_granted_by(result, "bucket_policy")]


def test_key_statements_are_the_key_policy_permissions_with_the_key_as_resource():
    result = replication_policies(seed_spec())
    by_key = {p["resources"][0]: p for p in permissions_granted_by(result, "key_policy")}
    for statement, key in ((result["source_key_statement"], SOURCE_KEY), (result["destination_key_statement"], DESTINATION_KEY)):
        permission = by_key[key]
        assert (statement["Principal"], statement["Action"], statement["Resource"], statement["Condition"]) == (
            permission["principal"], permission["actions"], "*", permission["conditions"],
        )
    assert set(by_key) == {SOURCE_KEY, DESTINATION_KEY}


def test_grant_operations_are_the_destination_key_actions():
    result = replication_policies(seed_spec())
    destination_key = next(p for p in result["required_permissions"] if p["id"] == "destination-key")
    assert ["kms:" + operation for operation in result["destination_key_grant"]["operations"]] == destination_key["actions"]


def test_trust_policy_is_the_assume_role_permission():
    result = replication_policies(seed_spec(trust_source_account_condition=True))
    (permission,) = permissions_granted_by(result, "trust_policy")
    assert result["trust_policy"]["Statement"] == [
        {"Effect": "Allow", "Principal": permission["principal"], "Action": "sts:AssumeRole", "Condition": permission["conditions"]}
    ]
    assert permission["conditions"] == {"StringEquals": {"aws:SourceAccount": "211258069784"}}


# --- options -------------------------------------------------------------------------------------------


def test_source_bucket_keys_change_only_the_source_context():
    on = replication_policies(with_side(seed_spec(), "source", bucket_key_enabled=True))
    off = replication_policies(with_side(seed_spec(), "source", bucket_key_enabled=False))
    bucket_context = {"StringEquals": {"kms:ViaService": VIA_US_EAST_1, CONTEXT: "arn:aws:s3:::stats-data-src"}}
    assert on["source_key_statement"]["Condition"] == bucket_context
    assert on["role_policy"]["Statement"][3]["Condition"] == bucket_context
    assert replace_conditions(on, f"S3ReplSourceKey{SOURCE_DIGEST}", "source-key", off["source_key_statement"]["Condition"]) == off


def test_destination_bucket_keys_change_the_context_decrypt_and_grant_constraints_only():
    on = replication_policies(seed_spec())
    off = replication_policies(with_side(seed_spec(), "destination", bucket_key_enabled=False))
    objects_context = {"StringEquals": {"kms:ViaService": VIA_US_EAST_1}, "StringLike": {CONTEXT: "arn:aws:s3:::stats-data-tgt/*"}}
    assert off["destination_key_statement"]["Condition"] == objects_context
    assert off["destination_key_statement"]["Action"] == ["kms:Encrypt", "kms:GenerateDataKey"]
    assert off["destination_key_grant"]["constraints"] is None
    expected = replace_conditions(on, f"S3ReplDestinationKey{DESTINATION_DIGEST}", "destination-key", objects_context)
    remove_action(expected, "destination-key", f"S3ReplDestinationKey{DESTINATION_DIGEST}", "kms:Decrypt")
    expected["destination_key_grant"].update(operations=["Encrypt", "GenerateDataKey"], constraints=None)
    assert expected == off


def test_unknown_bucket_key_state_allows_both_contexts_and_decrypt():
    spec = with_side(with_side(seed_spec(), "source", bucket_key_enabled=None), "destination", bucket_key_enabled=None)
    del spec["source"]["bucket_key_enabled"]
    result = replication_policies(spec)
    assert result["source_key_statement"]["Condition"] == {
        "StringEquals": {"kms:ViaService": VIA_US_EAST_1},
        "StringLike": {CONTEXT: ["arn:aws:s3:::stats-data-src", "arn:aws:s3:::stats-data-src/*"]},
    }
    assert result["destination_key_statement"]["Condition"]["StringLike"] == {CONTEXT: ["arn:aws:s3:::stats-data-tgt", "arn:aws:s3:::stats-data-tgt/*"]}
    assert result["destination_key_statement"]["Action"] == ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    assert result["destination_key_grant"]["constraints"] is None


def test_owner_override_off_removes_only_that_action():
    on = replication_policies(seed_spec())
    off = replication_policies(seed_spec(owner_override=False))
    remove_action(on, "destination-objects", f"S3ReplObjects{DESTINATION_DIGEST}", "s3:ObjectOwnerOverrideToBucketOwner")
    assert on == off
    assert "s3:ObjectOwnerOverrideToBucketOwner" not in json.dumps(off)


def test_plaintext_replication_adds_generate_data_key_only():
    on = replication_policies(seed_spec())
    off = replication_policies(seed_spec(replicate_unencrypted_objects=False))
    remove_action(on, "destination-key", f"S3ReplDestinationKey{DESTINATION_DIGEST}", "kms:GenerateDataKey")
    on["destination_key_grant"]["operations"].remove("GenerateDataKey")
    assert on == off


def test_object_lock_adds_retention_and_legal_hold_reads_on_source_objects():
    result = replication_policies(seed_spec(object_lock=True))
    source_objects = result["role_policy"]["Statement"][1]
    assert source_objects["Resource"] == "arn:aws:s3:::stats-data-src/*"
    assert {"s3:GetObjectRetention", "s3:GetObjectLegalHold"} <= set(source_objects["Action"])
    assert "s3:GetObjectRetention" not in json.dumps(replication_policies(seed_spec()))


def test_defaults_are_the_playbooks_defaults():
    spec = seed_spec()
    for key in ("role_name", "owner_override", "replicate_unencrypted_objects"):
        del spec[key]
    result = replication_policies(spec)
    assert result["role_arn"] == ROLE
    assert "Condition" not in result["trust_policy"]["Statement"][0]
    assert result["destination_key_statement"]["Action"] == ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    assert result["destination_bucket_statements"][0]["Action"] == [
        "s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"]


def test_without_owner_override_and_unencrypted_objects_the_documents_shrink():
    result = replication_policies(seed_spec(owner_override=False, replicate_unencrypted_objects=False))
    assert result["destination_key_statement"]["Action"] == ["kms:Decrypt", "kms:Encrypt"]
    assert result["destination_bucket_statements"][0]["Action"] == ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"]


def test_role_path_and_bucket_arns_and_ignored_connection_keys():
    spec = with_side(seed_spec(role_path="/service-role/"), "source", bucket="arn:aws:s3:::stats-data-src", profile="prod")
    result = replication_policies(spec)
    assert result["role_arn"] == "arn:aws:iam::211258069784:role/service-role/s3-replication-role"
    assert result["role_policy"]["Statement"][0]["Resource"] == "arn:aws:s3:::stats-data-src"


def test_other_partitions_use_their_arns_and_dns_suffix():
    spec = seed_spec(partition="aws-cn")
    spec["source"].update(region="cn-north-1", kms_key_arn=SOURCE_KEY.replace("arn:aws:", "arn:aws-cn:").replace("us-east-1", "cn-north-1"))
    spec["destination"].update(region="cn-northwest-1", kms_key_arn=DESTINATION_KEY.replace("arn:aws:", "arn:aws-cn:").replace("us-east-1", "cn-northwest-1"))
    result = replication_policies(spec)
    assert result["role_arn"] == "arn:aws-cn:iam::211258069784:role/s3-replication-role"
    assert result["source_key_statement"]["Condition"]["StringEquals"] == {"kms:ViaService": "s3.cn-north-1.amazonaws.com.cn"}
    assert result["destination_key_statement"]["Condition"]["StringEquals"]["kms:ViaService"] == "s3.cn-northwest-1.amazonaws.com.cn"
    assert result["destination_bucket_statements"][1]["Resource"] == "arn:aws-cn:s3:::stats-data-tgt"


def test_kms_conditions_use_each_sides_region():
    spec = seed_spec()
    spec["destination"] = {"account_id": "444455556666", "bucket": "stats-data-eu", "kms_key_arn": THIRD_KEY, "region": "eu-west-1", "bucket_key_enabled": True}
    result = replication_policies(spec)
    assert result["source_key_statement"]["Condition"]["StringEquals"]["kms:ViaService"] == VIA_US_EAST_1
    assert result["destination_key_statement"]["Condition"]["StringEquals"]["kms:ViaService"] == "s3.eu-west-1.amazonaws.com"


# --- least privilege and well-formed documents --------------------------------------------------------

OPTION_MATRIX = list(itertools.product([True, False, None], [True, False, None], [True, False], [True, False], [True, False]))


def matrix_spec(source_bucket_keys, destination_bucket_keys, owner_override, plaintext, object_lock):
    spec = seed_spec(owner_override=owner_override, replicate_unencrypted_objects=plaintext, object_lock=object_lock, trust_source_account_condition=plaintext)
    spec["source"]["bucket_key_enabled"] = source_bucket_keys
    spec["destination"]["bucket_key_enabled"] = destination_bucket_keys
    return spec


def lint_findings(document, include_community_auditors=False):
    return parliament.analyze_policy_string(json.dumps(document), include_community_auditors=include_community_auditors).findings


def lint_issues(document, include_community_auditors=False):
    return {finding.issue for finding in lint_findings(document, include_community_auditors)}


def document(statements):
    return {"Version": "2012-10-17", "Statement": statements}


@pytest.mark.parametrize("options", OPTION_MATRIX)
def test_identity_policy_lints_clean(options):
    policy = replication_policies(matrix_spec(*options))["role_policy"]
    assert lint_issues(policy) == set()
    community = [(f.issue, tuple(f.location.get("actions", ()))) for f in lint_findings(policy, include_community_auditors=True)]
    owner_override = options[2]
    # The community auditor lists ownership changes as permissions management: inherent to owner override.
    assert community == ([("PERMISSIONS_MANAGEMENT_ACTIONS", ("s3:objectowneroverridetobucketowner",))] if owner_override else [])


@pytest.mark.parametrize("options", OPTION_MATRIX)
def test_bucket_policy_statements_lint_clean(options):
    assert lint_issues(document(replication_policies(matrix_spec(*options))["destination_bucket_statements"])) == set()


@pytest.mark.parametrize("options", OPTION_MATRIX)
@pytest.mark.parametrize("name, key", [("destination_key_statement", DESTINATION_KEY), ("source_key_statement", SOURCE_KEY)])
def test_key_statements_lint_clean(options, name, key):
    statement = replication_policies(matrix_spec(*options))[name]
    # parliament reads the key policy's Resource "*" as every key; in a key policy it means the key itself.
    assert lint_issues(document([statement])) == {"RESOURCE_STAR"}
    assert lint_issues(document([dict(statement, Resource=key)])) == set()


@pytest.mark.parametrize("options", OPTION_MATRIX)
def test_trust_policy_lints_clean_except_the_missing_resource(options):
    findings = lint_findings(replication_policies(matrix_spec(*options))["trust_policy"])
    assert [(f.issue, f.detail) for f in findings] == [("MALFORMED", "Statement contains neither Resource nor NotResource")]


@pytest.mark.parametrize("options", OPTION_MATRIX)
def test_no_wildcard_or_invented_actions_and_full_arns(options):
    result = replication_policies(matrix_spec(*options))
    for permission in result["required_permissions"]:
        for action in permission["actions"]:
            assert ACTION_PATTERN.match(action), action
            assert not action.startswith("kms:ReEncrypt")
        for resource in permission["resources"]:
            assert resource.startswith("arn:aws:") and resource != "*"


@pytest.mark.parametrize("options", OPTION_MATRIX)
def test_principals_appear_only_in_resource_policies(options):
    result = replication_policies(matrix_spec(*options))
    assert all("Principal" not in s for s in result["role_policy"]["Statement"])
    resource_statements = result["destination_bucket_statements"] + [result["destination_key_statement"], result["source_key_statement"]]
    assert all(s["Principal"] == role_principal() for s in resource_statements)


@pytest.mark.parametrize("options", OPTION_MATRIX)
def test_sids_are_alphanumeric_and_unique_within_each_document(options):
    result = replication_policies(matrix_spec(*options))
    for statements in (result["role_policy"]["Statement"], result["destination_bucket_statements"]):
        sids = [s["Sid"] for s in statements]
        assert len(set(sids)) == len(sids)
        assert all(SID_PATTERN.match(sid) for sid in sids)
    assert SID_PATTERN.match(result["destination_key_statement"]["Sid"]) and SID_PATTERN.match(result["source_key_statement"]["Sid"])


def three_destinations():
    destinations = [
        {"account_id": "880161310235", "bucket": "stats-data-tgt", "kms_key_arn": DESTINATION_KEY, "region": "us-east-1", "bucket_key_enabled": True},
        {"account_id": "880161310235", "bucket": "stats-data-archive", "kms_key_arn": DESTINATION_KEY, "region": "us-east-1", "bucket_key_enabled": True},
        {"account_id": "444455556666", "bucket": "stats-data-eu", "kms_key_arn": THIRD_KEY, "region": "eu-west-1", "bucket_key_enabled": False},
    ]
    return [replication_policies(seed_spec(destination=destination)) for destination in destinations]


def destination_side_sids(result):
    return [s["Sid"] for s in result["destination_bucket_statements"]] + [result["destination_key_statement"]["Sid"]]


def test_sids_and_names_are_unique_across_three_destinations():
    results = three_destinations()
    sids = [sid for result in results for sid in destination_side_sids(result)]
    assert len(sids) == len(set(sids)) == 9
    grant_names = {result["destination_key_grant"]["name"] for result in results}
    policy_names = {result["role_policy_name"] for result in results}
    assert len(grant_names) == len(policy_names) == 3


def test_source_key_statement_is_shared_by_every_destination_of_one_source():
    results = three_destinations()
    assert len({json.dumps(result["source_key_statement"], sort_keys=True) for result in results}) == 1


def test_two_roles_into_one_destination_never_share_a_sid():
    first = replication_policies(seed_spec())
    second_source = {"account_id": "444455556666", "bucket": "other-src", "kms_key_arn": THIRD_KEY, "region": "eu-west-1"}
    second = replication_policies(seed_spec(source=second_source))
    assert not set(destination_side_sids(first)) & set(destination_side_sids(second))


def test_output_is_deterministic_and_does_not_share_state():
    first = replication_policies(seed_spec())
    first["role_policy"]["Statement"][0]["Action"].append("s3:Mutated")
    first["required_permissions"][0]["conditions"]["Mutated"] = {}
    assert replication_policies(seed_spec()) == SEED_EXPECTED


def test_parts_of_the_result_share_no_objects():
    result = replication_policies(seed_spec())
    result["role_policy"]["Statement"][3]["Condition"]["StringEquals"]["kms:ViaService"] = "changed"
    result["destination_bucket_statements"][0]["Principal"]["AWS"] = "changed"
    assert result["source_key_statement"] == SEED_EXPECTED["source_key_statement"]
    assert result["required_permissions"] == SEED_EXPECTED["required_permissions"]
    assert result["destination_bucket_statements"][1] == SEED_EXPECTED["destination_bucket_statements"][1]


def test_a_role_shared_by_two_source_buckets_gets_one_trust_policy():
    other_source = with_side(seed_spec(), "source", bucket="stats-data-other")
    assert replication_policies(other_source)["trust_policy"] == replication_policies(seed_spec())["trust_policy"]
    assert replication_policies(other_source)["role_policy_name"] != replication_policies(seed_spec())["role_policy_name"]


def test_the_input_is_not_modified():
    spec = seed_spec()
    before = copy.deepcopy(spec)
    replication_policies(spec)
    assert spec == before


# --- validation -------------------------------------------------------------------------------------


def bad(path, value):
    """A seed spec with ``path`` (dotted) set to ``value``, or removed when value is ``...``."""
    spec = seed_spec()
    *parents, leaf = path.split(".")
    target = spec
    for parent in parents:
        target = target[parent]
    if value is ...:
        del target[leaf]
    else:
        target[leaf] = value
    return spec


@pytest.mark.parametrize(
    "spec, words",
    [
        (bad("source.account_id", "21125806978"), "source.account_id: '21125806978' is not an AWS account id: use the 12 digits"),
        (bad("destination.account_id", "88016131023x"), "destination.account_id: '88016131023x' is not an AWS account id"),
        (bad("destination.kms_key_arn", "alias/replica"), "destination.kms_key_arn: 'alias/replica' is a KMS alias"),
        (bad("destination.kms_key_arn", "0987dcba-09fe-87dc-65ba-ab0987654321"), "destination.kms_key_arn: .* is not a full KMS key ARN"),
        (bad("destination.kms_key_arn", SOURCE_KEY), "destination.kms_key_arn .* is in account id 211258069784, but the destination is in 880161310235"),
        (
            bad("source.kms_key_arn", SOURCE_KEY.replace("us-east-1", "us-west-2")),
            "source.kms_key_arn .* is in region us-west-2, but the source is in us-east-1",
        ),
        (
            bad("destination.bucket", "stats-data-src"),
            "source.bucket and destination.bucket are the same bucket 'stats-data-src': .* name another destination bucket",
        ),
        (bad("destination.bucket", "arn:aws:s3:::stats-data-src"), "cannot replicate into itself"),
        (bad("source.bucket", "Stats_Data"), "source.bucket: 'Stats_Data' is not a valid S3 bucket name"),
        (bad("source.region", "US East"), "source.region: 'US East' is not an AWS region name"),
        (bad("role_name", "s3 replication role"), "role_name: 's3 replication role' is not a valid IAM role name"),
        (bad("role_path", "service-role"), "role_path 'service-role' is not an IAM path: it starts and ends with /"),
        (bad("partition", "aws-iso"), "partition 'aws-iso' is not supported: use one of aws, aws-cn, aws-us-gov"),
        (bad("partition", "aws-cn"), "source.region 'us-east-1' belongs to partition aws, but partition is aws-cn"),
        (bad("owner_override", "sometimes"), "owner_override must be true or false, not 'sometimes'"),
        (bad("destination.bucket_key_enabled", "maybe"), "destination.bucket_key_enabled must be true or false"),
        (bad("owner_overide", True), r"unknown key\(s\) owner_overide in the replication spec: remove them or use one of .*owner_override"),
        (bad("source", ...), "source is required: a dict with account_id, bucket, kms_key_arn, region"),
        (bad("destination.bucket", ...), "destination.bucket is required: set destination.bucket"),
        (bad("destination.kms_key_arn", ""), "destination.kms_key_arn is required"),
        ("not a dict", "the replication spec must be a dict"),
    ],
)
def test_bad_specs_are_refused_with_the_key_and_the_fix(spec, words):
    with pytest.raises(PolicySpecError, match=words):
        replication_policies(spec)


def test_spec_errors_are_value_errors():
    assert issubclass(PolicySpecError, ValueError)


def test_unquoted_account_ids_and_string_flags_are_accepted():
    spec = seed_spec(owner_override="yes")
    spec["source"]["account_id"] = 211258069784
    spec["destination"]["bucket_key_enabled"] = "true"
    assert replication_policies(spec) == SEED_EXPECTED


# --- helpers that describe an expected change ------------------------------------------------------


def replace_conditions(result, sid, permission_id, conditions):
    expected = copy.deepcopy(result)
    for statement in expected["role_policy"]["Statement"] + [expected["destination_key_statement"], expected["source_key_statement"]]:
        if statement["Sid"] == sid:
            statement["Condition"] = conditions
    for permission in expected["required_permissions"]:
        if permission["id"] == permission_id:
            permission["conditions"] = conditions
    return expected


def remove_action(result, permission_id, sid, action):
    """Removes ``action`` from the permission and from every statement with its ``sid``, in place."""
    next(p for p in result["required_permissions"] if p["id"] == permission_id)["actions"].remove(action)
    for statement in result["role_policy"]["Statement"] + result["destination_bucket_statements"] + [result["destination_key_statement"]]:
        if statement["Sid"] == sid:
            statement["Action"].remove(action)


# --- the statements fit the Sid-merging writers -------------------------------------------------------


def test_statements_pass_the_writers_validation_and_merge_beside_foreign_ones():
    from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents

    foreign = {"Sid": "OtherTeam", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::stats-data-tgt"}
    bucket_policy = document([foreign])
    for result in three_destinations()[:2]:
        statements = result["destination_bucket_statements"]
        policy_documents.validate_statements(statements, require_principal=True)
        bucket_policy = policy_documents.merge_statements(bucket_policy, statements)
    assert [s["Sid"] for s in bucket_policy["Statement"]][0] == "OtherTeam"
    assert len(bucket_policy["Statement"]) == 5
    again = policy_documents.merge_statements(bucket_policy, three_destinations()[0]["destination_bucket_statements"])
    assert policy_documents.policies_equal(again, bucket_policy)
    result = replication_policies(seed_spec())
    policy_documents.validate_statements([result["destination_key_statement"], result["source_key_statement"]], require_principal=True)
    policy_documents.validate_statements(result["role_policy"]["Statement"])
