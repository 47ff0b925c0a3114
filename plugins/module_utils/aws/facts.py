# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What an account holds, read in the one shape every part of the collection uses.

``s3_replication_info`` returns these facts for the buckets, roles and keys it is asked about, the
planner decides from them which writes are needed, and every write module reads its current state
with the same functions, so "what the preflight saw" and "what the module sees" cannot differ in
shape. A read that fails is recorded in the fact's ``errors`` (attribute -> text) when ``strict``
is false (the doctor reports it); a write module reads strictly and stops on the AWS error.

    bucket: {name, exists, region, versioning, encryption, object_ownership, object_lock, policy,
             replication, has_objects, errors}
    role:   {name, exists, arn, path, description, trust_policy, inline_policies {name: document},
             managed_policies [{arn, name, document}], permissions_boundary, errors}
    key:    {reference, exists, metadata, policy, grants, errors}
    topic:  {arn, exists, policy, kms_master_key_id, subscriptions [{protocol, endpoint, arn}], tags, errors}
    alarm:  {name, exists, alarm (DescribeAlarms' fields), errors}
    dashboard: {name, exists, body (the JSON parsed, as GetDashboard answers it), errors}

A bucket's ``notification`` (its notification configuration, ``{}`` when it has none) is read only
when asked for, as are topics, alarms and dashboards: runs without replication_alerts make none of these calls.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import cloudwatch as aws_cloudwatch
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import iam as aws_iam
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import kms as aws_kms
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sns as aws_sns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import error_text

BUCKET_ATTRIBUTES = ("versioning", "encryption", "object_ownership", "object_lock", "policy", "replication", "has_objects", "notification")
# What s3_replication_info reads when not told: the notification configuration only on request.
DEFAULT_BUCKET_ATTRIBUTES = BUCKET_ATTRIBUTES[:-1]
ALL_INLINE_POLICIES = None


class _Reader:
    """Runs one read per attribute; a failure is raised (strict) or recorded in ``errors``."""

    def __init__(self, errors, strict):
        self.errors = errors
        self.strict = strict

    def read(self, attribute, function, *args):
        try:
            return function(*args)
        except AwsCallFailure as failure:
            if self.strict:
                raise
            self.errors[attribute] = error_text(failure.error) if failure.error is not None else failure.message
            return None


def missing_bucket(name):
    return {"name": name, "exists": False, "region": None, "errors": {}}


def bucket(s3, name, account_id, partition, default_region, attributes=DEFAULT_BUCKET_ATTRIBUTES, strict=False, owner=None):
    """The facts of bucket ``name``: only ``attributes`` are read (the others stay None)."""
    facts = dict(missing_bucket(name), exists=None, **{attribute: None for attribute in BUCKET_ATTRIBUTES})
    reader = _Reader(facts["errors"], strict)
    try:
        region = aws_s3.head_bucket(s3, name, owner)
    except AwsCallFailure as failure:
        if strict:
            raise
        facts["errors"]["exists"] = error_text(failure.error)
        return facts
    if region is None:
        facts["exists"] = False
        return facts
    facts.update(exists=True, region=region)
    readers = {
        "versioning": lambda: aws_s3.get_versioning(s3, name, owner),
        "encryption": lambda: bucket_settings.encryption_settings(aws_s3.get_encryption(s3, name, owner), partition, region or default_region, account_id),
        "object_ownership": lambda: bucket_settings.object_ownership_setting(aws_s3.get_ownership_controls(s3, name, owner)),
        "object_lock": lambda: aws_s3.object_lock_enabled(s3, name, owner),
        "policy": lambda: aws_s3.get_policy(s3, name, owner),
        "replication": lambda: aws_s3.get_replication(s3, name, owner),
        "has_objects": lambda: aws_s3.has_objects(s3, name, owner),
        "notification": lambda: aws_s3.get_notification(s3, name, owner),
    }
    for attribute in attributes:
        facts[attribute] = reader.read(attribute, readers[attribute])
    return facts


def role(iam, name, inline_policy_names=ALL_INLINE_POLICIES, managed=True, strict=False):
    """The facts of role ``name``; ``inline_policy_names`` limits which inline policies are read (None: all)."""
    facts = {"name": name, "exists": None, "arn": None, "path": None, "description": None, "trust_policy": None, "inline_policies": {},
             "managed_policies": [], "permissions_boundary": None, "errors": {}}
    reader = _Reader(facts["errors"], strict)
    details = reader.read("role", aws_iam.get_role, iam, name)
    if details is None:
        facts["exists"] = False if "role" not in facts["errors"] else None
        return facts
    facts.update(exists=True, arn=details["arn"], path=details["path"], description=details["description"], trust_policy=details["trust_policy"])
    names = inline_policy_names
    if names is ALL_INLINE_POLICIES:
        names = reader.read("inline_policies", aws_iam.list_role_policies, iam, name) or []
    for policy_name in names:
        document = reader.read(f"inline_policies.{policy_name}", aws_iam.get_role_policy, iam, name, policy_name)
        if document is not None:
            facts["inline_policies"][policy_name] = document
    if managed:
        for attached in reader.read("managed_policies", aws_iam.list_attached_role_policies, iam, name) or []:
            document = reader.read(f"managed_policies.{attached['PolicyArn']}", aws_iam.get_managed_policy_document, iam, attached["PolicyArn"])
            facts["managed_policies"].append({"arn": attached["PolicyArn"], "name": attached.get("PolicyName"), "document": document})
    if details["permissions_boundary_arn"]:
        facts["permissions_boundary"] = reader.read("permissions_boundary", aws_iam.get_managed_policy_document, iam, details["permissions_boundary_arn"])
    return facts


def key(kms, reference, policy=True, grants=True, strict=False):
    """The facts of the key ``reference`` (a key id, key ARN or alias)."""
    facts = {"reference": reference, "exists": None, "metadata": None, "policy": None, "grants": [], "errors": {}}
    reader = _Reader(facts["errors"], strict)
    metadata = reader.read("metadata", aws_kms.describe_key, kms, reference)
    if metadata is None:
        facts["exists"] = False if "metadata" not in facts["errors"] else None
        return facts
    facts.update(exists=True, metadata=metadata)
    if policy:
        facts["policy"] = reader.read("policy", aws_kms.get_key_policy, kms, metadata["Arn"])
    if grants:
        facts["grants"] = reader.read("grants", aws_kms.list_grants, kms, metadata["Arn"]) or []
    return facts


def bucket_default_keys(buckets, account_id):
    """ARNs of the default-encryption keys of ``buckets`` (facts) that belong to ``account_id``."""
    found = []
    for facts in buckets.values():
        key_arn = (facts.get("encryption") or {}).get("kms_key_arn")
        if key_arn and ":key/" in key_arn and key_arn.split(":")[4] == account_id and key_arn not in found:
            found.append(key_arn)
    return found


def topic(sns, arn, strict=False):
    """The facts of the SNS topic ``arn``: its policy, encryption key, subscriptions and tags."""
    facts = {"arn": arn, "exists": None, "policy": None, "kms_master_key_id": None, "subscriptions": [], "tags": {}, "errors": {}}
    reader = _Reader(facts["errors"], strict)
    attributes = reader.read("attributes", aws_sns.get_topic_attributes, sns, arn)
    if attributes is None:
        facts["exists"] = False if "attributes" not in facts["errors"] else None
        return facts
    facts.update(exists=True, policy=aws_s3.parse_document(attributes["Policy"]) if attributes.get("Policy") else None,
                 kms_master_key_id=attributes.get("KmsMasterKeyId") or None)
    facts["subscriptions"] = reader.read("subscriptions", aws_sns.list_subscriptions, sns, arn) or []
    facts["tags"] = reader.read("tags", aws_sns.list_tags, sns, arn) or {}
    return facts


def alarms(cloudwatch, names, strict=False):
    """{name: facts} of the CloudWatch metric alarms ``names`` (one DescribeAlarms call per 100 names)."""
    errors = {}
    found = _Reader(errors, strict).read("alarms", aws_cloudwatch.describe_alarms, cloudwatch, names)
    return {name: {"name": name, "exists": None if errors else name in found, "alarm": (found or {}).get(name), "errors": dict(errors)} for name in names}


def dashboard(cloudwatch, name, strict=False):
    """The facts of the CloudWatch dashboard ``name`` (features/dashboard tells whether it is ours)."""
    facts = {"name": name, "exists": None, "body": None, "errors": {}}
    text = _Reader(facts["errors"], strict).read("body", aws_cloudwatch.get_dashboard, cloudwatch, name)
    if not facts["errors"]:
        facts.update(exists=text is not None, body=aws_s3.parse_document(text) if text is not None else None)
    return facts


def topic_keys(topics):
    """The KMS keys (as the topics name them) that encrypt ``topics`` (facts)."""
    return list(dict.fromkeys(facts["kms_master_key_id"] for facts in topics.values() if facts.get("kms_master_key_id")))


def key_facts(account_facts, key_arn):
    """The facts of the key ``key_arn`` (by the reference it was read with, or its ARN) in an account's facts, or None."""
    for reference, key in (account_facts.get("keys") or {}).items():
        if key_arn in (reference, (key.get("metadata") or {}).get("Arn")):
            return key
    return None


def bucket_facts(account_facts, bucket):
    """The facts of ``bucket`` in an account's facts, or None."""
    return (account_facts.get("buckets") or {}).get(bucket)
