#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: kms_key_grant
short_description: Give principals operations on a KMS key without clobbering other access
version_added: 0.1.0
description:
  - Adds or removes one statement, identified by its Sid, in a KMS key's policy (O(mode=policy)),
    or one named KMS grant on the key (O(mode=grant)).
  - Every other statement of the key policy and every other grant is left as it is. C(PutKeyPolicy)
    replaces the whole policy, so the module reads the policy, merges its statement by Sid and writes
    the result back.
  - The KMS lockout safety check is never bypassed, and the module refuses any change that would
    remove the key account's own administrative access (the statement granting C(kms:*) to
    C(arn:aws:iam::ACCOUNT:root)).
  - The key must exist, be enabled, be a symmetric encryption key (C(SYMMETRIC_DEFAULT)) and be
    customer managed; AWS-managed keys such as C(aws/s3) are refused.
  - Comparison is normalised the way AWS rewrites key policies (account ids become root ARNs,
    lists are reordered, one-element lists become strings), so reruns report no change.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  key_id:
    description:
      - The key, as a key id, a full key ARN, an alias name (C(alias/NAME) or just C(NAME)) or an alias ARN.
      - The module works on the key the reference resolves to, in the account and region of the credentials.
    type: str
    required: true
    aliases: [key_arn]
  mode:
    description:
      - V(policy) manages the key-policy statement whose Sid is O(sid).
      - V(grant) manages the KMS grant called O(name).
    type: str
    choices: [policy, grant]
    default: policy
  state:
    description:
      - V(present) makes the statement or grant exist as described; V(absent) removes only it.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The Sid of the key-policy statement, letters and digits only.
      - Required when O(mode=policy). It must not be the Sid of the statement that gives the key's own account its access.
    type: str
  name:
    description:
      - The grant name (letters, digits, C(:), C(/), C(_), C(-)). Required when O(mode=grant).
      - A grant of this name whose settings differ is replaced; the new grant is created before the old one is revoked.
    type: str
  principals:
    description:
      - The AWS principals to give access, as IAM ARNs (for example a role in another account) or 12-digit account ids.
      - With O(mode=policy), one or more principals of the statement.
      - With O(mode=grant), exactly one, the grantee principal.
      - Required when O(state=present).
    type: list
    elements: str
  operations:
    description:
      - The KMS operations to allow, as C(Encrypt) or C(kms:Encrypt); wildcards are refused.
      - Required when O(state=present).
    type: list
    elements: str
  conditions:
    description:
      - With O(mode=policy), the statement's IAM C(Condition) block, mapping operators such as C(StringEquals) to
        condition keys such as C(kms:ViaService) or C(kms:EncryptionContext:aws:s3:arn) and their values (see the examples).
    type: dict
  encryption_context_equals:
    description:
      - With O(mode=grant), the grant constraint C(EncryptionContextEquals).
    type: dict
  encryption_context_subset:
    description:
      - With O(mode=grant), the grant constraint C(EncryptionContextSubset).
    type: dict
  retiring_principal:
    description:
      - With O(mode=grant), the principal allowed to retire the grant (an IAM ARN or a 12-digit account id).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
notes:
  - Cross-account use of a key needs the key policy statement or grant in the key's account
    and an IAM permission in the caller's account.
