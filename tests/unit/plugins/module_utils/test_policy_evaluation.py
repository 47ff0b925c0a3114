# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import evaluation as pe

SRC = "211258069784"
DST = "880161310235"
ROLE = f"arn:aws:iam::{SRC}:role/s3-replication-role"
OBJECT = "arn:aws:s3:::stats-data-tgt/daily/file.csv"
KEY = f"arn:aws:kms:us-east-1:{DST}:key/0987dcba-09fe-87dc-65ba-ab0987654321"


def request(action="s3:ReplicateObject", resource=OBJECT, context=None, absent=()):
    return pe.make_request(action, resource, principal_arn=ROLE, context=context, absent=absent)


def kms_request(action="kms:Encrypt", context_arn="arn:aws:s3:::stats-data-tgt", absent=()):
    return pe.make_request(action, KEY, principal_arn=ROLE, absent=absent, context={
        "kms:ViaService": "s3.us-east-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": context_arn,
        "kms:EncryptionContextKeys": ["aws:s3:arn"],
        "kms:CallerAccount": SRC,
    })


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(**fields):
    return dict({"Effect": "Allow", "Action": "s3:ReplicateObject", "Resource": "arn:aws:s3:::stats-data-tgt/*"}, **fields)


def deny(**fields):
    return dict(allow(**fields), Effect="Deny")


def applies(statement, req=None, kind="identity"):
    return pe.evaluate_statement(statement, req or request(), kind)[0]


# --- requests ---


def test_request_needs_exactly_one_principal():
    with pytest.raises(pe.PolicyEvaluationError):
        pe.make_request("s3:GetObject", OBJECT)
    with pytest.raises(pe.PolicyEvaluationError):
        pe.make_request("s3:GetObject", OBJECT, principal_arn=ROLE, service="s3.amazonaws.com")
    with pytest.raises(pe.PolicyEvaluationError, match="not an IAM principal ARN"):
        pe.make_request("s3:GetObject", OBJECT, principal_arn="s3-replication-role")


def test_request_context_keys_are_case_insensitive_and_text():
    req = pe.make_request("s3:GetObject", OBJECT, principal_arn=ROLE, context={"AWS:SecureTransport": True}, absent=["aws:SourceVpce"])
    assert req["context"] == {"aws:securetransport": ["true"]} and req["absent"] == {"aws:sourcevpce"}
    assert req["principal"] == {"arn": ROLE, "account": SRC}


# --- wildcards ---


@pytest.mark.parametrize("pattern, value, expected", [
    ("s3:*", "s3:ReplicateObject", True),
    ("s3:Replicate*", "s3:ReplicateTags", True),
    ("S3:replicateobject", "s3:ReplicateObject", True),
    ("s3:*Object", "s3:ReplicateObject", True),
    ("s3:*Object", "s3:ReplicateTags", False),
    ("s3:Replicat?Object", "s3:ReplicateObject", True),
    ("*", "kms:Decrypt", True),
    ("kms:Decrypt", "kms:DecryptX", False),
])
def test_action_wildcards(pattern, value, expected):
    assert pe.action_matches(pattern, value) is expected


def test_resource_wildcards_are_case_sensitive_and_cross_slashes():
    assert pe.glob_match("arn:aws:s3:::stats-data-tgt/*", OBJECT)
    assert not pe.glob_match("arn:aws:s3:::Stats-Data-Tgt/*", OBJECT)
    assert pe.glob_match("arn:aws:s3:::stats-*-tgt/daily/???e.csv", OBJECT)
    assert not pe.glob_match("arn:aws:s3:::stats-data-tgt", OBJECT)
    assert pe.glob_match("arn:aws:s3:::a[1]", "arn:aws:s3:::a[1]")


def test_arn_like_compares_each_part():
    assert pe.arn_like("arn:aws:iam::*:role/s3-*", ROLE)
    assert not pe.arn_like("arn:aws:iam::*:role/s3-*", f"arn:aws:iam::{SRC}:user/s3-x")
    assert not pe.arn_like("arn:aws:s3", "arn:aws:s3:::bucket")
    assert pe.arn_like("*", ROLE)


# --- Action / NotAction / Resource / NotResource ---


