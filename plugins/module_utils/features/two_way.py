# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Two-way replication (``replication_two_way``, docs/two-way.md) as the planner sees it: a second, mirrored pair.

The forward pair replicates the source bucket into the destination bucket as without two-way. The
reverse pair is its mirror image: the destination account, bucket and key as its source, the source
account, bucket and key as its destination, its own role (``replication_reverse_role_name``, in the
destination account) and one rule per rule of ``replication_rules``, same filter, id + ``-reverse``.
Every playbook then plans the reverse pair with the same code as any pair; what differs is here:

* the rules of both directions sync replica modifications (``ReplicaModifications: Enabled``);
* the reverse pair's destination is the forward source bucket: it is never created, and this run
  changes none of its settings (the forward direction already enables its versioning); its Bucket
  Key setting, which decides the KMS encryption context, is taken from what the account holds;
* the reverse rule ids are derived, so the preflight refuses one that another rule of the bucket
  already has, or that exceeds S3's 255 characters; and a bucket whose replication configuration
  uses another role for other rules (one role per configuration);
* backfill and verify act in the directions their ``direction`` option names;
* the doctor's findings of each direction say which direction they are about, in the user's variables.

Pure functions, no AWS call.
"""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns

FORWARD = "forward"
REVERSE = "reverse"
BOTH = "both"
REVERSE_SUFFIX = "-reverse"
MAX_RULE_ID_LENGTH = 255
SIDE_KEYS = ("account_id", "bucket", "kms_key_arn", "region", "account")
SWAPPED_WORDS = {"replication_source": "replication_destination", "replication_destination": "replication_source",
                 "replication_role_name": "replication_reverse_role_name"}
SWAP = re.compile(r"\b(" + "|".join(SWAPPED_WORDS) + r")\b")


def directions(values, option=None, default=BOTH):
    """The directions a playbook acts in: forward without two-way; with it, what the ``direction`` of the playbook's variable
    ``option`` says (replication_backfill, replication_verify), else ``default``."""
    if not values.get("replication_two_way"):
        return (FORWARD,)
    chosen = ((values.get(option) or {}).get("direction") if option else None) or default
    return (FORWARD, REVERSE) if chosen == BOTH else (chosen,)


def forward_rules(rules):
    """The forward rules of a two-way setup: replica modifications sync back."""
    return [dict(rule, replica_modifications=True) for rule in rules]


def reverse_rules(rules):
    """One reverse rule per rule: the same filter and settings, id + -reverse, replica modifications synced."""
    return [dict(rule, id=reverse_rule_id(rule["id"]), replica_modifications=True) for rule in rules]


def reverse_rule_id(rule_id):
    return f"{rule_id}{REVERSE_SUFFIX}"


def reverse_pair(forward, values):
    """The mirror image of the ``forward`` pair (one destination), for the variables ``values`` (contract defaults applied)."""
    source, destination = forward["source"], forward["destination"]
    reverse_destination = dict(
        {key: source[key] for key in SIDE_KEYS},
        create_bucket=False,
        bucket_key_enabled=None,
        object_ownership=None,
        key_access=values["replication_source"]["key_access"],
    )
    return dict(
        forward,
        name=f"{forward['name']} ({REVERSE})",
        display=f"{forward['display']}reverse direction: ",
        direction=REVERSE,
        labels={"source": forward["labels"]["destination"], "destination": forward["labels"]["source"]},
        source={key: destination[key] for key in SIDE_KEYS},
        destination=reverse_destination,
        source_bucket_key_enabled=destination["bucket_key_enabled"],
        credentials={"source": forward["credentials"]["destination"], "destination": forward["credentials"]["source"]},
        rules=reverse_rules(forward["rules"]),
        role_name=values.get("replication_reverse_role_name") or forward["role_name"],
        role_variable="replication_reverse_role_name",
        batch_replication=reverse_batch(values.get("replication_backfill")),
    )


def reverse_batch(backfill):
    """The reverse Batch Replication job's report and manifest locations (destination account), or None."""
    if not backfill or not backfill.get("reverse_report_bucket"):
        return None
    return {
        "report_bucket": backfill["reverse_report_bucket"],
        "report_prefix": backfill.get("report_prefix"),
        "manifest_bucket": backfill["reverse_report_bucket"],
        "manifest_prefix": backfill.get("manifest_prefix") or backfill.get("report_prefix"),
    }


