# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests for every merge the collection performs on documents it shares with others:
bucket-policy statements, key-policy statements (with the owner-lockout guard), replication rules
and KMS grants. For arbitrary existing content and arbitrary content of ours:

- every foreign entry survives the merge unchanged;
- applying twice equals applying once;
- removing ours gives back exactly the foreign part.
"""

import copy

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as pd
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules as rr

EXAMPLES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OWNER = "111122223333"
OWNER_ROOT = f"arn:aws:iam::{OWNER}:root"

sids = st.from_regex(r"[A-Za-z0-9]{1,10}", fullmatch=True)
accounts = st.from_regex(r"[0-9]{12}", fullmatch=True)
principals = st.one_of(
    accounts.map(lambda account: f"arn:aws:iam::{account}:root"),
    st.tuples(accounts, st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)).map(lambda t: f"arn:aws:iam::{t[0]}:role/{t[1]}"),
    st.just("*"),
)
s3_actions = st.sampled_from(["s3:GetObject", "s3:PutObject", "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ListBucket", "s3:GetBucketVersioning"])
kms_actions = st.sampled_from(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ReEncrypt*"])
conditions = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["StringEquals", "StringLike", "Bool"]),
        st.dictionaries(
            st.sampled_from(["aws:SourceAccount", "kms:ViaService", "aws:SecureTransport"]),
            st.one_of(st.text("abc.-", min_size=1, max_size=8), st.lists(st.text("xyz", min_size=1, max_size=4), min_size=1, max_size=3)),
            min_size=1,
            max_size=2,
        ),
        min_size=1,
        max_size=2,
    ),
)


def statement_strategy(actions, resource, sid=sids):
    def build(values):
        sid_value, effect, principal, action_list, condition, single = values
        statement = {"Sid": sid_value, "Effect": effect, "Principal": {"AWS": principal},
                     "Action": action_list[0] if single else action_list, "Resource": resource}
        if condition:
            statement["Condition"] = condition
        return statement
    return st.tuples(sid, st.sampled_from(["Allow", "Deny"]), principals, st.lists(actions, min_size=1, max_size=4, unique=True), conditions,
                     st.booleans()).map(build)


def unique_by_sid(statements):
    seen, kept = set(), []
    for statement in statements:
        if statement.get("Sid") not in seen:
            seen.add(statement.get("Sid"))
            kept.append(statement)
    return kept


bucket_statements = statement_strategy(s3_actions, "arn:aws:s3:::shared-bucket/*")
key_statements = statement_strategy(kms_actions, "*")
# Foreign policies may also hold statements without a Sid: they must survive too.
sidless = statement_strategy(s3_actions, "arn:aws:s3:::shared-bucket/*").map(lambda s: {k: v for k, v in s.items() if k != "Sid"})


@st.composite
def foreign_and_ours(draw, foreign_strategy, ours_strategy, sidless_strategy=None):
    foreign = unique_by_sid(draw(st.lists(foreign_strategy, max_size=6)))
    if sidless_strategy is not None:
        foreign += draw(st.lists(sidless_strategy, max_size=2))
    taken = {s.get("Sid") for s in foreign}
    ours = [s for s in unique_by_sid(draw(st.lists(ours_strategy, min_size=1, max_size=4))) if s["Sid"] not in taken]
    return foreign, ours


def policy(statements):
    return {"Version": "2012-10-17", "Statement": copy.deepcopy(statements)}


# -- bucket policies (s3_bucket_policy_statement) --------------------------------------------------

@EXAMPLES
@given(foreign_and_ours(bucket_statements, bucket_statements, sidless), st.booleans())
def test_bucket_policy_merge_keeps_foreign_is_idempotent_and_reversible(pair, as_json):
    foreign, ours = pair
    existing = policy(foreign) if foreign else None
    if as_json and existing:
        existing = pd.policy_to_json(existing)
    merged = pd.merge_statements(existing, ours)
    for statement in foreign:
        assert statement in merged["Statement"]
    assert pd.merge_statements(merged, ours) == merged
    assert pd.policies_equal(pd.merge_statements(merged, ours), merged)
    removed = pd.remove_statements(merged, [s["Sid"] for s in ours])
    assert removed["Statement"] == foreign


@EXAMPLES
@given(foreign_and_ours(bucket_statements, bucket_statements), st.data())
def test_bucket_policy_update_of_ours_keeps_foreign_in_place(pair, data):
    foreign, ours = pair
    merged = pd.merge_statements(policy(foreign), ours)
    changed = [dict(s, Action=data.draw(st.lists(s3_actions, min_size=1, max_size=3, unique=True))) for s in ours]
    updated = pd.merge_statements(merged, changed)
    assert updated["Statement"][:len(foreign)] == foreign
    assert [s["Sid"] for s in updated["Statement"]] == [s["Sid"] for s in merged["Statement"]]


# -- key policies (kms_key_access mode=policy) -------------------------------------------------------

owner_admin = st.sampled_from([
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": OWNER_ROOT}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "KeyAdmins", "Effect": "Allow", "Principal": {"AWS": [OWNER_ROOT]}, "Action": ["kms:*"], "Resource": "*"},
])


@EXAMPLES
@given(owner_admin, foreign_and_ours(key_statements, key_statements))
def test_key_policy_merge_keeps_foreign_and_owner_is_idempotent_and_reversible(admin, pair):
    foreign, ours = pair
    foreign = [s for s in foreign if s["Sid"] != admin["Sid"]]
    ours = [s for s in ours if s["Sid"] != admin["Sid"]]
    existing = policy([admin] + foreign)
    after = existing
    for statement in ours:
        after = kms_keys.plan_key_policy(after, OWNER, statement["Sid"], statement)
    assert after["Statement"][:len(foreign) + 1] == [admin] + foreign
    assert kms_keys.has_owner_access(after, OWNER)
    again = after
    for statement in ours:
        again = kms_keys.plan_key_policy(again, OWNER, statement["Sid"], statement)
    assert again == after
    for statement in ours:
        after = kms_keys.plan_key_policy(after, OWNER, statement["Sid"])
    assert after == existing


@EXAMPLES
@given(owner_admin, st.lists(key_statements, max_size=4), key_statements, st.booleans())
def test_key_policy_changes_never_remove_the_owners_administrative_access(admin, others, statement, remove):
    """Whatever Sid and statement are asked for, the result keeps the owner's kms:* or is refused."""
    existing = policy([admin] + unique_by_sid([s for s in others if s["Sid"] != admin["Sid"]]))
    sid = statement["Sid"] if not remove else admin["Sid"]
    try:
        after = kms_keys.plan_key_policy(existing, OWNER, sid, None if remove else dict(statement, Sid=sid))
    except (kms_keys.KmsKeyError, pd.PolicyDocumentError):
        return
    assert kms_keys.has_owner_access(after, OWNER)


