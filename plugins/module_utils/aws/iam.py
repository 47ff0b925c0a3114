# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IAM calls of this collection, one function per API call (see aws_calls)."""

from urllib.parse import unquote

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import paged
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.s3 import parse_document
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs

NO_SUCH_ENTITY = ("NoSuchEntity",)


def _what(role):
    return f"IAM role {role}"


def document(value):
    """IAM hands policy documents back URL-encoded JSON (boto3 usually decodes them already)."""
    if isinstance(value, str):
        return parse_document(unquote(value))
    return value


@needs("GetRole", "iam:GetRole", permissions.ROLE)
def get_role(client, role):
    """{arn, path, description, trust_policy, permissions_boundary_arn} or None when there is no such role."""
    answer = call(client, "get_role", _what(role), NO_SUCH_ENTITY, RoleName=role)
    if answer is None:
        return None
    details = answer["Role"]
    return {
        "arn": details["Arn"],
        "path": details.get("Path", "/"),
        "description": details.get("Description", ""),
        "trust_policy": document(details.get("AssumeRolePolicyDocument")),
        "permissions_boundary_arn": (details.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
    }


@needs("ListRolePolicies", "iam:ListRolePolicies", permissions.ROLE)
def list_role_policies(client, role):
    return paged(client, "list_role_policies", "PolicyNames", _what(role), RoleName=role)


@needs("GetRolePolicy", "iam:GetRolePolicy", permissions.ROLE)
def get_role_policy(client, role, policy_name):
    """The inline policy's document, or None when the role has no such policy (any more)."""
    answer = call(client, "get_role_policy", f"inline policy {policy_name} of {_what(role)}", NO_SUCH_ENTITY, RoleName=role, PolicyName=policy_name)
    return None if answer is None else document(answer["PolicyDocument"])


@needs("ListAttachedRolePolicies", "iam:ListAttachedRolePolicies", permissions.ROLE)
def list_attached_role_policies(client, role):
    return paged(client, "list_attached_role_policies", "AttachedPolicies", _what(role), RoleName=role)


@needs("GetPolicy", "iam:GetPolicy", permissions.MANAGED_POLICY)
@needs("GetPolicyVersion", "iam:GetPolicyVersion", permissions.MANAGED_POLICY)
def get_managed_policy_document(client, policy_arn):
    version = call(client, "get_policy", f"managed policy {policy_arn}", PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
    answer = call(client, "get_policy_version", f"managed policy {policy_arn}", PolicyArn=policy_arn, VersionId=version)
    return document(answer["PolicyVersion"]["Document"])


@needs("CreateRole", "iam:CreateRole", permissions.ROLE)
def create_role(client, role, path, trust_policy_text, description):
    return call(client, "create_role", _what(role), RoleName=role, Path=path, AssumeRolePolicyDocument=trust_policy_text,
                Description=description)["Role"]["Arn"]


@needs("UpdateAssumeRolePolicy", "iam:UpdateAssumeRolePolicy", permissions.ROLE)
def update_trust_policy(client, role, trust_policy_text):
    call(client, "update_assume_role_policy", _what(role), RoleName=role, PolicyDocument=trust_policy_text)


@needs("UpdateRole", "iam:UpdateRole", permissions.ROLE)
def update_description(client, role, description):
    call(client, "update_role", _what(role), RoleName=role, Description=description)


@needs("PutRolePolicy", "iam:PutRolePolicy", permissions.ROLE)
def put_role_policy(client, role, policy_name, policy_text):
    call(client, "put_role_policy", f"inline policy {policy_name} of {_what(role)}", RoleName=role, PolicyName=policy_name, PolicyDocument=policy_text)


@needs("DeleteRolePolicy", "iam:DeleteRolePolicy", permissions.ROLE)
def delete_role_policy(client, role, policy_name):
    call(client, "delete_role_policy", f"inline policy {policy_name} of {_what(role)}", NO_SUCH_ENTITY, RoleName=role, PolicyName=policy_name)


@needs("DeleteRole", "iam:DeleteRole", permissions.ROLE)
def delete_role(client, role):
    call(client, "delete_role", _what(role), NO_SUCH_ENTITY, RoleName=role)
