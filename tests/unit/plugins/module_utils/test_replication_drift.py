import copy

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import replication_drift as rd
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import replication_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.plain_data import plain
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy_model import replication_policies

SOURCE = "211258069784"
DESTINATION = "880161310235"
SOURCE_KEY = f"arn:aws:kms:us-east-1:{SOURCE}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DESTINATION_KEY = f"arn:aws:kms:us-east-1:{DESTINATION}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
MODEL = replication_policies(
    {
        "source": {"account_id": SOURCE, "bucket": "stats-data-src", "kms_key_arn": SOURCE_KEY, "region": "us-east-1", "bucket_key_enabled": False},
        "destination": {
            "account_id": DESTINATION, "bucket": "stats-data-tgt", "kms_key_arn": DESTINATION_KEY, "region": "us-east-1", "bucket_key_enabled": True,
        },
        "owner_override": True,
        "replicate_unencrypted_objects": True,
    }
)
OWNER_STATEMENT = {
    "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DESTINATION}:root"}, "Action": "kms:*", "Resource": "*",
}
ENCRYPTION = {"kms_key_arn": DESTINATION_KEY, "bucket_key_enabled": True}


def bucket(**changes):
    facts = {
        "name": "stats-data-tgt",
        "exists": True,
        "region": "us-east-1",
        "versioning": "Enabled",
        "encryption": {"algorithm": "aws:kms", "kms_key_arn": DESTINATION_KEY, "bucket_key_enabled": True},
        "object_ownership": "BucketOwnerEnforced",
        "policy": {"Version": "2012-10-17", "Statement": copy.deepcopy(MODEL["destination_bucket_statements"])},
        "replication": None,
        "errors": {},
    }
    facts.update(changes)
    return facts


def key(statements=None, grants=None, **changes):
    facts = {
        "reference": DESTINATION_KEY,
        "exists": True,
        "metadata": {"Arn": DESTINATION_KEY, "KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT"},
        "policy": {"Version": "2012-10-17", "Statement": [OWNER_STATEMENT] + (statements or [])},
        "grants": grants or [],
        "errors": {},
    }
    facts.update(changes)
    return facts


def key_statement_options(**changes):
    statement = MODEL["destination_key_statement"]
    options = {"sid": statement["Sid"], "principals": [statement["Principal"]["AWS"]], "operations": list(statement["Action"]),
               "conditions": statement["Condition"]}
    options.update(changes)
    return options


def role(**changes):
    facts = {
        "name": "s3-replication-role",
        "exists": True,
        "arn": MODEL["role_arn"],
        "trust_policy": MODEL["trust_policy"],
        "inline_policies": {MODEL["role_policy_name"]: MODEL["role_policy"]},
        "errors": {},
    }
    facts.update(changes)
    return facts


def rule_options(**changes):
    options = {
        "id": "all-objects",
        "role_arn": MODEL["role_arn"],
        "sse_kms_encrypted_objects": True,
        "destination_bucket": "stats-data-tgt",
        "destination_account": DESTINATION,
        "destination_region": "us-east-1",
        "replica_kms_key_arn": DESTINATION_KEY,
        "owner_override": True,
        "priority": None,
        "filter": None,
    }
    options.update(changes)
    return options


def written_configuration(*rules):
    configuration = None
    for options in rules:
        configuration = replication_rules.plan_present(configuration, options, "stats-data-src")["after"]
    return configuration


class TestBucket:
    def test_converged_bucket_needs_no_write(self):
        assert rd.drift(bucket(), "bucket", versioning=True, encryption=ENCRYPTION, object_ownership="BucketOwnerEnforced") is False

    @pytest.mark.parametrize(
        "changes",
        [
            {"versioning": "Suspended"},
            {"versioning": "Disabled"},
            {"encryption": None},
            {"encryption": {"algorithm": "aws:kms", "kms_key_arn": DESTINATION_KEY, "bucket_key_enabled": False}},
            {"object_ownership": "ObjectWriter"},
            {"exists": False},
            {"exists": None},
            {"errors": {"encryption": "AccessDenied"}},
        ],
    )
    def test_any_difference_or_doubt_is_drift(self, changes):
        assert rd.drift(bucket(**changes), "bucket", versioning=True, encryption=ENCRYPTION, object_ownership="BucketOwnerEnforced") is True

    def test_unset_options_are_left_alone(self):
        assert rd.drift(bucket(object_ownership="ObjectWriter", encryption=None), "bucket", versioning=True) is False

    def test_no_facts_is_drift(self):
        assert rd.drift(None, "bucket", versioning=True) is True


