# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy
import os
import re

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules as rr
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import admission as s3_rules

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
BUCKET = "stats-data-src"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
V2_RULE = rr.build_rule(
    {"id": "all-objects", "destination_bucket": "stats-data-tgt", "destination_account": "880161310235", "owner_override": True, "replica_kms_key_arn": KEY}
)
V1_RULE = {"ID": "old-v1", "Prefix": "old/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::old-tgt"}}


def rule(*changes, **fields):
    """V2_RULE with fields replaced and, for each (path, value) in changes, a nested value set (None deletes it)."""
    built = copy.deepcopy(V2_RULE)
    built.update(fields)
    for path, value in changes:
        target = built
        for part in path[:-1]:
            target = target.setdefault(part, {})
        if value is None:
            target.pop(path[-1], None)
        else:
            target[path[-1]] = value
    return built


def configuration(*rules, role=ROLE):
    return {"Role": role, "Rules": [copy.deepcopy(item) for item in rules]}


def bucket(name, **facts):
    return dict({"name": name, "exists": True, "versioning": "Enabled", "object_lock": False, "errors": {}}, **facts)


RTC = {"Status": "Enabled", "Time": {"Minutes": 15}}
METRICS_15 = {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}

# row id: (what breaks the rule, a fragment of the message, what keeps it). Rule scope: a rule;
# configuration scope: (configuration, context); estate scope: (source facts, destination facts).
CASES = {
    "v1-v2-not-mixed": ((configuration(V1_RULE, V2_RULE), {"bucket": BUCKET}), "would mix the legacy V1 rule form (rules 'old-v1'",
                        (configuration(V2_RULE), {"bucket": BUCKET})),
    "v1-form": (dict(V1_RULE, DeleteMarkerReplication={"Status": "Enabled"}), "V1 form (a top-level Prefix) with DeleteMarkerReplication", V1_RULE),
    "v2-required-elements": (rule(Priority=None), "has a Filter (V2 form) but no Priority", rule()),
    "filter-one-element": (rule(Filter={"Prefix": "a/", "Tag": {"Key": "k", "Value": "v"}}), "Filter has Prefix, Tag",
                           rule(Filter={"And": {"Prefix": "a/", "Tags": [{"Key": "k", "Value": "v"}]}})),
    "unique-priorities": ((configuration(V2_RULE, dict(V2_RULE, ID="second")), {"bucket": BUCKET}), "priority 1 is used by rules 'all-objects', 'second'",
                          (configuration(V2_RULE, dict(V2_RULE, ID="second", Priority=2)), {"bucket": BUCKET})),
    "delete-markers-not-with-tags": (rule(Filter={"Tag": {"Key": "k", "Value": "v"}}, DeleteMarkerReplication={"Status": "Enabled"}),
                                     "delete_marker_replication is true but filter.tags is set", rule(DeleteMarkerReplication={"Status": "Enabled"})),
    "rtc-needs-metrics": (rule((["Destination", "ReplicationTime"], RTC)), "replication_time_control is true but metrics is false",
                          rule((["Destination", "ReplicationTime"], RTC), (["Destination", "Metrics"], METRICS_15))),
    "event-threshold-needs-rtc": (rule((["Destination", "Metrics"], METRICS_15)), "Metrics cannot contain an event threshold",
                                  rule((["Destination", "Metrics"], {"Status": "Enabled"}))),
    "fifteen-minutes": (rule((["Destination", "ReplicationTime"], {"Status": "Enabled", "Time": {"Minutes": 30}}), (["Destination", "Metrics"], METRICS_15)),
                        "replication_time_minutes is 30 (ReplicationTime.Time.Minutes)",
                        rule((["Destination", "ReplicationTime"], RTC), (["Destination", "Metrics"], METRICS_15))),
    "sse-kms-and-replica-key": (rule((["Destination", "EncryptionConfiguration"], None)), "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects",
                                rule()),
    "owner-override-needs-account": (rule((["Destination", "Account"], None)), "owner_override needs destination_account", rule()),
    "replica-key-arn": (rule((["Destination", "EncryptionConfiguration", "ReplicaKmsKeyID"], "alias/replicas")), "is a KMS alias", rule()),
    "storage-class": (rule((["Destination", "StorageClass"], "FSX_OPENZFS")), "storage_class 'FSX_OPENZFS' (Destination.StorageClass)",
                      rule((["Destination", "StorageClass"], "STANDARD_IA"))),
    "rule-id-length": (rule(ID="r" * 256), "id is 256 characters long", rule(ID="r" * 255)),
    "rule-id-unique": ((configuration(V2_RULE, dict(V2_RULE, Priority=2)), {"bucket": BUCKET}), "several rules with ID 'all-objects'",
                       (configuration(V2_RULE, dict(V2_RULE, ID="second", Priority=2)), {"bucket": BUCKET})),
    "max-rules": ((configuration(*[dict(V2_RULE, ID=f"r{n}", Priority=n) for n in range(1001)]), {"bucket": BUCKET}), "would have 1001 rules",
                  (configuration(*[dict(V2_RULE, ID=f"r{n}", Priority=n) for n in range(1000)]), {"bucket": BUCKET})),
    "one-role": ((configuration(V2_RULE, role=None), {"bucket": BUCKET}), "role_arn is required: bucket 'stats-data-src' has no replication configuration",
                 (configuration(V2_RULE), {"bucket": BUCKET})),
    "existing-object-replication": (rule(ExistingObjectReplication={"Status": "Enabled"}), "S3 Batch Replication",
                                    rule(ExistingObjectReplication={"Status": "Disabled"})),
    "versioning-enabled": ((bucket("stats-data-src"), bucket("stats-data-tgt", versioning="Suspended")),
                           "destination bucket 'stats-data-tgt' has versioning Suspended", (bucket("stats-data-src"), bucket("stats-data-tgt"))),
    "object-lock-both": ((bucket("stats-data-src", object_lock=True), bucket("stats-data-tgt")), "has Object Lock enabled but destination bucket",
                         (bucket("stats-data-src", object_lock=True), bucket("stats-data-tgt", object_lock=True))),
}


