# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner packs the documents pairs share so an estate fits AWS's quotas, and migrates what earlier versions wrote."""

import copy
import json

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
from test_replication_plan import plan_run
from test_replication_plan import two_way_estate
from test_replication_plan import two_way_pair

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import planner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.common import PHASES
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import packing
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import shared
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import validated

ROLE_QUOTA, BUCKET_QUOTA, KEY_QUOTA = 10240, 20480, 32768
CENTRAL = "central-data"


def fan_in_vars(count, role_each=False):
    variables = []
    for n in range(count):
        pair = {"replication_source": {"account_id": SRC, "bucket": f"fanin-src-{n:02d}", "kms_key_arn": SRC_KEY, "region": "us-east-1", "profile": "prod"},
                "replication_destination": {"account_id": DST, "bucket": CENTRAL, "kms_key_arn": DST_KEY, "region": "us-east-1", "profile": "analytics"}}
        if role_each:
            pair["replication_role_name"] = f"replication-role-{n:02d}"
        variables.append(pair)
    return hosts(*variables)


def fan_in_estate(count, role_each=False):
    roles = [missing_role(f"replication-role-{n:02d}") for n in range(count)] if role_each else [missing_role()]
    source = account(SRC, [bucket(f"fanin-src-{n:02d}") for n in range(count)], roles, [key(SRC_KEY)])
    destination = account(DST, [bucket(CENTRAL)], [], [key(DST_KEY)])
    return {SRC_ACCOUNT: source, DST_ACCOUNT: destination}


def iam_characters(document):
    """IAM counts a policy's characters without whitespace."""
    return len("".join(json.dumps(document).split()))


def compact_bytes(document):
    return len(json.dumps(document, separators=(",", ":")).encode("utf-8"))


def sizes(after, role_names):
    roles = after[SRC_ACCOUNT]["roles"]
    return {
        "role": max(sum(iam_characters(doc) for doc in roles[name]["inline_policies"].values()) for name in role_names),
        "bucket": compact_bytes(after[DST_ACCOUNT]["buckets"][CENTRAL]["policy"]),
        "key": compact_bytes(after[DST_ACCOUNT]["keys"][DST_KEY]["policy"]),
    }


def test_thirty_sources_sharing_a_role_into_one_bucket_and_key_fit_far_below_the_quotas():
    variables, read = fan_in_vars(30), fan_in_estate(30)
    _stage, plan = plan_run(variables, read)
    after = converge(plan, read)
    role = after[SRC_ACCOUNT]["roles"]["s3-replication-role"]
    assert list(role["inline_policies"]) == [shared.ROLE_POLICY_NAME]
    bucket_statements = after[DST_ACCOUNT]["buckets"][CENTRAL]["policy"]["Statement"]
    assert len(bucket_statements) == 2 and all(s["Principal"] == {"AWS": f"arn:aws:iam::{SRC}:role/s3-replication-role"} for s in bucket_statements)
    measured = sizes(after, ["s3-replication-role"])
    print(f"30 pairs sharing a role: role inline policy {measured['role']} characters (quota {ROLE_QUOTA}), "
          f"bucket policy {measured['bucket']} bytes (quota {BUCKET_QUOTA}), key policy {measured['key']} bytes (quota {KEY_QUOTA})")
    assert measured["role"] < ROLE_QUOTA / 2 and measured["bucket"] < BUCKET_QUOTA / 10 and measured["key"] < KEY_QUOTA / 10
    assert plan["verdicts"] == {}
    _stage, again = plan_run(variables, after)
    assert again["writes"] == []


def test_sixty_sources_with_a_role_each_into_one_bucket_and_key_list_their_roles_in_one_statement_per_action_set():
    variables, read = fan_in_vars(60, role_each=True), fan_in_estate(60, role_each=True)
    _stage, plan = plan_run(variables, read)
    after = converge(plan, read)
    bucket_statements = after[DST_ACCOUNT]["buckets"][CENTRAL]["policy"]["Statement"]
    assert len(bucket_statements) == 2 and all(len(s["Principal"]["AWS"]) == 60 for s in bucket_statements)
    key_statements = [s for s in after[DST_ACCOUNT]["keys"][DST_KEY]["policy"]["Statement"] if shared.is_our_sid(s.get("Sid"))]
    assert len(key_statements) == 1 and len(key_statements[0]["Principal"]["AWS"]) == 60
    measured = sizes(after, [f"replication-role-{n:02d}" for n in range(60)])
    print(f"60 pairs with a role each: largest role inline policy {measured['role']} characters (quota {ROLE_QUOTA}), "
          f"bucket policy {measured['bucket']} bytes (quota {BUCKET_QUOTA}), key policy {measured['key']} bytes (quota {KEY_QUOTA})")
    assert measured["bucket"] < BUCKET_QUOTA / 2 and measured["key"] < KEY_QUOTA / 4
    _stage, again = plan_run(variables, after)
    assert again["writes"] == []


