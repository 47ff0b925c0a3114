# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication canary: its options, which rules select it, its replication status, judging the replica.

Plain values in, plain values out (module s3_replication_canary makes the calls, module_utils/aws/polling waits).
"""

import re

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

DEFAULT_KEY_PREFIX = "s3-crossaccount-canary/"
DONE_STATUSES = ("COMPLETED", "FAILED")
# HeadObject x-amz-replication-status on the source object, and what each means.
STATUS_MEANINGS = {
    "PENDING": "S3 has queued the object and not finished replicating it",
    "COMPLETED": "S3 replicated the object",
    "FAILED": "S3 tried and failed to replicate the object",
    "REPLICA": "the object is itself a replica",
}
# The usual causes of FAILED (S3 user guide, replication-failure-codes), with where to look.
FAILURE_HINTS = (
    "AssumeRoleNotPermitted: the replication role's trust policy does not allow s3.amazonaws.com",
    "SrcGetObjectNotPermitted / SrcKmsKeyNotPermitted: the role's policy lacks s3:GetObjectVersionForReplication or kms:Decrypt "
    "on the source key (or the source key policy does not allow the role)",
    "DstPutObjectNotPermitted: the destination bucket policy does not allow the role s3:ReplicateObject",
    "DstKmsKeyNotPermitted / DstKmsKeyNotFound / DstKmsKeyInvalidState: the destination key does not allow the role kms:Encrypt, "
    "is not the full ARN of a key in the destination region, or is disabled",
    "DstBucketUnversioned: versioning is not Enabled on the destination bucket",
    "the exact code of each failed object is in S3 Event Notifications (s3:Replication:OperationFailedReplication) "
    "and replication metrics; playbooks/replicate.yml --check --diff shows missing statements",
)
KEY_TOKEN = re.compile(r"^[A-Za-z0-9._-]+$")


class CanaryError(Refused):
    """An option cannot make a canary; the message names the option and the fix."""


def _checked(option, check, value):
    try:
        return check(value)
    except ValueError as e:
        raise CanaryError(f"{option}: {e}") from e


def validated_options(params):
    """The module's options, every one checked before any request, with the bucket as a name and the tags as text."""
    options = dict(params, bucket=_checked("bucket", arns.bucket_name, params["bucket"]), tags={str(k): str(v) for k, v in params["tags"].items()})
    if options["expected_bucket_owner"] is not None:
        options["expected_bucket_owner"] = _checked("expected_bucket_owner", arns.validate_account_id, options["expected_bucket_owner"])
    if options["state"] == "present":
        if not options["kms_key_arn"]:
            raise CanaryError("kms_key_arn is required with state=present: the source key (mode=source) or the destination key (mode=replica)")
        _checked("kms_key_arn", arns.parse_kms_key_arn, options["kms_key_arn"])
    if not options["key"] and (options["state"] == "absent" or options["mode"] == "replica"):
        raise CanaryError(f"key is required with mode={options['mode']} state={options['state']}: give the canary's key")
    if options["wait_timeout"] < 0 or options["poll_interval"] < 1:
        raise CanaryError("wait_timeout must be 0 or more and poll_interval at least 1 (seconds)")
    return options


def canary_key(prefix, token):
    """KEY = PREFIX + TOKEN + .txt; a fresh token per run keeps canaries of concurrent runs apart."""
    if not KEY_TOKEN.match(token):
        raise CanaryError(f"the canary token '{token}' may only hold letters, digits, dot, dash and underscore")
    text = (prefix or "").lstrip("/")
    if text and not text.endswith("/"):
        text += "/"
    return f"{text}{token}.txt"


def rule_matches(rule, key, tags):
    """Whether a replication rule (S3 API shape) selects an object with this key and these tags."""
    if rule.get("Status") != "Enabled":
        return False
    if "Filter" not in rule:
        return key.startswith(rule.get("Prefix", ""))
    rule_filter = rule["Filter"] or {}
    if "And" in rule_filter:
        wanted_prefix = rule_filter["And"].get("Prefix", "")
        wanted_tags = rule_filter["And"].get("Tags", [])
    else:
        wanted_prefix = rule_filter.get("Prefix", "")
        wanted_tags = [rule_filter["Tag"]] if "Tag" in rule_filter else []
    return key.startswith(wanted_prefix) and all((tags or {}).get(tag["Key"]) == tag["Value"] for tag in wanted_tags)


def matching_rules(configuration, key, tags):
    """IDs of the enabled rules that select the canary, highest priority first."""
    rules = [rule for rule in (configuration or {}).get("Rules", []) if rule_matches(rule, key, tags)]
    return [rule.get("ID") for rule in sorted(rules, key=lambda rule: -(rule.get("Priority") or 0))]


def selection_problem(bucket, configuration, key, tags):
    """Why S3 would not replicate the canary at all, or None; checked before the canary is written."""
    if not configuration:
        return f"bucket {bucket} has no replication configuration: run playbooks/replicate.yml first"
    if not matching_rules(configuration, key, tags):
        rules = ", ".join(rule.get("ID", "?") for rule in configuration.get("Rules", [])) or "none"
        return (
            f"no enabled replication rule of {bucket} selects the canary {key} with tags {tags or {}} (rules: {rules}): "
            "set the canary key prefix and tags to what a rule selects"
        )
    return None


def source_summary(bucket, key, configuration, tags):
    """The ``canary`` the module returns for the source side, before the canary is written."""
    return {
        "bucket": bucket,
        "key": key,
        "version_id": None,
        "matching_rules": matching_rules(configuration, key, tags),
        "replication_status": None,
        "waited_seconds": 0,
        "timed_out": False,
    }


