# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which rule S3 applies to an object: its precedence between the rules of one replication configuration.

S3 attempts every rule, but where two or more enabled rules name the same destination bucket, an
object is replicated by the matching rule with the highest priority (the higher number; S3 API
reference, ``ReplicationRule.Priority``). Rules to different destinations all apply. So:

- a rule whose objects a higher-priority rule to the same destination matches entirely never
  applies (it is *shadowed*);
- a higher-priority rule *takes* from a lower one the objects both match.

Filters are compared in the canonical form of ``replication_rules.canonical_filter``:
``{"prefix", "tags": [[key, value]], "not": {"prefixes", "tags"}}`` (an object matches when its key
starts with the prefix, it carries every tag, and no exclusion applies). An object has one value
per tag key. Every answer is certain: ``covers`` says True only when no object could escape.
"""

from collections import namedtuple

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import ENABLED
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.admission import is_legacy_rule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.replication_rules import canonical_filter

# A rule among the enabled rules: the higher-priority rule to its destination that matches all its
# objects (None when it applies to some), and [(lower rule, filter of the objects taken)].
Standing = namedtuple("Standing", "rule shadowed_by takes")


def rule_filter(rule):
    """The canonical filter of a rule, V1 (top-level Prefix) or V2."""
    return canonical_filter({"Prefix": rule.get("Prefix")} if is_legacy_rule(rule) else rule.get("Filter"))


def priority(rule):
    """The rule's priority; None for a V1 rule (V1 rules may not overlap, so none outranks another)."""
    if is_legacy_rule(rule) or rule.get("Priority") is None:
        return None
    return int(rule["Priority"])


def destination(rule):
    """The destination bucket's ARN, as S3 keeps it in the rule."""
    return (rule.get("Destination") or {}).get("Bucket")


def outranks(higher, lower):
    """True when S3 replicates the objects both rules match by ``higher``: same destination, higher priority."""
    first, second = priority(higher), priority(lower)
    return first is not None and second is not None and first > second and destination(higher) == destination(lower)


def _exclusion(rule_filter_):
    found = rule_filter_.get("not") or {}
    return list(found.get("prefixes") or []), [list(tag) for tag in found.get("tags") or []]


def matches_nothing(rule_filter_):
    """True when no object can match: two values for one tag key, or an exclusion that removes every match."""
    tags = [list(tag) for tag in rule_filter_.get("tags") or []]
    values = {}
    for tag_key, value in tags:
        if values.setdefault(tag_key, value) != value:
            return True
    prefixes, excluded_tags = _exclusion(rule_filter_)
    return any(rule_filter_["prefix"].startswith(prefix) for prefix in prefixes) or any(tag in tags for tag in excluded_tags)


def overlap(first, second):
    """The filter of the objects both filters match; None when there is none."""
    prefix_a, prefix_b = first["prefix"], second["prefix"]
    if not (prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)):
        return None
    tags = sorted({tuple(tag) for tag in list(first["tags"]) + list(second["tags"])})
    prefixes_a, tags_a = _exclusion(first)
    prefixes_b, tags_b = _exclusion(second)
    both = {"prefix": max(prefix_a, prefix_b, key=len), "tags": [list(tag) for tag in tags]}
    if prefixes_a or prefixes_b or tags_a or tags_b:
        both["not"] = {"prefixes": sorted(set(prefixes_a + prefixes_b)), "tags": sorted(tags_a + [t for t in tags_b if t not in tags_a])}
    return None if matches_nothing(both) else both


def covers(outer, inner):
    """True when every object ``inner`` matches, ``outer`` matches too."""
    if matches_nothing(inner):
        return True
    if not inner["prefix"].startswith(outer["prefix"]):
        return False
    if not {tuple(tag) for tag in outer["tags"]} <= {tuple(tag) for tag in inner["tags"]}:
        return False
    prefixes, tags = _exclusion(outer)
    excluded = [{"prefix": prefix, "tags": []} for prefix in prefixes] + [{"prefix": "", "tags": [tag]} for tag in tags]
    return all(overlap(inner, exclusion) is None for exclusion in excluded)


def standings(rules):
    """The Standing of each enabled rule, highest priority first (rules without a priority last)."""
    enabled = [rule for rule in rules if rule.get("Status") == ENABLED]
    ordered = sorted(enabled, key=lambda rule: -1 if priority(rule) is None else priority(rule), reverse=True)
    found = []
    for rule in ordered:
        own = rule_filter(rule)
        shadowed_by = next((other for other in ordered if outranks(other, rule) and covers(rule_filter(other), own)), None)
        takes = [(lower, both) for lower in ordered if outranks(rule, lower) for both in [overlap(own, rule_filter(lower))] if both is not None]
        found.append(Standing(rule, shadowed_by, takes))
    return found


def describe(rule_filter_):
    """The objects a filter matches, in words: 'every object', "objects under 'logs/' tagged team=stats"."""
    if matches_nothing(rule_filter_):
        return "no object"
    parts = []
    if rule_filter_["prefix"]:
        parts.append(f"under '{rule_filter_['prefix']}'")
    if rule_filter_["tags"]:
        parts.append("tagged " + " and ".join(f"{tag_key}={value}" for tag_key, value in rule_filter_["tags"]))
    prefixes, tags = _exclusion(rule_filter_)
    excluded = [f"under '{prefix}'" for prefix in prefixes] + [f"tagged {tag_key}={value}" for tag_key, value in tags]
    text = "objects " + " ".join(parts) if parts else "every object"
    return text + (" except those " + " or ".join(excluded) if excluded else "")
