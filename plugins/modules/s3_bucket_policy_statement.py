#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_bucket_policy_statement
short_description: Add or remove bucket-policy statements by Sid, keeping every other statement
version_added: 0.1.0
description:
  - C(PutBucketPolicy) replaces the whole bucket policy. This module reads the policy, merges the
    given statements into it by Sid (replacing a statement with the same Sid, appending new ones)
    and writes the result back, so statements other teams wrote survive.
  - With O(state=absent) only the statements with the given Sids are removed; when no statement is
    left the bucket policy is deleted.
  - Comparison is normalised the way S3 rewrites policies (account ids become root ARNs, lists are
    reordered, one-element lists become strings), so reruns report no change.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description:
      - The bucket name or its ARN (C(arn:aws:s3:::NAME)). The bucket must exist.
    type: str
    required: true
  statements:
    description:
      - The IAM policy statements, each with a unique Sid of letters and digits.
      - With O(state=present) each needs C(Effect), C(Principal) (or C(NotPrincipal)), C(Action) (or C(NotAction))
        and C(Resource) (or C(NotResource)); C(Condition) is optional.
      - With O(state=absent) only the C(Sid) of each statement is read.
    type: list
    elements: dict
    required: true
  state:
    description:
      - V(present) merges the statements in; V(absent) removes only the statements with these Sids.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Let the source account's replication role replicate into the destination bucket
  s3_crossaccount.replication.s3_bucket_policy_statement:
    bucket: stats-data-tgt
    statements:
      - Sid: ReplicationRoleObjects
        Effect: Allow
        Principal:
          AWS: arn:aws:iam::211258069784:role/s3-replication-role
        Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
        Resource: arn:aws:s3:::stats-data-tgt/*
      - Sid: ReplicationRoleVersioning
        Effect: Allow
        Principal:
          AWS: arn:aws:iam::211258069784:role/s3-replication-role
        Action: [s3:GetBucketVersioning, s3:PutBucketVersioning]
        Resource: arn:aws:s3:::stats-data-tgt

- name: Remove those statements again (other statements stay)
  s3_crossaccount.replication.s3_bucket_policy_statement:
    bucket: stats-data-tgt
    state: absent
    statements:
      - Sid: ReplicationRoleObjects
      - Sid: ReplicationRoleVersioning
"""

RETURN = r"""
policy:
  description: The whole bucket policy after the run (what it would be in check mode); null when the bucket has none.
  returned: always
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Sid: ReplicationRoleObjects
        Effect: Allow
        Principal: {AWS: arn:aws:iam::211258069784:role/s3-replication-role}
        Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
        Resource: arn:aws:s3:::stats-data-tgt/*
statements:
  description: The statements with the given Sids after the run (empty with O(state=absent)).
  returned: always
  type: list
  elements: dict
  sample: []
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.retries import TransientRetry

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import fail_with
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule


def get_bucket_policy(client, bucket):
    try:
        return policy_documents.parse_policy(client.get_bucket_policy(aws_retry=True, Bucket=bucket)["Policy"])
    except is_boto3_error_code("NoSuchBucketPolicy"):
        return None
    except is_boto3_error_code("NoSuchBucket") as e:  # pylint: disable=duplicate-except
        raise AwsCallFailure(f"bucket: {bucket} does not exist in this account; create it first or check bucket and profile", e)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        raise AwsCallFailure(f"Failed to read the bucket policy of {bucket}", e)


def put_bucket_policy(client, bucket, policy):
    try:
        client.put_bucket_policy(aws_retry=True, Bucket=bucket, Policy=policy_documents.policy_to_json(policy))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise AwsCallFailure(f"Failed to write the bucket policy of {bucket}", e)


def delete_bucket_policy(client, bucket):
    try:
        client.delete_bucket_policy(aws_retry=True, Bucket=bucket)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise AwsCallFailure(f"Failed to delete the bucket policy of {bucket}", e)


def wanted_sids(statements, state):
    """Validates the statements option; returns their Sids in order."""
    if state == "present":
        policy_documents.validate_statements(statements, require_principal=True)
    else:
        if not statements:
            raise policy_documents.PolicyDocumentError("give at least one statement with a Sid to remove")
        for statement in statements:
            policy_documents.validate_sid(statement.get("Sid"))
    return [s["Sid"] for s in statements]


def planned_policy(before, statements, state):
    """The bucket policy after the change; None when nothing is left, as S3 has no empty policy."""
    sids = wanted_sids(statements, state)
    if state == "present":
        return policy_documents.merge_statements(before, statements)
    after = policy_documents.remove_statements(before, sids)
    return after if after and after["Statement"] else None


def apply_policy(client, bucket, after):
    if after is None:
        delete_bucket_policy(client, bucket)
    else:
        put_bucket_policy(client, bucket, after)


def ensure_statements(client, check_mode, bucket, statements, state):
    before = get_bucket_policy(client, bucket)
    after = planned_policy(before, statements, state)
    changed = not policy_documents.policies_equal(before, after)
    if changed and not check_mode:
        apply_policy(client, bucket, after)
    sids = [s["Sid"] for s in statements]
    return {
        "changed": changed,
        "policy": after,
        "statements": [s for s in (after or {}).get("Statement", []) if s.get("Sid") in sids],
        "diff": {"before": before or {}, "after": after or {}},
    }


def run(module):
    params = module.params
    bucket = arns.bucket_name(params["bucket"])
    wanted_sids(params["statements"], params["state"])
    client = module.client("s3", retry_decorator=TransientRetry.jittered_backoff())
    return ensure_statements(client, module.check_mode, bucket, params["statements"], params["state"])


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        statements=dict(type="list", elements="dict", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleS3CrossAccountModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        result = run(module)
    except policy_documents.PolicyDocumentError as e:
        module.fail_json(msg=f"statements: {e}")
    except ValueError as e:
        module.fail_json(msg=f"bucket: {e}")
    except AwsCallFailure as e:
        fail_with(module, e)
    if not module._diff:
        result.pop("diff")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