@EXAMPLES
@given(owner_admin, key_statements)
def test_replacing_the_owner_statement_by_sid_is_refused(admin, statement):
    with pytest.raises((kms_keys.KmsKeyError, pd.PolicyDocumentError)):
        kms_keys.plan_key_policy(policy([admin]), OWNER, admin["Sid"], dict(statement, Sid=admin["Sid"]))


# -- replication configurations (s3_replication_rule) -----------------------------------------------

rule_ids = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)
filters = st.one_of(
    st.just({"Prefix": ""}),
    st.from_regex(r"[a-z]{1,8}/", fullmatch=True).map(lambda prefix: {"Prefix": prefix}),
    st.tuples(st.from_regex(r"[a-z]{1,5}", fullmatch=True), st.from_regex(r"[a-z0-9]{1,5}", fullmatch=True))
      .map(lambda tag: {"Tag": {"Key": tag[0], "Value": tag[1]}}),
)


def rule_strategy(ids=rule_ids):
    def build(values):
        rule_id, priority, enabled, rule_filter, account, with_key = values
        rule = {
            "ID": rule_id,
            "Priority": priority,
            "Status": "Enabled" if enabled else "Disabled",
            "Filter": rule_filter,
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": f"arn:aws:s3:::dest-{account}", "Account": account},
        }
        if with_key:
            rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
            rule["Destination"]["EncryptionConfiguration"] = {"ReplicaKmsKeyID": f"arn:aws:kms:us-east-1:{account}:key/k"}
        return rule
    return st.tuples(ids, st.integers(0, 1000), st.booleans(), filters, accounts, st.booleans()).map(build)


@st.composite
def configuration_and_rule(draw):
    foreign = []
    for rule in draw(st.lists(rule_strategy(), max_size=6)):
        if rule["ID"] not in {r["ID"] for r in foreign}:
            foreign.append(rule)
    ours = draw(rule_strategy(rule_ids.filter(lambda rule_id: rule_id not in {r["ID"] for r in foreign})))
    configuration = {"Role": "arn:aws:iam::111122223333:role/existing", "Rules": foreign} if foreign else None
    return configuration, foreign, ours


ROLE = "arn:aws:iam::111122223333:role/s3-replication-role"


