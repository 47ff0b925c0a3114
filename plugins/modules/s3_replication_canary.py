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

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import canary
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.polling import poll_until
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module


def source_canary(s3, options, check_mode, sleep=time.sleep, clock=time.monotonic):
    """Puts the canary (unless in check mode) once a rule selects it, and waits for its replication status."""
    bucket, owner, tags = options["bucket"], options["expected_bucket_owner"], options["tags"]
    key = options["key"] or canary.canary_key(options["key_prefix"], uuid.uuid4().hex)
    configuration = aws_s3.get_replication(s3, bucket, owner)
    problem = canary.selection_problem(bucket, configuration, key, tags)
    if problem:
        raise AwsCallFailure(problem)
    result = canary.source_summary(bucket, key, configuration, tags)
    diff = canary.source_diff(bucket, key, options["kms_key_arn"])
    if check_mode:
        return {"changed": True, "canary": result, "verdict": canary.check_mode_verdict(), "diff": diff}
    version_id = aws_s3.put_encrypted_object(s3, bucket, key, options["body"], options["kms_key_arn"], tags, owner)
    head, waited, timed_out = poll_until(
        lambda: aws_s3.head_object(s3, bucket, key, version_id, owner) or {},
        lambda head: head.get("ReplicationStatus") in canary.DONE_STATUSES,
        options["wait_timeout"],
        options["poll_interval"],
        sleep,
        clock,
    )
    status = head.get("ReplicationStatus")
    result.update(version_id=version_id, replication_status=status, waited_seconds=waited, timed_out=timed_out)
    return {"changed": True, "canary": result, "verdict": canary.status_verdict(bucket, key, status, waited, timed_out), "diff": diff}


def replica_check(s3, options, sleep=time.sleep, clock=time.monotonic):
    """Waits for the replica, then judges its encryption and owner. Reads only."""
    bucket, owner, key = options["bucket"], options["expected_bucket_owner"], options["key"]
    head, waited, timed_out = poll_until(
        lambda: aws_s3.head_object(s3, bucket, key, owner=owner),
        lambda head: head is not None,
        options["wait_timeout"],
        options["poll_interval"],
        sleep,
        clock,
    )
    replica = canary.evaluate_replica(bucket, key, head, *_owners(s3, bucket, key, head, owner), options["kms_key_arn"], options["source_version_id"])
    return {"changed": False, "canary": canary.replica_summary(bucket, key, head, waited, timed_out), "replica": replica, "diff": {"before": {}, "after": {}}}


def _owners(s3, bucket, key, head, owner):
    """(the replica's owner, the bucket's owner), canonical user ids; (None, None) when there is no replica."""
    if head is None:
        return None, None
    return aws_s3.get_object_owner(s3, bucket, key, head.get("VersionId"), owner), aws_s3.get_bucket_owner(s3, bucket, owner)


def remove_canary(s3, options, check_mode):
    """Removes every version and delete marker of the canary's key, and nothing else."""
    bucket, owner, key = options["bucket"], options["expected_bucket_owner"], options["key"]
    versions = canary.versions_of_key(aws_s3.list_object_versions(s3, bucket, key, owner), key)
    if versions and not check_mode:
        aws_s3.delete_object_versions(s3, bucket, versions, owner)
    return {"changed": bool(versions), "canary": {"bucket": bucket, "key": key}, "removed": versions, "diff": canary.removal_diff(versions)}


def run(module):
    options = canary.validated_options(module.params)
    s3 = module.aws_client("s3")
    if options["state"] == "absent":
        return remove_canary(s3, options, module.check_mode)
    if options["mode"] == "source":
        return source_canary(s3, options, module.check_mode)
    return replica_check(s3, options)


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
    end_module(module, lambda: run(module))


if __name__ == "__main__":
    main()