class TestBucketPolicy:
    def test_statements_already_there(self):
        assert rd.drift(bucket(), "bucket_policy", statements=MODEL["destination_bucket_statements"]) is False

    def test_other_statements_do_not_matter(self):
        other = {"Sid": "OtherTeam", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::stats-data-tgt/*"}
        facts = bucket(policy={"Version": "2012-10-17", "Statement": [other] + MODEL["destination_bucket_statements"]})
        assert rd.drift(facts, "bucket_policy", statements=MODEL["destination_bucket_statements"]) is False

    @pytest.mark.parametrize("policy", [None, {"Version": "2012-10-17", "Statement": []}])
    def test_missing_statements_are_drift(self, policy):
        assert rd.drift(bucket(policy=policy), "bucket_policy", statements=MODEL["destination_bucket_statements"]) is True

    def test_changed_statement_is_drift(self):
        statements = copy.deepcopy(MODEL["destination_bucket_statements"])
        facts = bucket(policy={"Version": "2012-10-17", "Statement": copy.deepcopy(statements)})
        statements[0]["Action"] = ["s3:ReplicateObject"]
        assert rd.drift(facts, "bucket_policy", statements=statements) is True

    def test_unreadable_policy_is_drift(self):
        assert rd.drift(bucket(errors={"policy": "AccessDenied"}), "bucket_policy", statements=MODEL["destination_bucket_statements"]) is True


class TestKeyStatement:
    def test_statement_present(self):
        facts = key([MODEL["destination_key_statement"]])
        assert rd.drift(facts, "key_statement", **key_statement_options()) is False

    def test_statement_missing(self):
        assert rd.drift(key(), "key_statement", **key_statement_options()) is True

    def test_statement_differs(self):
        facts = key([MODEL["destination_key_statement"]])
        assert rd.drift(facts, "key_statement", **key_statement_options(operations=["kms:Encrypt"])) is True

    def test_absent_when_missing_needs_nothing(self):
        assert rd.drift(key(), "key_statement", sid=MODEL["destination_key_statement"]["Sid"], state="absent") is False

    def test_absent_when_present_is_drift(self):
        facts = key([MODEL["destination_key_statement"]])
        assert rd.drift(facts, "key_statement", sid=MODEL["destination_key_statement"]["Sid"], state="absent") is True

    def test_unknown_key_is_drift(self):
        assert rd.drift(key(exists=False, metadata=None), "key_statement", **key_statement_options()) is True


class TestKeyGrant:
    GRANT = MODEL["destination_key_grant"]

    def options(self, **changes):
        constraints = self.GRANT["constraints"] or {}
        options = {"name": self.GRANT["name"], "principals": [self.GRANT["grantee_principal"]], "operations": self.GRANT["operations"],
                   "encryption_context_subset": constraints.get("EncryptionContextSubset")}
        options.update(changes)
        return options

    def existing(self, **changes):
        grant = {"GrantId": "g-1", "KeyId": DESTINATION_KEY, "Name": self.GRANT["name"], "GranteePrincipal": self.GRANT["grantee_principal"],
                 "Operations": list(reversed(self.GRANT["operations"])), "Constraints": self.GRANT["constraints"]}
        grant.update(changes)
        return grant

    def test_matching_grant(self):
        assert rd.drift(key(grants=[self.existing()]), "key_grant", **self.options()) is False

    def test_missing_grant(self):
        assert rd.drift(key(), "key_grant", **self.options()) is True

    def test_different_grant(self):
        assert rd.drift(key(grants=[self.existing(Operations=["Encrypt"])]), "key_grant", **self.options()) is True

    def test_duplicate_grant_is_drift(self):
        assert rd.drift(key(grants=[self.existing(), self.existing(GrantId="g-2")]), "key_grant", **self.options()) is True

    def test_absent(self):
        assert rd.drift(key(), "key_grant", name=self.GRANT["name"], state="absent") is False
        assert rd.drift(key(grants=[self.existing()]), "key_grant", name=self.GRANT["name"], state="absent") is True


class TestRole:
    def test_converged(self):
        assert rd.drift(role(), "role", trust_policy=MODEL["trust_policy"], path="/") is False

    def test_missing(self):
        assert rd.drift(role(exists=False), "role", trust_policy=MODEL["trust_policy"]) is True

    def test_trust_differs(self):
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        assert rd.drift(role(trust_policy=trust), "role", trust_policy=MODEL["trust_policy"]) is True

    def test_path_differs(self):
        assert rd.drift(role(), "role", trust_policy=MODEL["trust_policy"], path="/replication/") is True
        arn = MODEL["role_arn"].replace(":role/", ":role/replication/")
        assert rd.drift(role(arn=arn), "role", trust_policy=MODEL["trust_policy"], path="/replication/") is False

    def test_inline_policy(self):
        assert rd.drift(role(), "role_policy", policy_name=MODEL["role_policy_name"], policy=MODEL["role_policy"]) is False
        assert rd.drift(role(inline_policies={}), "role_policy", policy_name=MODEL["role_policy_name"], policy=MODEL["role_policy"]) is True
        changed = copy.deepcopy(MODEL["role_policy"])
        changed["Statement"] = changed["Statement"][1:]
        assert rd.drift(role(), "role_policy", policy_name=MODEL["role_policy_name"], policy=changed) is True


class TestRules:
    def test_written_rules_need_nothing(self):
        configuration = written_configuration(rule_options())
        assert rd.drift(bucket(name="stats-data-src", replication=configuration), "rules", rules=[rule_options()]) is False

    def test_no_configuration_is_drift(self):
        assert rd.drift(bucket(name="stats-data-src"), "rules", rules=[rule_options()]) is True

    def test_fan_out_rules_merge_in_order(self):
        second = rule_options(id="to-other", destination_bucket="other-tgt")
        configuration = written_configuration(rule_options(), second)
        facts = bucket(name="stats-data-src", replication=configuration)
        assert rd.drift(facts, "rules", rules=[rule_options(), second]) is False
        assert rd.drift(facts, "rules", rules=[rule_options(), rule_options(id="to-third", destination_bucket="third-tgt")]) is True

    def test_changed_rule_is_drift(self):
        configuration = written_configuration(rule_options())
        facts = bucket(name="stats-data-src", replication=configuration)
        assert rd.drift(facts, "rules", rules=[rule_options(delete_marker_replication=True)]) is True

    def test_absent_rule(self):
        configuration = written_configuration(rule_options())
        facts = bucket(name="stats-data-src", replication=configuration)
        assert rd.drift(facts, "rules", rules=[{"id": "gone", "state": "absent"}]) is False
        assert rd.drift(facts, "rules", rules=[{"id": "all-objects", "state": "absent"}]) is True

    def test_invalid_rule_is_drift_so_the_module_reports_it(self):
        facts = bucket(name="stats-data-src", replication=None)
        assert rd.drift(facts, "rules", rules=[rule_options(replica_kms_key_arn="alias/not-an-arn")]) is True


def test_unknown_kind_is_an_error():
    with pytest.raises(rd.DriftError, match="unknown kind 'bucketz'"):
        rd.drift(bucket(), "bucketz")


def test_wrong_option_is_an_error():
    with pytest.raises(rd.DriftError, match="kind 'bucket'"):
        rd.drift(bucket(), "bucket", statements=[])


class TaggedStr(str):
    pass


def test_plain_rebuilds_containers_and_scalars():
    value = plain({TaggedStr("a"): (1, TaggedStr("b"), frozenset([True])), "c": {"d": None, "e": 1.5}})
    assert value == {"a": [1, "b", [True]], "c": {"d": None, "e": 1.5}}
    assert list(value)[0].__class__ is str
    assert value["a"][1].__class__ is str
