# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS's document quotas: the table, the sizing, and the planner's check on the estate the writes leave."""

import json
import os
import re

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.touched_documents import touched_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas
from test_replication_plan import DST
from test_replication_plan import DST_ACCOUNT
from test_replication_plan import DST_KEY
from test_replication_plan import SRC
from test_replication_plan import SRC_ACCOUNT
from test_replication_plan import SRC_KEY
from test_replication_plan import account
from test_replication_plan import bucket
from test_replication_plan import converge
from test_replication_plan import hosts
from test_replication_plan import key
from test_replication_plan import missing_role
from test_replication_plan import pair_vars
from test_replication_plan import plan_run

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CENTRAL = "central-data"


def test_iam_counts_characters_without_whitespace_and_s3_kms_count_compact_bytes():
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
    pretty = json.dumps(document, indent=4)
    compact = json.dumps(document, separators=(",", ":"))
    assert quotas.iam_size(pretty) == quotas.iam_size(document) == len(compact)
    assert quotas.document_bytes(pretty) == quotas.document_bytes(document) == len(compact)
    # A non-ASCII character is sent escaped (\u00e9: 6 bytes); IAM still counts what it receives.
    accented = {"Sid": "caf\u00e9"}
    assert quotas.document_bytes(accented) == len('{"Sid":"caf\\u00e9"}')


@pytest.mark.parametrize("row", quotas.QUOTAS, ids=lambda row: row.id)
def test_each_row_is_complete(row):
    assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", row.id)
    assert row.counting in (quotas.IAM_CHARACTERS, quotas.BYTES, quotas.COUNT)
    assert row.limit > 0 and row.error_code and row.error_message and row.http_status in (400, 409)
    assert row.wording in (quotas.AWS, quotas.OURS) and row.source and row.fix


def test_docs_table_lists_the_python_rows_in_order():
    with open(os.path.join(ROOT, "docs", "quotas.md"), encoding="utf-8") as handle:
        ids = re.findall(r"^\| `([a-z0-9-]+)` \|", handle.read(), flags=re.MULTILINE)
    assert ids == [row.id for row in quotas.QUOTAS]


def _spec(number, role_name=policy_model.DEFAULT_ROLE_NAME):
    return {
        "source": {"account_id": SRC, "bucket": f"src{number:02d}-data", "kms_key_arn": SRC_KEY, "region": "us-east-1", "bucket_key_enabled": False},
        "destination": {"account_id": DST, "bucket": CENTRAL, "kms_key_arn": DST_KEY, "region": "us-east-1", "bucket_key_enabled": True},
        "role_name": role_name,
    }


def _role(name, inline_policies):
    return dict(missing_role(name), exists=True, arn=f"arn:aws:iam::{SRC}:role/{name}", inline_policies=inline_policies,
                trust_policy=policy_model.replication_policies(_spec(1, name))["trust_policy"])


def test_thirty_pairs_sharing_a_role_with_a_policy_each_are_over_the_role_quota():
    documents = [policy_model.replication_policies(_spec(number)) for number in range(1, 31)]
    role = _role(policy_model.DEFAULT_ROLE_NAME, {d["role_policy_name"]: d["role_policy"] for d in documents})
    size = quotas.role_inline_size(role)
    assert 30 * 1200 < size < 30 * 1400
    problems = quotas.quota_problems({SRC_ACCOUNT: account(SRC, roles=[role])}, [(SRC_ACCOUNT, quotas.ROLE, policy_model.DEFAULT_ROLE_NAME)])
    assert len(problems) == 1
    assert problems[0].startswith(f"quota role-inline-policies (account {SRC}, IAM role s3-replication-role)")
    assert f"{size:,} characters without whitespace, over AWS's 10,240" in problems[0] and "30 inline policies" in problems[0]
    assert "LimitExceeded" in problems[0] and "replication_role_name" in problems[0]


def test_eight_pairs_fit_and_the_ninth_does_not_like_on_aws():
    sizes = [quotas.iam_size(policy_model.replication_policies(_spec(number))["role_policy"]) for number in range(1, 10)]
    assert sum(sizes[:8]) <= 10240 < sum(sizes)


