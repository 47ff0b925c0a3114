# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one policy model: every permission cross-account replication needs, and the documents built from it.

``required_permissions(spec)`` lists each permission once: who (``principal``, an IAM Principal
element), what (``actions``), on what (``resources``), under which ``conditions`` (an IAM Condition
block) and which documents must grant it (``granted_by``: ``trust_policy``, ``identity``,
``bucket_policy``, ``key_policy``). The trust policy, the role's identity policy, the destination
bucket-policy statements and the key-policy statements are all derived from that list, and the doctor
evaluates real setups against the same list, so nothing is typed twice.

Choices worth knowing:

* Sids are ``PREFIX + DIGEST``: a readable prefix per permission and the first 10 hex digits of
  ``sha256(ROLE_ARN + "|" + BUCKET)``. BUCKET is the bucket the statement is about: the destination
  bucket for destination-side permissions (bucket policy, destination key, replicate actions), the
  source bucket for source-side ones (source bucket and objects, source key). So several source roles
  into one destination bucket, or one role into several destination buckets, never share a Sid in a
  destination document, while the source-key statement stays one statement however many destinations
  one source bucket has. The digest never changes for the same names: teardown finds its statements.
* ``kms:EncryptionContext:aws:s3:arn``: S3 sends the object ARN, or the bucket ARN when S3 Bucket
  Keys are used. ``bucket_key_enabled: true`` allows exactly the bucket ARN (StringEquals), ``false``
  the objects ``arn:aws:s3:::BUCKET/*`` (StringLike, the value is a pattern). Omitted or null means
  unknown: both forms are allowed with StringLike (safe because an object written while Bucket Keys
  were off keeps the object context), and the destination key also allows kms:Decrypt.
* ``batch_replication: {report_bucket, report_prefix, manifest_bucket, manifest_prefix}`` (optional) adds
  what an S3 Batch Replication job run with the same role needs (backfill of existing or FAILED objects):
  ``batchoperations.s3.amazonaws.com`` in the trust policy, and a second inline policy
  (``batch_role_policy_name`` / ``batch_role_policy``, one per role and source bucket) with
  s3:InitiateReplication on the source objects, s3:GetReplicationConfiguration and
  s3:PutInventoryConfiguration on the source bucket, s3:GetObject/s3:GetObjectVersion on the generated
  manifest and s3:PutObject for the manifest and the completion report, both scoped to their prefixes.
  Without the option every output is exactly what it was before the option existed.
* KMS grant constraints only compare the exact encryption context (equals/subset), so they cannot
  express "any object of this bucket". They are returned only when the destination uses Bucket Keys
  (context = the bucket ARN); otherwise the grant's constraints are null and the key-policy statement,
  whose conditions also pin kms:ViaService, is the tighter choice.
"""

import copy
import hashlib
import re

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

POLICY_VERSION = "2012-10-17"
ROLE_POLICY_NAME_PREFIX = "s3-crossaccount-replication"
DEFAULT_ROLE_NAME = contract.DEFAULT_ROLE_NAME
S3_SERVICE_PRINCIPAL = "s3.amazonaws.com"
BATCH_SERVICE_PRINCIPAL = "batchoperations.s3.amazonaws.com"
BATCH_POLICY_NAME_PREFIX = ROLE_POLICY_NAME_PREFIX + "-batch"
CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn"
DIGEST_LENGTH = 10
PARTITION_DNS_SUFFIXES = {"aws": "amazonaws.com", "aws-us-gov": "amazonaws.com", "aws-cn": "amazonaws.com.cn"}
ROLE_PATH_PATTERN = re.compile(r"^/([\x21-\x7e]*/)?$")

TOP_LEVEL_DEFAULTS = dict(contract.MODEL_DEFAULTS)
REQUIRED_TOP_LEVEL = ("source", "destination")
OPTIONAL_TOP_LEVEL = ("batch_replication",)
REQUIRED_SIDE_KEYS = ("account_id", "bucket", "kms_key_arn", "region")

