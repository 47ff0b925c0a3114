# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the facts read say about a pair before any write: accounts that cannot be read or are the wrong ones, keys S3
cannot use, missing buckets, alerts that cannot be wired, what teardown and backfill need.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import admission as s3_rules
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import credentials_text
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.lookup import facts_of
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import key_facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import rule_module_options


def account_problems(pair, read, sides=("source", "destination")):
    """Problems of the pair's accounts as read: the read failed, or the credentials act in another account."""
    problems = []
    for side in sides:
        facts = read.get(pair[side]["account"]) or {"failed": True, "msg": "its host stopped before the read (see the task that failed above)"}
        label = pair["labels"][side]
        credentials = credentials_text(pair["credentials"][side])
        if facts.get("failed"):
            problems.append(f"{pair['display']}{label}: could not read account {pair[side]['account_id']} with {credentials}: {facts.get('msg')}")
        elif str(facts.get("account_id")) != pair[side]["account_id"]:
            problems.append(
                f"{pair['display']}{label}: the credentials from {credentials} act in account {facts.get('account_id')} ({facts.get('caller_arn')}), "
                f"but account_id is {pair[side]['account_id']}. Fix {label}.account_id, or give a profile / role_arn that acts in {pair[side]['account_id']}."
            )
    return problems


def pair_problems(pair, read, sides=("source", "destination")):
    """Problems found in the facts: keys S3 cannot use, a missing source bucket, a missing destination that must not be created."""
    if pair["direction"] == two_way.REVERSE:
        return reverse_pair_problems(pair, read)
    problems = []
    for side in sides:
        problems += _key_problems(pair, side, key_facts(facts_of(pair, read, side), pair[side]["kms_key_arn"]))
    if "source" in sides:
        problems += _source_bucket_problems(pair, read)
    destination = (bucket_facts(facts_of(pair, read, "destination"), pair["destination"]["bucket"]) or {}) if "destination" in sides else {}
    if destination.get("exists") is False and not pair["destination"]["create_bucket"]:
        label = pair["labels"]["destination"]
        problems.append(
            f"{pair['display']}{label}.bucket: bucket {pair['destination']['bucket']} does not exist in account "
            f"{pair['destination']['account_id']} and {label}.create_bucket is false: create it, or set create_bucket: true"
        )
    if tuple(sides) == ("source", "destination") and not problems:
        problems += [
            pair["display"] + problem
            for problem in s3_rules.estate_problems(
                rule_module_options(pair, pair["rules"]),
                _as_replicated(facts_of(pair, read, "source"), pair["source"]["bucket"]),
                _as_replicated(facts_of(pair, read, "destination"), pair["destination"]["bucket"]),
            )
        ]
    return problems


def reverse_pair_problems(pair, read):
    """A reverse pair's own problems (its keys and buckets are its forward pair's, checked there): rules S3 would refuse
    on these buckets, reverse rule ids another rule of the bucket has, a configuration another role serves."""
    configuration = (bucket_facts(facts_of(pair, read, "source"), pair["source"]["bucket"]) or {}).get("replication")
    problems = [
        pair["display"] + problem
        for problem in s3_rules.estate_problems(
            rule_module_options(pair, pair["rules"]),
            _as_replicated(facts_of(pair, read, "source"), pair["source"]["bucket"]),
            _as_replicated(facts_of(pair, read, "destination"), pair["destination"]["bucket"]),
        )
    ]
    problems += two_way.rule_collisions(pair, configuration, pair["partition"])
    return problems + two_way.configuration_role_problems(pair, configuration, pair["documents"]["role_arn"])


def teardown_problems(pair, read, _sides=None):
    """Teardown removes rules by id: a reverse rule id that replicates elsewhere is another's rule, refused rather than removed."""
    if pair["direction"] != two_way.REVERSE:
        return []
    configuration = (bucket_facts(facts_of(pair, read, "source"), pair["source"]["bucket"]) or {}).get("replication")
    return two_way.rule_collisions(pair, configuration, pair["partition"])


def _as_replicated(account_facts, bucket):
    """The bucket as this run leaves it for S3's admission rules: versioning enabled; a bucket it creates has no Object Lock."""
    facts = dict(bucket_facts(account_facts, bucket) or {"name": bucket})
    if facts.get("exists") is False:
        facts.update(exists=True, object_lock=False)
    return dict(facts, versioning="Enabled")