def run_row(row, subject):
    if row.scope == s3_rules.RULE:
        return row.check(subject, {"destination_region": "us-east-1"})
    if row.scope == s3_rules.CONFIGURATION:
        return row.check(*subject)
    return row.check([V2_RULE], *subject)


def test_every_row_has_a_case():
    assert set(CASES) == set(s3_rules.RULES_BY_ID)


@pytest.mark.parametrize("row_id", sorted(CASES))
def test_each_row_refuses_what_s3_refuses_and_keeps_what_it_accepts(row_id):
    row = s3_rules.RULES_BY_ID[row_id]
    broken, fragment, kept = CASES[row_id]
    problems = run_row(row, broken)
    assert len(problems) == 1 and fragment in problems[0], problems
    assert run_row(row, kept) == []


@pytest.mark.parametrize("row", s3_rules.ADMISSION_RULES, ids=lambda row: row.id)
def test_each_row_is_complete(row):
    assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", row.id)
    assert row.scope in (s3_rules.RULE, s3_rules.CONFIGURATION, s3_rules.ESTATE)
    assert row.behaviour in (s3_rules.REFUSED, s3_rules.COMPLETED, s3_rules.WARNED, s3_rules.PREFLIGHT)
    assert row.text.endswith(".") and row.source and callable(row.check)


def _docs_table_ids():
    with open(os.path.join(ROOT, "docs", "s3-rules.md"), encoding="utf-8") as handle:
        return re.findall(r"^\| `([a-z0-9-]+)` \|", handle.read(), flags=re.MULTILINE)


def test_docs_table_lists_the_python_rows_in_order():
    assert _docs_table_ids() == [row.id for row in s3_rules.ADMISSION_RULES]


# Both directions of the SSE-KMS pair, and the fixes the messages name


def test_replica_key_without_sse_kms_selection_is_refused():
    problems = s3_rules.check_sse_kms_and_replica_key(rule(SourceSelectionCriteria=None), {})
    assert "SseKmsEncryptedObjects must be specified if EncryptionConfiguration is present" in problems[0]
    with pytest.raises(rr.ReplicationRuleError, match="replica_kms_key_arn is set but sse_kms_encrypted_objects is false"):
        rr.plan_present(None, {"id": "a", "role_arn": ROLE, "destination_bucket": "stats-data-tgt", "replica_kms_key_arn": KEY,
                               "sse_kms_encrypted_objects": False}, BUCKET)