SOURCE_BUCKET_ACTIONS = ("s3:GetReplicationConfiguration", "s3:ListBucket")
SOURCE_OBJECT_ACTIONS = ("s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging")
OBJECT_LOCK_ACTIONS = ("s3:GetObjectRetention", "s3:GetObjectLegalHold")
REPLICATE_ACTIONS = ("s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags")
OWNER_OVERRIDE_ACTION = "s3:ObjectOwnerOverrideToBucketOwner"
DESTINATION_BUCKET_ACTIONS = ("s3:GetBucketVersioning", "s3:PutBucketVersioning")
BATCH_INITIATE_ACTIONS = ("s3:InitiateReplication",)
BATCH_SOURCE_BUCKET_ACTIONS = ("s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration")
BATCH_MANIFEST_READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion")
BATCH_REPORT_WRITE_ACTIONS = ("s3:PutObject",)
BATCH_KEYS = ("report_bucket", "report_prefix", "manifest_bucket", "manifest_prefix")

TRUST = "trust_policy"
IDENTITY = "identity"
BUCKET_POLICY = "bucket_policy"
KEY_POLICY = "key_policy"
BATCH_IDENTITY = "batch_identity"

# permission id -> Sid prefix; the ids are what the doctor reports, so keep both stable. The trust
# statement has no Sid: a role shared by several source buckets must get the same trust policy from each.
SID_PREFIXES = {
    "source-bucket": "S3ReplSourceBucket",
    "source-objects": "S3ReplSourceObjects",
    "source-key": "S3ReplSourceKey",
    "destination-objects": "S3ReplObjects",
    "destination-bucket": "S3ReplDestinationBucket",
    "destination-key": "S3ReplDestinationKey",
    "batch-initiate": "S3ReplBatchInitiate",
    "batch-source-bucket": "S3ReplBatchSourceBucket",
    "batch-manifest-read": "S3ReplBatchManifest",
    "batch-report-write": "S3ReplBatchReport",
}


class PolicySpecError(Refused):
    """The replication spec cannot produce policies; the message names the key and the fix."""


def replication_policies(spec):
    """Returns every document the replication setup needs for ``spec`` (see the filter's docs)."""
    model = _normalise_spec(spec)
    permissions = _permissions(model)
    destination_key = _permission(permissions, "destination-key")
    documents = {
        "role_arn": model["role_arn"],
        "trust_policy": _trust_policy(permissions),
        "role_policy_name": _role_policy_name(model),
        "role_policy": _identity_policy(permissions),
        "destination_bucket_statements": [
            _statement(p, _one_or_list(p["resources"]), with_principal=True) for p in permissions if BUCKET_POLICY in p["granted_by"]
        ],
        "destination_key_statement": _key_policy_statement(destination_key),
        "destination_key_grant": _grant(model, destination_key),
        "source_key_statement": _key_policy_statement(_permission(permissions, "source-key")),
        "required_permissions": [_public_permission(p) for p in permissions],
    }
    if model["batch_replication"]:
        documents["batch_role_policy_name"] = batch_role_policy_name(model["role_arn"], model["source"]["bucket"])
        documents["batch_role_policy"] = _identity_policy(permissions, BATCH_IDENTITY)
    return documents


def required_permissions(spec):
    """The permission list alone: ``[{id, principal, actions, resources, conditions, granted_by}]``."""
    return [_public_permission(p) for p in _permissions(_normalise_spec(spec))]


def batch_role_policy_name(role_arn, source_bucket):
    """The Batch Replication inline policy's name: one per (role, source bucket), whatever the report location."""
    return f"{BATCH_POLICY_NAME_PREFIX}-{statement_digest(role_arn, source_bucket)}"