def earlier_versions_estate(count):
    """The estate as earlier versions left it: one inline policy per pair, per-role statements in the bucket and key policies."""
    variables, read = fan_in_vars(count), fan_in_estate(count)
    stage = planner.plan_pairs(variables, "replicate")
    _stage, plan = plan_run(variables, read)
    estate = converge(plan, read)
    role = estate[SRC_ACCOUNT]["roles"]["s3-replication-role"]
    documents = [pair["documents"] for pair in stage["pairs"]]
    role["inline_policies"] = {d["role_policy_name"]: d["role_policy"] for d in documents}
    estate[DST_ACCOUNT]["buckets"][CENTRAL]["policy"] = {"Version": "2012-10-17",
                                                         "Statement": [s for d in documents[:1] for s in d["destination_bucket_statements"]]}
    key_policy = estate[DST_ACCOUNT]["keys"][DST_KEY]["policy"]
    key_policy["Statement"] = key_policy["Statement"][:1] + [documents[0]["destination_key_statement"]]
    return variables, estate, documents


def test_what_earlier_versions_wrote_is_migrated_in_one_run_without_the_role_losing_access_between_phases():
    variables, estate, documents = earlier_versions_estate(7)
    _stage, plan = plan_run(variables, estate)
    assert plan["verdicts"] == {}
    role_write = next(w for w in plan["writes"] if w["module"] == "s3_replication_role")
    writer = WRITERS["s3_replication_role"]
    role_plan = writer.plan(validated(writer, role_write["args"]), writer.state_from_facts(estate[SRC_ACCOUNT], validated(writer, role_write["args"])))
    # Within the role write, every step leaves the role every grant the per-pair policies gave (IAM applies the calls in order).
    policies = dict(estate[SRC_ACCOUNT]["roles"]["s3-replication-role"]["inline_policies"])
    needed = packing.atoms([s for pair in plan["pairs"] for s in pair["documents"]["role_policy"]["Statement"]])
    peak = 0
    for action, name, document in role_plan["changes"]["policies"]:
        policies.pop(name) if action == "delete" else policies.__setitem__(name, document)
        assert needed <= packing.atoms([s for doc in policies.values() for s in doc["Statement"]]), (action, name)
        peak = max(peak, sum(iam_characters(doc) for doc in policies.values()))
    assert list(policies) == [shared.ROLE_POLICY_NAME]
    start = sum(iam_characters(d["role_policy"]) for d in documents)
    print(f"migration of {len(documents)} per-pair policies ({start} characters): at most {peak} characters on the role in between")
    assert peak <= ROLE_QUOTA and peak < start + 300
    # After each phase (roles, destinations, rules) the doctor finds nothing wrong: the role never loses access.
    for count in range(1, len(PHASES) + 1):
        done = [w for w in plan["writes"] if w["phase"] in PHASES[:count]]
        assert planner.verdicts(_pairs(variables), planner.predicted_facts(done, estate)) == {}, PHASES[count - 1]
    after = converge(plan, estate)
    assert list(after[SRC_ACCOUNT]["roles"]["s3-replication-role"]["inline_policies"]) == [shared.ROLE_POLICY_NAME]
    old_sids = {s["Sid"] for s in documents[0]["destination_bucket_statements"]} | {documents[0]["destination_key_statement"]["Sid"]}
    left = after[DST_ACCOUNT]["buckets"][CENTRAL]["policy"]["Statement"] + after[DST_ACCOUNT]["keys"][DST_KEY]["policy"]["Statement"]
    assert not old_sids & {s.get("Sid") for s in left}
    _stage, again = plan_run(variables, after)
    assert again["writes"] == []


