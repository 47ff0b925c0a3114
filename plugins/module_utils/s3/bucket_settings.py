# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure logic of s3_replication_bucket: desired settings, what AWS answered, and the changes between them.

A bucket's state is a plain dict, the module's ``bucket`` return value::

    {"name", "exists", "region", "versioning", "encryption", "object_ownership"}

``versioning`` is ``Enabled``, ``Suspended`` or ``Disabled`` (never versioned);
``encryption`` is ``{"algorithm", "kms_key_arn", "bucket_key_enabled"}`` or ``None``;
``object_ownership`` is the ownership-controls rule or ``None``.
Desired settings use the same keys; ``None`` means "leave this attribute alone".
"""

import copy

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

OBJECT_OWNERSHIP_CHOICES = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")
KMS_ALGORITHM = "aws:kms"
MANAGED_ATTRIBUTES = ("versioning", "encryption", "object_ownership")

# What S3 gives every bucket created since 2023 unless told otherwise: no versioning, SSE-S3,
# ACLs disabled. Check mode shows these for the attributes a task leaves alone.
NEW_BUCKET_DEFAULTS = {
    "versioning": "Disabled",
    "encryption": {"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False},
    "object_ownership": "BucketOwnerEnforced",
}


class BucketSettingsError(Refused):
    """Input or state that s3_replication_bucket refuses, with a message naming the fix."""


def desired_settings(name, versioning=None, encryption=None, object_ownership=None):
    """Validates the module options and returns the desired state (``None`` = leave alone)."""
    try:
        arns.validate_bucket_name(name)
    except ValueError as error:
        raise BucketSettingsError(f"name: {error}") from None
    if object_ownership is not None and object_ownership not in OBJECT_OWNERSHIP_CHOICES:
        raise BucketSettingsError(f"object_ownership: '{object_ownership}' is not one of {', '.join(OBJECT_OWNERSHIP_CHOICES)}")
    return {
        "name": name,
        "versioning": _desired_versioning(versioning),
        "encryption": _desired_encryption(encryption),
        "object_ownership": object_ownership,
    }


def _desired_versioning(versioning):
    if versioning is None:
        return None
    return "Enabled" if versioning else "Suspended"


def _desired_encryption(encryption):
    if encryption is None:
        return None
    key_arn = encryption.get("kms_key_arn")
    try:
        arns.parse_kms_key_arn(key_arn)
    except ValueError as error:
        raise BucketSettingsError(f"encryption.kms_key_arn: {error}") from None
    bucket_key_enabled = encryption.get("bucket_key_enabled")
    return {
        "algorithm": KMS_ALGORITHM,
        "kms_key_arn": key_arn,
        "bucket_key_enabled": True if bucket_key_enabled is None else bool(bucket_key_enabled),
    }


def check_key_region(desired, bucket_region):
    """S3 default encryption only accepts a key in the bucket's own region."""
    encryption = desired.get("encryption")
    if not encryption:
        return
    key_region = arns.parse_kms_key_arn(encryption["kms_key_arn"])["region"]
    if key_region != bucket_region:
        raise BucketSettingsError(
            f"encryption.kms_key_arn: the key is in region {key_region} but bucket '{desired['name']}' is in {bucket_region}; "
            f"S3 default encryption needs a key in the bucket's region: give a key (or a multi-Region replica key) in {bucket_region}"
        )


def versioning_status(response):
    """GetBucketVersioning answers no Status for a bucket that was never versioned."""
    return (response or {}).get("Status") or "Disabled"


def encryption_settings(configuration, partition, region, account_id):
    """Normalises a ServerSideEncryptionConfiguration (or ``None``) into the state's ``encryption``."""
    rules = (configuration or {}).get("Rules") or []
    if not rules:
        return None
    rule = rules[0]
    default = rule.get("ApplyServerSideEncryptionByDefault") or {}
    algorithm = default.get("SSEAlgorithm")
    if not algorithm:
        return None
    key = default.get("KMSMasterKeyID")
    return {
        "algorithm": algorithm,
        "kms_key_arn": kms_key_as_arn(key, partition, region, account_id) if key else None,
        "bucket_key_enabled": bool(rule.get("BucketKeyEnabled", False)),
    }