def statement_digest(role_arn, bucket):
    return hashlib.sha256(f"{role_arn}|{bucket}".encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


# --- the permissions ---------------------------------------------------------------------------


def _permissions(model):
    source, destination = model["source"], model["destination"]
    role = {"AWS": model["role_arn"]}
    source_object_actions = SOURCE_OBJECT_ACTIONS + (OBJECT_LOCK_ACTIONS if model["object_lock"] else ())
    replicate_actions = REPLICATE_ACTIONS + ((OWNER_OVERRIDE_ACTION,) if model["owner_override"] else ())
    trust_conditions = {"StringEquals": {"aws:SourceAccount": source["account_id"]}} if model["trust_source_account_condition"] else {}
    permissions = [
        _entry(model, "assume-role", source, {"Service": S3_SERVICE_PRINCIPAL}, ["sts:AssumeRole"], [model["role_arn"]], trust_conditions, [TRUST]),
        _entry(model, "source-bucket", source, role, SOURCE_BUCKET_ACTIONS, [source["bucket_arn"]], {}, [IDENTITY]),
        _entry(model, "source-objects", source, role, source_object_actions, [source["objects_arn"]], {}, [IDENTITY]),
        _entry(model, "destination-objects", destination, role, replicate_actions, [destination["objects_arn"]], {}, [IDENTITY, BUCKET_POLICY]),
        _entry(model, "destination-bucket", destination, role, DESTINATION_BUCKET_ACTIONS, [destination["bucket_arn"]], {}, [BUCKET_POLICY]),
        _entry(model, "source-key", source, role, ["kms:Decrypt"], [source["kms_key_arn"]], _kms_conditions(model, source), [IDENTITY, KEY_POLICY]),
        _entry(
            model,
            "destination-key",
            destination,
            role,
            _destination_key_actions(model),
            [destination["kms_key_arn"]],
            _kms_conditions(model, destination),
            [IDENTITY, KEY_POLICY],
        ),
    ]
    if model["batch_replication"]:
        permissions.extend(_batch_permissions(model, role, trust_conditions))
    return permissions


def _batch_permissions(model, role, trust_conditions):
    """What an S3 Batch Replication job with the replication role needs (S3 user guide, s3-batch-replication-policies)."""
    source, batch = model["source"], model["batch_replication"]
    manifest_objects = _prefix_objects_arn(model, batch["manifest_bucket"], batch["manifest_prefix"])
    report_objects = _prefix_objects_arn(model, batch["report_bucket"], batch["report_prefix"])
    writes = [report_objects] if report_objects == manifest_objects else [manifest_objects, report_objects]
    return [
        _entry(model, "batch-assume-role", source, {"Service": BATCH_SERVICE_PRINCIPAL}, ["sts:AssumeRole"], [model["role_arn"]], trust_conditions, [TRUST]),
        _entry(model, "batch-initiate", source, role, BATCH_INITIATE_ACTIONS, [source["objects_arn"]], {}, [BATCH_IDENTITY]),
        _entry(model, "batch-source-bucket", source, role, BATCH_SOURCE_BUCKET_ACTIONS, [source["bucket_arn"]], {}, [BATCH_IDENTITY]),
        _entry(model, "batch-manifest-read", source, role, BATCH_MANIFEST_READ_ACTIONS, [manifest_objects], {}, [BATCH_IDENTITY]),
        _entry(model, "batch-report-write", source, role, BATCH_REPORT_WRITE_ACTIONS, writes, {}, [BATCH_IDENTITY]),
    ]


def _prefix_objects_arn(model, bucket, prefix):
    return f"arn:{model['partition']}:s3:::{bucket}/{prefix + '/' if prefix else ''}*"


def _entry(model, permission_id, side, principal, actions, resources, conditions, granted_by):
    return {
        "id": permission_id,
        "sid": SID_PREFIXES[permission_id] + statement_digest(model["role_arn"], side["bucket"]) if permission_id in SID_PREFIXES else None,
        "principal": principal,
        "actions": sorted(actions),
        "resources": list(resources),
        "conditions": conditions,
        "granted_by": list(granted_by),
    }


def _destination_key_actions(model):
    actions = ["kms:Encrypt"]
    if model["replicate_unencrypted_objects"]:
        actions.append("kms:GenerateDataKey")
    if model["destination"]["bucket_key_enabled"] is not False:
        actions.append("kms:Decrypt")
    return actions


def _kms_conditions(model, side):
    via_service = {"kms:ViaService": f"s3.{side['region']}.{PARTITION_DNS_SUFFIXES[model['partition']]}"}
    bucket_keys = side["bucket_key_enabled"]
    if bucket_keys is True:
        return {"StringEquals": dict(via_service, **{CONTEXT_KEY: side["bucket_arn"]})}
    contexts = side["objects_arn"] if bucket_keys is False else [side["bucket_arn"], side["objects_arn"]]
    return {"StringEquals": via_service, "StringLike": {CONTEXT_KEY: contexts}}


def _permission(permissions, permission_id):
    return next(p for p in permissions if p["id"] == permission_id)


def _public_permission(permission):
    return {key: copy.deepcopy(value) for key, value in permission.items() if key != "sid"}


# --- the documents built from the permissions ------------------------------------------------


def _trust_policy(permissions):
    statements = []
    for permission in permissions:
        if TRUST in permission["granted_by"]:
            statement = {"Effect": "Allow", "Principal": copy.deepcopy(permission["principal"]), "Action": _one_or_list(permission["actions"])}
            if permission["conditions"]:
                statement["Condition"] = copy.deepcopy(permission["conditions"])
            statements.append(statement)
    return {"Version": POLICY_VERSION, "Statement": statements}


def _identity_policy(permissions, document=IDENTITY):
    statements = [_statement(p, _one_or_list(p["resources"])) for p in permissions if document in p["granted_by"]]
    return {"Version": POLICY_VERSION, "Statement": statements}


def _statement(permission, resource, with_principal=False):
    """An Allow statement for ``permission``; resource policies (bucket, key) name the principal, identity policies never do."""
    statement = {"Sid": permission["sid"], "Effect": "Allow"}
    if with_principal:
        statement["Principal"] = copy.deepcopy(permission["principal"])
    statement.update({"Action": list(permission["actions"]), "Resource": resource})
    if permission["conditions"]:
        statement["Condition"] = copy.deepcopy(permission["conditions"])
    return statement


def _key_policy_statement(permission):
    """In a key policy the resource is always "*": the key the policy is attached to."""
    return _statement(permission, "*", with_principal=True)


def _grant(model, destination_key):
    destination = model["destination"]
    constraints = None
    if destination["bucket_key_enabled"] is True:
        constraints = {"EncryptionContextSubset": {"aws:s3:arn": destination["bucket_arn"]}}
    return {
        "name": f"{ROLE_POLICY_NAME_PREFIX}-{statement_digest(model['role_arn'], destination['bucket'])}",
        "grantee_principal": model["role_arn"],
        "operations": [action.split(":", 1)[1] for action in destination_key["actions"]],
        "constraints": constraints,
    }


def _role_policy_name(model):
    """One inline policy per (source bucket, destination bucket), so fan-out and shared roles never overwrite each other."""
    pair = f"{model['source']['bucket']}|{model['destination']['bucket']}"
    return f"{ROLE_POLICY_NAME_PREFIX}-{hashlib.sha256(pair.encode('utf-8')).hexdigest()[:DIGEST_LENGTH]}"


def _one_or_list(values):
    return values[0] if len(values) == 1 else list(values)


# --- validation ----------------------------------------------------------------------------------


def _normalise_spec(spec):
    if not isinstance(spec, dict):
        raise PolicySpecError(f"the replication spec must be a dict with source and destination, not {type(spec).__name__}")
    unknown = sorted(set(spec) - set(TOP_LEVEL_DEFAULTS) - set(REQUIRED_TOP_LEVEL) - set(OPTIONAL_TOP_LEVEL))
    if unknown:
        allowed = ", ".join(sorted(REQUIRED_TOP_LEVEL + OPTIONAL_TOP_LEVEL + tuple(TOP_LEVEL_DEFAULTS)))
        raise PolicySpecError(f"unknown key(s) {', '.join(unknown)} in the replication spec: remove them or use one of {allowed}")
    model = {key: default if spec.get(key) is None else spec[key] for key, default in TOP_LEVEL_DEFAULTS.items()}
    model["partition"] = _partition(model["partition"])
    for flag in ("owner_override", "replicate_unencrypted_objects", "object_lock", "trust_source_account_condition"):
        model[flag] = _flag(flag, model[flag])
    model["source"] = _side("source", spec.get("source"), model["partition"])
    model["destination"] = _side("destination", spec.get("destination"), model["partition"])
    if model["source"]["bucket"] == model["destination"]["bucket"]:
        raise PolicySpecError(
            f"source.bucket and destination.bucket are the same bucket '{model['source']['bucket']}': "
            "a bucket cannot replicate into itself, name another destination bucket"
        )
    model["batch_replication"] = _batch_replication(spec.get("batch_replication"))
    model["role_path"] = _role_path(model["role_path"])
    model["role_arn"] = _checked("role_name", arns.role_arn, model["source"]["account_id"], model["role_name"], model["role_path"], model["partition"])
    return model


def _side(name, side, partition):
    if not isinstance(side, dict):
        raise PolicySpecError(f"{name} is required: a dict with {', '.join(REQUIRED_SIDE_KEYS)} (and optionally bucket_key_enabled)")
    missing = [key for key in REQUIRED_SIDE_KEYS if side.get(key) in (None, "")]
    if missing:
        raise PolicySpecError(f"{name}.{missing[0]} is required: set {', '.join(f'{name}.{key}' for key in missing)}")
    account_id = _checked(f"{name}.account_id", arns.validate_account_id, side["account_id"])
    region = _checked(f"{name}.region", arns.validate_region, str(side["region"]))
    _check_region_partition(f"{name}.region", region, partition)
    bucket = _checked(f"{name}.bucket", arns.bucket_name, side["bucket"])
    key = _checked(f"{name}.kms_key_arn", arns.parse_kms_key_arn, side["kms_key_arn"])
    for part, expected in (("partition", partition), ("account_id", account_id), ("region", region)):
        if key[part] != expected:
            raise PolicySpecError(
                f"{name}.kms_key_arn '{side['kms_key_arn']}' is in {part.replace('_', ' ')} {key[part]}, but the {name} is in {expected}: "
                f"S3 only uses a key of the bucket's own account and region, give that key's full ARN"
            )
    bucket_key_enabled = side.get("bucket_key_enabled")
    return {
        "account_id": account_id,
        "region": region,
        "bucket": bucket,
        "bucket_arn": f"arn:{partition}:s3:::{bucket}",
        "objects_arn": f"arn:{partition}:s3:::{bucket}/*",
        "kms_key_arn": str(side["kms_key_arn"]),
        "bucket_key_enabled": None if bucket_key_enabled is None else _flag(f"{name}.bucket_key_enabled", bucket_key_enabled),
    }


def _batch_replication(batch):
    """None, or the report and manifest locations: bucket names and prefixes without surrounding slashes."""
    if batch is None:
        return None
    if not isinstance(batch, dict):
        raise PolicySpecError(
            f"batch_replication must be a dict with report_bucket (and optionally report_prefix, manifest_bucket, manifest_prefix), not {batch!r}"
        )
    unknown = sorted(set(batch) - set(BATCH_KEYS))
    if unknown:
        raise PolicySpecError(f"unknown key(s) {', '.join(unknown)} in batch_replication: use {', '.join(BATCH_KEYS)}")
    if batch.get("report_bucket") in (None, ""):
        raise PolicySpecError("batch_replication.report_bucket is required: the bucket the job's completion report is written to")
    report_bucket = _checked("batch_replication.report_bucket", arns.bucket_name, batch["report_bucket"])
    report_prefix = _prefix("batch_replication.report_prefix", batch.get("report_prefix"))
    manifest_given = batch.get("manifest_bucket") not in (None, "")
    return {
        "report_bucket": report_bucket,
        "report_prefix": report_prefix,
        "manifest_bucket": _checked("batch_replication.manifest_bucket", arns.bucket_name, batch["manifest_bucket"]) if manifest_given else report_bucket,
        "manifest_prefix": (
            _prefix("batch_replication.manifest_prefix", batch.get("manifest_prefix")) if manifest_given or batch.get("manifest_prefix") else report_prefix
        ),
    }


def _prefix(key, prefix):
    text = "" if prefix is None else str(prefix).strip("/")
    if any(character in text for character in "*?") or len(text) > 512:
        raise PolicySpecError(f"{key} '{prefix}' must be a plain key prefix (no * or ?, up to 512 characters), for example batch-replication/reports")
    return text


def _checked(key, check, *args):
    try:
        return check(*args)
    except ValueError as e:
        raise PolicySpecError(f"{key}: {e}") from e


def _flag(key, value):
    try:
        return boolean(value, strict=True)
    except TypeError as e:
        raise PolicySpecError(f"{key} must be true or false, not {value!r}") from e


def _partition(partition):
    partition = str(partition)
    if partition not in PARTITION_DNS_SUFFIXES:
        raise PolicySpecError(f"partition '{partition}' is not supported: use one of {', '.join(sorted(PARTITION_DNS_SUFFIXES))}")
    return partition


def _check_region_partition(key, region, partition):
    region_partition = arns.partition_of_region(region)
    if region_partition != partition:
        raise PolicySpecError(f"{key} '{region}' belongs to partition {region_partition}, but partition is {partition}: set partition to match the regions")


def _role_path(path):
    text = str(path)
    if len(text) > 512 or not ROLE_PATH_PATTERN.match(text):
        raise PolicySpecError(
            f"role_path '{text}' is not an IAM path: it starts and ends with / (for example / or /service-role/), printable ASCII, up to 512 characters"
        )
    return text
