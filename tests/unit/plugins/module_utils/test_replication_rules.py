# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules as rr

BUCKET = "stats-data-src"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
OTHER_ROLE = "arn:aws:iam::211258069784:role/other-replication-role"
KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
FOREIGN_RULE = {
    "ID": "analytics-team-logs",
    "Priority": 10,
    "Status": "Enabled",
    "Filter": {"Prefix": "logs/"},
    "DeleteMarkerReplication": {"Status": "Disabled"},
    "Destination": {"Bucket": "arn:aws:s3:::logs-archive-tgt", "Account": "444455556666", "StorageClass": "STANDARD_IA"},
}
LEGACY_RULE = {"ID": "old-v1", "Prefix": "old/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::old-tgt"}}


def options(**overrides):
    base = {"id": "ours", "role_arn": ROLE, "destination_bucket": "stats-data-tgt", "destination_account": "880161310235"}
    base.update(overrides)
    return base


def configuration(*rules, role=ROLE):
    return {"Role": role, "Rules": [copy.deepcopy(rule) for rule in rules]}


def problems_of(current, **overrides):
    with pytest.raises(rr.ReplicationRuleError) as caught:
        rr.plan_present(current, options(**overrides), BUCKET)
    return caught.value.problems


def single_problem(current, fragment, **overrides):
    problems = problems_of(current, **overrides)
    assert len(problems) == 1, problems
    assert fragment in problems[0]
    return problems[0]


# Building the rule


def test_minimal_rule_replicates_every_object_with_v2_fields():
    rule = rr.build_rule(options())
    assert rule == {
        "ID": "ours",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": "arn:aws:s3:::stats-data-tgt", "Account": "880161310235"},
    }