@EXAMPLES
@given(configuration_and_rule())
def test_rule_merge_keeps_foreign_is_idempotent_and_reversible(case):
    configuration, foreign, ours = case
    original = copy.deepcopy(configuration)
    merged = rr.merge_rule(configuration, ours, ROLE)
    assert configuration == original, "the merge changed its input"
    assert merged["Rules"][:len(foreign)] == foreign
    assert rr.find_rule(merged, ours["ID"]) == ours
    assert rr.merge_rule(merged, ours, ROLE) == merged
    assert rr.same_configuration(rr.merge_rule(merged, ours, ROLE), merged)
    removed = rr.remove_rule(merged, ours["ID"])
    if foreign:
        assert removed["Rules"] == foreign
    else:
        assert removed is None


@EXAMPLES
@given(configuration_and_rule(), st.data())
def test_rule_update_keeps_foreign_rules_and_their_order(case, data):
    configuration, foreign, ours = case
    merged = rr.merge_rule(configuration, ours, ROLE)
    updated_rule = dict(ours, Priority=data.draw(st.integers(0, 1000)), Status="Disabled")
    updated = rr.merge_rule(merged, updated_rule, ROLE)
    assert [r["ID"] for r in updated["Rules"]] == [r["ID"] for r in merged["Rules"]]
    assert [r for r in updated["Rules"] if r["ID"] != ours["ID"]] == foreign


@EXAMPLES
@given(configuration_and_rule())
def test_removing_an_absent_rule_changes_nothing(case):
    configuration, foreign, ours = case
    if configuration is None:
        return
    assert rr.remove_rule(configuration, ours["ID"])["Rules"] == foreign


# -- KMS grants (kms_key_access mode=grant) ----------------------------------------------------------

grant_names = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
grant_operations = st.lists(st.sampled_from(["Encrypt", "Decrypt", "GenerateDataKey", "ReEncryptFrom", "ReEncryptTo"]), min_size=1, max_size=3,
                            unique=True)


def grant_strategy(names=grant_names):
    role = st.from_regex(r"[a-z]{1,8}", fullmatch=True).map(lambda name: f"arn:aws:iam::111122223333:role/{name}")
    return st.tuples(names, role, grant_operations).map(lambda t: kms_keys.desired_grant(t[0], t[1], t[2]))


def apply_plan(grants, keep, create, revoke, counter):
    revoked = {g["GrantId"] for g in revoke}
    after = [g for g in grants if g["GrantId"] not in revoked]
    if create:
        counter.append(1)
        after.append(dict(create, GrantId=f"created-{len(counter)}"))
    return after


@EXAMPLES
@given(st.lists(grant_strategy(), max_size=6), grant_strategy(), st.lists(grant_strategy(), max_size=2))
def test_grant_plan_keeps_foreign_is_idempotent_and_reversible(foreign_drafts, ours, stale_drafts):
    foreign = [dict(g, GrantId=f"foreign-{i}") for i, g in enumerate(foreign_drafts) if g["Name"] != ours["Name"]]
    stale = [dict(g, Name=ours["Name"], GrantId=f"stale-{i}") for i, g in enumerate(stale_drafts)]
    existing = foreign + stale
    counter = []
    keep, create, revoke = kms_keys.plan_named_grants(existing, ours["Name"], ours)
    assert all(g["Name"] == ours["Name"] for g in revoke)
    after = apply_plan(existing, keep, create, revoke, counter)
    assert [g for g in after if g["Name"] != ours["Name"]] == foreign
    assert len([g for g in after if g["Name"] == ours["Name"]]) == 1
    keep2, create2, revoke2 = kms_keys.plan_named_grants(after, ours["Name"], ours)
    assert create2 is None and revoke2 == [] and keep2 is not None
    _keep, _create, revoke_all = kms_keys.plan_named_grants(after, ours["Name"], None)
    assert apply_plan(after, None, None, revoke_all, counter) == foreign


@EXAMPLES
@given(st.lists(grant_strategy(), max_size=6), grant_strategy(), st.integers(1, 3))
def test_duplicate_grants_from_retried_creates_are_only_ours(foreign_drafts, ours, copies):
    foreign = [dict(g, GrantId=f"foreign-{i}") for i, g in enumerate(foreign_drafts) if g["Name"] != ours["Name"]]
    created = [dict(ours, GrantId=f"ours-{i}") for i in range(copies)]
    duplicates = kms_keys.duplicate_grants(foreign + created, ours, "ours-0")
    assert sorted(g["GrantId"] for g in duplicates) == [f"ours-{i}" for i in range(1, copies)]
