# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import canary

DST_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"


def rule(rule_id="r", status="Enabled", priority=1, **rule_filter):
    return {"ID": rule_id, "Status": status, "Priority": priority, "Filter": rule_filter}


@pytest.mark.parametrize("prefix, key", [
    ("s3-crossaccount-canary/", "s3-crossaccount-canary/abc.txt"),
    ("reports", "reports/abc.txt"),
    ("/reports/", "reports/abc.txt"),
    ("", "abc.txt"),
    (None, "abc.txt"),
])
def test_canary_key(prefix, key):
    assert canary.canary_key(prefix, "abc") == key


def test_canary_token_is_checked():
    with pytest.raises(canary.CanaryError, match="token"):
        canary.canary_key("p/", "a/b")


@pytest.mark.parametrize("candidate, key, tags, selected", [
    (rule(), "any/key", {}, True),
    (rule(Prefix="reports/"), "reports/a", {}, True),
    (rule(Prefix="reports/"), "logs/a", {}, False),
    (rule(Tag={"Key": "replicate", "Value": "yes"}), "a", {"replicate": "yes"}, True),
    (rule(Tag={"Key": "replicate", "Value": "yes"}), "a", {"replicate": "no"}, False),
    (rule(And={"Prefix": "r/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}), "r/x", {"a": "1", "b": "2"}, True),
    (rule(And={"Prefix": "r/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}), "r/x", {"a": "1"}, False),
    ({"ID": "legacy", "Status": "Enabled", "Prefix": "old/"}, "old/x", {}, True),
    ({"ID": "legacy", "Status": "Enabled", "Prefix": "old/"}, "new/x", {}, False),
    (rule(status="Disabled"), "a", {}, False),
])
def test_rule_matches(candidate, key, tags, selected):
    assert canary.rule_matches(candidate, key, tags) is selected


def test_matching_rules_highest_priority_first_and_selection_problems():
    configuration = {"Rules": [rule("low", priority=1), rule("high", priority=9), rule("logs", Prefix="logs/", priority=5)]}
    assert canary.matching_rules(configuration, "c/x", {}) == ["high", "low"]
    assert canary.selection_problem("b", configuration, "c/x", {}) is None
    assert "no replication configuration" in canary.selection_problem("b", None, "c/x", {})
    only_logs = {"Rules": [rule("logs", Prefix="logs/")]}
    assert "no enabled replication rule of b selects the canary c/x" in canary.selection_problem("b", only_logs, "c/x", {})


def test_status_verdicts():
    assert canary.status_verdict("b", "k", "COMPLETED", 3.0, False)["ok"] is True
    failed = canary.status_verdict("b", "k", "FAILED", 3.0, False)
    assert not failed["ok"] and "FAILED" in failed["reason"] and any("DstKmsKey" in hint for hint in failed["hints"])
    pending = canary.status_verdict("b", "k", "PENDING", 300.0, True)
    assert not pending["ok"] and "still PENDING after 300.0 seconds" in pending["reason"] and "never leaves PENDING" in pending["reason"]
    missing = canary.status_verdict("b", "k", None, 30.0, True)
    assert not missing["ok"] and "no replication status after 30.0 seconds" in missing["reason"]


def head(sse="aws:kms", key=DST_KEY, version="v1", status="REPLICA"):
    return {"ServerSideEncryption": sse, "SSEKMSKeyId": key, "VersionId": version, "ReplicationStatus": status}


def test_a_good_replica():
    replica = canary.evaluate_replica("dst", "k", head(), "owner-dst", "owner-dst", DST_KEY, "v1")
    assert replica["ok"] and replica["problems"] == [] and replica["same_version_id"] is True


@pytest.mark.parametrize("found, object_owner, words", [
    (head(key=DST_KEY.replace("0987dcba", "11112222")), "owner-dst", "not the destination key"),
    (head(sse="AES256", key=None), "owner-dst", "AES256, not SSE-KMS"),
    (head(), "owner-src", "owned by canonical user owner-src, not by the destination bucket's owner owner-dst"),
])
def test_replica_problems(found, object_owner, words):
    replica = canary.evaluate_replica("dst", "k", found, object_owner, "owner-dst", DST_KEY)
    assert not replica["ok"] and any(words in problem for problem in replica["problems"])
    assert replica["same_version_id"] is None


def test_a_missing_replica():
    replica = canary.evaluate_replica("dst", "k", None, None, None, DST_KEY, "v1")
    assert replica == {"ok": False, "present": False, "bucket": "dst", "key": "k", "problems": [replica["problems"][0]]}
    assert "no replica of k in dst" in replica["problems"][0]


def test_versions_of_key_takes_exactly_that_key():
    pages = [
        {"Versions": [{"Key": "c/k", "VersionId": "1"}, {"Key": "c/k2", "VersionId": "2"}], "DeleteMarkers": [{"Key": "c/k", "VersionId": "3"}]},
        {"Versions": [{"Key": "c/k", "VersionId": "4"}]},
    ]
    assert canary.versions_of_key(pages, "c/k") == [{"Key": "c/k", "VersionId": v} for v in ("1", "3", "4")]


def canary_options(**changes):
    values = {"bucket": "arn:aws:s3:::stats-data-src", "mode": "source", "state": "present", "key": None, "key_prefix": canary.DEFAULT_KEY_PREFIX,
              "kms_key_arn": "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab", "tags": {"replicate": 1},
              "body": "canary\n", "source_version_id": None, "expected_bucket_owner": None, "wait_timeout": 60, "poll_interval": 5}
    values.update(changes)
    return values


def test_options_give_the_bucket_name_and_tags_as_text_and_leave_the_input_alone():
    given = canary_options()
    options = canary.validated_options(given)
    assert options["bucket"] == "stats-data-src" and options["tags"] == {"replicate": "1"}
    assert given["bucket"] == "arn:aws:s3:::stats-data-src"


def test_a_replica_check_needs_the_canary_key_but_no_removal_needs_a_kms_key():
    with pytest.raises(canary.CanaryError, match="key is required with mode=replica state=present"):
        canary.validated_options(canary_options(mode="replica", kms_key_arn=DST_KEY))
    assert canary.validated_options(canary_options(state="absent", key="k", kms_key_arn=None))["key"] == "k"


def test_summaries_of_both_sides():
    configuration = {"Rules": [rule("all")]}
    assert canary.source_summary("b", "c/k.txt", configuration, {}) == {
        "bucket": "b", "key": "c/k.txt", "version_id": None, "matching_rules": ["all"], "replication_status": None, "waited_seconds": 0,
        "timed_out": False}
    assert canary.replica_summary("b", "c/k.txt", {"VersionId": "v1", "ReplicationStatus": "REPLICA"}, 3.0, False) == {
        "bucket": "b", "key": "c/k.txt", "version_id": "v1", "replication_status": "REPLICA", "waited_seconds": 3.0, "timed_out": False}
    assert canary.replica_summary("b", "c/k.txt", None, 0, True)["version_id"] is None
    assert canary.removal_diff([{"Key": "c/k.txt", "VersionId": "v1"}]) == {"before": {"versions": ["v1"]}, "after": {"versions": []}}