def _source_bucket_problems(pair, read):
    source = bucket_facts(facts_of(pair, read, "source"), pair["source"]["bucket"]) or {}
    if source.get("exists") is False:
        return [
            f"{pair['display']}replication_source.bucket: bucket {pair['source']['bucket']} does not exist in account "
            f"{pair['source']['account_id']}: replication starts from an existing bucket; fix replication_source.bucket (or the account)"
        ]
    return []


def backfill_problems(pair, read, _sides=None):
    """Batch Replication needs the variables of the job, an existing source bucket and the role replicate.yml made."""
    if not pair["batch_replication"]:
        return [
            f"{pair['display']}replication_backfill is required by playbooks/backfill.yml: give at least replication_backfill.report_bucket (docs/backfill.md)"
        ]
    problems = _source_bucket_problems(pair, read)
    role = (facts_of(pair, read, "source").get("roles") or {}).get(pair["role_name"]) or {}
    if role.get("exists") is False:
        problems.append(
            f"{pair['display']}the replication role {pair['role_name']} does not exist in account {pair['source']['account_id']}: "
            "run playbooks/replicate.yml with the same variables first"
        )
    return problems


def _key_problems(pair, side, key):
    label = f"{pair['display']}{pair['labels'][side]}.kms_key_arn {pair[side]['kms_key_arn']}"
    if key is None or key.get("exists") is False:
        return [
            f"{label}: no such key in account {pair[side]['account_id']}; replication needs an enabled, customer-managed, symmetric "
            "(SYMMETRIC_DEFAULT) key: give the full ARN of such a key in that account and region"
        ]
    if key.get("exists") is not True:
        errors = "; ".join((key.get("errors") or {}).values())
        return [f"{label}: the key could not be read ({errors}); give the credentials kms:DescribeKey on it"]
    metadata = key.get("metadata") or {}
    reasons = kms_keys.key_refusal_reasons(metadata)
    if reasons:
        spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
        return [
            f"{label}: the key is {metadata.get('KeyState')}, {metadata.get('KeyManager')}-managed, {spec}; replication needs an enabled, "
            "customer-managed, symmetric (SYMMETRIC_DEFAULT) key: " + "; ".join(reasons)
        ]
    return []


def alert_problems(pair, read, sides=("source", "destination")):
    """What keeps replication_alerts from being wired, found in the facts before any write: a missing topic, a topic key S3 may not use,
    another entry of the bucket that S3 would find overlapping ours."""
    if not pair.get("alerts") or "source" not in sides:
        return []
    facts, alerts, label = facts_of(pair, read, "source"), pair["alerts"], f"{pair['display']}replication_alerts"
    topic = (facts.get("topics") or {}).get(alerts["topic_arn"]) or {}
    problems = []
    if topic.get("errors"):
        problems.append(f"{label}: could not read topic {alerts['topic_arn']} ({'; '.join(topic['errors'].values())}): give the credentials "
                        "sns:GetTopicAttributes, sns:ListSubscriptionsByTopic and sns:ListTagsForResource on it")
    elif topic.get("exists") is False and not alerts["create"]:
        problems.append(f"{label}.topic_arn: topic {alerts['topic_arn']} does not exist in account {pair['source']['account_id']}: create it, "
                        "or give create_topic instead")
    elif topic.get("exists"):
        problems += replication_alerts.topic_key_problems(topic, key_facts(facts, topic.get("kms_master_key_id") or ""), f"{label}.topic_arn")[0]
    bucket = bucket_facts(facts, pair["source"]["bucket"]) or {}
    if bucket.get("notification") is not None:
        rules = [options for options in rule_module_options(pair, pair["rules"]) if options.get("state") != "absent"]
        problems += replication_alerts.notification_problems(bucket["notification"], alerts["topic_arn"], rules,
                                                             f"{label} (bucket {pair['source']['bucket']}'s notification configuration)")
    return problems + _dashboard_problems(pair, facts, label)


def _dashboard_problems(pair, facts, label):
    """Another's dashboard of the name we would write, or one that cannot be read."""
    asked = pair["alerts"]["dashboard"]
    found = (facts.get("dashboards") or {}).get(asked["name"]) if asked else None
    if not found:
        return []
    if found.get("errors"):
        return [f"{label}.dashboard: could not read CloudWatch dashboard {asked['name']} ({'; '.join(found['errors'].values())}): give the "
                "credentials cloudwatch:GetDashboard on it"]
    if found.get("exists") and not replication_dashboard.is_ours(found.get("body")):
        return [f"{label}.dashboard_name: " + replication_dashboard.not_ours_message(asked["name"], pair["source"]["account_id"])]
    return []


def replicate_problems(pair, read, sides=("source", "destination")):
    return pair_problems(pair, read, sides) or alert_problems(pair, read, sides)
