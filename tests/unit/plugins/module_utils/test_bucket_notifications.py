# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Entries of a bucket's notification configuration: merge by Id, S3's overlap rule, who delivers an event."""

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_notifications as bn

TOPIC = "arn:aws:sns:us-east-1:211258069784:alerts"
FAILED = "s3:Replication:OperationFailedReplication"


def entry(entry_id="ours", events=(FAILED,), prefix=None, suffix=None, destination=TOPIC):
    return {"id": entry_id, "destination_arn": destination, "events": list(events), "filter_prefix": prefix, "filter_suffix": suffix, "state": "present"}


def item(entry_id, events, prefix="", suffix="", field="TopicArn", arn=TOPIC):
    found = {"Id": entry_id, field: arn, "Events": list(events)}
    rules = [{"Name": name, "Value": value} for name, value in (("Prefix", prefix), ("Suffix", suffix)) if value]
    if rules:
        found["Filter"] = {"Key": {"FilterRules": rules}}
    return found


@pytest.mark.parametrize("other, overlap", [
    (item("a", ["s3:Replication:*"]), True),
    (item("a", [FAILED], prefix="logs/"), True),
    (item("a", ["s3:ObjectCreated:*"]), False),
    (item("a", ["s3:Replication:OperationMissedThreshold"]), False),
])
def test_overlap_needs_a_shared_event_type_and_overlapping_keys(other, overlap):
    assert bool(bn.overlaps({"TopicConfigurations": [other]}, [entry()])) is overlap


@pytest.mark.parametrize("ours, theirs, overlap", [
    (("logs/", None), ("data/", None), False),
    (("logs/", None), ("logs/2026/", None), True),
    ((None, ".csv"), (None, ".json"), False),
    ((None, ".csv"), ("x/", "data.csv"), True),
])
def test_keys_overlap_when_one_prefix_and_one_suffix_contain_the_other(ours, theirs, overlap):
    other = item("a", [FAILED], prefix=theirs[0] or "", suffix=theirs[1] or "", field="QueueArn", arn="arn:aws:sqs:us-east-1:211258069784:q")
    assert bool(bn.overlaps({"QueueConfigurations": [other]}, [entry(prefix=ours[0], suffix=ours[1])])) is overlap


def test_our_own_ids_never_overlap_with_themselves():
    assert bn.overlaps({"TopicConfigurations": [item("ours", [FAILED])]}, [entry()]) == []


def test_merge_moves_an_entry_to_the_list_of_its_new_destination_kind():
    queue = "arn:aws:sqs:us-east-1:211258069784:q"
    after = bn.merged({"TopicConfigurations": [item("ours", [FAILED])], "EventBridgeConfiguration": {}}, [entry(destination=queue)])
    assert after == {"QueueConfigurations": [item("ours", [FAILED], field="QueueArn", arn=queue)], "EventBridgeConfiguration": {}}


def test_canonical_ignores_order_and_filter_name_case_but_not_eventbridge():
    first = {"TopicConfigurations": [item("b", ["e:x", "e:a"], prefix="p/"), item("a", [FAILED])]}
    lower_case_filter = {"Key": {"FilterRules": [{"Name": "prefix", "Value": "p/"}]}}
    second = {"TopicConfigurations": [item("a", [FAILED]), dict(item("b", ["e:a", "e:x"]), Filter=lower_case_filter)]}
    assert bn.same_configuration(first, second)
    assert not bn.same_configuration(first, dict(second, EventBridgeConfiguration={}))


def test_delivering_names_the_entries_that_cover_a_rules_keys():
    configuration = {"TopicConfigurations": [item("all", ["s3:Replication:*"]), item("logs", [FAILED], prefix="logs/"), item("csv", [FAILED], suffix=".csv")]}
    assert bn.delivering(configuration, FAILED, "logs/2026/") == [("all", TOPIC), ("logs", TOPIC)]
    assert bn.delivering(configuration, FAILED, "") == [("all", TOPIC)]