def test_every_field_of_the_rule():
    rule = rr.build_rule(
        options(
            status="disabled",
            priority=7,
            filter={"prefix": "reports/", "tags": {"b": "2", "a": 1}},
            replica_modifications=True,
            existing_object_replication=True,
            destination_bucket="arn:aws:s3:::stats-data-tgt",
            storage_class="STANDARD_IA",
            owner_override=True,
            replica_kms_key_arn=KEY,
            replication_time_control=True,
        )
    )
    assert rule == {
        "ID": "ours",
        "Priority": 7,
        "Status": "Disabled",
        "Filter": {"And": {"Prefix": "reports/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}, "ReplicaModifications": {"Status": "Enabled"}},
        "ExistingObjectReplication": {"Status": "Enabled"},
        "Destination": {
            "Bucket": "arn:aws:s3:::stats-data-tgt",
            "Account": "880161310235",
            "StorageClass": "STANDARD_IA",
            "AccessControlTranslation": {"Owner": "Destination"},
            "EncryptionConfiguration": {"ReplicaKmsKeyID": KEY},
            "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
            "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
        },
    }


@pytest.mark.parametrize(
    "filter_options, expected",
    [
        (None, {"Prefix": ""}),
        ({"prefix": "data/"}, {"Prefix": "data/"}),
        ({"tags": {"team": "stats"}}, {"Tag": {"Key": "team", "Value": "stats"}}),
        ({"tags": {"b": "2", "a": "1"}}, {"And": {"Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}}),
        ({"prefix": "p/", "tags": {"k": "v"}}, {"And": {"Prefix": "p/", "Tags": [{"Key": "k", "Value": "v"}]}}),
    ],
)
def test_filter_forms(filter_options, expected):
    assert rr.build_filter(filter_options) == expected


def test_replica_key_turns_sse_kms_selection_on_unless_explicitly_off():
    assert rr.build_rule(options(replica_kms_key_arn=KEY))["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert "SourceSelectionCriteria" not in rr.build_rule(options(replica_kms_key_arn=KEY, sse_kms_encrypted_objects=False))


def test_metrics_follow_rtc_and_alone_have_no_event_threshold():
    assert "Metrics" not in rr.build_rule(options())["Destination"]
    assert rr.build_rule(options(metrics=True))["Destination"]["Metrics"] == {"Status": "Enabled"}
    assert "ReplicationTime" not in rr.build_rule(options(metrics=True))["Destination"]
    with_rtc = rr.build_rule(options(replication_time_control=True))["Destination"]
    assert with_rtc["Metrics"] == {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}
    assert with_rtc["ReplicationTime"] == {"Status": "Enabled", "Time": {"Minutes": 15}}


def test_event_threshold_without_rtc_is_refused_before_any_write():
    problem = single_problem(None, "metrics_event_threshold_minutes is set but replication_time_control is false", metrics=True,
                             metrics_event_threshold_minutes=15)
    assert "Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled" in problem
    assert "leave metrics_event_threshold_minutes unset" in problem
    assert rr.validate_options(options(replication_time_control=True, metrics_event_threshold_minutes=15)) == []


def test_metrics_written_with_the_refused_threshold_are_adopted_without_a_change():
    refused_shape = rr.build_rule(options(metrics=True))
    refused_shape["Destination"]["Metrics"] = {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}
    current = configuration(FOREIGN_RULE, dict(refused_shape, Priority=11))
    assert rr.canonical_rule(refused_shape) == rr.canonical_rule(rr.build_rule(options(metrics=True)))
    plan = rr.plan_present(current, options(metrics=True), BUCKET)
    assert not plan["changed"]
    assert plan["after"] is current


def test_destination_arn_takes_the_role_partition():
    rule = rr.build_rule(options(role_arn="arn:aws-cn:iam::211258069784:role/r"))
    assert rule["Destination"]["Bucket"] == "arn:aws-cn:s3:::stats-data-tgt"


def test_priority_defaults():
    assert rr.build_rule(options())["Priority"] == 1
    assert rr.build_rule(options(), configuration(FOREIGN_RULE))["Priority"] == 11
    ours = dict(rr.build_rule(options()), Priority=4)
    assert rr.build_rule(options(), configuration(FOREIGN_RULE, ours))["Priority"] == 4
    assert rr.build_rule(options(priority=3), configuration(FOREIGN_RULE, ours))["Priority"] == 3


# Validation: every rule AWS documents, all problems at once


def test_valid_options_have_no_problems():
    assert rr.validate_options(options(replica_kms_key_arn=KEY, owner_override=True, destination_region="us-east-1", replication_time_control=True)) == []


def test_rule_id_length_and_empty():
    single_problem(None, "at most 255", id="x" * 256)
    single_problem(None, "must not be empty", id=" ")
    assert rr.validate_options(options(id="x" * 255)) == []


def test_negative_priority():
    single_problem(None, "priority -1 is negative", priority=-1)


def test_destination_bucket_required_and_valid():
    single_problem(None, "destination_bucket is required", destination_bucket=None)
    single_problem(None, "destination_bucket: 'Bad_Bucket' is not a valid S3 bucket name", destination_bucket="Bad_Bucket")
    single_problem(None, "destination_bucket: 'arn:aws:s3:::b/key' is not an S3 bucket ARN", destination_bucket="arn:aws:s3:::b/key")


def test_destination_account_and_region_format():
    single_problem(None, "destination_account: '12345'", destination_account="12345")
    single_problem(None, "destination_region: 'Mars'", destination_region="Mars")


def test_owner_override_needs_destination_account():
    problem = single_problem(None, "owner_override needs destination_account", owner_override=True, destination_account=None)
    assert "set destination_account" in problem


@pytest.mark.parametrize(
    "key, fragment",
    [
        ("alias/stats-replica", "is a KMS alias"),
        ("arn:aws:kms:us-east-1:880161310235:alias/stats-replica", "is a KMS alias"),
        ("alias/aws/s3", "AWS managed key aws/s3"),
        ("arn:aws:kms:us-east-1:880161310235:alias/aws/s3", "AWS managed key aws/s3"),
        ("0987dcba-09fe-87dc-65ba-ab0987654321", "not a full KMS key ARN"),
    ],
)
def test_replica_key_must_be_a_full_customer_key_arn(key, fragment):
    problem = single_problem(None, fragment, replica_kms_key_arn=key)
    assert problem.startswith("replica_kms_key_arn")


def test_replica_key_in_the_destination_region():
    problem = single_problem(
        None,
        "is in region eu-west-1 but the destination bucket is in us-east-1",
        replica_kms_key_arn=KEY.replace("us-east-1", "eu-west-1"),
        destination_region="us-east-1",
    )
    assert "give the ARN of a key in us-east-1" in problem


def test_sse_kms_without_replica_key():
    single_problem(None, "sse_kms_encrypted_objects is true but replica_kms_key_arn is not set", sse_kms_encrypted_objects=True)


def test_rtc_needs_metrics():
    single_problem(None, "replication_time_control is true but metrics is false", replication_time_control=True, metrics=False)


@pytest.mark.parametrize("name", ["metrics_event_threshold_minutes", "replication_time_minutes"])
def test_only_fifteen_minutes(name):
    single_problem(None, f"{name} is 30 (", replication_time_control=True, **{name: 30})


def test_delete_markers_with_tag_filter():
    single_problem(None, "delete_marker_replication is true but filter.tags is set", delete_marker_replication=True, filter={"tags": {"a": "b"}})
    assert rr.validate_options(options(delete_marker_replication=True, filter={"prefix": "p/"})) == []


def test_empty_tag_key():
    single_problem(None, "empty tag key", filter={"tags": {"": "v"}})


def test_role_arn_format():
    single_problem(None, "role_arn: 'arn:aws:iam::211258069784:user/u' is not an IAM role ARN", role_arn="arn:aws:iam::211258069784:user/u")


def test_role_required_without_configuration():
    single_problem(None, "role_arn is required: bucket 'stats-data-src' has no replication configuration yet", role_arn=None)


def test_role_optional_with_configuration():
    plan = rr.plan_present(configuration(FOREIGN_RULE), options(role_arn=None), BUCKET)
    assert plan["after"]["Role"] == ROLE


def test_distinct_priorities():
    problem = single_problem(configuration(FOREIGN_RULE), "priority 10 is already used by rule 'analytics-team-logs'", priority=10)
    assert "such as 11" in problem


def test_duplicate_ids_in_the_configuration():
    single_problem(configuration(FOREIGN_RULE, FOREIGN_RULE), "several rules with ID 'analytics-team-logs'")


def test_at_most_a_thousand_rules():
    many = [dict(FOREIGN_RULE, ID=f"r{index}", Priority=index) for index in range(1000)]
    single_problem(configuration(*many), "would have 1001 rules")
    many_with_ours = many[:-1] + [dict(FOREIGN_RULE, ID="ours", Priority=5000)]
    assert rr.plan_present(configuration(*many_with_ours), options(), BUCKET)["changed"]


def test_legacy_v1_configuration_cannot_be_mixed():
    problem = single_problem(configuration(LEGACY_RULE), "legacy V1 rule form (rules 'old-v1' have a top-level Prefix and no Filter)")
    assert "rewrite rules 'old-v1' in the V2 form" in problem


def test_our_own_legacy_rule_is_replaced_by_v2():
    plan = rr.plan_present(configuration(dict(LEGACY_RULE, ID="ours")), options(), BUCKET)
    assert plan["changed"]
    assert plan["after"]["Rules"] == [rr.build_rule(options())]


def test_all_problems_reported_at_once():
    problems = problems_of(
        configuration(FOREIGN_RULE, role=OTHER_ROLE),
        id="x" * 300,
        priority=10,
        owner_override=True,
        destination_account=None,
        replica_kms_key_arn="alias/aws/s3",
        replication_time_control=True,
        metrics=False,
        replication_time_minutes=20,
        delete_marker_replication=True,
        filter={"tags": {"k": "v"}},
    )
    fragments = [
        "at most 255",
        "owner_override needs",
        "aws/s3",
        "metrics is false",
        "replication_time_minutes is 20",
        "filter.tags",
        "replace_role: true",
        "priority 10",
    ]
    assert len(problems) == len(fragments), problems
    for fragment in fragments:
        assert sum(fragment in problem for problem in problems) == 1, (fragment, problems)


def test_error_text_joins_problems():
    error = rr.ReplicationRuleError(["a", "b"])
    assert str(error) == "a | b"
    assert error.problems == ["a", "b"]


# Canonical comparison (idempotence)


@pytest.mark.parametrize(
    "read_filter",
    [None, {}, {"Prefix": ""}, {"And": {"Prefix": ""}}, {"And": {"Prefix": "", "Tags": []}}],
)
def test_every_object_filter_forms_are_equal(read_filter):
    written = rr.build_rule(options())
    read = copy.deepcopy(written)
    if read_filter is None:
        del read["Filter"]
    else:
        read["Filter"] = read_filter
    assert rr.canonical_rule(read) == rr.canonical_rule(written)


def test_tag_order_and_single_tag_forms_are_equal():
    written = rr.build_rule(options(filter={"prefix": "p/", "tags": {"a": "1", "b": "2"}}))
    read = copy.deepcopy(written)
    read["Filter"]["And"]["Tags"].reverse()
    assert rr.canonical_rule(read) == rr.canonical_rule(written)
    single = rr.build_rule(options(filter={"tags": {"a": "1"}}))
    assert rr.canonical_rule(dict(single, Filter={"And": {"Tags": [{"Key": "a", "Value": "1"}]}})) == rr.canonical_rule(single)


def test_missing_optional_statuses_equal_disabled_and_bucket_name_equals_arn():
    written = rr.build_rule(options())
    read = copy.deepcopy(written)
    read["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Disabled"}, "ReplicaModifications": {"Status": "Disabled"}}
    read["ExistingObjectReplication"] = {"Status": "Disabled"}
    read["Destination"]["Bucket"] = "stats-data-tgt"
    read["Destination"]["Metrics"] = {"Status": "Disabled"}
    read["Destination"]["ReplicationTime"] = {"Status": "Disabled", "Time": {"Minutes": 15}}
    assert rr.canonical_rule(read) == rr.canonical_rule(written)


def test_rtc_metrics_without_event_threshold_equal_fifteen_minutes():
    written = rr.build_rule(options(replication_time_control=True))
    read = copy.deepcopy(written)
    del read["Destination"]["Metrics"]["EventThreshold"]
    assert rr.canonical_rule(read) == rr.canonical_rule(written)


@pytest.mark.parametrize(
    "change",
    [
        {"priority": 3},
        {"status": "disabled"},
        {"filter": {"prefix": "other/"}},
        {"delete_marker_replication": True},
        {"replica_modifications": True},
        {"existing_object_replication": True},
        {"destination_bucket": "other-tgt"},
        {"destination_account": "444455556666"},
        {"storage_class": "GLACIER"},
        {"owner_override": True},
        {"replica_kms_key_arn": KEY},
        {"replication_time_control": True},
        {"metrics": True},
    ],
)
def test_each_field_change_is_detected(change):
    current = configuration(FOREIGN_RULE, rr.build_rule(options(priority=1)))
    assert not rr.plan_present(current, options(priority=1), BUCKET)["changed"]
    plan = rr.plan_present(current, options(**{"priority": 1, **change}), BUCKET)
    assert plan["changed"], change


def test_rerun_with_what_s3_returns_is_not_changed():
    first = rr.plan_present(configuration(FOREIGN_RULE), options(filter={"tags": {"a": "1", "b": "2"}}, replica_kms_key_arn=KEY), BUCKET)
    as_read = copy.deepcopy(first["after"])
    as_read["Rules"][1]["Filter"]["And"]["Tags"].reverse()
    as_read["Rules"][1]["Destination"]["Bucket"] = "stats-data-tgt"
    as_read["Rules"][1]["ExistingObjectReplication"] = {"Status": "Disabled"}
    second = rr.plan_present(as_read, options(filter={"tags": {"b": "2", "a": "1"}}, replica_kms_key_arn=KEY), BUCKET)
    assert not second["changed"]
    assert second["after"] is as_read
    assert second["diff"]["before"] == second["diff"]["after"]
    assert second["rule"] == as_read["Rules"][1]


# Merge keeps foreign rules exactly


def test_merge_appends_and_keeps_foreign_rules_as_read():
    foreign = dict(FOREIGN_RULE, Filter={}, SomethingNew={"Status": "Enabled"})
    current = configuration(foreign)
    plan = rr.plan_present(current, options(), BUCKET)
    assert plan["changed"]
    assert plan["after"]["Rules"][0] == foreign
    assert plan["after"]["Rules"][0] is not foreign
    assert current == configuration(foreign)
    assert plan["after"]["Rules"][1]["ID"] == "ours"


def test_merge_replaces_in_place():
    ours = rr.build_rule(options(priority=2))
    current = configuration(ours, FOREIGN_RULE)
    plan = rr.plan_present(current, options(filter={"prefix": "new/"}), BUCKET)
    assert [rule["ID"] for rule in plan["after"]["Rules"]] == ["ours", "analytics-team-logs"]
    assert plan["after"]["Rules"][0]["Filter"] == {"Prefix": "new/"}
    assert plan["after"]["Rules"][0]["Priority"] == 2
    assert plan["after"]["Rules"][1] == FOREIGN_RULE


def test_plan_diff_shows_whole_configuration():
    plan = rr.plan_present(None, options(), BUCKET)
    assert plan["diff"]["before"] == {}
    assert plan["diff"]["after"] == {"Role": ROLE, "Rules": [rr.build_rule(options())]}
    assert plan["diff"]["after_header"] == "s3://stats-data-src replication configuration"


# Role changes


def test_role_change_with_other_rules_needs_replace_role():
    problem = single_problem(configuration(FOREIGN_RULE, role=OTHER_ROLE), "rules 'analytics-team-logs' also use")
    assert "set replace_role: true" in problem


def test_role_change_with_replace_role_is_announced():
    plan = rr.plan_present(configuration(FOREIGN_RULE, role=OTHER_ROLE), options(replace_role=True), BUCKET)
    assert plan["after"]["Role"] == ROLE
    assert plan["warnings"] == [f"the replication role changes from '{OTHER_ROLE}' to '{ROLE}' for every rule, including 'analytics-team-logs'"]
    assert "for every rule" in plan["diff"]["after_header"]


def test_role_change_when_only_our_rule_exists_needs_no_flag():
    current = configuration(rr.build_rule(options()), role=OTHER_ROLE)
    plan = rr.plan_present(current, options(), BUCKET)
    assert plan["changed"]
    assert plan["after"]["Role"] == ROLE
    assert plan["warnings"] == []


def test_same_role_with_replace_role_is_not_a_change():
    current = configuration(FOREIGN_RULE, rr.build_rule(options(), configuration(FOREIGN_RULE)))
    assert not rr.plan_present(current, options(replace_role=True), BUCKET)["changed"]


# state=absent


def test_absent_removes_only_our_rule():
    current = configuration(FOREIGN_RULE, rr.build_rule(options(priority=1)))
    plan = rr.plan_absent(current, "ours", BUCKET)
    assert plan["changed"]
    assert plan["after"] == configuration(FOREIGN_RULE)
    assert plan["rule"] is None


def test_absent_last_rule_deletes_configuration():
    plan = rr.plan_absent(configuration(rr.build_rule(options())), "ours", BUCKET)
    assert plan["changed"]
    assert plan["after"] is None
    assert plan["diff"]["after"] == {}
    assert "configuration is deleted" in plan["diff"]["after_header"]


@pytest.mark.parametrize("current", [None, configuration(FOREIGN_RULE)])
def test_absent_when_missing_is_not_changed(current):
    plan = rr.plan_absent(current, "ours", BUCKET)
    assert not plan["changed"]
    assert plan["after"] == current


def test_absent_keeps_legacy_rules_as_read():
    plan = rr.plan_absent(configuration(LEGACY_RULE, dict(LEGACY_RULE, ID="ours")), "ours", BUCKET)
    assert plan["after"] == configuration(LEGACY_RULE)


def test_same_configuration_handles_absence():
    assert rr.same_configuration(None, None)
    assert rr.same_configuration({}, None)
    assert not rr.same_configuration(None, configuration(FOREIGN_RULE))
    assert not rr.same_configuration(configuration(FOREIGN_RULE), configuration(FOREIGN_RULE, role=OTHER_ROLE))


# Checking rules before any write (filter replication_rule_problems)


def test_rule_problems_name_each_bad_rule_and_skip_rules_to_remove():
    rules = [
        options(id="good"),
        options(id="negative", priority=-1),
        options(id="leaving", state="absent", priority=-5),
        options(id="no-key", sse_kms_encrypted_objects=True),
    ]
    problems = rr.rule_problems(rules)
    assert len(problems) == 2, problems
    assert problems[0].startswith("rule 'negative': priority -1 is negative")
    assert problems[1].startswith("rule 'no-key': sse_kms_encrypted_objects is true but replica_kms_key_arn is not set")


def test_rule_problems_of_valid_rules_is_empty():
    assert rr.rule_problems([options(), options(id="second", priority=2, replica_kms_key_arn=KEY, sse_kms_encrypted_objects=True)]) == []


def test_rule_problems_report_unreadable_options_instead_of_crashing():
    problems = rr.rule_problems([options(priority="high")])
    assert problems == [
        "rule 'ours': the options cannot be read (invalid literal for int() with base 10: 'high'): give each option the type docs/vars.md names"
    ]


# Adopting rules another tool wrote, in either form


def test_v1_rule_with_the_same_meaning_is_adopted_unchanged():
    v1 = {"ID": "ours", "Prefix": "p/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::stats-data-tgt", "Account": "880161310235"}}
    current = configuration(v1)
    plan = rr.plan_present(current, options(filter={"prefix": "p/"}, delete_marker_replication=True), BUCKET)
    assert not plan["changed"]
    assert plan["rule"] == v1


@pytest.mark.parametrize("change", [{"delete_marker_replication": False}, {"priority": 3}, {"filter": {"prefix": "q/"}}])
def test_v1_rule_with_another_meaning_is_rewritten_as_v2(change):
    v1 = {"ID": "ours", "Prefix": "p/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::stats-data-tgt", "Account": "880161310235"}}
    asked = dict({"filter": {"prefix": "p/"}, "delete_marker_replication": True}, **change)
    plan = rr.plan_present(configuration(v1), options(**asked), BUCKET)
    assert plan["changed"]
    assert "Filter" in plan["rule"] and "Prefix" not in plan["rule"]


def test_console_rule_with_an_empty_filter_is_adopted_unchanged():
    console = dict(rr.build_rule(options()), Filter={})
    current = configuration(console)
    assert not rr.plan_present(current, options(), BUCKET)["changed"]


def test_existing_object_replication_is_warned_not_refused():
    plan = rr.plan_present(None, options(existing_object_replication=True), BUCKET)
    assert plan["changed"]
    assert len(plan["warnings"]) == 1 and "S3 Batch Replication" in plan["warnings"][0]
    assert not rr.plan_present(plan["after"], options(existing_object_replication=True), BUCKET)["changed"]


def test_filter_not_and_multi_region_key_are_part_of_the_meaning():
    written = rr.build_rule(options(replica_kms_key_arn=KEY))
    excluding = dict(written, Filter={"And": {"Prefix": "", "Not": {"Prefix": "tmp/"}}})
    multi_region = copy.deepcopy(written)
    multi_region["Destination"]["EncryptionConfiguration"]["UseSourceMultiRegionKey"] = True
    assert rr.canonical_rule(excluding) != rr.canonical_rule(written)
    assert rr.canonical_rule(multi_region) != rr.canonical_rule(written)