def test_teardown_of_one_pair_leaves_the_others_of_the_shared_role_bucket_and_key_working():
    variables, read = fan_in_vars(3, role_each=True), fan_in_estate(3, role_each=True)
    _stage, plan = plan_run(variables, read)
    after = converge(plan, read)
    _stage, teardown = plan_run(variables[:1], after, "teardown")
    torn = converge(teardown, after)
    principals = [s["Principal"]["AWS"] for s in torn[DST_ACCOUNT]["buckets"][CENTRAL]["policy"]["Statement"]]
    gone = f"arn:aws:iam::{SRC}:role/replication-role-00"
    assert principals and all(gone not in p and len(p) == 2 for p in principals)
    assert torn[SRC_ACCOUNT]["roles"]["replication-role-00"]["exists"] is False
    _stage, again = plan_run(variables[1:], torn)
    assert again["writes"] == [] and again["verdicts"] == {}
    _stage, rest = plan_run(variables[1:], torn, "teardown")
    empty = converge(rest, torn)
    assert empty[DST_ACCOUNT]["buckets"][CENTRAL]["policy"] is None
    assert [s["Sid"] for s in empty[DST_ACCOUNT]["keys"][DST_KEY]["policy"]["Statement"]] == ["Enable IAM User Permissions"]


def test_a_role_shared_by_two_runs_keeps_the_other_runs_grants_through_replicate_and_teardown():
    variables, read = fan_in_vars(4), fan_in_estate(4)
    first, second = variables[:2], variables[2:]
    _stage, plan = plan_run(first, read)
    after = converge(plan, read)
    _stage, plan = plan_run(second, after)
    after = converge(plan, after)
    _stage, again = plan_run(first, after)
    assert again["writes"] == [] and again["verdicts"] == {}
    _stage, teardown = plan_run(second, after, "teardown")
    torn = converge(teardown, after)
    _stage, again = plan_run(first, torn)
    assert again["verdicts"] == {}
    role = torn[SRC_ACCOUNT]["roles"]["s3-replication-role"]
    assert role["exists"] and "fanin-src-03" not in json.dumps(role["inline_policies"]) and "fanin-src-00" in json.dumps(role["inline_policies"])


def _pairs(variables):
    return planner.plan_pairs(copy.deepcopy(variables), "replicate")["pairs"]


def test_teardown_without_the_backfill_variables_takes_the_batch_grants_out_of_the_packed_batch_policy():
    variables, read = fan_in_vars(2), fan_in_estate(2)
    _stage, plan = plan_run(variables, read)
    after = converge(plan, read)
    backfill = [(host, dict(values, replication_backfill={"report_bucket": "reports-data"})) for host, values in variables]
    _stage, plan = plan_run(backfill, after, "backfill")
    after = converge(plan, after)
    batch = after[SRC_ACCOUNT]["roles"]["s3-replication-role"]["inline_policies"][shared.BATCH_POLICY_NAME]
    assert "fanin-src-00" in json.dumps(batch) and "fanin-src-01" in json.dumps(batch)
    _stage, teardown = plan_run(variables[:1], after, "teardown")
    kept = converge(teardown, after)[SRC_ACCOUNT]["roles"]["s3-replication-role"]["inline_policies"][shared.BATCH_POLICY_NAME]
    assert "fanin-src-00" not in json.dumps(kept) and "fanin-src-01" in json.dumps(kept) and "reports-data" in json.dumps(kept)
    _stage, teardown = plan_run(variables, after, "teardown")
    gone = converge(teardown, after)[SRC_ACCOUNT]["roles"]["s3-replication-role"]
    assert gone["exists"] is False


def test_teardown_finds_our_shared_statements_without_knowing_the_buckets_bucket_key_settings():
    """teardown.yml does not read the buckets' encryption, on which the shared Sids and KMS conditions depend."""
    read = two_way_estate()
    _stage, plan = plan_run(two_way_pair(), read)
    after = converge(plan, read)
    unread = copy.deepcopy(after)
    for facts in unread.values():
        for found in facts["buckets"].values():
            found["encryption"] = None
    _stage, teardown = plan_run(two_way_pair(), unread, "teardown")
    torn = converge(teardown, unread)
    ours = [s["Sid"] for facts in torn.values() for found in facts["keys"].values() for s in (found.get("policy") or {}).get("Statement", [])
            if shared.is_our_sid(s.get("Sid"))]
    assert ours == []