def kms_key_as_arn(key, partition, region, account_id):
    """S3 keeps the key as written: a key id or alias means one in the bucket owner's account and region."""
    text = str(key)
    if text.startswith("arn:"):
        return text
    return f"arn:{partition}:kms:{region}:{account_id}:{text if text.startswith('alias/') else 'key/' + text}"


def object_ownership_setting(controls):
    """Normalises OwnershipControls (or ``None``) into the state's ``object_ownership``."""
    rules = (controls or {}).get("Rules") or []
    return rules[0].get("ObjectOwnership") if rules else None


def bucket_state(name, region, versioning, encryption, object_ownership, exists=True):
    return {
        "name": name,
        "exists": exists,
        "region": region,
        "versioning": versioning,
        "encryption": copy.deepcopy(encryption),
        "object_ownership": object_ownership,
    }


def new_bucket_state(name, region, object_ownership=None):
    """The state S3 gives a bucket created now; CreateBucket sets ``object_ownership`` when given."""
    return bucket_state(
        name,
        region,
        NEW_BUCKET_DEFAULTS["versioning"],
        NEW_BUCKET_DEFAULTS["encryption"],
        object_ownership or NEW_BUCKET_DEFAULTS["object_ownership"],
    )


def missing_bucket_state(name):
    return {"name": name, "exists": False}


def suspension_requested(desired, current):
    """Only a real suspension needs the replication check (and its read)."""
    return desired.get("versioning") == "Suspended" and current["versioning"] == "Enabled"


def plan_changes(desired, current, replication_configured=False):
    """Returns ``{attribute: new value}`` for every managed attribute that must be written."""
    changes = {}
    versioning = _versioning_change(desired, current, replication_configured)
    if versioning:
        changes["versioning"] = versioning
    if desired.get("encryption") and desired["encryption"] != current["encryption"]:
        changes["encryption"] = copy.deepcopy(desired["encryption"])
    if desired.get("object_ownership") and desired["object_ownership"] != current["object_ownership"]:
        changes["object_ownership"] = desired["object_ownership"]
    return changes


def _versioning_change(desired, current, replication_configured):
    wanted = desired.get("versioning")
    if wanted == "Enabled" and current["versioning"] != "Enabled":
        return "Enabled"
    if suspension_requested(desired, current):
        if replication_configured:
            raise BucketSettingsError(
                f"versioning: bucket '{desired['name']}' has a replication configuration, and S3 refuses to suspend "
                "versioning on a bucket that replicates; remove its replication rules first "
                "(s3_crossaccount.replication.s3_replication_rule with state: absent) or leave versioning unset"
            )
        return "Suspended"
    return None


def predicted_state(current, changes):
    after = copy.deepcopy(current)
    after.update(copy.deepcopy(changes))
    return after


def versioning_request(status):
    return {"Status": status}


def encryption_request(encryption):
    """The whole ServerSideEncryptionConfiguration: S3 keeps exactly one rule, which this replaces."""
    return {
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": encryption["algorithm"], "KMSMasterKeyID": encryption["kms_key_arn"]},
                "BucketKeyEnabled": encryption["bucket_key_enabled"],
            }
        ]
    }


def ownership_request(object_ownership):
    return {"Rules": [{"ObjectOwnership": object_ownership}]}


def missing_bucket_message(name, account_id):
    return f"bucket '{name}' does not exist in account {account_id}; create it or set create: true"


def forbidden_bucket_message(name, account_id):
    return (
        f"bucket '{name}' exists but account {account_id} cannot use it (HeadBucket answered 403 Forbidden): it belongs to "
        "another AWS account, or these credentials lack s3:ListBucket on it. Bucket names are global: run this task with "
        f"credentials of the account that owns '{name}', or choose another name"
    )


def name_taken_message(name, account_id):
    return (
        f"bucket name '{name}' is taken by another AWS account (CreateBucket answered BucketAlreadyExists), so account "
        f"{account_id} cannot create it: bucket names are global, choose another name"
    )
