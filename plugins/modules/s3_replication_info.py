#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_info
short_description: Read, in one account, everything S3 replication depends on
version_added: 0.1.0
description:
  - The gathering half of the replication doctor (C(playbooks/doctor.yml), docs/doctor.md). Read-only.
  - Reads, with the credentials of one account, the given buckets (versioning, default encryption and
    Bucket Key, object ownership, Object Lock, bucket policy, replication configuration, whether it
    holds objects), the given IAM roles (trust policy, every inline and attached managed policy,
    permissions boundary) and the given KMS keys (metadata, key policy, grants).
  - Cross-account reads are usually denied, so run it once per account with that account's
    credentials, each for the resources of its own account; the filter
    R(replication_findings,ansible_collections.s3_crossaccount.replication.replication_findings_filter)
    combines both sides.
  - A read that is denied or fails does not fail the module; it is recorded under the resource's
    C(errors) so that the diagnosis can name it.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  buckets:
    description: Names (or ARNs) of buckets of this account to read.
    type: list
    elements: str
    default: []
  roles:
    description: Names (or ARNs) of IAM roles of this account to read.
    type: list
    elements: str
    default: []
  kms_keys:
    description:
      - KMS keys to read, preferably by full key ARN; a key id or alias is resolved in this account and region.
    type: list
    elements: str
    default: []
  include_bucket_keys:
    description: Also read the keys the buckets' default encryption uses, when they belong to this account.
    type: bool
    default: true
  bucket_attributes:
    description:
      - Which attributes of the buckets to read (each one or two API calls); the others are returned as C(null) without
        an error. Default every attribute.
      - The bucket's existence and region are always read.
    type: list
    elements: str
    choices: [versioning, encryption, object_ownership, object_lock, policy, replication, has_objects]
    default: [versioning, encryption, object_ownership, object_lock, policy, replication, has_objects]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes.info
"""

EXAMPLES = r"""
- name: Read the source account's side of the replication
  s3_crossaccount.replication.s3_replication_info:
    profile: prod
    region: us-east-1
    buckets: [stats-data-src]
    roles: [s3-replication-role]
    kms_keys:
      - arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab
  register: source_facts

- name: Read the destination account's side
  s3_crossaccount.replication.s3_replication_info:
    profile: analytics
    region: us-east-1
    buckets: [stats-data-tgt]
    kms_keys:
      - arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
  register: destination_facts
"""

RETURN = r"""
account_id:
  description: The account the credentials act in (sts:GetCallerIdentity).
  returned: always
  type: str
  sample: "211258069784"
caller_arn:
  description: The ARN of the credentials.
  returned: always
  type: str
  sample: arn:aws:sts::211258069784:assumed-role/deployer/session
region:
  description: The region the module ran in.
  returned: always
  type: str
  sample: us-east-1