@pytest.mark.parametrize(
    "key, fragment",
    [
        ("0987dcba-09fe-87dc-65ba-ab0987654321", "not a full KMS key ARN"),
        ("arn:aws:kms:us-east-1:880161310235:alias/aws/s3", "AWS managed key aws/s3"),
        (KEY.replace("us-east-1", "eu-west-1"), "is in region eu-west-1 but the destination bucket is in us-east-1"),
    ],
)
def test_replica_key_forms(key, fragment):
    problems = s3_rules.check_replica_key_arn(rule((["Destination", "EncryptionConfiguration", "ReplicaKmsKeyID"], key)), {"destination_region": "us-east-1"})
    assert len(problems) == 1 and fragment in problems[0]


def test_tags_inside_not_count_for_delete_markers():
    excluded = rule(Filter={"Not": {"Tag": {"Key": "k", "Value": "v"}}}, DeleteMarkerReplication={"Status": "Enabled"})
    assert s3_rules.check_delete_markers_with_tags(excluded, {})


def test_priorities_clashing_with_the_managed_rule_only():
    clash = configuration(V2_RULE, dict(V2_RULE, ID="second"), dict(V2_RULE, ID="third", Priority=5), dict(V2_RULE, ID="fourth", Priority=5))
    problems = s3_rules.check_unique_priorities(clash, {"bucket": BUCKET, "rule_id": "second"})
    assert problems == [
        "priority 1 is already used by rule 'all-objects': every rule needs a distinct priority; set priority to a free value such as 6 "
        "(or leave it unset to take one above the highest)"
    ]


def test_role_change_with_other_rules_needs_replace_role():
    before = configuration(V2_RULE, role="arn:aws:iam::211258069784:role/other")
    after = configuration(V2_RULE, dict(V2_RULE, ID="ours", Priority=2))
    context = {"bucket": BUCKET, "rule_id": "ours", "before": before}
    assert "set replace_role: true" in s3_rules.check_single_role(after, context)[0]
    assert s3_rules.check_single_role(after, dict(context, replace_role=True)) == []


# Estate problems, the orchestration's preflight entry point


def test_estate_problems_name_each_bucket_and_the_fix():
    problems = s3_rules.estate_problems(
        configuration(V2_RULE), bucket("stats-data-src", versioning="Suspended", object_lock=True), bucket("stats-data-tgt", versioning="Disabled")
    )
    assert len(problems) == 3, problems
    assert problems[0].startswith("source bucket 'stats-data-src' has versioning Suspended")
    assert "Versioning must be 'Enabled' on the bucket to apply a replication configuration" in problems[0]
    assert problems[1].startswith("destination bucket 'stats-data-tgt' has versioning Disabled")
    assert "replication_object_lock: true" in problems[2]


def test_estate_problems_accept_rule_options_and_skip_rules_to_remove():
    locked = bucket("stats-data-src", object_lock=True)
    missing = {"name": "stats-data-tgt", "exists": False}
    assert s3_rules.estate_problems([{"id": "a", "state": "absent"}], locked, missing) == []
    assert "does not exist yet" in s3_rules.estate_problems([{"id": "a"}], locked, missing)[0]


def test_unknown_facts_are_not_problems():
    unknown = {"name": "stats-data-tgt", "exists": True, "versioning": None, "object_lock": None}
    assert s3_rules.estate_problems([V2_RULE], bucket("stats-data-src"), unknown) == []
    assert s3_rules.estate_problems([V2_RULE], bucket("stats-data-src", object_lock=True), None) == []


def test_storage_classes_leave_out_what_s3_does_not_replicate_into():
    assert rr.STORAGE_CLASSES is s3_rules.STORAGE_CLASSES
    assert "FSX_OPENZFS" not in rr.STORAGE_CLASSES and "STANDARD_IA" in rr.STORAGE_CLASSES