def test_action_and_not_action():
    assert applies(allow(Action=["s3:GetObject", "s3:Replicate*"])) is True
    assert applies(allow(Action="s3:GetObject")) is False
    assert applies(allow(Action=None, NotAction="s3:GetObject")) is False  # Action present but None: no match
    statement = {"Effect": "Allow", "NotAction": ["s3:Get*"], "Resource": "*"}
    assert applies(statement) is True
    assert applies(statement, request("s3:GetObject")) is False


def test_statement_without_action_never_applies():
    assert applies({"Effect": "Allow", "Resource": "*"}) is False


def test_resource_and_not_resource():
    assert applies(allow(Resource="arn:aws:s3:::other/*")) is False
    statement = {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::other/*"}
    assert applies(statement) is True
    assert applies(dict(statement, NotResource="arn:aws:s3:::stats-data-tgt/*")) is False


def test_policy_variable_in_resource_is_uncertain():
    applies_, _named, reasons = pe.evaluate_statement(allow(Resource="arn:aws:s3:::${aws:username}/*"), request(), "identity")
    assert applies_ is None and "policy variable" in reasons[0]


def test_invalid_effect_never_applies():
    assert applies(allow(Effect="Permit")) is False


# --- principals ---


@pytest.mark.parametrize("principal, expected", [
    ("*", "direct"),
    ({"AWS": "*"}, "direct"),
    ({"AWS": ROLE}, "direct"),
    ({"AWS": [f"arn:aws:iam::{DST}:root", ROLE]}, "direct"),
    ({"AWS": SRC}, "account"),
    ({"AWS": f"arn:aws:iam::{SRC}:root"}, "account"),
    ({"AWS": DST}, None),
    ({"AWS": f"arn:aws:iam::{SRC}:role/other"}, None),
    ({"Service": "s3.amazonaws.com"}, None),
    ("s3.amazonaws.com", None),
])
def test_principal_match_for_a_role(principal, expected):
    assert pe.principal_match(principal, request()["principal"])[0] == expected


def test_assumed_role_session_principal_is_uncertain():
    named, reasons = pe.principal_match({"AWS": f"arn:aws:sts::{SRC}:assumed-role/s3-replication-role/session"}, request()["principal"])
    assert named is None and "session" in reasons[0]


def test_service_principal_match():
    service = pe.make_request("sts:AssumeRole", ROLE, service="s3.amazonaws.com")["principal"]
    assert pe.principal_match({"Service": "s3.amazonaws.com"}, service)[0] == "direct"
    assert pe.principal_match({"Service": ["ec2.amazonaws.com", "S3.amazonaws.com"]}, service)[0] == "direct"
    assert pe.principal_match({"Service": "s3:amazonaws.com"}, service)[0] is None
    assert pe.principal_match({"AWS": ROLE}, service)[0] is None


def test_resource_policy_statement_needs_a_principal():
    assert applies(allow(), kind="resource") is False
    assert applies(allow(Principal={"AWS": ROLE}), kind="resource") is True


def test_identity_policy_ignores_principal():
    assert applies(allow(Principal={"AWS": "arn:aws:iam::111111111111:root"}), kind="identity") is True


def test_not_principal():
    assert applies(deny(NotPrincipal={"AWS": f"arn:aws:iam::{DST}:root"}), kind="resource") is True
    assert applies(deny(NotPrincipal={"AWS": ROLE}), kind="resource") is False
    statement = deny(NotPrincipal={"AWS": f"arn:aws:sts::{SRC}:assumed-role/s3-replication-role/x"})
    assert pe.evaluate_statement(statement, request(), "resource")[0] is None


# --- conditions ---


def _condition(condition, req=None):
    return pe.evaluate_condition(condition, req or kms_request())[0]


@pytest.mark.parametrize("condition, expected", [
    ({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}, True),
    ({"StringEquals": {"KMS:VIASERVICE": ["s3.eu-west-1.amazonaws.com", "s3.us-east-1.amazonaws.com"]}}, True),
    ({"StringEquals": {"kms:ViaService": "S3.us-east-1.amazonaws.com"}}, False),
    ({"StringEqualsIgnoreCase": {"kms:ViaService": "S3.US-EAST-1.amazonaws.com"}}, True),
    ({"StringNotEqualsIgnoreCase": {"kms:ViaService": "S3.US-EAST-1.amazonaws.com"}}, False),
    ({"StringNotEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}, True),
    ({"StringNotEquals": {"kms:ViaService": ["s3.eu-west-1.amazonaws.com", "s3.us-east-1.amazonaws.com"]}}, False),
    ({"StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats-data-tgt*"}}, True),
    ({"StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats-data-tgt/*"}}, False),
    ({"StringNotLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::other*"}}, True),
    ({"StringNotLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats*"}}, False),
    ({"ArnLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats-*"}}, True),
    ({"ArnEquals": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats-data-tgt"}}, True),
    ({"ArnNotLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::stats-*"}}, False),
    ({"ArnNotEquals": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::other"}}, True),
    ({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": DST}}, False),
    ({"StringEquals": {"kms:CallerAccount": SRC}, "StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}, True),
    ({"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["aws:s3:arn", "other"]}}, True),
    ({"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": "other"}}, False),
    ({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["aws:s3:arn", "other"]}}, True),
    ({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": "other"}}, False),
    ({"ForAnyValue:StringNotEquals": {"kms:EncryptionContextKeys": "aws:s3:arn"}}, False),
    ({"ForAllValues:StringNotLike": {"kms:EncryptionContextKeys": "other*"}}, True),
])
def test_condition_operators(condition, expected):
    assert _condition(condition) is expected


def test_missing_keys():
    req = kms_request(absent=["aws:SourceVpce", "kms:GrantIsForAWSResource"])
    assert _condition({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, req) is False
    assert _condition({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}, req) is True
    assert _condition({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}, req) is True
    assert _condition({"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}, req) is True
    assert _condition({"ForAnyValue:StringEquals": {"aws:SourceVpce": "vpce-1"}}, req) is False
    assert _condition({"ForAllValues:StringEquals": {"aws:SourceVpce": "vpce-1"}}, req) is True
    assert _condition({"ForAnyValue:StringNotEquals": {"aws:SourceVpce": "vpce-1"}}, req) is False
    assert _condition({"Bool": {"kms:GrantIsForAWSResource": "true"}}, req) is False
    assert _condition({"BoolIfExists": {"kms:GrantIsForAWSResource": "true"}}, req) is True


def test_if_exists_on_a_present_key_is_the_plain_operator():
    assert _condition({"StringEqualsIfExists": {"kms:CallerAccount": DST}}) is False
    assert _condition({"StringEqualsIfExists": {"kms:CallerAccount": SRC}}) is True


def test_null_operator():
    req = kms_request(absent=["aws:SourceVpce"])
    assert _condition({"Null": {"aws:SourceVpce": "true"}}, req) is True
    assert _condition({"Null": {"aws:SourceVpce": "false"}}, req) is False
    assert _condition({"Null": {"kms:ViaService": "false"}}, req) is True
    assert _condition({"Null": {"kms:ViaService": True}}, req) is False


def test_bool_operator():
    req = request(context={"aws:SecureTransport": "true"})
    assert _condition({"Bool": {"aws:SecureTransport": "false"}}, req) is False
    assert _condition({"Bool": {"aws:SecureTransport": True}}, req) is True


@pytest.mark.parametrize("condition, reason", [
    ({"StringEquals": {"aws:PrincipalOrgID": "o-123"}}, "not known for this request"),
    ({"NumericLessThan": {"s3:max-keys": "10"}}, "not evaluated offline"),
    ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, "not evaluated offline"),
    ({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}, "not evaluated offline"),
    ({"ForSomeValues:StringEquals": {"kms:CallerAccount": SRC}}, "not evaluated offline"),
    ({"StringEquals": {"kms:CallerAccount": "${aws:PrincipalAccount}"}}, "policy variable"),
    ({"StringEquals": "text"}, "does not map keys"),
    ("text", "not an object"),
])
def test_conditions_that_cannot_be_evaluated_are_uncertain(condition, reason):
    result, reasons = pe.evaluate_condition(condition, kms_request())
    assert result is None and reason in reasons[0]


def test_a_false_condition_wins_over_an_unknown_one():
    condition = {"StringEquals": {"aws:PrincipalOrgID": "o-123", "kms:CallerAccount": DST}}
    assert pe.evaluate_condition(condition, kms_request()) == (False, [])


def test_split_operator():
    assert pe.split_operator("ForAnyValue:StringLikeIfExists") == ("ForAnyValue", "StringLike", True)
    assert pe.split_operator("Null") == (None, "Null", False)


# --- documents ---


def test_evaluate_policy_sorts_statements():
    document = doc(
        allow(Sid="Direct", Principal={"AWS": ROLE}),
        allow(Principal={"AWS": SRC}),
        deny(Sid="NoTags", Principal="*", Action="s3:ReplicateTags"),
        allow(Sid="Org", Principal="*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),
    )
    result = pe.evaluate_policy(document, request(), "resource")
    assert result["allowed_by"] == ["Sid Direct"]
    assert result["delegated_by"] == ["statement 2"]
    assert result["denied_by"] == []
    assert result["uncertain"][0]["statement"] == "Sid Org" and result["uncertain"][0]["effect"] == "Allow"
    assert pe.evaluate_policy(document, request("s3:ReplicateTags"), "resource")["denied_by"] == ["Sid NoTags"]


def test_evaluate_policy_accepts_none_and_a_single_statement():
    assert pe.evaluate_policy(None, request()) == {"allowed_by": [], "delegated_by": [], "denied_by": [], "uncertain": []}
    single = {"Statement": allow()}
    assert pe.evaluate_policy(single, request(), "identity")["allowed_by"] == ["statement 1"]


# --- authorize: how AWS combines the documents ---


IDENTITY = doc(allow(Action=["s3:Replicate*"]))
BUCKET_POLICY = doc(allow(Principal={"AWS": ROLE}))


def _decision(identity, resource, resource_account=DST, kind=pe.BUCKET, **kwargs):
    return pe.authorize(request(**kwargs.pop("request", {})) if kind != pe.KEY else kms_request(), identity, resource, resource_account, kind, **kwargs)


def test_cross_account_needs_both_sides():
    assert _decision([IDENTITY], BUCKET_POLICY)["decision"] == pe.ALLOW
    assert _decision([IDENTITY], None)["decision"] == pe.IMPLICIT_DENY
    assert _decision([], BUCKET_POLICY)["decision"] == pe.IMPLICIT_DENY


def test_cross_account_resource_policy_may_name_the_account():
    result = _decision([IDENTITY], doc(allow(Principal={"AWS": f"arn:aws:iam::{SRC}:root"})))
    assert result["decision"] == pe.ALLOW and result["resource"] == "delegate"


def test_same_account_either_side_suffices():
    assert _decision([IDENTITY], None, resource_account=SRC)["decision"] == pe.ALLOW
    assert _decision([], BUCKET_POLICY, resource_account=SRC)["decision"] == pe.ALLOW
    # Naming one's own account in a bucket policy hands the decision to IAM.
    assert _decision([], doc(allow(Principal={"AWS": SRC})), resource_account=SRC)["decision"] == pe.IMPLICIT_DENY


def test_explicit_deny_wins_everywhere():
    denying_bucket = doc(allow(Principal={"AWS": ROLE}), deny(Principal="*"))
    assert _decision([IDENTITY], denying_bucket)["decision"] == pe.DENY
    assert _decision([IDENTITY, doc(deny())], BUCKET_POLICY)["decision"] == pe.DENY
    assert _decision([doc(deny())], BUCKET_POLICY, resource_account=SRC)["decision"] == pe.DENY


def test_identity_policies_by_name_label_statements():
    result = pe.authorize(request(), {"inline policy p": doc(deny(Sid="No"))}, BUCKET_POLICY, DST)
    assert result["identity_statements"]["denied_by"] == ["inline policy p: Sid No"]


def test_permissions_boundary_limits_and_denies():
    boundary_without = doc(allow(Action="s3:GetObject"))
    assert _decision([IDENTITY], BUCKET_POLICY, boundary=boundary_without)["decision"] == pe.IMPLICIT_DENY
    assert _decision([IDENTITY], BUCKET_POLICY, boundary=doc(allow(Action="s3:*")))["decision"] == pe.ALLOW
    assert _decision([IDENTITY], BUCKET_POLICY, boundary=doc(allow(Action="s3:*"), deny()))["decision"] == pe.DENY


KEY_DIRECT = doc({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Encrypt", "Resource": "*"})
KEY_DELEGATES = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:root"}, "Action": "kms:*", "Resource": "*"})
KEY_OWN_ROOT = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DST}:root"}, "Action": "kms:*", "Resource": "*"})
IDENTITY_KMS = doc({"Effect": "Allow", "Action": "kms:Encrypt", "Resource": KEY})


def _key(identity, key_policy, key_account=DST, grants=()):
    return pe.authorize(kms_request(), identity, key_policy, key_account, pe.KEY, grants=grants,
                        encryption_context={"aws:s3:arn": "arn:aws:s3:::stats-data-tgt"})["decision"]


def test_kms_cross_account():
    assert _key([IDENTITY_KMS], KEY_DIRECT) == pe.ALLOW
    assert _key([IDENTITY_KMS], KEY_DELEGATES) == pe.ALLOW
    assert _key([IDENTITY_KMS], KEY_OWN_ROOT) == pe.IMPLICIT_DENY
    assert _key([], KEY_DIRECT) == pe.IMPLICIT_DENY


def test_kms_same_account_key_policy_is_the_door():
    assert _key([], KEY_DIRECT, key_account=SRC) == pe.ALLOW
    assert _key([IDENTITY_KMS], KEY_DELEGATES, key_account=SRC) == pe.ALLOW
    assert _key([], KEY_DELEGATES, key_account=SRC) == pe.IMPLICIT_DENY
    # Unlike S3, an IAM policy alone never opens a key whose policy does not delegate.
    assert _key([IDENTITY_KMS], doc(), key_account=SRC) == pe.IMPLICIT_DENY


GRANT = {"Name": "replication", "GranteePrincipal": ROLE, "Operations": ["Encrypt", "Decrypt"],
         "Constraints": {"EncryptionContextSubset": {"aws:s3:arn": "arn:aws:s3:::stats-data-tgt"}}}


def test_kms_grants():
    assert _key([IDENTITY_KMS], KEY_OWN_ROOT, grants=[GRANT]) == pe.ALLOW
    assert _key([], KEY_OWN_ROOT, key_account=SRC, grants=[GRANT]) == pe.ALLOW
    other_context = dict(GRANT, Constraints={"EncryptionContextEquals": {"aws:s3:arn": "arn:aws:s3:::other"}})
    assert _key([IDENTITY_KMS], KEY_OWN_ROOT, grants=[other_context]) == pe.IMPLICIT_DENY
    assert _key([IDENTITY_KMS], KEY_OWN_ROOT, grants=[dict(GRANT, Operations=["Decrypt"])]) == pe.IMPLICIT_DENY
    assert _key([IDENTITY_KMS], KEY_OWN_ROOT, grants=[dict(GRANT, GranteePrincipal=f"arn:aws:iam::{SRC}:role/x")]) == pe.IMPLICIT_DENY


def test_grant_constraints():
    req = kms_request()
    assert pe.grant_allows(dict(GRANT, Constraints=None), req, {})
    assert pe.grant_allows(dict(GRANT, Constraints={"EncryptionContextEquals": {"aws:s3:arn": "x"}}), req, {"aws:s3:arn": "x"})
    assert not pe.grant_allows(dict(GRANT, Constraints={"EncryptionContextEquals": {"aws:s3:arn": "x"}}), req, {"aws:s3:arn": "x", "b": "c"})
    assert not pe.grant_allows(GRANT, req, {"aws:s3:arn": "arn:aws:s3:::other"})


def test_trust_policy():
    service = pe.make_request("sts:AssumeRole", ROLE, service="s3.amazonaws.com", context={"aws:SourceAccount": SRC})
    trust = doc({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert pe.authorize(service, [], trust, SRC, pe.TRUST)["decision"] == pe.ALLOW
    misspelt = doc({"Effect": "Allow", "Principal": {"Service": "s3:amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert pe.authorize(service, [], misspelt, SRC, pe.TRUST)["decision"] == pe.IMPLICIT_DENY
    hardened = doc(dict(trust["Statement"][0], Condition={"StringEquals": {"aws:SourceAccount": DST}}))
    assert pe.authorize(service, [], hardened, SRC, pe.TRUST)["decision"] == pe.IMPLICIT_DENY


def test_uncertain_statements_are_reported_per_side():
    identity = doc(allow(Action="s3:Replicate*", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    resource = doc(allow(Principal={"AWS": ROLE}), deny(Principal="*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}}))
    result = pe.authorize(request(), [identity], resource, DST)
    assert result["decision"] == pe.IMPLICIT_DENY
    assert result["identity_statements"]["uncertain"][0]["effect"] == "Allow"
    assert result["resource_statements"]["uncertain"][0]["effect"] == "Deny"
    assert len(result["uncertain"]) == 2
