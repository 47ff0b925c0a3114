# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the variables must satisfy before any AWS call: one host's pairs (a valid policy model, buckets named once, rules
S3 accepts), and the pairs of one run that share a document (the same settings, no rule id or priority twice).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import replication_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import model_spec
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import rule_module_options
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import user_words


def host_problems(pairs):
    """What one host's pairs must satisfy: a valid model, buckets named once, rule ids and priorities unique, rules S3 accepts."""
    problems = _partition_problems(pairs) or _document_problems(pairs)
    if problems:
        return problems
    buckets = [pairs[0]["source"]["bucket"]] + [pair["destination"]["bucket"] for pair in pairs]
    if len(set(buckets)) != len(buckets):
        problems.append(
            f"replication_source.bucket and a destination bucket, or two destinations, are the same bucket ({', '.join(buckets)}): "
            "bucket names are global; name each destination bucket once, none the source (same bucket)"
        )
    problems += _rule_set_problems(pairs, [rule for pair in pairs for rule in pair["rules"]])
    role_arns = [(f"{pair['labels'][side]}.role_arn", pair["credentials"][side].get("role_arn")) for pair in pairs for side in ("source", "destination")]
    for variable, role_arn in role_arns:
        if role_arn:
            try:
                arns.parse_role_arn(role_arn)
            except ValueError:
                problems.append(
                    f"{variable}: role_arn {role_arn} is not an IAM role ARN: give arn:aws:iam::ACCOUNT:role/NAME of the role to assume in "
                    "that side's account, or a profile instead"
                )
    return sorted(set(problems), key=problems.index)


def _document_problems(pairs):
    """The policy model's refusals of the pairs; the others get their documents."""
    problems = []
    for pair in pairs:
        try:
            pair["documents"] = policy_model.replication_policies(model_spec(pair))
        except policy_model.PolicySpecError as error:
            problems.append(pair["display"] + user_words(str(error), pair))
    return problems


def _partition_problems(pairs):
    """Buckets in regions of different partitions: S3 replicates within one partition only (whichever the direction)."""
    problems = []
    for pair in pairs:
        partitions = {side: _region_partition(pair[side]["region"]) for side in ("source", "destination")}
        if None not in partitions.values() and partitions["source"] != partitions["destination"]:
            problems.append(
                f"{pair['display']}{pair['labels']['source']}.region {pair['source']['region']} is in partition {partitions['source']}, "
                f"{pair['labels']['destination']}.region {pair['destination']['region']} in partition {partitions['destination']}: S3 replicates "
                "only between buckets of one partition (aws, aws-cn, aws-us-gov), in either direction; put both buckets in regions of one partition"
            )
    return problems


def _region_partition(region):
    try:
        return arns.partition_of_region(arns.validate_region(str(region)))
    except ValueError:
        return None


def reverse_problems(pairs):
    """What the reverse pairs of a two-way host must satisfy: rule ids S3 takes, a valid model, rules S3 accepts."""
    problems = two_way.rule_id_length_problems([rule for pair in pairs for rule in pair["rules"]]) or _document_problems(pairs)
    if problems:
        return problems
    return _rule_set_problems(pairs, [rule for pair in pairs for rule in pair["rules"]], where="replication_rules (their reverse rules, id + -reverse)")


def _rule_set_problems(pairs, rules, where="replication_rules"):
    problems = []
    ids = [rule["id"] for rule in rules]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        problems.append(
            f"{where}: each rule needs its own id (a rule is merged into the bucket replication configuration by id), but the ids are {', '.join(ids)}."
        )
    priorities = [rule["priority"] for rule in rules if rule.get("priority") is not None and rule.get("state") != "absent"]
    shared = sorted({priority for priority in priorities if priorities.count(priority) > 1})
    if shared:
        problems.append(
            f"{where}: rules share a priority ({', '.join(str(p) for p in shared)}): every rule of one replication configuration "
            "needs its own priority; change or drop the duplicate priority (unset priorities are chosen for you)."
        )
    for pair in pairs:
        problems += [f"{where} / {message}" for message in replication_rules.rule_problems(rule_module_options(pair, pair["rules"]))]
    return problems


