import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as pd

ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"


def statement(sid, principal=ROLE, actions=("s3:ReplicateObject", "s3:ReplicateDelete"), resource="arn:aws:s3:::dst/*", **extra):
    result = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal}, "Action": list(actions), "Resource": resource}
    result.update(extra)
    return result


FOREIGN = {"Sid": "OtherTeam", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dst/*"}
UNNAMED = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::dst/*", "Condition": {"Bool": {"aws:SecureTransport": False}}}


def policy(*statements, version="2012-10-17"):
    return {"Version": version, "Statement": list(statements)}


@pytest.mark.parametrize("empty", [None, "", "  ", {}, b""])
def test_no_policy_parses_as_none(empty):
    assert pd.parse_policy(empty) is None


def test_json_text_and_single_statement_object_parse_to_a_statement_list():
    text = json.dumps({"Version": "2012-10-17", "Statement": FOREIGN})
    assert pd.parse_policy(text) == policy(FOREIGN)
    assert pd.parse_policy(text.encode()) == policy(FOREIGN)


@pytest.mark.parametrize("bad, words", [("{not json", "not valid JSON"), ("[1]", "JSON object"), ({"Statement": "x"}, "Statement")])
def test_malformed_documents_are_refused(bad, words):
    with pytest.raises(pd.PolicyDocumentError, match=words):
        pd.parse_policy(bad)


def test_parse_does_not_share_state_with_the_input():
    original = policy(FOREIGN)
    parsed = pd.parse_policy(original)
    parsed["Statement"][0]["Sid"] = "Changed"
    assert original["Statement"][0]["Sid"] == "OtherTeam"


def test_normalise_undoes_aws_rewrites():
    written = statement("Ours", principal=["211258069784", ROLE], actions=["s3:B", "s3:A", "s3:A"], Condition={"Bool": {"aws:SecureTransport": True}})
    assert pd.normalise_statement(written) == {
        "Action": ["s3:A", "s3:B"],
        "Condition": {"Bool": {"aws:SecureTransport": "true"}},
        "Effect": "Allow",
        "Principal": {"AWS": [ROLE, "arn:aws:iam::211258069784:root"]},
        "Resource": "arn:aws:s3:::dst/*",
        "Sid": "Ours",
    }


def test_normalise_policy_defaults_the_version_and_keeps_statement_order():
    normalised = pd.normalise_policy({"Statement": [FOREIGN, UNNAMED]})
    assert normalised["Version"] == "2008-10-17"
    assert [s.get("Sid") for s in normalised["Statement"]] == ["OtherTeam", None]
    assert normalised["Statement"][1]["Principal"] == {"AWS": "*"}


@pytest.mark.parametrize(
    "first, second",
    [
        (statement("A", principal="211258069784"), statement("A", principal="arn:aws:iam::211258069784:root")),
        (statement("A", principal=[ROLE]), statement("A", principal=ROLE)),
        (statement("A", actions=["s3:X", "s3:Y"]), statement("A", actions=["s3:Y", "s3:X"])),
        (statement("A", actions=["s3:X"]), {**statement("A"), "Action": "s3:X"}),
        (statement("A", resource=["r"]), statement("A", resource="r")),
        (statement("A", Condition={"StringEquals": {"k": ["b", "a"]}}), statement("A", Condition={"StringEquals": {"k": ["a", "b"]}})),
    ],
)
def test_equal_statements_in_the_forms_aws_returns(first, second):
    assert pd.statements_equal(first, second)
    assert pd.policies_equal(policy(first, FOREIGN), policy(FOREIGN, second))


@pytest.mark.parametrize(
    "other",
    [
        statement("A", principal="444455556666"),
        statement("A", actions=["s3:ReplicateObject"]),
        statement("A", resource="arn:aws:s3:::other/*"),
        {**statement("A"), "Effect": "Deny"},
        statement("A", Condition={"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
        statement("B"),
    ],
)
def test_different_statements_are_not_equal(other):
    assert not pd.statements_equal(statement("A"), other)


def test_version_matters_and_missing_version_means_2008():
    assert pd.policies_equal({"Statement": [FOREIGN]}, policy(FOREIGN, version="2008-10-17"))
    assert not pd.policies_equal(policy(FOREIGN), policy(FOREIGN, version="2008-10-17"))


def test_no_policy_equals_only_no_policy():
    assert pd.policies_equal(None, "")
    assert not pd.policies_equal(None, policy(FOREIGN))
    assert not pd.policies_equal(policy(FOREIGN), {})


def test_find_statement_by_sid():
    document = policy(FOREIGN, UNNAMED, statement("Ours"))
    assert pd.find_statement(document, "Ours") == statement("Ours")
    assert pd.find_statement(document, "Missing") is None
    assert pd.find_statement(None, "Ours") is None
    assert pd.statement_sids(document) == ["OtherTeam", None, "Ours"]


def test_find_statement_refuses_a_duplicated_sid():
    with pytest.raises(pd.PolicyDocumentError, match="2 statements with Sid Ours"):
        pd.find_statement(policy(statement("Ours"), statement("Ours", resource="x")), "Ours")


def test_merge_into_no_policy_creates_a_2012_document():
    assert pd.merge_statements(None, [statement("Ours")]) == policy(statement("Ours"))


def test_merge_appends_new_and_keeps_foreign_statements_untouched():
    current = policy(FOREIGN, UNNAMED)
    merged = pd.merge_statements(current, [statement("Ours")])
    assert merged == policy(FOREIGN, UNNAMED, statement("Ours"))
    assert current == policy(FOREIGN, UNNAMED)


def test_merge_replaces_a_changed_statement_in_place():
    merged = pd.merge_statements(policy(statement("Ours", resource="old"), FOREIGN), [statement("Ours")])
    assert merged == policy(statement("Ours"), FOREIGN)


def test_merge_of_an_equal_statement_keeps_the_form_aws_returned():
    as_returned = statement("Ours", principal=[ROLE], actions=["s3:ReplicateDelete", "s3:ReplicateObject"])
    current = {"Version": "2012-10-17", "Id": "Policy1", "Statement": [FOREIGN, as_returned]}
    assert pd.merge_statements(current, [statement("Ours")]) == current


def test_merge_keeps_the_existing_version_and_other_top_level_keys():
    merged = pd.merge_statements({"Version": "2008-10-17", "Id": "key-default-1", "Statement": [FOREIGN]}, [statement("Ours")])
    assert merged["Version"] == "2008-10-17"
    assert merged["Id"] == "key-default-1"


def test_remove_only_the_named_sids():
    current = policy(FOREIGN, statement("Ours"), UNNAMED, statement("Ours2"))
    assert pd.remove_statements(current, ["Ours", "Ours2", "Absent"]) == policy(FOREIGN, UNNAMED)
    assert pd.remove_statements(policy(statement("Ours")), ["Ours"]) == policy()
    assert pd.remove_statements(None, ["Ours"]) is None


@pytest.mark.parametrize("sid", [None, "", "has-dash", "has space", "Ünicode", 12])
def test_invalid_sids_are_refused(sid):
    with pytest.raises(pd.PolicyDocumentError, match="letters and digits"):
        pd.validate_sid(sid)


@pytest.mark.parametrize(
    "bad, words",
    [
        ({**statement("A"), "Effect": "allow"}, "Effect"),
        ({k: v for k, v in statement("A").items() if k != "Action"}, "Action and NotAction"),
        ({**statement("A"), "NotAction": "s3:X"}, "Action and NotAction"),
        ({k: v for k, v in statement("A").items() if k != "Resource"}, "Resource and NotResource"),
        ({**statement("A"), "Actions": "s3:X"}, "unknown elements Actions"),
        ({**statement("A"), "Principal": ["x"]}, "Principal must be"),
        ({**statement("A"), "Condition": {"StringEquals": "x"}}, "condition keys"),
        ("not a dict", "must be an object"),
    ],
)
def test_malformed_statements_are_refused(bad, words):
    with pytest.raises(pd.PolicyDocumentError, match=words):
        pd.validate_statements([bad])


def test_resource_policy_statements_need_a_principal():
    without = {k: v for k, v in statement("A").items() if k != "Principal"}
    assert pd.validate_statements([without]) == [without]
    with pytest.raises(pd.PolicyDocumentError, match="Principal and NotPrincipal"):
        pd.validate_statements([without], require_principal=True)


def test_sids_must_be_unique_and_statements_present():
    with pytest.raises(pd.PolicyDocumentError, match="more than once"):
        pd.validate_statements([statement("A"), statement("A", resource="x")])
    with pytest.raises(pd.PolicyDocumentError, match="at least one"):
        pd.validate_statements([])


def test_policy_to_json_round_trips():
    document = policy(FOREIGN, statement("Ours"))
    assert json.loads(pd.policy_to_json(document)) == document


sids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789", min_size=1, max_size=8)
actions = st.lists(st.sampled_from(["s3:GetObject", "s3:PutObject", "s3:ReplicateObject", "s3:ListBucket"]), min_size=1, max_size=4)
statements = st.builds(lambda sid, acts: statement(sid, actions=acts), sids, actions)


@given(st.lists(statements, max_size=5, unique_by=lambda s: s["Sid"]), st.lists(statements, min_size=1, max_size=3, unique_by=lambda s: s["Sid"]))
def test_merge_then_remove_leaves_only_the_statements_we_did_not_name(existing, ours):
    current = policy(*existing)
    merged = pd.merge_statements(current, ours)
    for mine in ours:
        assert pd.statements_equal(pd.find_statement(merged, mine["Sid"]), mine)
    assert pd.policies_equal(pd.merge_statements(merged, ours), merged)
    our_sids = {s["Sid"] for s in ours}
    removed = pd.remove_statements(merged, our_sids)
    assert removed["Statement"] == [s for s in existing if s["Sid"] not in our_sids]


@given(statements)
def test_normalising_twice_changes_nothing(one):
    once = pd.normalise_statement(one)
    assert pd.normalise_statement(once) == once
    assert pd.statements_equal(once, one)
