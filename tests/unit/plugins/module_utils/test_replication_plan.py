# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planner: pairs and accounts from the variables, then every write from what the accounts hold.

Facts are built in the shape s3_replication_info returns; ``converge`` applies planned writes to them
with each writer's own plan, so "the second run plans nothing" is tested, not assumed.
"""


import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import planner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import packing

SRC, DST, THIRD = "211258069784", "880161310235", "444455556666"
SRC_KEY = f"arn:aws:kms:us-east-1:{SRC}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DST_KEY = f"arn:aws:kms:us-east-1:{DST}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
THIRD_KEY = f"arn:aws:kms:us-east-1:{THIRD}:key/11111111-2222-3333-4444-555555555555"
ROLE = f"arn:aws:iam::{SRC}:role/s3-replication-role"
SRC_ACCOUNT, DST_ACCOUNT, THIRD_ACCOUNT = f"{SRC}/us-east-1", f"{DST}/us-east-1", f"{THIRD}/us-east-1"


def pair_vars(number="", **extra):
    variables = {
        "replication_source": {"account_id": SRC, "bucket": f"src{number}-data", "kms_key_arn": SRC_KEY, "region": "us-east-1", "profile": "prod"},
        "replication_destination": {"account_id": DST, "bucket": f"dst{number}-data", "kms_key_arn": DST_KEY, "region": "us-east-1", "profile": "analytics"},
    }
    variables.update(extra)
    return variables


def default_key_policy(account):
    return {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                                                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}]}


def key(arn, policy=None):
    account = arn.split(":")[4]
    return {"reference": arn, "exists": True, "errors": {}, "grants": [], "policy": policy or default_key_policy(account),
            "metadata": {"Arn": arn, "KeyId": arn.rsplit("/", 1)[1], "AWSAccountId": account, "KeyState": "Enabled", "KeyManager": "CUSTOMER",
                         "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}}


def bucket(name, exists=True, **attributes):
    facts = {"name": name, "exists": exists, "region": "us-east-1" if exists else None, "errors": {}, "versioning": None, "encryption": None,
             "object_ownership": None, "object_lock": None, "policy": None, "replication": None, "has_objects": None}
    if exists:
        facts.update(versioning="Disabled", encryption={"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False},
                     object_ownership="BucketOwnerEnforced")
    facts.update(attributes)
    return facts


def account(account_id, buckets=(), roles=(), keys=()):
    return {"account_id": account_id, "caller_arn": f"arn:aws:sts::{account_id}:assumed-role/admin/s", "region": "us-east-1",
            "buckets": {b["name"]: b for b in buckets}, "roles": {r["name"]: r for r in roles}, "keys": {k["reference"]: k for k in keys}}


def missing_role(name="s3-replication-role"):
    return {"name": name, "exists": False, "arn": None, "path": None, "description": None, "trust_policy": None, "inline_policies": {},
            "managed_policies": [], "permissions_boundary": None, "errors": {}}


def fresh_estate(pairs=("",), destination_exists=False):
    source = account(SRC, [bucket(f"src{n}-data") for n in pairs], [missing_role()], [key(SRC_KEY)])
    destination = account(DST, [bucket(f"dst{n}-data", exists=destination_exists) for n in pairs], [], [key(DST_KEY)])
    return {SRC_ACCOUNT: source, DST_ACCOUNT: destination}


def hosts(*variables):
    return [(f"pair-{index:02d}", v) for index, v in enumerate(variables, 1)]


def one_pair(**extra):
    return [("localhost", pair_vars(**extra))]


def written(plan):
    return sorted((write["account"], write["phase"], write["module"]) for write in plan["writes"])


def converge(plan, read):
    """The facts after the plan's writes, each applied with its writer's own plan (what the module would write)."""
    return planner.predicted_facts(plan["writes"], read)


def plan_run(host_variables, read, playbook="replicate", limited=False):
    stage = planner.plan_pairs(host_variables, playbook, limited)
    return stage, planner.plan_writes(stage, read)


# --- stage 1 ---------------------------------------------------------------------------------------


def test_one_pair_reads_each_account_once_with_its_credentials():
    stage = planner.plan_pairs(one_pair())
    assert stage["refused"] == {}
    assert sorted(stage["accounts"]) == [SRC_ACCOUNT, DST_ACCOUNT]
    source = stage["accounts"][SRC_ACCOUNT]
    assert source["credentials"] == {"profile": "prod"}
    assert source["read"] == {"buckets": ["src-data"], "roles": ["s3-replication-role"], "kms_keys": [SRC_KEY],
                              "bucket_attributes": ["versioning", "encryption", "object_lock", "replication"], "include_bucket_keys": False}
    assert stage["accounts"][DST_ACCOUNT]["read"]["buckets"] == ["dst-data"]
    assert stage["workers"] == {"aws-211258069784-us-east-1": {"accounts": [SRC_ACCOUNT], "added": True},
                                "aws-880161310235-us-east-1": {"accounts": [DST_ACCOUNT], "added": True}}


def test_twenty_pairs_in_two_accounts_are_two_reads():
    stage = planner.plan_pairs(hosts(*[pair_vars(n) for n in range(20)]))
    assert sorted(stage["accounts"]) == [SRC_ACCOUNT, DST_ACCOUNT]
    assert len(stage["accounts"][SRC_ACCOUNT]["read"]["buckets"]) == 20
    assert stage["accounts"][SRC_ACCOUNT]["read"]["roles"] == ["s3-replication-role"]
    assert stage["accounts"][DST_ACCOUNT]["read"]["kms_keys"] == [DST_KEY]


def test_under_limit_the_pairs_own_hosts_do_the_accounts_work():
    stage = planner.plan_pairs(hosts(pair_vars(1)), limited=True)
    assert stage["workers"] == {"pair-01": {"accounts": [SRC_ACCOUNT, DST_ACCOUNT], "added": False}}


def test_fan_out_is_one_pair_per_destination_with_the_users_labels():
    third = {"account_id": THIRD, "bucket": "third-data", "kms_key_arn": THIRD_KEY, "region": "us-east-1", "profile": "third", "rules": [{"id": "t"}]}
    variables = {"replication_source": pair_vars()["replication_source"], "replication_destinations": [pair_vars()["replication_destination"], third]}
    stage = planner.plan_pairs([("fan", variables)])
    assert [pair["name"] for pair in stage["pairs"]] == ["fan[0]", "fan[1]"]
    assert stage["pairs"][1]["labels"]["destination"] == "replication_destinations[1]"
    assert [rule["id"] for rule in stage["pairs"][0]["rules"]] == ["to-dst-data"]
    assert sorted(stage["accounts"]) == [SRC_ACCOUNT, THIRD_ACCOUNT, DST_ACCOUNT]


@pytest.mark.parametrize("change, fragments", [
    (lambda v: v["replication_destination"].update(kms_key_arn=DST_KEY.replace(DST, SRC)),
     ["replication_destination.kms_key_arn", SRC, DST]),
    (lambda v: v.update(replication_role_name="bad role!"), ["replication_role_name", "bad role!"]),
    (lambda v: v["replication_destination"].update(bucket="src-data"), ["same bucket"]),
    (lambda v: v.update(replication_rules=[{"id": "a"}, {"id": "a"}]), ["replication_rules", "own id", "a, a"]),
    (lambda v: v.update(replication_rules=[{"id": "a", "priority": 2}, {"id": "b", "priority": 2}]), ["share a priority", "2"]),
    (lambda v: v.update(replication_rules=[{"id": "a", "filter": {"tags": {"t": "v"}}, "delete_marker_replication": True}]),
     ["rule 'a'", "delete_marker_replication", "tag"]),
    (lambda v: v.update(replication_rule=[{"id": "a"}]), ["replication_rule is not a variable", "did you mean replication_rules?"]),
    (lambda v: (v["replication_source"].pop("profile"), v["replication_source"].update(role_arn=f"arn:aws:iam::{SRC}:user/bob")),
     ["replication_source.role_arn", "user/bob"]),
])
def test_bad_variables_refuse_the_pair_with_the_users_names(change, fragments):
    variables = pair_vars()
    change(variables)
    stage = planner.plan_pairs([("localhost", variables)])
    text = " | ".join(stage["refused"].get("localhost", []))
    assert stage["pairs"] == [] and stage["accounts"] == {}
    assert all(fragment in text for fragment in fragments), text


def test_a_refused_pair_does_not_stop_the_others():
    bad = pair_vars(2)
    bad["replication_destination"]["kms_key_arn"] = "alias/x"
    stage = planner.plan_pairs(hosts(pair_vars(1), bad))
    assert [pair["name"] for pair in stage["pairs"]] == ["pair-01"]
    assert list(stage["refused"]) == ["pair-02"]


def test_pairs_that_share_a_destination_bucket_must_agree_on_its_settings():
    first, second = pair_vars(1), pair_vars(2)
    second["replication_destination"]["bucket"] = "dst1-data"
    second["replication_destination"]["object_ownership"] = "ObjectWriter"
    stage = planner.plan_pairs(hosts(first, second))
    assert "pair-02" in stage["refused"]
    assert "object_ownership: 'BucketOwnerEnforced' / 'ObjectWriter'" in stage["refused"]["pair-02"][0]


def test_pairs_of_one_source_bucket_need_their_own_rule_ids():
    first, second = pair_vars(1), pair_vars(2)
    second["replication_source"]["bucket"] = "src1-data"
    stage = planner.plan_pairs(hosts(first, second))
    assert any("rule ids all-objects are also rules of pair pair-01" in problem for problem in stage["refused"]["pair-02"])


def test_one_account_is_acted_in_one_way_per_run():
    first, second = pair_vars(1), pair_vars(2)
    second["replication_source"]["profile"] = "src"
    stage = planner.plan_pairs(hosts(first, second))
    assert "profile 'src', but replication_source of pair pair-01 acts in it with profile 'prod'" in stage["refused"]["pair-02"][0]


# --- stage 2: refusals from the facts ----------------------------------------------------------


def test_credentials_of_another_account_are_refused_with_the_fix():
    read = fresh_estate()
    read[DST_ACCOUNT]["account_id"] = SRC
    _stage, plan = plan_run(one_pair(), read)
    message = plan["refused"]["localhost"][0]
    assert "replication_destination: the credentials from profile 'analytics' act in account 211258069784" in message
    assert "Fix replication_destination.account_id" in message
    assert plan["writes"] == []


def test_a_failed_read_refuses_the_pairs_of_that_account():
    read = fresh_estate()
    read[DST_ACCOUNT] = {"failed": True, "msg": "Unable to locate credentials"}
    _stage, plan = plan_run(one_pair(), read)
    assert "could not read account 880161310235 with profile 'analytics': Unable to locate credentials" in plan["refused"]["localhost"][0]


@pytest.mark.parametrize("change, fragments", [
    (lambda read: read[DST_ACCOUNT]["keys"][DST_KEY].update(exists=False), ["replication_destination.kms_key_arn", "no such key"]),
    (lambda read: read[SRC_ACCOUNT]["keys"][SRC_KEY]["metadata"].update(KeyState="Disabled"), ["replication_source.kms_key_arn", "Disabled"]),
    (lambda read: read[SRC_ACCOUNT]["buckets"]["src-data"].update(exists=False), ["replication_source.bucket", "does not exist"]),
])
def test_what_the_accounts_hold_can_refuse_a_pair_before_any_write(change, fragments):
    read = fresh_estate()
    change(read)
    _stage, plan = plan_run(one_pair(), read)
    text = " | ".join(plan["refused"]["localhost"])
    assert all(fragment in text for fragment in fragments), text
    assert plan["writes"] == []


def test_a_missing_destination_is_refused_when_it_must_not_be_created():
    variables = pair_vars()
    variables["replication_destination"]["create_bucket"] = False
    _stage, plan = plan_run([("localhost", variables)], fresh_estate())
    assert "replication_destination.create_bucket is false" in plan["refused"]["localhost"][0]


# --- stage 2: the writes ---------------------------------------------------------------------------


def test_a_fresh_pair_writes_each_document_once_in_three_phases():
    _stage, plan = plan_run(one_pair(), fresh_estate())
    assert written(plan) == [
        (SRC_ACCOUNT, "roles", "s3_replication_bucket"),
        (SRC_ACCOUNT, "roles", "s3_replication_role"),
        (SRC_ACCOUNT, "rules", "s3_replication_rule"),
        (DST_ACCOUNT, "destinations", "kms_key_access"),
        (DST_ACCOUNT, "destinations", "s3_bucket_policy_statement"),
        (DST_ACCOUNT, "destinations", "s3_replication_bucket"),
    ]
    destinations = plan["phases"]["destinations"]["aws-880161310235-us-east-1"][0]["writes"]
    assert [write["module"] for write in destinations] == ["s3_replication_bucket", "s3_bucket_policy_statement", "kms_key_access"]
    assert destinations[1]["pending"] is True and destinations[0]["group"] == destinations[1]["group"] == "bucket:dst-data"


def test_a_converged_estate_plans_no_write():
    _stage, plan = plan_run(one_pair(), fresh_estate())
    _stage, again = plan_run(one_pair(), converge(plan, fresh_estate()))
    assert again["writes"] == [] and again["refused"] == {}
    assert again["phases"] == {"roles": {}, "destinations": {}, "rules": {}, "jobs": {}}


def test_twenty_pairs_into_one_key_merge_into_one_key_policy_write_and_converge():
    variables = hosts(*[pair_vars(n) for n in range(20)])
    read = fresh_estate(range(20))
    _stage, plan = plan_run(variables, read)
    key_writes = [write for write in plan["writes"] if write["module"] == "kms_key_access" and write["args"]["mode"] == "policy"]
    assert len(key_writes) == 1
    # Packed: one statement per destination bucket (its encryption context), the role as principal, joined with what is there;
    # the per-pair Sids of earlier versions removed in the same write.
    statements = key_writes[0]["args"]["statements"]
    shared = [entry for entry in statements if entry.get("state", "present") == "present"]
    assert len(shared) == 20 and all(entry["merge_principals"] and entry["principals"] == [ROLE] for entry in shared)
    assert len([entry for entry in statements if entry.get("state") == "absent"]) == 20
    roles = [write for write in plan["writes"] if write["module"] == "s3_replication_role"]
    # One packed inline policy for the role's 20 pairs; the 20 per-pair policies of earlier versions deleted if there.
    policies = roles[0]["args"]["inline_policies"]
    assert len(roles) == 1 and [p["name"] for p in policies if p.get("state", "present") == "present"] == ["s3-crossaccount-replication"]
    assert len([p for p in policies if p.get("state") == "absent"]) == 20
    assert len(plan["phases"]["roles"]["aws-211258069784-us-east-1"]) == 1
    _stage, again = plan_run(variables, converge(plan, read))
    assert again["writes"] == []


def test_other_teams_statements_and_rules_survive_the_merge():
    read = fresh_estate(destination_exists=True)
    theirs = {"Sid": "OtherTeamRead", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{THIRD}:root"}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::dst-data/*"}
    read[DST_ACCOUNT]["buckets"]["dst-data"]["policy"] = {"Version": "2012-10-17", "Statement": [theirs]}
    their_rule = {"ID": "other-team", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "x/"}, "DeleteMarkerReplication": {"Status": "Disabled"},
                  "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}
    read[SRC_ACCOUNT]["buckets"]["src-data"]["replication"] = {"Role": ROLE, "Rules": [their_rule]}
    _stage, plan = plan_run(one_pair(), read)
    after = converge(plan, read)
    assert theirs in after[DST_ACCOUNT]["buckets"]["dst-data"]["policy"]["Statement"]
    rules = after[SRC_ACCOUNT]["buckets"]["src-data"]["replication"]["Rules"]
    assert [rule["ID"] for rule in rules] == ["other-team", "all-objects"] and rules[0] == their_rule and rules[1]["Priority"] == 2


def test_key_access_by_grant_creates_the_grant_and_removes_our_statement():
    variables = pair_vars()
    variables["replication_destination"]["key_access"] = "grant"
    read = fresh_estate()
    _stage, plan = plan_run([("localhost", variables)], read)
    kms = [write["args"] for write in plan["writes"] if write["module"] == "kms_key_access"]
    assert [args["mode"] for args in kms] == ["grant"]
    assert kms[0]["grants"][0]["principals"] == [ROLE]
    _stage, again = plan_run([("localhost", variables)], converge(plan, read))
    assert again["writes"] == []


def test_the_source_key_statement_is_written_only_when_the_key_policy_would_refuse_the_role():
    read = fresh_estate()
    _stage, plan = plan_run(one_pair(), read)
    assert not [write for write in plan["writes"] if write["phase"] == "rules" and write["module"] == "kms_key_access"]
    admin_only = {"Version": "2012-10-17", "Statement": [{"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:role/admin"},
                                                          "Action": "kms:*", "Resource": "*"}]}
    read[SRC_ACCOUNT]["keys"][SRC_KEY]["policy"] = admin_only
    _stage, plan = plan_run(one_pair(), read)
    statements = [write["args"]["statements"] for write in plan["writes"] if write["phase"] == "rules" and write["module"] == "kms_key_access"]
    assert statements and statements[0][0]["principals"] == [ROLE] and statements[0][0]["operations"] == ["kms:Decrypt"]


def test_the_source_buckets_key_setting_decides_the_roles_kms_condition():
    read = fresh_estate()
    read[SRC_ACCOUNT]["buckets"]["src-data"]["encryption"] = {"algorithm": "aws:kms", "kms_key_arn": SRC_KEY, "bucket_key_enabled": True}
    _stage, plan = plan_run(one_pair(), read)
    role = next(write["args"] for write in plan["writes"] if write["module"] == "s3_replication_role")
    # The packed policy (one per role) lists a lone action as a string.
    decrypt = next(s for s in role["inline_policies"][0]["policy"]["Statement"] if s["Action"] == "kms:Decrypt")
    assert decrypt["Condition"]["StringEquals"]["kms:EncryptionContext:aws:s3:arn"] == "arn:aws:s3:::src-data"


def test_a_role_used_alone_plans_only_its_own_side():
    stage = planner.plan_pairs(one_pair())
    read = {SRC_ACCOUNT: fresh_estate()[SRC_ACCOUNT]}
    plan = planner.plan_writes(stage, read, sides=["source"])
    assert plan["refused"] == {}
    assert sorted(plan["account_writes"][SRC_ACCOUNT]) == ["roles", "rules"]
    assert DST_ACCOUNT not in plan["account_writes"]


# --- the other playbooks ---------------------------------------------------------------------------


def replicated():
    _stage, plan = plan_run(one_pair(), fresh_estate())
    return converge(plan, fresh_estate())


def test_teardown_removes_only_ours_and_then_nothing():
    read = replicated()
    their = {"Sid": "Theirs", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{THIRD}:root"}, "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::dst-data/*"}
    read[DST_ACCOUNT]["buckets"]["dst-data"]["policy"]["Statement"].append(their)
    _stage, plan = plan_run(one_pair(), read, "teardown")
    assert [write["phase"] for write in plan["writes"]].count("rules") == 1
    after = converge(plan, read)
    assert after[SRC_ACCOUNT]["buckets"]["src-data"]["replication"] is None
    assert after[DST_ACCOUNT]["buckets"]["dst-data"]["policy"]["Statement"] == [their]
    assert after[SRC_ACCOUNT]["roles"]["s3-replication-role"]["exists"] is False
    assert after[DST_ACCOUNT]["keys"][DST_KEY]["policy"] == default_key_policy(DST)
    _stage, again = plan_run(one_pair(), after, "teardown")
    assert again["writes"] == []


def test_teardown_keeps_a_role_that_other_rules_or_policies_still_use_and_says_why():
    read = replicated()
    configuration = read[SRC_ACCOUNT]["buckets"]["src-data"]["replication"]
    configuration["Rules"].append(dict(configuration["Rules"][0], ID="other-team-archive", Priority=9))
    read[SRC_ACCOUNT]["roles"]["s3-replication-role"]["inline_policies"]["other-team-extra"] = {"Version": "2012-10-17", "Statement": []}
    _stage, plan = plan_run(one_pair(), read, "teardown")
    role = next(write["args"] for write in plan["writes"] if write["module"] == "s3_replication_role")
    assert role["kept_because"] == ["rules other-team-archive of src-data still replicate with it"]
    assert "it carries inline policies this collection did not write: other-team-extra" in plan["notes"][0]
    after = converge(plan, read)
    # The packed policy keeps exactly the source bucket's and key's grants, which the rules left in src-data still need with the role;
    # the pair's destination grants are gone.
    policies = after[SRC_ACCOUNT]["roles"]["s3-replication-role"]["inline_policies"]
    assert sorted(policies) == ["other-team-extra", "s3-crossaccount-replication"]
    own = plan["pairs"][0]["documents"]["role_policy"]["Statement"]
    source_side = [s for s in own if s["Sid"].startswith(("S3ReplSourceBucket", "S3ReplSourceObjects", "S3ReplSourceKey"))]
    assert len(source_side) == 3 and packing.grants_exactly(policies["s3-crossaccount-replication"]["Statement"], source_side)
    _stage, again = plan_run(one_pair(), after, "teardown")
    assert again["writes"] == [] and "rules other-team-archive of src-data still replicate with it" in again["notes"][0]


def test_backfill_needs_its_variables_and_the_role():
    stage = planner.plan_pairs(one_pair(), "backfill")
    assert sorted(stage["accounts"]) == [SRC_ACCOUNT]
    plan = planner.plan_writes(stage, {SRC_ACCOUNT: fresh_estate()[SRC_ACCOUNT]})
    assert "replication_backfill is required by playbooks/backfill.yml" in plan["refused"]["localhost"][0]
    backfill = one_pair(replication_backfill={"report_bucket": "reports-data"})
    stage = planner.plan_pairs(backfill, "backfill")
    plan = planner.plan_writes(stage, {SRC_ACCOUNT: fresh_estate()[SRC_ACCOUNT]})
    assert "run playbooks/replicate.yml with the same variables first" in plan["refused"]["localhost"][0]


def test_backfill_adds_the_batch_trust_and_policy_and_one_job_per_source_bucket():
    variables = one_pair(replication_backfill={"report_bucket": "reports-data"})
    stage = planner.plan_pairs(variables, "backfill")
    read = {SRC_ACCOUNT: replicated()[SRC_ACCOUNT]}
    plan = planner.plan_writes(stage, read)
    role = next(write["args"] for write in plan["writes"] if write["module"] == "s3_replication_role")
    services = sorted(s["Principal"]["Service"] for s in role["trust_policy"]["Statement"])
    assert services == ["batchoperations.s3.amazonaws.com", "s3.amazonaws.com"]
    # One packed Batch Replication policy per role; the per-(role, source bucket) policy of earlier versions deleted if there.
    assert [(policy["name"], policy.get("state", "present")) for policy in role["inline_policies"]] == [
        ("s3-crossaccount-replication-batch", "present"), (plan["pairs"][0]["documents"]["batch_role_policy_name"], "absent")]
    job = plan["jobs"]["aws-211258069784-us-east-1"][0]["args"]
    assert job["bucket"] == "src-data" and job["report_bucket"] == "reports-data" and job["replication_statuses"] == ["NONE"]
    replicate_stage, replicate_plan = plan_run(variables, converge(plan, {**replicated(), **read}))
    assert not [write for write in replicate_plan["writes"] if write["module"] == "s3_replication_role"]


def test_verify_plans_a_canary_per_pair_from_the_first_rule():
    variables = one_pair(replication_rules=[{"id": "r", "filter": {"prefix": "reports/", "tags": {"team": "x"}}}], replication_verify={"wait_timeout": 60})
    _stage, plan = plan_run(variables, replicated(), "verify")
    canary = plan["canaries"]["localhost"][0]
    assert canary["source"]["key_prefix"] == "reports/s3-crossaccount-canary/" and canary["source"]["tags"] == {"team": "x"}
    assert canary["source"]["wait_timeout"] == 60 and canary["destination"]["wait_timeout"] == 60 and canary["keep_canary"] is False
    assert canary["workers"] == {"source": "aws-211258069784-us-east-1", "destination": "aws-880161310235-us-east-1"}


def test_the_doctor_reads_everything_and_asks_for_the_replica_keys_the_rules_name():
    stage = planner.plan_pairs(one_pair(), "doctor")
    assert stage["accounts"][DST_ACCOUNT]["read"]["bucket_attributes"] == planner.ALL_ATTRIBUTES
    assert stage["accounts"][SRC_ACCOUNT]["read"]["include_bucket_keys"] is True
    read = replicated()
    other_key = DST_KEY.replace("0987dcba", "aaaaaaaa")
    read[SRC_ACCOUNT]["buckets"]["src-data"]["replication"]["Rules"][0]["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] = other_key
    plan = planner.plan_writes(stage, read)
    assert plan["more_reads"] == {"aws-880161310235-us-east-1": [{"key": DST_ACCOUNT, "label": "replication_destination", "kms_keys": [other_key]}]}
    inputs = doctor.planned_pairs(plan, "localhost")
    assert inputs[0]["rule_ids"] == ["all-objects"] and inputs[0]["facts"]["destination"] is read[DST_ACCOUNT]


def test_model_messages_speak_of_the_users_variables():
    pair = planner.plan_pairs(
        hosts(*[{"replication_source": pair_vars()["replication_source"], "replication_destinations": [pair_vars()["replication_destination"]]}])
    )["pairs"][0]
    assert planner.user_words("destination.kms_key_arn 'x': source.region", pair) == "replication_destinations[0].kms_key_arn 'x': replication_source.region"
    assert planner.user_words("role_name: 'bad'", pair) == "replication_role_name: 'bad'"


def test_the_verdict_of_a_fresh_pair_is_clean():
    _stage, plan = plan_run(one_pair(), fresh_estate())
    assert plan["verdicts"] == {}


def test_another_teams_deny_fails_the_verdict_and_names_its_owner():
    read = fresh_estate(destination_exists=True)
    deny = {
        "Sid": "OnlyFromVpce",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::dst-data", "arn:aws:s3:::dst-data/*"],
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    }
    read[DST_ACCOUNT]["buckets"]["dst-data"]["policy"] = {"Version": "2012-10-17", "Statement": [deny]}
    _stage, plan = plan_run(one_pair(), read)
    failures = plan["verdicts"]["localhost"]["fail"]
    assert any(line.startswith("FAIL destination-objects.bucket-policy (account 880161310235") for line in failures), failures
    assert any("Sid OnlyFromVpce is not this collection's" in line for line in failures), failures
    assert plan["writes"], "the run still writes its own part"


def test_the_verdict_keeps_what_the_run_does_not_manage_out():
    read = fresh_estate()
    read[SRC_ACCOUNT]["buckets"]["src-data"]["has_objects"] = True
    _stage, plan = plan_run(one_pair(), read)
    assert plan["verdicts"] == {}


def test_the_run_lock_is_taken_in_the_destination_account_of_the_first_pair():
    lock = {"bucket": "ops-locks", "key": "shared.lock"}
    stage = planner.plan_pairs(hosts(pair_vars(1, replication_lock=lock), pair_vars(2, replication_lock=lock)), run_owner="run 1")
    assert stage["lock"] == {
        "bucket": "ops-locks",
        "key": "shared.lock",
        "timeout_seconds": 900,
        "wait_seconds": 600,
        "account": DST_ACCOUNT,
        "worker": "aws-880161310235-us-east-1",
        "owner": "run 1",
        "label": "replication_destination of pair pair-01",
    }
    assert planner.plan_pairs(one_pair(), "doctor")["lock"] is None and planner.plan_pairs(one_pair())["lock"] is None


def test_pairs_of_one_run_take_one_lock():
    stage = planner.plan_pairs(hosts(pair_vars(1, replication_lock={"bucket": "a-locks"}), pair_vars(2, replication_lock={"bucket": "b-locks"})))
    assert "the run lock (replication_lock) is also written by pair pair-01 with other settings" in stage["refused"]["pair-02"][0]


# --- two-way -----------------------------------------------------------------------------------------

REVERSE_ROLE = f"arn:aws:iam::{DST}:role/s3-replication-role"


def two_way_pair(**extra):
    return one_pair(replication_two_way=True, **extra)


def two_way_estate():
    read = fresh_estate()
    read[DST_ACCOUNT]["roles"]["s3-replication-role"] = missing_role()
    return read


def two_way_replicated(**extra):
    _stage, plan = plan_run(two_way_pair(**extra), two_way_estate())
    return converge(plan, two_way_estate())


def test_two_way_adds_the_mirror_image_of_the_pair():
    stage = planner.plan_pairs(two_way_pair())
    forward, reverse = stage["pairs"]
    assert reverse["name"] == "localhost (reverse)" and reverse["display"] == "reverse direction: "
    assert reverse["labels"] == {"source": "replication_destination", "destination": "replication_source"}
    assert (reverse["source"]["bucket"], reverse["destination"]["bucket"]) == ("dst-data", "src-data")
    assert reverse["credentials"] == {"source": {"profile": "analytics"}, "destination": {"profile": "prod"}}
    assert reverse["destination"]["create_bucket"] is False
    assert [(r["id"], r["replica_modifications"]) for r in forward["rules"] + reverse["rules"]] == [("all-objects", True), ("all-objects-reverse", True)]
    assert reverse["documents"]["role_arn"] == REVERSE_ROLE
    assert stage["accounts"][DST_ACCOUNT]["read"]["roles"] == ["s3-replication-role"]
    assert "policy" in stage["accounts"][SRC_ACCOUNT]["read"]["bucket_attributes"]
    assert "replication" in stage["accounts"][DST_ACCOUNT]["read"]["bucket_attributes"]


def test_the_reverse_role_has_its_own_name_when_given():
    stage = planner.plan_pairs(two_way_pair(replication_reverse_role_name="s3-replication-back"))
    assert stage["pairs"][1]["documents"]["role_arn"] == f"arn:aws:iam::{DST}:role/s3-replication-back"
    assert stage["pairs"][0]["documents"]["role_arn"] == ROLE


def test_a_fresh_two_way_setup_writes_each_document_once_and_converges():
    _stage, plan = plan_run(two_way_pair(), two_way_estate())
    assert plan["refused"] == {} and plan["verdicts"] == {}
    assert written(plan) == [
        (SRC_ACCOUNT, "destinations", "kms_key_access"),
        (SRC_ACCOUNT, "destinations", "s3_bucket_policy_statement"),
        (SRC_ACCOUNT, "roles", "s3_replication_bucket"),
        (SRC_ACCOUNT, "roles", "s3_replication_role"),
        (SRC_ACCOUNT, "rules", "s3_replication_rule"),
        (DST_ACCOUNT, "destinations", "kms_key_access"),
        (DST_ACCOUNT, "destinations", "s3_bucket_policy_statement"),
        (DST_ACCOUNT, "destinations", "s3_replication_bucket"),
        (DST_ACCOUNT, "roles", "s3_replication_role"),
        (DST_ACCOUNT, "rules", "s3_replication_rule"),
    ]
    source_bucket = next(w["args"] for w in plan["writes"] if w["module"] == "s3_replication_bucket" and w["account"] == SRC_ACCOUNT)
    assert source_bucket == {"name": "src-data", "versioning": True}, "the source bucket is never created, its settings never changed"
    reverse_rules = next(w for w in plan["writes"] if w["module"] == "s3_replication_rule" and w["account"] == DST_ACCOUNT)
    assert reverse_rules["pending"] is True, "check mode: the bucket is created by this run"
    rule = reverse_rules["args"]["rules"][0]
    assert (rule["id"], rule["destination_bucket"], rule["destination_account"]) == ("all-objects-reverse", "src-data", SRC)
    assert rule["replica_kms_key_arn"] == SRC_KEY
    assert rule["replica_modifications"] is True and reverse_rules["args"]["role_arn"] == REVERSE_ROLE
    after = converge(plan, two_way_estate())
    forward_rule = after[SRC_ACCOUNT]["buckets"]["src-data"]["replication"]["Rules"][0]
    assert forward_rule["SourceSelectionCriteria"]["ReplicaModifications"] == {"Status": "Enabled"}
    _stage, again = plan_run(two_way_pair(), after)
    assert again["writes"] == [] and again["refused"] == {} and again["verdicts"] == {}


def test_the_reverse_kms_context_follows_the_source_buckets_bucket_key_setting():
    read = two_way_estate()
    read[SRC_ACCOUNT]["buckets"]["src-data"]["encryption"] = {"algorithm": "aws:kms", "kms_key_arn": SRC_KEY, "bucket_key_enabled": True}
    _stage, plan = plan_run(two_way_pair(), read)
    key = next(w["args"] for w in plan["writes"] if w["module"] == "kms_key_access" and w["account"] == SRC_ACCOUNT)
    statement = key["statements"][0]
    assert statement["principals"] == [REVERSE_ROLE] and "kms:Decrypt" in statement["operations"]
    assert statement["conditions"]["StringEquals"]["kms:EncryptionContext:aws:s3:arn"] == "arn:aws:s3:::src-data"


def test_a_key_used_both_ways_gets_one_key_policy_write():
    read = two_way_estate()
    admin_only = {"Version": "2012-10-17", "Statement": [{"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SRC}:role/admin"},
                                                          "Action": "kms:*", "Resource": "*"}]}
    read[SRC_ACCOUNT]["keys"][SRC_KEY]["policy"] = admin_only
    _stage, plan = plan_run(two_way_pair(), read)
    writes = [w for w in plan["writes"] if w["module"] == "kms_key_access" and w["args"]["key_id"] == SRC_KEY]
    assert len(writes) == 1 and writes[0]["phase"] == "destinations"
    shared = [s for s in writes[0]["args"]["statements"] if s.get("state", "present") == "present"]
    assert sorted(s["principals"][0] for s in shared) == [ROLE, REVERSE_ROLE]
    assert writes[0]["pairs"] == ["localhost", "localhost (reverse)"]
    after = converge(plan, read)
    assert after[SRC_ACCOUNT]["keys"][SRC_KEY]["policy"]["Statement"][0]["Sid"] == "Admins"
    _stage, again = plan_run(two_way_pair(), after)
    assert again["writes"] == []


def test_two_way_keeps_the_other_teams_entries_on_both_sides():
    read = two_way_estate()
    theirs = {"Sid": "OtherTeamRead", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{THIRD}:root"}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::src-data/*"}
    read[SRC_ACCOUNT]["buckets"]["src-data"]["policy"] = {"Version": "2012-10-17", "Statement": [theirs]}
    read[DST_ACCOUNT]["buckets"]["dst-data"] = bucket("dst-data", versioning="Enabled")
    their_rule = {"ID": "to-archive", "Priority": 3, "Status": "Enabled", "Filter": {"Prefix": "x/"}, "DeleteMarkerReplication": {"Status": "Disabled"},
                  "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}
    read[DST_ACCOUNT]["buckets"]["dst-data"]["replication"] = {"Role": REVERSE_ROLE, "Rules": [their_rule]}
    _stage, plan = plan_run(two_way_pair(), read)
    after = converge(plan, read)
    assert theirs in after[SRC_ACCOUNT]["buckets"]["src-data"]["policy"]["Statement"]
    rules = after[DST_ACCOUNT]["buckets"]["dst-data"]["replication"]["Rules"]
    assert [rule["ID"] for rule in rules] == ["to-archive", "all-objects-reverse"] and rules[0] == their_rule


@pytest.mark.parametrize("change, fragments", [
    (lambda v: v.update(replication_destinations=[v.pop("replication_destination")]), ["replication_two_way", "replication_destinations", "fan-out"]),
    (lambda v: v.update(replication_rules=[{"id": "r" * 250}]), ["replication_rules[0].id", "258 characters", "at most 247"]),
    (lambda v: v.update(replication_reverse_role_name="bad role!"), ["replication_reverse_role_name", "bad role!"]),
    (lambda v: v["replication_destination"].update(region="cn-north-1", kms_key_arn=DST_KEY.replace("aws:kms:us-east-1", "aws-cn:kms:cn-north-1")),
     ["replication_source.region us-east-1 is in partition aws", "replication_destination.region cn-north-1 in partition aws-cn", "one partition"]),
    (lambda v: v.update(replication_backfill={"report_bucket": "reports", "direction": "both"}),
     ["replication_backfill.reverse_report_bucket is required with direction both", DST]),
])
def test_two_way_refuses_what_cannot_work_before_any_read(change, fragments):
    variables = pair_vars(replication_two_way=True)
    change(variables)
    stage = planner.plan_pairs([("localhost", variables)])
    text = " | ".join(stage["refused"].get("localhost", []))
    assert stage["pairs"] == [] and stage["accounts"] == {}
    assert all(fragment in text for fragment in fragments), text


def test_a_reverse_direction_is_refused_without_two_way():
    stage = planner.plan_pairs(one_pair(replication_verify={"direction": "reverse"}), "verify")
    assert "replication_verify.direction is reverse, but replication_two_way is false" in stage["refused"]["localhost"][0]


def test_two_way_pairs_of_two_hosts_may_not_share_a_bucket():
    first, second = pair_vars(1, replication_two_way=True), pair_vars(2, replication_two_way=True)
    second["replication_source"]["bucket"] = "src1-data"
    second["replication_rules"] = [{"id": "second"}]
    stage = planner.plan_pairs(hosts(first, second))
    problem = stage["refused"]["pair-02"][0]
    assert "bucket src1-data is also in the two-way pair pair-01" in problem and "would never reach dst1-data" in problem


def test_a_reverse_rule_id_another_rule_of_the_bucket_has_is_refused_before_any_write():
    read = two_way_estate()
    read[DST_ACCOUNT]["buckets"]["dst-data"] = bucket("dst-data", versioning="Enabled")
    theirs = {"ID": "all-objects-reverse", "Priority": 1, "Status": "Enabled", "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
              "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}
    read[DST_ACCOUNT]["buckets"]["dst-data"]["replication"] = {"Role": REVERSE_ROLE, "Rules": [theirs]}
    _stage, plan = plan_run(two_way_pair(), read)
    problem = plan["refused"]["localhost"][0]
    assert problem.startswith("reverse direction: replication_rules id all-objects: its reverse rule all-objects-reverse would replace rule")
    assert "arn:aws:s3:::elsewhere" in problem and plan["writes"] == []
    _stage, teardown = plan_run(two_way_pair(), read, "teardown")
    assert "would replace rule all-objects-reverse" in teardown["refused"]["localhost"][0] and teardown["writes"] == []


def test_a_destination_configuration_of_another_role_is_refused_with_the_variable_to_set():
    read = two_way_estate()
    read[DST_ACCOUNT]["buckets"]["dst-data"] = bucket("dst-data", versioning="Enabled")
    theirs = {"ID": "to-archive", "Priority": 1, "Status": "Enabled", "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
              "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}
    read[DST_ACCOUNT]["buckets"]["dst-data"]["replication"] = {"Role": f"arn:aws:iam::{DST}:role/archiver", "Rules": [theirs]}
    _stage, plan = plan_run(two_way_pair(), read)
    problem = plan["refused"]["localhost"][0]
    assert "uses role arn:aws:iam::880161310235:role/archiver for rules to-archive" in problem
    assert "set replication_reverse_role_name to archiver" in problem and plan["writes"] == []
    read[DST_ACCOUNT]["roles"]["archiver"] = missing_role("archiver")
    _stage, plan = plan_run(two_way_pair(replication_reverse_role_name="archiver"), read)
    assert plan["refused"] == {}


@pytest.mark.parametrize("change, fragments", [
    (lambda read: read[SRC_ACCOUNT]["keys"][SRC_KEY]["metadata"].update(KeyManager="AWS"), ["replication_source.kms_key_arn", "AWS-managed"]),
    (lambda read: read[SRC_ACCOUNT]["keys"][SRC_KEY]["metadata"].update(KeySpec="RSA_2048"), ["replication_source.kms_key_arn", "RSA_2048"]),
    (lambda read: (read[DST_ACCOUNT]["buckets"].update({"dst-data": bucket("dst-data", versioning="Enabled", object_lock=True)}),
                   read[SRC_ACCOUNT]["buckets"]["src-data"].update(object_lock=False)),
     ["reverse direction: source bucket 'dst-data' has Object Lock enabled but destination bucket 'src-data'"]),
])
def test_what_cannot_be_a_replica_or_source_of_the_reverse_direction_is_refused(change, fragments):
    read = two_way_estate()
    change(read)
    _stage, plan = plan_run(two_way_pair(), read)
    text = " | ".join(plan["refused"]["localhost"])
    assert all(fragment in text for fragment in fragments), text
    assert plan["writes"] == []


def test_two_way_teardown_removes_both_directions_entries_only():
    read = two_way_replicated()
    theirs = {"Sid": "OtherTeamRead", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{THIRD}:root"}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::src-data/*"}
    read[SRC_ACCOUNT]["buckets"]["src-data"]["policy"]["Statement"].append(theirs)
    _stage, plan = plan_run(two_way_pair(), read, "teardown")
    after = converge(plan, read)
    for account, bucket_name in ((SRC_ACCOUNT, "src-data"), (DST_ACCOUNT, "dst-data")):
        assert after[account]["buckets"][bucket_name]["replication"] is None
        assert after[account]["roles"]["s3-replication-role"]["exists"] is False
    assert after[SRC_ACCOUNT]["buckets"]["src-data"]["policy"]["Statement"] == [theirs]
    assert after[SRC_ACCOUNT]["keys"][SRC_KEY]["policy"] == default_key_policy(SRC)
    assert after[DST_ACCOUNT]["keys"][DST_KEY]["policy"] == default_key_policy(DST)
    _stage, again = plan_run(two_way_pair(), after, "teardown")
    assert again["writes"] == []


@pytest.mark.parametrize("direction, buckets", [(None, ["src-data"]), ("reverse", ["dst-data"]), ("both", ["src-data", "dst-data"])])
def test_backfill_runs_in_the_directions_asked(direction, buckets):
    backfill = {"report_bucket": "reports-src", "reverse_report_bucket": "reports-dst", **({"direction": direction} if direction else {})}
    variables = two_way_pair(replication_backfill=backfill)
    stage = planner.plan_pairs(variables, "backfill")
    plan = planner.plan_writes(stage, two_way_replicated(replication_backfill=backfill))
    assert plan["refused"] == {}
    jobs = [job["args"] for jobs in plan["jobs"].values() for job in jobs]
    assert [job["bucket"] for job in jobs] == buckets
    for job in jobs:
        reverse = job["bucket"] == "dst-data"
        assert job["role_arn"] == (REVERSE_ROLE if reverse else ROLE) and job["account_id"] == (DST if reverse else SRC)
        assert job["report_bucket"] == ("reports-dst" if reverse else "reports-src") and "direction" not in job
    assert len(plan["writes"]) == 0, "replicate.yml with replication_backfill already let both roles run Batch Replication"


@pytest.mark.parametrize("verify, pairs", [(None, ["localhost", "localhost (reverse)"]), ({"direction": "forward"}, ["localhost"]),
                                           ({"direction": "reverse"}, ["localhost (reverse)"])])
def test_verify_sends_a_canary_through_each_direction_asked(verify, pairs):
    variables = two_way_pair(**({"replication_verify": verify} if verify else {}))
    _stage, plan = plan_run(variables, two_way_replicated(), "verify")
    canaries = plan["canaries"]["localhost"]
    assert [canary["pair"] for canary in canaries] == pairs
    reverse = [canary for canary in canaries if canary["pair"].endswith("(reverse)")]
    for canary in reverse:
        assert (canary["source"]["bucket"], canary["source"]["kms_key_arn"], canary["destination"]["bucket"]) == ("dst-data", DST_KEY, "src-data")
        assert canary["workers"] == {"source": "aws-880161310235-us-east-1", "destination": "aws-211258069784-us-east-1"}


def test_the_doctor_diagnoses_each_direction_and_says_which():
    read = two_way_replicated()
    read[SRC_ACCOUNT]["buckets"]["src-data"]["policy"] = None
    stage = planner.plan_pairs(two_way_pair(), "doctor")
    inputs = doctor.planned_pairs(planner.plan_writes(stage, read), "localhost")
    assert [(entry["pair"], entry["direction"]) for entry in inputs] == [("localhost", "forward"), ("localhost (reverse)", "reverse")]
    results = {entry["direction"]: two_way.labelled(doctor.diagnose(entry["facts"], entry["spec"], entry["rule_ids"]), entry["direction"])
               for entry in inputs}
    assert results["forward"]["summary"]["fail"] == 0
    failing = [f for f in results["reverse"]["findings"] if f["status"] == "fail"]
    assert failing and {f["direction"] for f in failing} == {"reverse"}
    assert {f["id"] for f in failing} == {"destination-objects.bucket-policy", "destination-bucket.bucket-policy"}
    assert all(f["account"] == SRC for f in failing)


def test_the_reverse_directions_findings_name_the_users_variables():
    found = {"id": "x", "status": "fail", "message": "fix replication_source.bucket", "fix": "or replication_role_name and replication_destination.region"}
    labelled = two_way.labelled({"status": "fail", "summary": {}, "findings": [found]}, "reverse")["findings"][0]
    assert labelled["message"] == "fix replication_destination.bucket" and labelled["direction"] == "reverse"
    assert labelled["fix"] == "or replication_reverse_role_name and replication_source.region"


def test_the_reverse_role_may_use_the_source_key_by_grant():
    variables = pair_vars(replication_two_way=True)
    variables["replication_source"]["key_access"] = "grant"
    read = two_way_estate()
    _stage, plan = plan_run([("localhost", variables)], read)
    source_key = [w["args"] for w in plan["writes"] if w["module"] == "kms_key_access" and w["args"]["key_id"] == SRC_KEY]
    assert [args["mode"] for args in source_key] == ["grant"] and source_key[0]["grants"][0]["principals"] == [REVERSE_ROLE]
    destination_key = [w["args"] for w in plan["writes"] if w["module"] == "kms_key_access" and w["args"]["key_id"] == DST_KEY]
    assert [args["mode"] for args in destination_key] == ["policy"], "the destination key's access follows replication_destination.key_access"
    _stage, again = plan_run([("localhost", variables)], converge(plan, read))
    assert again["writes"] == []


def test_the_verdict_says_which_direction_another_teams_deny_breaks():
    read = two_way_estate()
    deny = {"Sid": "OnlyFromVpce", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::src-data", "arn:aws:s3:::src-data/*"],
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}
    read[SRC_ACCOUNT]["buckets"]["src-data"]["policy"] = {"Version": "2012-10-17", "Statement": [deny]}
    _stage, plan = plan_run(two_way_pair(), read)
    failures = plan["verdicts"]["localhost"]["fail"]
    reverse = [line for line in failures if line.startswith("reverse direction: FAIL destination-objects.bucket-policy (account 211258069784")]
    assert reverse and "Sid OnlyFromVpce is not this collection's" in reverse[0], failures
    assert any(line.startswith("FAIL source-objects.bucket-policy (account 211258069784") for line in failures), "the forward direction reads it too"