buckets:
  description: Per bucket name, what could be read; C(null) for an attribute that could not be read (see C(errors)).
  returned: always
  type: dict
  sample:
    stats-data-src:
      name: stats-data-src
      exists: true
      region: us-east-1
      versioning: Enabled
      encryption: {"algorithm": "aws:kms", "kms_key_arn": "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                   "bucket_key_enabled": false}
      object_ownership: BucketOwnerEnforced
      object_lock: false
      policy: null
      replication: {"Role": "arn:aws:iam::211258069784:role/s3-replication-role", "Rules": []}
      has_objects: true
      errors: {}
roles:
  description: Per role name, the role and every policy attached to it.
  returned: always
  type: dict
  sample:
    s3-replication-role:
      name: s3-replication-role
      exists: true
      arn: arn:aws:iam::211258069784:role/s3-replication-role
      trust_policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
      inline_policies: {"s3-crossaccount-replication-0a2d85d446": {"Version": "2012-10-17", "Statement": []}}
      managed_policies: [{"arn": "arn:aws:iam::211258069784:policy/extra", "name": "extra", "document": {"Version": "2012-10-17", "Statement": []}}]
      permissions_boundary: null
      errors: {}
keys:
  description: Per key as given in O(kms_keys) (and bucket keys), its metadata, key policy and grants.
  returned: always
  type: dict
  sample:
    arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab:
      reference: arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab
      exists: true
      metadata: {"Arn": "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab", "KeyState": "Enabled",
                 "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}
      policy: {"Version": "2012-10-17", "Statement": []}
      grants: []
      errors: {}
"""

import json

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.retries import TransientRetry

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule

MISSING_BUCKET_CODES = ("404", "NoSuchBucket", "NotFound")
KEY_METADATA_FIELDS = ("KeyId", "Arn", "KeyState", "KeyManager", "KeySpec", "CustomerMasterKeySpec", "KeyUsage", "MultiRegion", "Origin", "DeletionDate")
S3_RETRY_CODES = ["SlowDown", "OperationAborted"]


def _code(error):
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code", "")
    return ""


def _describe(error):
    if isinstance(error, botocore.exceptions.ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'Error')}: {details.get('Message', '')}".strip()
    return str(error)


def read(errors, attribute, call, missing_codes=(), missing=None):
    """``call()``'s answer; ``missing`` for an error code meaning "not set"; None (and errors[attribute]) otherwise."""
    try:
        return call()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        if _code(error) in missing_codes:
            return missing
        errors[attribute] = _describe(error)
        return None


def _document(value):
    """IAM and S3 hand policies back as dicts (boto3 decodes IAM's) or JSON text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return {"unparsed": value}
    return value


# --- buckets ---------------------------------------------------------------------------------------------


BUCKET_ATTRIBUTES = ("versioning", "encryption", "object_ownership", "object_lock", "policy", "replication", "has_objects")


def gather_bucket(s3, name, account_id, partition, region, attributes=BUCKET_ATTRIBUTES):
    errors = {}
    bucket = {"name": name, "exists": None, "region": None, "versioning": None, "encryption": None, "object_ownership": None,
              "object_lock": None, "policy": None, "replication": None, "has_objects": None, "errors": errors}
    try:
        head = s3.head_bucket(aws_retry=True, Bucket=name)
        bucket["exists"] = True
        bucket["region"] = head.get("BucketRegion") or head.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("x-amz-bucket-region")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        if _code(error) in MISSING_BUCKET_CODES:
            bucket["exists"] = False
            return bucket
        errors["exists"] = _describe(error)
        return bucket
    bucket_region = bucket["region"] or region
    if "versioning" in attributes:
        bucket["versioning"] = read(errors, "versioning", lambda: bucket_settings.versioning_status(s3.get_bucket_versioning(aws_retry=True, Bucket=name)))
    if "encryption" in attributes:
        configuration = read(errors, "encryption", lambda: s3.get_bucket_encryption(aws_retry=True, Bucket=name)["ServerSideEncryptionConfiguration"],
                             ("ServerSideEncryptionConfigurationNotFoundError",))
        bucket["encryption"] = bucket_settings.encryption_settings(configuration, partition, bucket_region, account_id)
    if "object_ownership" in attributes:
        controls = read(errors, "object_ownership", lambda: s3.get_bucket_ownership_controls(aws_retry=True, Bucket=name)["OwnershipControls"],
                        ("OwnershipControlsNotFoundError",))
        bucket["object_ownership"] = bucket_settings.object_ownership_setting(controls)
    if "object_lock" in attributes:
        lock = read(errors, "object_lock", lambda: s3.get_object_lock_configuration(aws_retry=True, Bucket=name)["ObjectLockConfiguration"],
                    ("ObjectLockConfigurationNotFoundError",), missing={})
        bucket["object_lock"] = None if lock is None else lock.get("ObjectLockEnabled") == "Enabled"
    if "policy" in attributes:
        policy = read(errors, "policy", lambda: s3.get_bucket_policy(aws_retry=True, Bucket=name)["Policy"], ("NoSuchBucketPolicy",))
        bucket["policy"] = _document(policy) if policy else None
    if "replication" in attributes:
        bucket["replication"] = read(errors, "replication", lambda: s3.get_bucket_replication(aws_retry=True, Bucket=name)["ReplicationConfiguration"],
                                     ("ReplicationConfigurationNotFoundError",))
    if "has_objects" in attributes:
        listing = read(errors, "has_objects", lambda: s3.list_objects_v2(aws_retry=True, Bucket=name, MaxKeys=1))
        bucket["has_objects"] = None if listing is None else bool(listing.get("KeyCount") or listing.get("Contents"))
    return bucket


# --- roles ---------------------------------------------------------------------------------------------------


def _role_name(name_or_arn):
    return str(name_or_arn).rsplit("/", 1)[-1] if str(name_or_arn).startswith("arn:") else str(name_or_arn)


def gather_role(iam, name):
    errors = {}
    role = {"name": name, "exists": None, "arn": None, "trust_policy": None, "inline_policies": {}, "managed_policies": [],
            "permissions_boundary": None, "errors": errors}
    try:
        details = iam.get_role(aws_retry=True, RoleName=name)["Role"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        if _code(error) == "NoSuchEntity":
            role["exists"] = False
        else:
            errors["role"] = _describe(error)
        return role
    role.update(exists=True, arn=details["Arn"], trust_policy=_document(details.get("AssumeRolePolicyDocument")))
    names = read(errors, "inline_policies", lambda: _paged(iam, "list_role_policies", "PolicyNames", RoleName=name)) or []
    for policy_name in names:
        document = read(errors, f"inline_policies.{policy_name}", lambda n=policy_name: iam.get_role_policy(aws_retry=True, RoleName=name, PolicyName=n))
        if document is not None:
            role["inline_policies"][policy_name] = _document(document["PolicyDocument"])
    attached = read(errors, "managed_policies", lambda: _paged(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)) or []
    for policy in attached:
        document = read(errors, f"managed_policies.{policy['PolicyArn']}", lambda a=policy["PolicyArn"]: _managed_document(iam, a))
        role["managed_policies"].append({"arn": policy["PolicyArn"], "name": policy.get("PolicyName"), "document": document})
    boundary = (details.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    if boundary:
        role["permissions_boundary"] = read(errors, "permissions_boundary", lambda: _managed_document(iam, boundary))
    return role


def _paged(client, operation, field, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(field, [])


def _managed_document(iam, policy_arn):
    version = iam.get_policy(aws_retry=True, PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
    return _document(iam.get_policy_version(aws_retry=True, PolicyArn=policy_arn, VersionId=version)["PolicyVersion"]["Document"])


# --- keys ------------------------------------------------------------------------------------------------------


def gather_key(kms, reference):
    errors = {}
    key = {"reference": reference, "exists": None, "metadata": None, "policy": None, "grants": [], "errors": errors}
    try:
        metadata = kms.describe_key(aws_retry=True, KeyId=reference)["KeyMetadata"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        if _code(error) == "NotFoundException":
            key["exists"] = False
        else:
            errors["metadata"] = _describe(error)
        return key
    key["exists"] = True
    key["metadata"] = {field: _plain(metadata[field]) for field in KEY_METADATA_FIELDS if field in metadata}
    key_id = metadata["KeyId"]
    policy = read(errors, "policy", lambda: kms.get_key_policy(aws_retry=True, KeyId=key_id, PolicyName="default")["Policy"])
    key["policy"] = _document(policy) if policy else None
    grants = read(errors, "grants", lambda: _paged(kms, "list_grants", "Grants", KeyId=key_id))
    key["grants"] = [{k: _plain(v) for k, v in grant.items()} for grant in grants or []]
    return key


def _plain(value):
    """Datetimes (DeletionDate, CreationDate) as ISO text, so the facts are JSON."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def bucket_keys(buckets, account_id):
    """ARNs of the default-encryption keys of ``buckets`` that belong to ``account_id``."""
    found = []
    for bucket in buckets.values():
        key = (bucket.get("encryption") or {}).get("kms_key_arn")
        if key and ":key/" in key and key.split(":")[4] == account_id and key not in found:
            found.append(key)
    return found


# --- the module ---------------------------------------------------------------------------------------------------


def gather(clients, account_id, partition, region, buckets=(), roles=(), kms_keys=(), include_bucket_keys=True, bucket_attributes=BUCKET_ATTRIBUTES):
    """Everything the doctor needs from one account. ``clients`` maps s3 / iam / kms to retrying clients."""
    bucket_facts = {}
    for name in buckets:
        bucket = arns.bucket_name(name)
        bucket_facts[bucket] = gather_bucket(clients["s3"], bucket, account_id, partition, region, bucket_attributes)
    role_facts = {}
    for name in roles:
        role = _role_name(name)
        role_facts[role] = gather_role(clients["iam"], role)
    references = list(dict.fromkeys(list(kms_keys) + (bucket_keys(bucket_facts, account_id) if include_bucket_keys else [])))
    key_facts = {reference: gather_key(clients["kms"], reference) for reference in references}
    return {"buckets": bucket_facts, "roles": role_facts, "keys": key_facts}


class LazyClients(dict):
    """s3 / iam / kms clients made on first use: creating one loads its service model, which takes time."""

    def __init__(self, module, retry):
        super().__init__()
        self.module = module
        self.retry = retry

    def __missing__(self, service):
        self[service] = self.module.client(service, retry_decorator=self.retry)
        return self[service]


def main():
    argument_spec = dict(
        buckets=dict(type="list", elements="str", default=[]),
        roles=dict(type="list", elements="str", default=[]),
        kms_keys=dict(type="list", elements="str", default=[], no_log=False),
        include_bucket_keys=dict(type="bool", default=True),
        bucket_attributes=dict(type="list", elements="str", choices=list(BUCKET_ATTRIBUTES), default=list(BUCKET_ATTRIBUTES)),
    )
    module = AnsibleS3CrossAccountModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    for name in params["buckets"]:
        try:
            arns.bucket_name(name)
        except ValueError as error:
            module.fail_json(msg=f"buckets: {error}")
    retry = TransientRetry.jittered_backoff(catch_extra_error_codes=S3_RETRY_CODES)
    try:
        identity = module.client("sts", retry_decorator=retry).get_caller_identity(aws_retry=True)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        module.fail_json_aws(error, msg="could not tell which AWS account these credentials act in (sts:GetCallerIdentity)")
    partition = identity["Arn"].split(":")[1]
    clients = LazyClients(module, retry)
    facts = gather(clients, identity["Account"], partition, module.region, params["buckets"], params["roles"], params["kms_keys"],
                   params["include_bucket_keys"], params["bucket_attributes"])
    module.exit_json(changed=False, account_id=identity["Account"], caller_arn=identity["Arn"], region=module.region, **facts)


if __name__ == "__main__":
    main()
