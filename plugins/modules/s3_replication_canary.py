#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_canary
short_description: Prove that replication works with a canary object, then remove it
version_added: 0.1.0
description:
  - Each side of a cross-account replication acts with its own credentials, so the proof takes three calls
    (playbooks/verify.yml makes them).
  - O(mode=source), O(state=present), with the source account's credentials, puts a small canary object
    encrypted with O(kms_key_arn) into O(bucket) and polls its replication status until S3 reports
    C(COMPLETED) or C(FAILED), or O(wait_timeout) passes. Before writing, it refuses a bucket without a
    replication configuration or whose enabled rules do not select the canary key and O(tags).
  - O(mode=replica), O(state=present), with the destination account's credentials, reads the replica of
    O(key) in O(bucket) (waiting up to O(wait_timeout) seconds for it) and checks that it is encrypted with
    O(kms_key_arn) and owned by the bucket's owner. It never writes.
  - O(state=absent) removes every version and delete marker of O(key) in O(bucket), and nothing else.
  - The module reports what it found in RV(verdict) / RV(replica) and does not fail when replication
    failed, so that the canary can still be removed; assert on C(ok) in RV(verdict) and RV(replica).
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description:
      - The source bucket (O(mode=source)) or the destination bucket (O(mode=replica)), name or ARN.
    type: str
    required: true
  mode:
    description:
      - V(source) works on the canary in the source bucket, V(replica) on its replica in the destination bucket.
    type: str
    choices: [source, replica]
    default: source
  state:
    description:
      - V(present) puts the canary and waits (source) or checks the replica (replica); V(absent) removes every version of O(key).
    type: str
    choices: [present, absent]
    default: present
  key:
    description:
      - The canary's object key. Required with O(mode=replica) and with O(state=absent).
      - With O(mode=source) and O(state=present) the default is O(key_prefix) followed by a fresh random name.
    type: str
  key_prefix:
    description:
      - Prefix of a generated canary key; pick one that a replication rule selects.
    type: str
    default: s3-crossaccount-canary/
  kms_key_arn:
    description:
      - With O(mode=source) the key the canary is encrypted with (the source key); with O(mode=replica) the key
        the replica must be encrypted with (the destination key). Full key ARN. Required with O(state=present).
    type: str
  tags:
    description:
      - Tags put on the canary, for rules that select objects by tag.
    type: dict
    default: {}
  body:
    description:
      - The canary's content.
    type: str
    default: "s3_crossaccount.replication canary: safe to delete\n"
  source_version_id:
    description:
      - With O(mode=replica), the canary's version id in the source bucket; S3 keeps it on the replica, and
        C(same_version_id) in RV(replica) reports whether it matches.
    type: str
  expected_bucket_owner:
    description:
      - The account id (12 digits) that must own O(bucket); every request carries it, so a bucket of another
        account is never written to or judged.
    type: str
  wait_timeout:
    description:
      - Seconds to wait for C(COMPLETED)/C(FAILED) (source) or for the replica to appear (replica); V(0) reads once.
    type: int
    default: 300
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: int
    default: 5
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Put a canary into the source bucket and wait for S3 to replicate it
  s3_crossaccount.replication.s3_replication_canary:
    bucket: stats-data-src
    kms_key_arn: arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab
    expected_bucket_owner: "211258069784"
    profile: prod
  register: canary

- name: Check the replica in the destination account
  s3_crossaccount.replication.s3_replication_canary:
    mode: replica
    bucket: stats-data-tgt
    key: "{{ canary.canary.key }}"
    source_version_id: "{{ canary.canary.version_id }}"
    kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    expected_bucket_owner: "880161310235"
    wait_timeout: 60
    profile: analytics
  register: replica

- name: Remove the canary (every version)
  s3_crossaccount.replication.s3_replication_canary:
    bucket: stats-data-src
    key: "{{ canary.canary.key }}"
    state: absent
    profile: prod
"""

RETURN = r"""
canary:
  description: The canary object in O(bucket).
  returned: always
  type: dict
  contains:
    bucket:
      description: The bucket.
      type: str
      sample: stats-data-src
    key:
      description: The canary's key.
      type: str
      sample: s3-crossaccount-canary/3f0c9f3e2a9b4c1d.txt
    version_id:
      description: The version id S3 gave the canary (O(mode=source), O(state=present); null in check mode).
      type: str
      sample: 3HL4kqtJlcpXroDTDmjVBH40Nrjfkd
    matching_rules:
      description: IDs of the enabled rules that select the canary (O(mode=source)).
      type: list
      elements: str
      sample: [all-objects]
    replication_status:
      description: The last replication status read (PENDING, COMPLETED, FAILED, or null when S3 set none).
      type: str
      sample: COMPLETED
    waited_seconds:
      description: How long the module waited.
      type: float
      sample: 12.0
    timed_out:
      description: Whether O(wait_timeout) passed first.
      type: bool
      sample: false