def test_other_teams_inline_policies_count_against_the_same_role():
    ours = policy_model.replication_policies(_spec(1))
    statements = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::team-{n:04d}/*"} for n in range(300)]
    theirs = {"Version": "2012-10-17", "Statement": statements}
    role = _role(policy_model.DEFAULT_ROLE_NAME, {"other-team": theirs, ours["role_policy_name"]: ours["role_policy"]})
    problems = quotas.quota_problems({SRC_ACCOUNT: account(SRC, roles=[role])}, [(SRC_ACCOUNT, quotas.ROLE, role["name"])])
    assert len(problems) == 1 and f"this collection's {quotas.iam_size(ours['role_policy']):,}, other-team " in problems[0]
    alone = _role(policy_model.DEFAULT_ROLE_NAME, {ours["role_policy_name"]: ours["role_policy"]})
    assert quotas.quota_problems({SRC_ACCOUNT: account(SRC, roles=[alone])}, [(SRC_ACCOUNT, quotas.ROLE, role["name"])]) == []


def test_an_untouched_document_over_its_quota_is_not_ours_to_refuse():
    statements = [{"Sid": f"Team{n}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:role/r{n}"}, "Action": "s3:GetObject",
                   "Resource": f"arn:aws:s3:::{CENTRAL}/team-{n}/*"} for n in range(200)]
    central = bucket(CENTRAL, policy={"Version": "2012-10-17", "Statement": statements})
    predicted = {DST_ACCOUNT: account(DST, buckets=[central])}
    assert quotas.quota_problems(predicted, [(DST_ACCOUNT, quotas.REPLICATION, CENTRAL)]) == []
    [problem] = quotas.quota_problems(predicted, [(DST_ACCOUNT, quotas.BUCKET_POLICY, CENTRAL)])
    assert f"bucket policy of {CENTRAL}" in problem and "200 statements" in problem and "over AWS's 20,480" in problem


def test_key_policy_trust_policy_managed_policies_and_rules_have_their_own_quotas():
    principal_statements = [{"Sid": f"S{n}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:role/replication-role-{n:03d}"},
                             "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"} for n in range(250)]
    big_key = key(DST_KEY, policy={"Version": "2012-10-17", "Statement": principal_statements})
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{SRC}:role/caller-{n:03d}" for n in range(60)]},
                                                     "Action": "sts:AssumeRole"}]}
    role = dict(_role("r", {}), trust_policy=trust,
                managed_policies=[{"arn": f"arn:aws:iam::{SRC}:policy/p{n}", "name": f"p{n}", "document": {"Statement": []}} for n in range(11)])
    rules = [{"ID": f"r{n}", "Priority": n, "Status": "Enabled"} for n in range(1001)]
    predicted = {SRC_ACCOUNT: account(SRC, buckets=[bucket("src", replication={"Role": "x", "Rules": rules})], roles=[role]),
                 DST_ACCOUNT: account(DST, keys=[big_key])}
    touched = [(DST_ACCOUNT, quotas.KEY_POLICY, DST_KEY), (SRC_ACCOUNT, quotas.ROLE, "r"), (SRC_ACCOUNT, quotas.REPLICATION, "src")]
    problems = quotas.quota_problems(predicted, touched)
    assert [problem.split(" ")[1] for problem in problems] == ["key-policy", "trust-policy", "managed-policies-per-role", "replication-rules"]
    assert "key_access: grant" in problems[0] and "1,001" in problems[3]


# --- on what the planner writes today ---------------------------------------------------------------


def _fan_in_estate(count):
    source = account(SRC, [bucket(f"src{n}-data") for n in range(count)], [missing_role()] + [missing_role(f"role-{n:02d}") for n in range(count)],
                     [key(SRC_KEY)])
    destination = account(DST, [bucket(CENTRAL, exists=False)], [], [key(DST_KEY)])
    return {SRC_ACCOUNT: source, DST_ACCOUNT: destination}


def _fan_in_vars(count, own_roles):
    variables = []
    for n in range(count):
        pair = pair_vars(n, **({"replication_role_name": f"role-{n:02d}"} if own_roles else {}))
        pair["replication_destination"] = dict(pair["replication_destination"], bucket=CENTRAL)
        variables.append(pair)
    return hosts(*variables)


def test_the_planner_touches_each_shared_document_once():
    read = _fan_in_estate(3)
    _stage, plan = plan_run(_fan_in_vars(3, own_roles=False), read)
    touched = touched_documents(plan["writes"])
    assert len(touched) == len(set(touched))
    assert set(touched_documents(plan["writes"])) == {
        (SRC_ACCOUNT, quotas.ROLE, "s3-replication-role"), (DST_ACCOUNT, quotas.BUCKET_POLICY, CENTRAL), (DST_ACCOUNT, quotas.KEY_POLICY, DST_KEY),
        (SRC_ACCOUNT, quotas.REPLICATION, "src0-data"), (SRC_ACCOUNT, quotas.REPLICATION, "src1-data"), (SRC_ACCOUNT, quotas.REPLICATION, "src2-data")}


def sizes(plan, read):
    """The shared documents as the plan leaves them, sized as AWS counts them."""
    after = converge(plan, read)
    roles = after[SRC_ACCOUNT]["roles"]
    return {
        "roles": {name: quotas.role_inline_size(role) for name, role in roles.items() if role.get("exists")},
        "bucket policy": quotas.document_bytes(after[DST_ACCOUNT]["buckets"][CENTRAL]["policy"]),
        "key policy": quotas.document_bytes(next(iter(after[DST_ACCOUNT]["keys"].values()))["policy"]),
    }


def test_thirty_pairs_sharing_a_role_into_one_bucket_fit_packed():
    read = _fan_in_estate(30)
    _stage, plan = plan_run(_fan_in_vars(30, own_roles=False), read)
    assert plan["refused"] == {} and plan["writes"]
    measured = sizes(plan, read)
    assert measured["roles"]["s3-replication-role"] <= 10_240 and measured["bucket policy"] <= 20_480 and measured["key policy"] <= 32_768


def test_sixty_roles_into_one_bucket_fit_packed():
    read = _fan_in_estate(60)
    _stage, plan = plan_run(_fan_in_vars(60, own_roles=True), read)
    assert plan["refused"] == {} and plan["writes"]
    measured = sizes(plan, read)
    assert len(measured["roles"]) == 60 and max(measured["roles"].values()) <= 10_240
    assert measured["bucket policy"] <= 20_480 and measured["key policy"] <= 32_768


def test_a_role_past_its_quota_even_packed_refuses_the_whole_run_before_any_write():
    read = _fan_in_estate(150)
    _stage, plan = plan_run(_fan_in_vars(150, own_roles=False), read)
    assert plan["writes"] == [] and plan["account_writes"] == {} and plan["phases"]["roles"] == {} and len(plan["refused"]) == 150
    for problems in plan["refused"].values():
        assert len(problems) == 1 and problems[0].startswith("refused before any write: quota role-inline-policies")
        assert "IAM role s3-replication-role" in problems[0] and "over AWS's 10,240" in problems[0] and "replication_role_name" in problems[0]


def test_other_teams_statements_count_and_a_bucket_policy_they_nearly_fill_refuses_the_run():
    read = _fan_in_estate(2)
    theirs = {"Version": "2012-10-17", "Statement": []}
    while quotas.document_bytes(theirs) < 20_300:
        number = len(theirs["Statement"])
        theirs["Statement"].append({"Sid": f"OtherTeam{number:03d}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DST}:root"},
                                    "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{CENTRAL}/team-{number:03d}/*"})
    read[DST_ACCOUNT]["buckets"][CENTRAL] = bucket(CENTRAL, policy=theirs)
    _stage, plan = plan_run(_fan_in_vars(2, own_roles=False), read)
    assert plan["writes"] == [] and len(plan["refused"]) == 2
    problems = next(iter(plan["refused"].values()))
    assert [problem.split(" ")[5] for problem in problems] == ["bucket-policy"]
    assert f"account {DST}, bucket policy of {CENTRAL}" in problems[0] and "over AWS's 20,480" in problems[0]


def test_eight_pairs_sharing_a_role_pass():
    read = _fan_in_estate(8)
    _stage, plan = plan_run(_fan_in_vars(8, own_roles=False), read)
    assert plan["refused"] == {} and plan["writes"]
    assert quotas.quota_problems(converge(plan, read), touched_documents(plan["writes"])) == []