"""

EXAMPLES = r"""
- name: Let the source account's replication role encrypt replicas with the destination key
  s3_crossaccount.replication.kms_key_grant:
    key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
    sid: ReplicationRoleEncrypt
    principals:
      - arn:aws:iam::211258069784:role/s3-replication-role
    operations: [kms:Encrypt]
    conditions:
      StringEquals:
        kms:ViaService: s3.us-east-1.amazonaws.com
      StringLike:
        kms:EncryptionContext:aws:s3:arn: arn:aws:s3:::stats-data-tgt/*

- name: The same access as a named grant
  s3_crossaccount.replication.kms_key_grant:
    key_id: alias/replica-key
    mode: grant
    name: s3-replication-role-encrypt
    principals: [arn:aws:iam::211258069784:role/s3-replication-role]
    operations: [Encrypt]
    retiring_principal: "880161310235"

- name: Remove the statement again (other statements stay)
  s3_crossaccount.replication.kms_key_grant:
    key_id: alias/replica-key
    sid: ReplicationRoleEncrypt
    state: absent
"""

RETURN = r"""
key_arn:
  description: The ARN of the key the reference resolved to.
  returned: always
  type: str
  sample: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
statement:
  description: The key-policy statement with Sid O(sid) after the run, or null when absent.
  returned: when O(mode=policy)
  type: dict
  sample:
    Sid: ReplicationRoleEncrypt
    Effect: Allow
    Principal: {AWS: arn:aws:iam::211258069784:role/s3-replication-role}
    Action: [kms:Encrypt]
    Resource: "*"
policy:
  description: The whole key policy after the run (what it would be in check mode).
  returned: when O(mode=policy)
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Sid: Enable IAM User Permissions
        Effect: Allow
        Principal: {AWS: arn:aws:iam::880161310235:root}
        Action: kms:*
        Resource: "*"
grant:
  description:
    - The grant called O(name) after the run, in ListGrants shape, or null when absent.
    - C(GrantId) is missing when check mode would create the grant.
  returned: when O(mode=grant)
  type: dict
  sample:
    GrantId: 0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60
    Name: s3-replication-role-encrypt
    GranteePrincipal: arn:aws:iam::211258069784:role/s3-replication-role
    Operations: [Encrypt]
    RetiringPrincipal: arn:aws:iam::880161310235:root
revoked_grant_ids:
  description: Ids of the grants called O(name) that were (or in check mode would be) revoked.
  returned: when O(mode=grant)
  type: list
  elements: str
  sample: [ab4e2f1a9c0d...]
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.retries import TransientRetry

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import fail_with
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule


def describe_key(client, key_reference):
    try:
        return client.describe_key(aws_retry=True, KeyId=key_reference)["KeyMetadata"]
    except is_boto3_error_code("NotFoundException") as e:
        raise AwsCallFailure(f"key_id: no KMS key {key_reference} in this account and region: check key_id, profile and region", e)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        raise AwsCallFailure(f"Failed to describe KMS key {key_reference}", e)


def get_key_policy(client, key_arn):
    try:
        text = client.get_key_policy(aws_retry=True, KeyId=key_arn, PolicyName=kms_keys.KEY_POLICY_NAME)["Policy"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise AwsCallFailure(f"Failed to read the key policy of {key_arn}", e)
    return policy_documents.parse_policy(text)


def put_key_policy(client, key_arn, policy):
    try:
        client.put_key_policy(
            aws_retry=True,
            KeyId=key_arn,
            PolicyName=kms_keys.KEY_POLICY_NAME,
            Policy=policy_documents.policy_to_json(policy),
            BypassPolicyLockoutSafetyCheck=False,
        )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise AwsCallFailure(f"Failed to write the key policy of {key_arn}", e)


@TransientRetry.jittered_backoff()
def _list_grant_pages(client, key_arn):
    return client.get_paginator("list_grants").paginate(KeyId=key_arn).build_full_result()["Grants"]


def list_grants(client, key_arn):
    try:
        return [grant_view(g) for g in _list_grant_pages(client, key_arn)]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise AwsCallFailure(f"Failed to list the grants of {key_arn}", e)


def grant_view(grant):
    """The grant as plain JSON values, without the parts that are None."""
    view = {key: value for key, value in grant.items() if value is not None}
    if hasattr(view.get("CreationDate"), "isoformat"):
        view["CreationDate"] = view["CreationDate"].isoformat()
    return view


def create_grant(client, key_arn, grant):
    request = {"KeyId": key_arn, "Name": grant["Name"], "GranteePrincipal": grant["GranteePrincipal"], "Operations": grant["Operations"]}
    for optional in ("Constraints", "RetiringPrincipal"):
        if grant.get(optional):
            request[optional] = grant[optional]
    try:
        return client.create_grant(aws_retry=True, **request)["GrantId"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise AwsCallFailure(f"Failed to create grant {grant['Name']} on {key_arn}", e)


def revoke_grant(client, key_arn, grant_id):
    try:
        client.revoke_grant(aws_retry=True, KeyId=key_arn, GrantId=grant_id)
    except is_boto3_error_code("NotFoundException"):
        return
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        raise AwsCallFailure(f"Failed to revoke grant {grant_id} on {key_arn}", e)


def validate_params(params, partition="aws"):
    """Checks every option; returns the desired statement or grant (None for absent).

    Account ids become root ARNs in ``partition``, the key's partition once it is known.
    """
    mode, present = params["mode"], params["state"] == "present"
    wrong_mode = ("conditions",) if mode == "grant" else ("encryption_context_equals", "encryption_context_subset", "retiring_principal")
    for option in wrong_mode:
        if params[option] is not None:
            raise kms_keys.KmsKeyError(f"{option} does not apply to mode={mode}: remove it or use mode={'policy' if mode == 'grant' else 'grant'}")
    if mode == "policy":
        policy_documents.validate_sid(params["sid"])
    if not present:
        return None
    for option in ("principals", "operations"):
        if not params[option]:
            raise kms_keys.KmsKeyError(f"{option} is required with state=present")
    if mode == "policy":
        return kms_keys.key_policy_statement(params["sid"], params["principals"], params["operations"], params["conditions"], partition)
    if len(params["principals"]) != 1:
        raise kms_keys.KmsKeyError("principals: mode=grant takes exactly one principal, the grantee; use one task per grantee")
    constraints = kms_keys.grant_constraints(params["encryption_context_equals"], params["encryption_context_subset"])
    return kms_keys.desired_grant(params["name"], params["principals"][0], params["operations"], constraints, params["retiring_principal"], partition)


def ensure_policy_statement(client, check_mode, key_metadata, sid, statement):
    key_arn = key_metadata["Arn"]
    before = get_key_policy(client, key_arn)
    after = kms_keys.plan_key_policy(before, key_metadata["AWSAccountId"], sid, statement)
    changed = not policy_documents.policies_equal(before, after)
    if changed and not check_mode:
        put_key_policy(client, key_arn, after)
    return {
        "changed": changed,
        "key_arn": key_arn,
        "statement": policy_documents.find_statement(after, sid),
        "policy": after,
        "diff": {"before": before or {}, "after": after or {}},
    }


def ensure_grant(client, check_mode, key_metadata, name, desired):
    key_arn = key_metadata["Arn"]
    named_before = [g for g in list_grants(client, key_arn) if g.get("Name") == name]
    keep, create, revoke = kms_keys.plan_named_grants(named_before, name, desired)
    after = keep
    if create:
        after = dict(create, KeyId=key_arn)
        if not check_mode:
            after["GrantId"] = create_grant(client, key_arn, create)
            revoke = revoke + kms_keys.duplicate_grants(list_grants(client, key_arn), create, after["GrantId"])
    if not check_mode:
        for stale in revoke:
            revoke_grant(client, key_arn, stale["GrantId"])
    return {
        "changed": bool(create or revoke),
        "key_arn": key_arn,
        "grant": after,
        "revoked_grant_ids": [g["GrantId"] for g in revoke],
        "diff": {"before": {"grants": named_before}, "after": {"grants": [after] if after else []}},
    }


def run(module):
    params = module.params
    desired = validate_params(params)
    reference = kms_keys.key_reference(params["key_id"])
    client = module.client("kms", retry_decorator=TransientRetry.jittered_backoff())
    key_metadata = kms_keys.check_key(describe_key(client, reference), removing=desired is None)
    desired = validate_params(params, partition=key_metadata["Arn"].split(":")[1])
    if params["mode"] == "policy":
        return ensure_policy_statement(client, module.check_mode, key_metadata, params["sid"], desired)
    return ensure_grant(client, module.check_mode, key_metadata, params["name"], desired)


def main():
    argument_spec = dict(
        key_id=dict(type="str", required=True, aliases=["key_arn"]),
        mode=dict(type="str", choices=["policy", "grant"], default="policy"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        sid=dict(type="str"),
        name=dict(type="str"),
        principals=dict(type="list", elements="str"),
        operations=dict(type="list", elements="str"),
        conditions=dict(type="dict"),
        encryption_context_equals=dict(type="dict"),
        encryption_context_subset=dict(type="dict"),
        retiring_principal=dict(type="str"),
    )
    module = AnsibleS3CrossAccountModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("mode", "policy", ["sid"]), ("mode", "grant", ["name"]), ("state", "present", ["principals", "operations"])],
    )
    try:
        result = run(module)
    except (kms_keys.KmsKeyError, policy_documents.PolicyDocumentError) as e:
        module.fail_json(msg=str(e))
    except AwsCallFailure as e:
        fail_with(module, e)
    if not module._diff:
        result.pop("diff")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
