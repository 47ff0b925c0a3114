# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The KMS calls of this collection, one function per API call (see aws_calls)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import documents as policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import paged
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs

KEY_POLICY_NAME = "default"
NOT_FOUND = ("NotFoundException",)
KEY_METADATA_FIELDS = ("KeyId", "Arn", "AWSAccountId", "KeyState", "KeyManager", "KeySpec", "CustomerMasterKeySpec", "KeyUsage", "MultiRegion",
                       "Origin", "DeletionDate")


def _what(key):
    return f"KMS key {key}"


def plain(value):
    """Datetimes (DeletionDate, CreationDate) as ISO text, so results are JSON."""
    return value.isoformat() if hasattr(value, "isoformat") else value


@needs("DescribeKey", "kms:DescribeKey", permissions.KEY)
def describe_key(client, key):
    """The key's metadata (the fields this collection uses, JSON values), or None when there is no such key."""
    answer = call(client, "describe_key", _what(key), NOT_FOUND, KeyId=key)
    if answer is None:
        return None
    metadata = answer["KeyMetadata"]
    return {field: plain(metadata[field]) for field in KEY_METADATA_FIELDS if field in metadata}


@needs("GetKeyPolicy", "kms:GetKeyPolicy", permissions.KEY)
def get_key_policy(client, key):
    answer = call(client, "get_key_policy", _what(key), KeyId=key, PolicyName=KEY_POLICY_NAME)
    return policy_documents.parse_policy(answer.get("Policy")) if answer.get("Policy") else None


@needs("PutKeyPolicy", "kms:PutKeyPolicy", permissions.KEY)
def put_key_policy(client, key, policy):
    """Writes the whole key policy, never bypassing KMS's lockout safety check."""
    call(client, "put_key_policy", _what(key), KeyId=key, PolicyName=KEY_POLICY_NAME, Policy=policy_documents.policy_to_json(policy),
         BypassPolicyLockoutSafetyCheck=False)


@needs("ListGrants", "kms:ListGrants", permissions.KEY)
def list_grants(client, key):
    """Every grant of the key, as JSON values without the parts that are None."""
    grants = paged(client, "list_grants", "Grants", _what(key), KeyId=key)
    return [{name: plain(value) for name, value in grant.items() if value is not None} for grant in grants]


@needs("CreateGrant", "kms:CreateGrant", permissions.KEY)
def create_grant(client, key, grant):
    """Creates ``grant`` (ListGrants shape without GrantId); returns the new GrantId."""
    request = {"KeyId": key, "Name": grant["Name"], "GranteePrincipal": grant["GranteePrincipal"], "Operations": grant["Operations"]}
    for optional in ("Constraints", "RetiringPrincipal"):
        if grant.get(optional):
            request[optional] = grant[optional]
    return call(client, "create_grant", f"grant {grant['Name']} on {_what(key)}", **request)["GrantId"]


@needs("RevokeGrant", "kms:RevokeGrant", permissions.KEY)
def revoke_grant(client, key, grant_id):
    """Revokes a grant; one already gone is fine."""
    call(client, "revoke_grant", f"grant {grant_id} on {_what(key)}", NOT_FOUND, KeyId=key, GrantId=grant_id)