# What pairs of one run must agree on when they share a document: (what, key of the document, the pair's setting).
AGREEMENTS = (
    (
        "the destination bucket's settings",
        lambda p: p["destination"]["bucket"],
        lambda p: {key: p["destination"][key] for key in ("account_id", "region", "kms_key_arn", "create_bucket", "bucket_key_enabled", "object_ownership")},
    ),
    ("the replication role", lambda p: (p["source"]["account_id"], p["role_name"]), lambda p: {"role_path": p["role_path"], "partition": p["partition"]}),
    (
        "the run lock",
        lambda p: "replication_lock" if p["playbook_options"].get("replication_lock") else p["name"],
        lambda p: {"replication_lock": p["playbook_options"].get("replication_lock")},
    ),
    (
        "the source bucket's failure alerts",
        lambda p: ("alerts", p["source"]["bucket"]) if p.get("alerts") else p["name"],
        lambda p: {"replication_alerts": p.get("alerts")},
    ),
    (
        "the source bucket's replication configuration",
        lambda p: p["source"]["bucket"],
        lambda p: {"replication_role_name": p["role_name"], "replication_role_path": p["role_path"], "replication_source": p["source"]},
    ),
)


def drop_conflicting(pairs, refused):
    """Refuses (the host of) a later pair that disagrees with an earlier one on a document both would write."""
    kept = []
    for pair in pairs:
        if pair["host"] in refused:
            continue
        problems = []
        for what, document, setting in AGREEMENTS:
            earlier = next((other for other in kept if other["host"] != pair["host"] and document(other) == document(pair)), None)
            if earlier and setting(earlier) != setting(pair):
                problems.append(
                    f"{pair['display']}{what} ({_document_text(document(pair))}) is also written by pair {earlier['name']} with other "
                    f"settings ({_difference(setting(earlier), setting(pair))}): give both pairs the same settings, or other names"
                )
        problems += _shared_rule_problems(pair, kept) + _shared_two_way_problems(pair, kept)
        if problems:
            refused.setdefault(pair["host"], []).extend(problems)
            kept = [other for other in kept if other["host"] != pair["host"]]
        else:
            kept.append(pair)
    return kept


def _document_text(document):
    return document if isinstance(document, str) else " ".join(str(part) for part in document)


def _difference(first, second):
    return ", ".join(f"{key}: {first.get(key)!r} / {second.get(key)!r}" for key in sorted(set(first) | set(second)) if first.get(key) != second.get(key))


def _shared_rule_problems(pair, kept):
    """Rules of pairs of other hosts in the same source bucket: ids and priorities must not collide."""
    others = [other for other in kept if other["source"]["bucket"] == pair["source"]["bucket"] and other["host"] != pair["host"]]
    problems = []
    for other in others:
        same_ids = sorted({rule["id"] for rule in pair["rules"]} & {rule["id"] for rule in other["rules"]})
        if same_ids:
            problems.append(
                f"{pair['display']}rule ids {', '.join(same_ids)} are also rules of pair {other['name']} in source bucket "
                f"{pair['source']['bucket']}: one configuration merges rules by id, so give each pair's rules their own ids"
            )
        priorities = {rule.get("priority") for rule in other["rules"]} - {None}
        clashing = sorted(priorities & ({rule.get("priority") for rule in pair["rules"]} - {None}))
        if clashing:
            problems.append(
                f"{pair['display']}priorities {', '.join(str(p) for p in clashing)} are also used by pair {other['name']} in source "
                f"bucket {pair['source']['bucket']}: every rule of one configuration needs its own priority"
            )
    return problems


def _shared_two_way_problems(pair, kept):
    """Two-way pairs of two hosts sharing a bucket: a replica is never replicated again, so the third bucket would not see the second's objects."""
    if not pair["two_way"]:
        return []
    buckets = {pair[side]["bucket"] for side in ("source", "destination")}
    for other in kept:
        others = {other[side]["bucket"] for side in ("source", "destination")}
        if other["two_way"] and other["host"] != pair["host"] and len(buckets & others) == 1:
            (shared,), (mine,), (theirs,) = buckets & others, buckets - others, others - buckets
            return [
                f"{pair['display']}bucket {shared} is also in the two-way pair {other['name']} (with {theirs}): an object written into {mine} "
                f"reaches {shared} as a replica, and S3 never replicates a replica again, so it would never reach {theirs}; replicate two-way "
                "between two buckets only (set replication_two_way: false on one of the pairs)"
            ]
    return []
