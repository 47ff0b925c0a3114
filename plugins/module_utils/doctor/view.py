# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the accounts hold, and the spec as S3 will use it: the view every check of the doctor reads.

What the accounts really hold wins over the spec where S3 uses it: the Bucket Key settings of
both buckets (they decide the KMS encryption context), whether the rules change the replica owner
(AccessControlTranslation), Object Lock on the source, and the replica key the rules name.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import precedence
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import SIDES
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

SAMPLE_OBJECT = "doctor-sample-object"


class DoctorError(Refused):
    """Facts or a spec the doctor cannot work with; the message names the input."""


def accounts_view(facts, spec, rule_ids=None, dashboard=None):
    """The View of ``facts = {"source": ..., "destination": ...}`` (s3_replication_info of each account) for ``spec``."""
    if not isinstance(facts, dict) or not all(isinstance(facts.get(side), dict) for side in SIDES):
        raise DoctorError("facts must be a dict with 'source' and 'destination', each the result of s3_replication_info in that account")
    try:
        return View(facts, spec, rule_ids, dashboard)
    except policy_model.PolicySpecError as error:
        raise DoctorError(f"the replication spec is invalid: {error}") from error


class View:
    """Facts of both accounts and the spec, with the lookups every check needs."""

    def __init__(self, facts, spec, rule_ids, dashboard=None):
        self.facts = facts
        self.dashboard = dashboard
        self.spec = dict(spec or {})
        base = policy_model.replication_policies(self.spec)
        self.role_arn = base["role_arn"]
        self.role_name = self.role_arn.rsplit("/", 1)[-1]
        self.partition = self.spec.get("partition") or "aws"
        self.source = dict(self.spec["source"], account_id=str(self.spec["source"]["account_id"]))
        self.destination = dict(self.spec["destination"], account_id=str(self.spec["destination"]["account_id"]))
        self.source_arn = f"arn:{self.partition}:s3:::{arns.bucket_name(self.source['bucket'])}"
        self.destination_arn = f"arn:{self.partition}:s3:::{arns.bucket_name(self.destination['bucket'])}"
        self.rule_ids = [str(r) for r in (rule_ids or [])]
        self.source_bucket = self._bucket("source")
        self.destination_bucket = self._bucket("destination")
        self.configuration = (self.source_bucket or {}).get("replication")
        self.rules = [r for r in (self.configuration or {}).get("Rules", []) if (r.get("Destination") or {}).get("Bucket") == self.destination_arn]
        self.enabled_rules = [r for r in self.rules if r.get("Status") == "Enabled"]
        self.standings = precedence.standings(self.rules)
        # The enabled rules S3 applies to some object: a rule a higher-priority one shadows entirely never applies.
        shadowed = [s.rule for s in self.standings if s.shadowed_by is not None]
        self.effective_rules = [r for r in self.enabled_rules if not any(r is rule for rule in shadowed)]
        self.role = (facts["source"].get("roles") or {}).get(self.role_name)
        self.effective_spec = self._effective_spec()
        self.permissions = policy_model.required_permissions(self.effective_spec)
        self.source_key = self.key("source", self.effective_spec["source"]["kms_key_arn"])
        self.replica_key_arn = self.effective_spec["destination"]["kms_key_arn"]
        self.replica_key = self.key("destination", self.replica_key_arn)

    def _bucket(self, side):
        name = arns.bucket_name(getattr(self, side)["bucket"])
        return (self.facts[side].get("buckets") or {}).get(name)

    def key(self, side, arn):
        for reference, key in (self.facts[side].get("keys") or {}).items():
            metadata = key.get("metadata") or {}
            if arn in (reference, metadata.get("Arn")):
                return key
        return None

    def account(self, side):
        return getattr(self, side)["account_id"]

    def existing(self, side):
        """The side's bucket facts when the bucket exists, else None."""
        bucket = getattr(self, f"{side}_bucket")
        return bucket if bucket and bucket.get("exists") else None

    def existing_buckets(self):
        """(side, bucket facts) of each side whose bucket exists, source first."""
        return [(side, self.existing(side)) for side in SIDES if self.existing(side)]

    def role_ready(self):
        return bool(self.role and self.role.get("exists"))

    def _effective_spec(self):
        spec = {k: v for k, v in self.spec.items() if k not in ("source", "destination")}
        source, destination = dict(self.spec["source"]), dict(self.spec["destination"])
        for side_spec, bucket in ((source, self.source_bucket), (destination, self.destination_bucket)):
            encryption = (bucket or {}).get("encryption")
            if encryption and encryption.get("algorithm") == "aws:kms":
                side_spec["bucket_key_enabled"] = bool(encryption.get("bucket_key_enabled"))
        if self.effective_rules:
            spec["owner_override"] = any(owner_override(r) for r in self.effective_rules)
        if (self.source_bucket or {}).get("object_lock") is not None:
            spec["object_lock"] = bool(self.source_bucket["object_lock"])
        replica = next((replica_key(r) for r in self.effective_rules if replica_key(r)), None)
        if replica and key_in(replica, destination):
            destination["kms_key_arn"] = replica
        spec["source"], spec["destination"] = source, destination
        return spec

    def ours(self, rule):
        return str(rule.get("ID")) in self.rule_ids

    def taken_from_ours(self, rule):
        """[(our rule, filter of the objects taken)] that ``rule``, not ours, takes from our rules by its higher priority."""
        if self.ours(rule):
            return []
        standing = next(s for s in self.standings if s.rule is rule)
        return [(lower, both) for lower, both in standing.takes if self.ours(lower)]

    def sample_prefix(self):
        for rule in self.effective_rules:
            prefix = rule_prefix(rule)
            if prefix:
                return prefix
        return ""

    def sample_object(self, bucket_arn):
        return f"{bucket_arn}/{self.sample_prefix()}{SAMPLE_OBJECT}"

    def role_policies(self):
        """{label: document} of every identity policy attached to the role."""
        if not self.role:
            return {}
        policies = {f"inline policy {name}": doc for name, doc in (self.role.get("inline_policies") or {}).items()}
        for managed in self.role.get("managed_policies") or []:
            policies[f"managed policy {managed.get('arn')}"] = managed.get("document")
        return policies


def owner_override(rule):
    return ((rule.get("Destination") or {}).get("AccessControlTranslation") or {}).get("Owner") == "Destination"


def replica_key(rule):
    return ((rule.get("Destination") or {}).get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")


def rule_prefix(rule):
    rule_filter = rule.get("Filter") or {}
    return rule_filter.get("Prefix") or (rule_filter.get("And") or {}).get("Prefix") or rule.get("Prefix") or ""


def key_in(key_arn, side):
    try:
        parsed = arns.parse_kms_key_arn(key_arn)
    except ValueError:
        return False
    return parsed["account_id"] == str(side["account_id"]) and parsed["region"] == side["region"]


def read_error(bucket_or_key, attribute):
    return ((bucket_or_key or {}).get("errors") or {}).get(attribute)