def source_diff(bucket, key, kms_key_arn):
    return {"before": {"canary": None}, "after": {"canary": {"bucket": bucket, "key": key, "kms_key_arn": kms_key_arn}}}


def check_mode_verdict():
    return {"ok": None, "status": None, "reason": "check mode: the canary was not written", "hints": []}


def replica_summary(bucket, key, head, waited, timed_out):
    """The ``canary`` the module returns for the replica side: what HeadObject of the replica told (None: no replica)."""
    return {
        "bucket": bucket,
        "key": key,
        "version_id": head.get("VersionId") if head else None,
        "replication_status": head.get("ReplicationStatus") if head else None,
        "waited_seconds": waited,
        "timed_out": timed_out,
    }


def removal_diff(versions):
    return {"before": {"versions": [version["VersionId"] for version in versions]}, "after": {"versions": []}}


def status_verdict(bucket, key, status, waited, timed_out):
    """{ok, status, reason, hints} for the canary's final replication status in the source bucket."""
    if status == "COMPLETED":
        return {"ok": True, "status": status, "reason": f"S3 replicated {key} in {waited} seconds", "hints": []}
    if status == "FAILED":
        return {
            "ok": False, "status": status,
            "reason": f"S3 marked the canary {bucket}/{key} FAILED: the replication role could not read, decrypt, encrypt or write it",
            "hints": list(FAILURE_HINTS),
        }
    if status is None:
        return {
            "ok": False, "status": None,
            "reason": (
                f"the canary {bucket}/{key} has no replication status after {waited} seconds although a rule selects it: S3 did not "
                "queue it for replication. On AWS, check that the rule is Enabled with SseKmsEncryptedObjects Enabled and a "
                "ReplicaKmsKeyID; an emulator that does not replicate (moto) never sets a status"
            ),
            "hints": [],
        }
    return {
        "ok": False, "status": status,
        "reason": (
            f"the canary {bucket}/{key} was still {status} after {waited} seconds ({STATUS_MEANINGS.get(status, 'unknown status')}): "
            "most objects replicate within 15 minutes; rerun with a longer wait. If it never leaves PENDING, S3 is not replicating: "
            "on an emulator that does not replicate this is expected"
        ),
        "hints": list(FAILURE_HINTS) if status == "PENDING" else [],
    }


def evaluate_replica(bucket, key, head, object_owner_id, bucket_owner_id, expected_kms_key_arn, source_version_id=None):
    """Judges the replica in the destination bucket: present, SSE-KMS with the destination key, owned by the bucket's owner."""
    if head is None:
        return {
            "ok": False, "present": False, "bucket": bucket, "key": key,
            "problems": [f"no replica of {key} in {bucket}: S3 has not replicated the canary (see the source verdict)"],
        }
    kms_key = head.get("SSEKMSKeyId")
    problems = []
    if head.get("ServerSideEncryption") != "aws:kms":
        problems.append(f"the replica is encrypted with {head.get('ServerSideEncryption') or 'nothing'}, not SSE-KMS (aws:kms)")
    elif kms_key != expected_kms_key_arn:
        problems.append(
            f"the replica is encrypted with {kms_key}, not the destination key {expected_kms_key_arn}: the rule's ReplicaKmsKeyID "
            "must be the destination key's full ARN"
        )
    if object_owner_id != bucket_owner_id:
        problems.append(
            f"the replica is owned by canonical user {object_owner_id}, not by the destination bucket's owner {bucket_owner_id}: "
            "use Object Ownership BucketOwnerEnforced, or owner override (AccessControlTranslation) in the rule"
        )
    version_id = head.get("VersionId")
    return {
        "ok": not problems,
        "present": True,
        "bucket": bucket,
        "key": key,
        "version_id": version_id,
        "same_version_id": None if source_version_id is None else version_id == source_version_id,
        "replication_status": head.get("ReplicationStatus"),
        "server_side_encryption": head.get("ServerSideEncryption"),
        "kms_key_arn": kms_key,
        "owner_id": object_owner_id,
        "bucket_owner_id": bucket_owner_id,
        "problems": problems,
    }


def versions_of_key(pages, key):
    """Every version and delete marker of exactly ``key`` in ListObjectVersions pages, as DeleteObjects identifiers."""
    found = []
    for page in pages:
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if entry.get("Key") == key:
                found.append({"Key": key, "VersionId": entry["VersionId"]})
    return found


def run_verdict(source, destination, canary_result, replica_result, keep_canary):
    """{ok, message} of a verify run: the canary's verdict, then (when it replicated) the replica's problems."""
    verdict = (canary_result or {}).get("verdict") or {}
    canary = (canary_result or {}).get("canary") or {}
    problems = [] if verdict.get("ok") else [verdict.get("reason", "the canary was not written")]
    if verdict.get("ok"):
        problems += ((replica_result or {}).get("replica") or {}).get("problems", [])
    kept = f"The canary {canary.get('key')} was kept." if keep_canary else "The canary was removed."
    if not problems:
        return {"ok": True, "message": (f"Replication works: {canary.get('key')} reached {destination['bucket']} in {canary.get('waited_seconds')} seconds, "
                                        f"encrypted with {destination['kms_key_arn']} and owned by account {destination['expected_bucket_owner']}.")}
    hints = verdict.get("hints") or []
    return {"ok": False, "message": " ".join(
        [f"Replication from {source['bucket']} to {destination['bucket']} does not work:"] + problems
        + ([f"Usual causes: {' | '.join(hints)}"] if hints else []) + [kept])}