verdict:
  description: O(mode=source), O(state=present) - C(ok), C(status), a plain-language C(reason) and, on failure, C(hints) listing the usual causes.
  returned: when mode=source and state=present
  type: dict
  sample: {ok: true, status: COMPLETED, reason: "S3 replicated s3-crossaccount-canary/3f0c.txt in 12.0 seconds", hints: []}
replica:
  description:
    - O(mode=replica), O(state=present) - C(ok), C(present), C(kms_key_arn), C(server_side_encryption), C(owner_id),
      C(bucket_owner_id), C(replication_status), C(version_id), C(same_version_id) and C(problems).
  returned: when mode=replica and state=present
  type: dict
  sample: {ok: true, present: true, kms_key_arn: "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321", problems: []}
removed:
  description: O(state=absent) - the versions and delete markers removed (or that would be, in check mode).
  returned: when state=absent
  type: list
  elements: dict
  sample: [{Key: s3-crossaccount-canary/3f0c9f3e2a9b4c1d.txt, VersionId: 3HL4kqtJlcpXroDTDmjVBH40Nrjfkd}]
"""

import time
import uuid
from urllib.parse import quote

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.retries import TransientRetry

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import canary
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import fail_with
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule

NOT_FOUND = ("404", "NoSuchKey", "NoSuchVersion", "NotFound")
DELETE_BATCH = 1000


class CanaryApi:
    """Thin retried S3 calls on one bucket; every call carries the expected owner when one is given."""

    def __init__(self, client, bucket, expected_owner):
        self.client = client
        self.bucket = bucket
        self.owner = {"ExpectedBucketOwner": expected_owner} if expected_owner else {}

    def _call(self, message, operation, **params):
        try:
            return getattr(self.client, operation)(aws_retry=True, Bucket=self.bucket, **self.owner, **params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            raise AwsCallFailure(f"{message} ({self.bucket})", e)

    def replication_configuration(self):
        try:
            return self.client.get_bucket_replication(aws_retry=True, Bucket=self.bucket, **self.owner)["ReplicationConfiguration"]
        except is_boto3_error_code("ReplicationConfigurationNotFoundError"):
            return None
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
            raise AwsCallFailure(f"Failed to read the replication configuration of {self.bucket}", e)

    def put_canary(self, key, body, kms_key_arn, tags):
        params = {"Key": key, "Body": body.encode("utf-8"), "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_arn}
        if tags:
            params["Tagging"] = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in sorted(tags.items()))
        return self._call("Failed to put the canary object", "put_object", **params).get("VersionId")

    def head(self, key, version_id=None):
        params = {"Key": key}
        if version_id:
            params["VersionId"] = version_id
        try:
            return self.client.head_object(aws_retry=True, Bucket=self.bucket, **self.owner, **params)
        except is_boto3_error_code(list(NOT_FOUND)):
            return None
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
            raise AwsCallFailure(f"Failed to read the canary {key} in {self.bucket}", e)

    def object_owner_id(self, key, version_id):
        params = {"Key": key}
        if version_id:
            params["VersionId"] = version_id
        return self._call("Failed to read the replica's owner", "get_object_acl", **params)["Owner"]["ID"]

    def bucket_owner_id(self):
        return self._call("Failed to read the bucket's owner", "get_bucket_acl")["Owner"]["ID"]

    def versions(self, key):
        pages, marker = [], {}
        while True:
            page = self._call("Failed to list the canary's versions", "list_object_versions", Prefix=key, **marker)
            pages.append(page)
            if not page.get("IsTruncated"):
                return canary.versions_of_key(pages, key)
            marker = {"KeyMarker": page["NextKeyMarker"], "VersionIdMarker": page["NextVersionIdMarker"]}

    def delete_versions(self, versions):
        for start in range(0, len(versions), DELETE_BATCH):
            answer = self._call("Failed to delete the canary", "delete_objects", Delete={"Objects": versions[start:start + DELETE_BATCH], "Quiet": True})
            if answer.get("Errors"):
                error = answer["Errors"][0]
                raise AwsCallFailure(f"Failed to delete {error.get('Key')} version {error.get('VersionId')}: {error.get('Code')} {error.get('Message')}")


def _quote(text):
    return quote(str(text), safe="")


def source_canary(api, params, check_mode, sleep=time.sleep, clock=time.monotonic):
    key = params["key"] or canary.canary_key(params["key_prefix"], uuid.uuid4().hex)
    tags = {str(k): str(v) for k, v in params["tags"].items()}
    configuration = api.replication_configuration()
    problem = canary.selection_problem(api.bucket, configuration, key, tags)
    if problem:
        raise AwsCallFailure(problem)
    result = {
        "bucket": api.bucket,
        "key": key,
        "version_id": None,
        "matching_rules": canary.matching_rules(configuration, key, tags),
        "replication_status": None,
        "waited_seconds": 0,
        "timed_out": False,
    }
    diff = {"before": {"canary": None}, "after": {"canary": {"bucket": api.bucket, "key": key, "kms_key_arn": params["kms_key_arn"]}}}
    if check_mode:
        verdict = {"ok": None, "status": None, "reason": "check mode: the canary was not written", "hints": []}
        return {"changed": True, "canary": result, "verdict": verdict, "diff": diff}
    version_id = api.put_canary(key, params["body"], params["kms_key_arn"], tags)
    head, waited, timed_out = canary.poll_until(
        lambda: api.head(key, version_id) or {},
        lambda head: head.get("ReplicationStatus") in canary.DONE_STATUSES,
        params["wait_timeout"],
        params["poll_interval"],
        sleep,
        clock,
    )
    status = head.get("ReplicationStatus")
    result.update(version_id=version_id, replication_status=status, waited_seconds=waited, timed_out=timed_out)
    return {"changed": True, "canary": result, "verdict": canary.status_verdict(api.bucket, key, status, waited, timed_out), "diff": diff}


def replica_check(api, params, sleep=time.sleep, clock=time.monotonic):
    key = params["key"]
    head, waited, timed_out = canary.poll_until(
        lambda: api.head(key), lambda head: head is not None, params["wait_timeout"], params["poll_interval"], sleep, clock
    )
    if head is None:
        replica = canary.evaluate_replica(api.bucket, key, None, None, None, params["kms_key_arn"], params["source_version_id"])
    else:
        replica = canary.evaluate_replica(
            api.bucket,
            key,
            head,
            api.object_owner_id(key, head.get("VersionId")),
            api.bucket_owner_id(),
            params["kms_key_arn"],
            params["source_version_id"],
        )
    status = head.get("ReplicationStatus") if head else None
    result = {
        "bucket": api.bucket,
        "key": key,
        "version_id": head.get("VersionId") if head else None,
        "replication_status": status,
        "waited_seconds": waited,
        "timed_out": timed_out,
    }
    return {"changed": False, "canary": result, "replica": replica, "diff": {"before": {}, "after": {}}}


def remove_canary(api, params, check_mode):
    versions = api.versions(params["key"])
    if versions and not check_mode:
        api.delete_versions(versions)
    result = {"bucket": api.bucket, "key": params["key"]}
    diff = {"before": {"versions": [v["VersionId"] for v in versions]}, "after": {"versions": []}}
    return {"changed": bool(versions), "canary": result, "removed": versions, "diff": diff}


def _checked(option, check, value):
    try:
        return check(value)
    except ValueError as e:
        raise canary.CanaryError(f"{option}: {e}") from e


def validate(params):
    """Checks every option before any request; fills in the bucket name."""
    params["bucket"] = _checked("bucket", arns.bucket_name, params["bucket"])
    if params["expected_bucket_owner"] is not None:
        params["expected_bucket_owner"] = _checked("expected_bucket_owner", arns.validate_account_id, params["expected_bucket_owner"])
    if params["state"] == "present":
        if not params["kms_key_arn"]:
            raise canary.CanaryError("kms_key_arn is required with state=present: the source key (mode=source) or the destination key (mode=replica)")
        _checked("kms_key_arn", arns.parse_kms_key_arn, params["kms_key_arn"])
    if not params["key"] and (params["state"] == "absent" or params["mode"] == "replica"):
        raise canary.CanaryError(f"key is required with mode={params['mode']} state={params['state']}: give the canary's key")
    if params["wait_timeout"] < 0 or params["poll_interval"] < 1:
        raise canary.CanaryError("wait_timeout must be 0 or more and poll_interval at least 1 (seconds)")


def run(module):
    params = module.params
    validate(params)
    client = module.client("s3", retry_decorator=TransientRetry.jittered_backoff())
    api = CanaryApi(client, params["bucket"], params["expected_bucket_owner"])
    if params["state"] == "absent":
        return remove_canary(api, params, module.check_mode)
    if params["mode"] == "source":
        return source_canary(api, params, module.check_mode)
    return replica_check(api, params)


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        mode=dict(type="str", choices=["source", "replica"], default="source"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        key=dict(type="str", no_log=False),
        key_prefix=dict(type="str", default=canary.DEFAULT_KEY_PREFIX, no_log=False),
        kms_key_arn=dict(type="str", no_log=False),
        tags=dict(type="dict", default={}),
        body=dict(type="str", default="s3_crossaccount.replication canary: safe to delete\n"),
        source_version_id=dict(type="str"),
        expected_bucket_owner=dict(type="str"),
        wait_timeout=dict(type="int", default=300),
        poll_interval=dict(type="int", default=5),
    )
    module = AnsibleS3CrossAccountModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        result = run(module)
    except canary.CanaryError as e:
        module.fail_json(msg=str(e))
    except AwsCallFailure as e:
        fail_with(module, e)
    if not module._diff:
        result.pop("diff")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
