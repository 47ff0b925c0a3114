# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import precedence

TARGET = "arn:aws:s3:::stats-data-tgt"


def rule(rule_id, priority, rule_filter=None, bucket=TARGET, status="Enabled"):
    return {"ID": rule_id, "Priority": priority, "Status": status, "Filter": rule_filter or {}, "Destination": {"Bucket": bucket}}


def canonical(prefix="", tags=(), not_prefixes=(), not_tags=()):
    found = {"prefix": prefix, "tags": [list(tag) for tag in tags]}
    if not_prefixes or not_tags:
        found["not"] = {"prefixes": list(not_prefixes), "tags": [list(tag) for tag in not_tags]}
    return found


TEAM = ("team", "stats")


@pytest.mark.parametrize("outer, inner, expected", [
    (canonical(), canonical(), True),
    (canonical(), canonical("logs/"), True),
    (canonical("logs/"), canonical(), False),
    (canonical("logs/"), canonical("logs/2026/"), True),
    (canonical("logs/"), canonical("log"), False),
    (canonical("logs/"), canonical("reports/"), False),
    (canonical(tags=[TEAM]), canonical(), False),
    (canonical(tags=[TEAM]), canonical("logs/", tags=[TEAM, ("tier", "gold")]), True),
    (canonical(), canonical(tags=[TEAM]), True),
    (canonical(not_prefixes=["tmp/"]), canonical(), False),
    (canonical(not_prefixes=["tmp/"]), canonical("logs/"), True),
    (canonical(not_prefixes=["logs/old/"]), canonical("logs/"), False),
    (canonical(not_tags=[TEAM]), canonical(tags=[("team", "web")]), True),
    (canonical(not_tags=[TEAM]), canonical(tags=[("tier", "gold")]), False),
    (canonical("x/"), canonical(tags=[TEAM, ("team", "web")]), True),
])
def test_covers(outer, inner, expected):
    assert precedence.covers(outer, inner) is expected


@pytest.mark.parametrize("first, second, expected", [
    (canonical(), canonical("logs/"), canonical("logs/")),
    (canonical("logs/"), canonical("reports/"), None),
    (canonical("logs/", tags=[TEAM]), canonical("logs/2026/", tags=[("tier", "gold")]), canonical("logs/2026/", tags=[TEAM, ("tier", "gold")])),
    (canonical(tags=[TEAM]), canonical(tags=[("team", "web")]), None),
    (canonical(not_prefixes=["logs/"]), canonical("logs/2026/"), None),
    (canonical(not_prefixes=["tmp/"]), canonical("logs/"), canonical("logs/", not_prefixes=["tmp/"])),
])
def test_overlap(first, second, expected):
    assert precedence.overlap(first, second) == expected


def test_a_rule_covered_by_a_higher_rule_to_the_same_destination_is_shadowed():
    console = rule("replicate-all", 1)
    ours = rule("all-objects", 2)
    by_id = {s.rule["ID"]: s for s in precedence.standings([console, ours])}
    assert by_id["replicate-all"].shadowed_by is ours
    assert by_id["all-objects"].shadowed_by is None
    assert by_id["all-objects"].takes == [(console, canonical())]


def test_the_lower_number_never_shadows_and_a_narrower_higher_rule_takes_only_its_range():
    ours = rule("all-objects", 1)
    logs = rule("logs", 5, {"And": {"Prefix": "logs/", "Tags": [{"Key": "team", "Value": "stats"}]}})
    by_id = {s.rule["ID"]: s for s in precedence.standings([ours, logs])}
    assert by_id["all-objects"].shadowed_by is None and by_id["logs"].shadowed_by is None
    (taken,) = by_id["logs"].takes
    assert taken[0] is ours and precedence.describe(taken[1]) == "objects under 'logs/' tagged team=stats"


def test_rules_to_other_destinations_disabled_rules_and_v1_rules_do_not_compete():
    ours = rule("all-objects", 1)
    elsewhere = rule("archive", 9, bucket="arn:aws:s3:::archive")
    disabled = rule("paused", 8, status="Disabled")
    legacy = {"ID": "old", "Prefix": "", "Status": "Enabled", "Destination": {"Bucket": TARGET}}
    found = precedence.standings([ours, elsewhere, disabled, legacy])
    assert [s.rule["ID"] for s in found] == ["archive", "all-objects", "old"]
    assert all(s.shadowed_by is None and s.takes == [] for s in found)


def test_the_highest_covering_rule_is_named_first():
    lowest, middle, top = rule("a", 1, {"Prefix": "logs/"}), rule("b", 2), rule("c", 3)
    by_id = {s.rule["ID"]: s for s in precedence.standings([lowest, middle, top])}
    assert by_id["a"].shadowed_by is top and by_id["b"].shadowed_by is top


@pytest.mark.parametrize("rule_filter, expected", [
    (canonical(), "every object"),
    (canonical("logs/"), "objects under 'logs/'"),
    (canonical(tags=[TEAM]), "objects tagged team=stats"),
    (canonical(not_prefixes=["tmp/"], not_tags=[TEAM]), "every object except those under 'tmp/' or tagged team=stats"),
    (canonical(tags=[TEAM, ("team", "web")]), "no object"),
])
def test_describe(rule_filter, expected):
    assert precedence.describe(rule_filter) == expected


def test_rule_filter_reads_v1_v2_and_tag_filters_alike():
    assert precedence.rule_filter({"ID": "v1", "Prefix": "logs/"}) == canonical("logs/")
    assert precedence.rule_filter(rule("v2", 1, {"Tag": {"Key": "team", "Value": "stats"}})) == canonical(tags=[TEAM])
    assert precedence.rule_filter(rule("v2", 1, {"Prefix": ""})) == precedence.rule_filter(rule("v2", 1))
