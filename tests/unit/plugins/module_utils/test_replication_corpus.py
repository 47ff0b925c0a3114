# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Replication configurations written outside this project (S3 User Guide, AWS CLI and botocore
examples, Terraform's acceptance tests, configurations users saw S3 refuse), each with its source.

What S3 accepts, s3_replication_rule must plan to a configuration with the same meaning, replan
without a change, and adopt as the other tool wrote it; what S3 refuses it must refuse before
writing."""

import copy
import json
import os

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules as rr

CORPUS = os.path.join(os.path.dirname(__file__), "corpus", "replication_configurations.json")
BUCKET = "corpus-source-bucket"

with open(CORPUS, encoding="utf-8") as handle:
    ENTRIES = json.load(handle)
ADOPTED = [entry for entry in ENTRIES if entry["collection"] == "adopts"]
REFUSED = [entry for entry in ENTRIES if entry["collection"] == "refuses"]


def _enabled(element):
    return (element or {}).get("Status") == "Enabled"


def _filter_options(rule):
    if rr.is_legacy_rule(rule):
        return {"prefix": rule["Prefix"], "tags": {}}
    rule_filter = rule.get("Filter") or {}
    conjunction = rule_filter.get("And") or {}
    tags = ([rule_filter["Tag"]] if rule_filter.get("Tag") else []) + list(conjunction.get("Tags") or [])
    return {"prefix": rule_filter.get("Prefix") or conjunction.get("Prefix") or "", "tags": {tag["Key"]: tag["Value"] for tag in tags}}


def _minutes(destination, element, child):
    return ((destination.get(element) or {}).get(child) or {}).get("Minutes")


def rule_options(rule, role):
    """The s3_replication_rule options that ask for ``rule`` (S3 API shape); a V1 rule replicates delete markers."""
    destination = rule.get("Destination") or {}
    selection = rule.get("SourceSelectionCriteria") or {}
    return {
        "id": rule["ID"],
        "role_arn": role,
        "status": rule["Status"].lower(),
        "priority": rule.get("Priority"),
        "filter": _filter_options(rule),
        "delete_marker_replication": rr.is_legacy_rule(rule) or _enabled(rule.get("DeleteMarkerReplication")),
        "replica_modifications": _enabled(selection.get("ReplicaModifications")),
        "sse_kms_encrypted_objects": _enabled(selection.get("SseKmsEncryptedObjects")),
        "existing_object_replication": _enabled(rule.get("ExistingObjectReplication")),
        "destination_bucket": destination["Bucket"],
        "destination_account": destination.get("Account"),
        "storage_class": destination.get("StorageClass"),
        "owner_override": (destination.get("AccessControlTranslation") or {}).get("Owner") == "Destination",
        "replica_kms_key_arn": (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID"),
        "replication_time_control": _enabled(destination.get("ReplicationTime")),
        "metrics": _enabled(destination.get("Metrics")),
        "metrics_event_threshold_minutes": _minutes(destination, "Metrics", "EventThreshold"),
        "replication_time_minutes": _minutes(destination, "ReplicationTime", "Time"),
    }


def as_s3_holds_it(entry):
    """The configuration as GetBucketReplication returns it: S3 names a rule written without an ID."""
    configuration = copy.deepcopy(entry["configuration"])
    for index, rule in enumerate(configuration["Rules"]):
        rule.setdefault("ID", f"s3-named-{index}")
    return configuration


def plan_all(current, configuration):
    """Every rule of ``configuration`` planned in order, from ``current``; the plans and the configuration written."""
    plans = []
    for rule in configuration["Rules"]:
        plan = rr.plan_present(current, rule_options(rule, configuration["Role"]), BUCKET)
        plans.append(plan)
        current = plan["after"]
    return plans, current


def meaning(configuration, original):
    """canonical_configuration, but a V1 rule has no priority: the module gives its V2 form the next free one."""
    legacy = {rule["ID"] for rule in original["Rules"] if rr.is_legacy_rule(rule)}
    canonical = rr.canonical_configuration(configuration)
    for rule in canonical["rules"]:
        if rule["id"] in legacy:
            rule["priority"] = None
    return canonical


def test_corpus_size_and_sources():
    assert len(ENTRIES) >= 20 and len(ADOPTED) >= 20
    assert len({entry["id"] for entry in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        assert entry["source"] and entry["s3"] in ("accepts", "refuses") and entry["collection"] in ("adopts", "refuses")
        assert entry["s3"] == "accepts" or entry["collection"] == "refuses", entry["id"]


@pytest.mark.parametrize("entry", ADOPTED, ids=lambda entry: entry["id"])
def test_what_s3_accepts_is_planned_to_the_same_meaning(entry):
    original = as_s3_holds_it(entry)
    plans, written = plan_all(None, original)
    assert all(plan["changed"] for plan in plans)
    assert meaning(written, original) == meaning(original, original)
    assert all(rule.get("Filter") is not None and rule.get("Priority") is not None for rule in written["Rules"])


@pytest.mark.parametrize("entry", ADOPTED, ids=lambda entry: entry["id"])
def test_planning_again_against_the_written_result_changes_nothing(entry):
    original = as_s3_holds_it(entry)
    _plans, written = plan_all(None, original)
    again, _after = plan_all(written, original)
    assert not any(plan["changed"] for plan in again)


@pytest.mark.parametrize("entry", ADOPTED, ids=lambda entry: entry["id"])
def test_what_another_tool_wrote_is_adopted_without_a_change(entry):
    original = as_s3_holds_it(entry)
    for rule in original["Rules"]:
        plan = rr.plan_present(original, rule_options(rule, original["Role"]), BUCKET)
        assert not plan["changed"], rule["ID"]
        assert plan["after"] is original


@pytest.mark.parametrize("entry", REFUSED, ids=lambda entry: entry["id"])
def test_what_s3_refuses_fails_before_any_write(entry):
    original = as_s3_holds_it(entry)
    *others, last = original["Rules"]
    current = dict(original, Rules=others) if others else None
    with pytest.raises(rr.ReplicationRuleError) as caught:
        rr.plan_present(current, rule_options(last, original["Role"]), BUCKET)
    assert any(entry["refusal"] in problem for problem in caught.value.problems), caught.value.problems