def rule_id_length_problems(rules):
    """Reverse rules (ids already + -reverse) whose ids are longer than S3 allows, named by their index in replication_rules."""
    problems = []
    for index, rule in enumerate(rules):
        if len(rule["id"]) > MAX_RULE_ID_LENGTH:
            problems.append(
                f"replication_rules[{index}].id: with replication_two_way its reverse rule id is the id + {REVERSE_SUFFIX}, {len(rule['id'])} "
                f"characters, and S3 rule IDs have at most {MAX_RULE_ID_LENGTH}: shorten the id to at most "
                f"{MAX_RULE_ID_LENGTH - len(REVERSE_SUFFIX)} characters"
            )
    return problems


def rule_collisions(pair, configuration, partition):
    """Rules of the reverse pair's source bucket that carry a reverse rule's id but replicate elsewhere: another's rule, never ours to merge into."""
    ours = {rule["id"] for rule in pair["rules"]}
    ours_to = arns.bucket_arn(pair["destination"]["bucket"], partition)
    bucket = pair["source"]["bucket"]
    problems = []
    for rule in (configuration or {}).get("Rules") or []:
        target = (rule.get("Destination") or {}).get("Bucket")
        if rule.get("ID") in ours and target != ours_to:
            forward_id = rule["ID"][: -len(REVERSE_SUFFIX)]
            problems.append(
                f"{pair['display']}replication_rules id {forward_id}: its reverse rule {rule['ID']} would replace rule {rule['ID']} of bucket "
                f"{bucket} (account {pair['source']['account_id']}), which replicates to {target}, not to {ours_to}: give the rule another id "
                f"in replication_rules (the reverse rule's id is the id + {REVERSE_SUFFIX}), or remove that rule from {bucket}"
            )
    return problems


def configuration_role_problems(pair, configuration, role_arn):
    """The reverse rules join the bucket's configuration, whose one role other rules may already use."""
    current = (configuration or {}).get("Role")
    if not current or current == role_arn or pair["replace_role"]:
        return []
    ours = {rule["id"] for rule in pair["rules"]}
    others = [str(rule.get("ID")) for rule in configuration.get("Rules") or [] if rule.get("ID") not in ours]
    if not others:
        return []
    return [
        f"{pair['display']}the replication configuration of bucket {pair['source']['bucket']} (account {pair['source']['account_id']}) uses role "
        f"{current} for rules {', '.join(others)}, and S3 gives a configuration one role for all its rules, so the reverse rules would have to use "
        f"it too: set replication_reverse_role_name to {current.rsplit('/', 1)[-1]} (the reverse inline policy is then added to that role), or "
        "replication_replace_role: true to move those rules to the reverse role"
    ]


def one_write_per_key_policy(writes):
    """Two-way uses each key as one direction's source key and the other's replica key: the statements of
    both for one key policy become one write, in the phase of the first (the replica key's, destinations)."""
    kept, by_key = [], {}
    for write in writes:
        if write["module"] != "kms_key_access" or write["args"]["mode"] != "policy":
            kept.append(write)
            continue
        key = (write["account"], write["args"]["key_id"])
        first = by_key.get(key)
        if first is None:
            by_key[key] = dict(write, args=dict(write["args"]))
            kept.append(by_key[key])
            continue
        statements = {}
        for entry in first["args"]["statements"] + write["args"]["statements"]:
            known = statements.setdefault(entry["sid"], entry)
            if known is not entry and known.get("merge_principals") and entry.get("merge_principals") and known.get("state") == entry.get("state"):
                statements[entry["sid"]] = dict(known, principals=sorted(set(known["principals"]) | set(entry["principals"])))
        first["args"]["statements"] = list(statements.values())
        first["pairs"] = sorted(set(first["pairs"]) | set(write["pairs"]))
    return kept


def labelled(diagnosis, direction):
    """The doctor's diagnosis of one direction, each finding saying which direction it is about (the reverse one in the user's variables)."""
    findings = []
    for found in diagnosis["findings"]:
        found = dict(found, direction=direction)
        if direction == REVERSE:
            found.update(message=users_words(found["message"]), fix=users_words(found["fix"]))
        findings.append(found)
    return dict(diagnosis, findings=findings)


def users_words(text):
    """A text about the reverse direction, where the doctor's 'replication_source' is the user's replication_destination, and so on."""
    return SWAP.sub(lambda match: SWAPPED_WORDS[match.group(1)], text or "")
