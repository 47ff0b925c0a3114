# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The S3 calls of this collection, one function per API call (see aws_calls).

Reads answer plain values: ``None`` for "not configured" (no policy, no replication configuration,
no default encryption ...). ``owner`` (an account id) adds ExpectedBucketOwner, so a call never acts
on a bucket of another account that happens to carry the name.
"""

import json
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import aws_errors
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import paged
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.permissions import needs

MISSING_BUCKET = ("404", "NoSuchBucket", "NotFound")
FORBIDDEN = ("403", "Forbidden", "AccessDenied")
ENCRYPTION_NOT_FOUND = ("ServerSideEncryptionConfigurationNotFoundError",)
TAGS_NOT_FOUND = ("NoSuchTagSet",)
OWNERSHIP_NOT_FOUND = ("OwnershipControlsNotFoundError",)
OBJECT_LOCK_NOT_FOUND = ("ObjectLockConfigurationNotFoundError",)
POLICY_NOT_FOUND = ("NoSuchBucketPolicy",)
REPLICATION_NOT_FOUND = ("ReplicationConfigurationNotFoundError",)
OBJECT_NOT_FOUND = ("404", "NoSuchKey", "NoSuchVersion", "NotFound")
PRECONDITION_FAILED = ("PreconditionFailed", "412")
# S3 answers 409 ConditionalRequestConflict when two conditional writes of one key race.
CONFLICT = ("ConditionalRequestConflict", "409")
DELETE_BATCH = 1000


def _bucket(bucket, owner):
    return {"Bucket": bucket, "ExpectedBucketOwner": owner} if owner else {"Bucket": bucket}


def _what(bucket, owner=None):
    return f"bucket '{bucket}' in account {owner}" if owner else f"bucket '{bucket}'"


def _object(bucket, key, version_id, owner):
    return dict(_bucket(bucket, owner), Key=key, **({"VersionId": version_id} if version_id else {}))


def _what_object(bucket, key, owner=None):
    return f"object '{key}' in {_what(bucket, owner)}"


def parse_document(value):
    """S3 and IAM hand policies back as JSON text (or, decoded by boto3, as dicts)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return {"unparsed": value}
    return value


# --- reads -------------------------------------------------------------------------------------


@needs("HeadBucket", "s3:ListBucket", permissions.BUCKET)
def head_bucket(client, bucket, owner=None):
    """The bucket's region, or None when it does not exist. 403 raises (another account's bucket, or no s3:ListBucket)."""
    response = call(client, "head_bucket", _what(bucket, owner), MISSING_BUCKET, **_bucket(bucket, owner))
    if response is None:
        return None
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    return response.get("BucketRegion") or headers.get("x-amz-bucket-region") or "us-east-1"


@needs("HeadBucket", "s3:ListBucket", permissions.BUCKET)
def bucket_region_hint(client, bucket):
    """The region HeadBucket tells (S3 sends it with a 403 for another account's bucket too); None when it cannot."""
    try:
        response = client.head_bucket(aws_retry=True, Bucket=bucket)
    except aws_errors() as error:
        response = getattr(error, "response", None)
    headers = (response or {}).get("ResponseMetadata", {}).get("HTTPHeaders", {})
    return headers.get("x-amz-bucket-region") or (response or {}).get("BucketRegion")


@needs("ListBuckets", "s3:ListAllMyBuckets", permissions.ANY)
def list_buckets(client, region):
    """The names of the account's buckets in ``region`` (ListBuckets, every page)."""
    return [bucket["Name"] for bucket in paged(client, "list_buckets", "Buckets", f"the buckets of region {region}", BucketRegion=region)]


@needs("GetBucketTagging", "s3:GetBucketTagging", permissions.BUCKET)
def get_tags(client, bucket, owner=None):
    """The bucket's tags as {key: value} ({} when it has none)."""
    answer = call(client, "get_bucket_tagging", _what(bucket, owner), TAGS_NOT_FOUND, **_bucket(bucket, owner))
    return {tag["Key"]: tag["Value"] for tag in (answer or {}).get("TagSet") or []}


@needs("GetBucketVersioning", "s3:GetBucketVersioning", permissions.BUCKET)
def get_versioning(client, bucket, owner=None):
    """Enabled, Suspended or Disabled (never versioned)."""
    return bucket_settings.versioning_status(call(client, "get_bucket_versioning", _what(bucket, owner), **_bucket(bucket, owner)))


@needs("GetBucketEncryption", "s3:GetEncryptionConfiguration", permissions.BUCKET)
def get_encryption(client, bucket, owner=None):
    """The ServerSideEncryptionConfiguration, or None."""
    answer = call(client, "get_bucket_encryption", _what(bucket, owner), ENCRYPTION_NOT_FOUND, **_bucket(bucket, owner))
    return (answer or {}).get("ServerSideEncryptionConfiguration")


@needs("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", permissions.BUCKET)
def get_ownership_controls(client, bucket, owner=None):
    """The OwnershipControls, or None."""
    answer = call(client, "get_bucket_ownership_controls", _what(bucket, owner), OWNERSHIP_NOT_FOUND, **_bucket(bucket, owner))
    return (answer or {}).get("OwnershipControls")


@needs("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", permissions.BUCKET)
def object_lock_enabled(client, bucket, owner=None):
    """True when Object Lock is enabled on the bucket."""
    answer = call(client, "get_object_lock_configuration", _what(bucket, owner), OBJECT_LOCK_NOT_FOUND, **_bucket(bucket, owner))
    return ((answer or {}).get("ObjectLockConfiguration") or {}).get("ObjectLockEnabled") == "Enabled"


@needs("GetBucketPolicy", "s3:GetBucketPolicy", permissions.BUCKET)
def get_policy(client, bucket, owner=None):
    """The bucket policy as a document, or None."""
    answer = call(client, "get_bucket_policy", _what(bucket, owner), POLICY_NOT_FOUND, **_bucket(bucket, owner))
    return parse_document(answer["Policy"]) if answer and answer.get("Policy") else None


@needs("GetBucketReplication", "s3:GetReplicationConfiguration", permissions.BUCKET)
def get_replication(client, bucket, owner=None):
    """The ReplicationConfiguration, or None."""
    answer = call(client, "get_bucket_replication", _what(bucket, owner), REPLICATION_NOT_FOUND, **_bucket(bucket, owner))
    return (answer or {}).get("ReplicationConfiguration")


@needs("GetBucketNotificationConfiguration", "s3:GetBucketNotification", permissions.BUCKET)
def get_notification(client, bucket, owner=None):
    """The NotificationConfiguration as S3 answers it ({} when the bucket has none)."""
    answer = call(client, "get_bucket_notification_configuration", _what(bucket, owner), **_bucket(bucket, owner))
    return {name: value for name, value in (answer or {}).items() if name != "ResponseMetadata"}


@needs("ListObjectVersions", "s3:ListBucketVersions", permissions.BUCKET)
def newest_versions(client, bucket, prefix, scan_limit, owner=None):
    """Up to ``scan_limit`` object versions under ``prefix`` (no delete markers), in one or a few ListObjectVersions pages."""
    versions, params = [], dict(_bucket(bucket, owner), Prefix=prefix or "", MaxKeys=min(scan_limit, 1000))
    while len(versions) < scan_limit:
        answer = call(client, "list_object_versions", _what(bucket, owner), **params)
        versions += [{"key": item["Key"], "version_id": item.get("VersionId"), "last_modified": item["LastModified"].isoformat(),
                      "is_latest": bool(item.get("IsLatest"))} for item in answer.get("Versions") or []]
        if not answer.get("IsTruncated"):
            break
        params.update(KeyMarker=answer.get("NextKeyMarker"), VersionIdMarker=answer.get("NextVersionIdMarker"))
    return versions[:scan_limit]


def replication_status(client, bucket, key, version_id, owner=None):
    """The object version's x-amz-replication-status (COMPLETED, PENDING, FAILED, REPLICA), None when it has none or is gone."""
    answer = head_object(client, bucket, key, None if version_id == "null" else version_id, owner)
    return (answer or {}).get("ReplicationStatus")


@needs("ListObjectsV2", "s3:ListBucket", permissions.BUCKET)
def has_objects(client, bucket, owner=None):
    answer = call(client, "list_objects_v2", _what(bucket, owner), MaxKeys=1, **_bucket(bucket, owner))
    return bool(answer.get("KeyCount") or answer.get("Contents"))


@needs("GetBucketAcl", "s3:GetBucketAcl", permissions.BUCKET)
def get_bucket_owner(client, bucket, owner=None):
    """The canonical user id of the bucket's owner (GetBucketAcl)."""
    return call(client, "get_bucket_acl", _what(bucket, owner), **_bucket(bucket, owner))["Owner"]["ID"]


@needs("HeadObject", ("s3:GetObject", "s3:GetObjectVersion"), permissions.OBJECTS)
def head_object(client, bucket, key, version_id=None, owner=None):
    """The object's HeadObject answer (of ``version_id``, default the latest), or None when there is no such object or version."""
    return call(client, "head_object", _what_object(bucket, key, owner), OBJECT_NOT_FOUND, **_object(bucket, key, version_id, owner))


@needs("GetObjectAcl", ("s3:GetObjectAcl", "s3:GetObjectVersionAcl"), permissions.OBJECTS)
def get_object_owner(client, bucket, key, version_id=None, owner=None):
    """The canonical user id of the object's owner (GetObjectAcl)."""
    return call(client, "get_object_acl", _what_object(bucket, key, owner), **_object(bucket, key, version_id, owner))["Owner"]["ID"]


@needs("GetObject", "s3:GetObject", permissions.OBJECTS)
def get_object(client, bucket, key):
    """{body (text), etag, last_modified, server_time (the answer's Date)} of the object, or None when there is none."""
    answer = call(client, "get_object", _what_object(bucket, key), OBJECT_NOT_FOUND, Bucket=bucket, Key=key)
    if answer is None:
        return None
    date = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    return {"body": answer["Body"].read().decode("utf-8", "replace"), "etag": answer["ETag"], "last_modified": answer["LastModified"],
            "server_time": parsedate_to_datetime(date) if date else None}


@needs("ListObjectVersions", "s3:ListBucketVersions", permissions.BUCKET)
def list_object_versions(client, bucket, prefix, owner=None):
    """Every page of ListObjectVersions under ``prefix`` (its Versions and DeleteMarkers)."""
    pages, marker = [], {}
    while True:
        page = call(client, "list_object_versions", f"objects under '{prefix}' in {_what(bucket, owner)}", Prefix=prefix, **marker,
                    **_bucket(bucket, owner))
        pages.append(page)
        if not page.get("IsTruncated"):
            return pages
        marker = {"KeyMarker": page["NextKeyMarker"], "VersionIdMarker": page["NextVersionIdMarker"]}


# --- writes ------------------------------------------------------------------------------------


@needs("PutObject", ("s3:PutObject", "s3:PutObjectTagging"), permissions.OBJECTS)
@needs(None, "kms:GenerateDataKey", permissions.KEY)
def put_encrypted_object(client, bucket, key, body, kms_key_arn, tags=None, owner=None):
    """Writes ``body`` at ``key``, encrypted with SSE-KMS under ``kms_key_arn`` and tagged with ``tags``; the new VersionId."""
    params = dict(_object(bucket, key, None, owner), Body=body.encode("utf-8"), ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key_arn)
    if tags:
        params["Tagging"] = "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in sorted(tags.items()))
    return call(client, "put_object", _what_object(bucket, key, owner), **params).get("VersionId")


def _quoted(text):
    return quote(str(text), safe="")


@needs("PutObject", "s3:PutObject", permissions.OBJECTS)
def put_object_if_absent(client, bucket, key, text):
    """Creates the JSON object only if there is none at ``key`` (If-None-Match); its ETag, or None when one exists."""
    answer = call(client, "put_object", _what_object(bucket, key), PRECONDITION_FAILED + CONFLICT, Bucket=bucket, Key=key, Body=text.encode("utf-8"),
                  IfNoneMatch="*", ContentType="application/json")
    return None if answer is None else answer.get("ETag")


@needs("PutObject", "s3:PutObject", permissions.OBJECTS)
def put_object_if_unchanged(client, bucket, key, text, etag):
    """Replaces the JSON object only while its ETag is ``etag`` (If-Match); the new ETag, or None when it changed meanwhile."""
    answer = call(client, "put_object", _what_object(bucket, key), PRECONDITION_FAILED + CONFLICT + OBJECT_NOT_FOUND, Bucket=bucket, Key=key,
                  Body=text.encode("utf-8"), IfMatch=etag, ContentType="application/json")
    return None if answer is None else answer.get("ETag")


@needs("DeleteObject", "s3:DeleteObject", permissions.OBJECTS)
def delete_object_if_unchanged(client, bucket, key, etag):
    """Deletes the object only while its ETag is ``etag``: True when it is gone, False when it changed meanwhile."""
    try:
        call(client, "delete_object", _what_object(bucket, key), OBJECT_NOT_FOUND, Bucket=bucket, Key=key, IfMatch=etag)
    except AwsCallFailure as failure:
        if failure.code in PRECONDITION_FAILED:
            return False
        raise
    return True


@needs("DeleteObjects", ("s3:DeleteObject", "s3:DeleteObjectVersion"), permissions.OBJECTS)
def delete_object_versions(client, bucket, versions, owner=None):
    """Deletes ``versions`` ([{Key, VersionId}]), 1,000 a request; a version S3 refuses to delete raises AwsCallFailure."""
    for start in range(0, len(versions), DELETE_BATCH):
        batch = versions[start:start + DELETE_BATCH]
        answer = call(client, "delete_objects", _what(bucket, owner), Delete={"Objects": batch, "Quiet": True}, **_bucket(bucket, owner))
        if answer.get("Errors"):
            error = answer["Errors"][0]
            raise AwsCallFailure(f"DeleteObjects failed for {error.get('Key')} version {error.get('VersionId')} in {_what(bucket, owner)}: "
                                 f"{error.get('Code')} {error.get('Message')}")


@needs("CreateBucket", ("s3:CreateBucket", "s3:PutBucketOwnershipControls"), permissions.BUCKET)
def create_bucket(client, bucket, region, object_ownership=None):
    """Creates the bucket in ``region``; BucketAlreadyOwnedByYou (an earlier create of ours) is success."""
    params = {"Bucket": bucket}
    if region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_ownership:
        params["ObjectOwnership"] = object_ownership
    call(client, "create_bucket", _what(bucket), ("BucketAlreadyOwnedByYou",), **params)


@needs("PutBucketVersioning", "s3:PutBucketVersioning", permissions.BUCKET)
def put_versioning(client, bucket, status, owner=None):
    call(client, "put_bucket_versioning", _what(bucket, owner), VersioningConfiguration=bucket_settings.versioning_request(status), **_bucket(bucket, owner))


@needs("PutBucketEncryption", "s3:PutEncryptionConfiguration", permissions.BUCKET)
def put_encryption(client, bucket, encryption, owner=None):
    configuration = bucket_settings.encryption_request(encryption)
    call(client, "put_bucket_encryption", _what(bucket, owner), ServerSideEncryptionConfiguration=configuration, **_bucket(bucket, owner))


@needs("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls", permissions.BUCKET)
def put_ownership_controls(client, bucket, object_ownership, owner=None):
    controls = bucket_settings.ownership_request(object_ownership)
    call(client, "put_bucket_ownership_controls", _what(bucket, owner), OwnershipControls=controls, **_bucket(bucket, owner))


@needs("PutBucketPolicy", "s3:PutBucketPolicy", permissions.BUCKET)
def put_policy(client, bucket, policy_text, owner=None):
    call(client, "put_bucket_policy", _what(bucket, owner), Policy=policy_text, **_bucket(bucket, owner))


@needs("DeleteBucketPolicy", "s3:DeleteBucketPolicy", permissions.BUCKET)
def delete_policy(client, bucket, owner=None):
    call(client, "delete_bucket_policy", _what(bucket, owner), **_bucket(bucket, owner))


@needs("PutBucketReplication", "s3:PutReplicationConfiguration", permissions.BUCKET)
@needs(None, "iam:PassRole", permissions.ROLE)
def put_replication(client, bucket, configuration, owner=None):
    call(client, "put_bucket_replication", _what(bucket, owner), ReplicationConfiguration=configuration, **_bucket(bucket, owner))


@needs("PutBucketNotificationConfiguration", "s3:PutBucketNotification", permissions.BUCKET)
def put_notification(client, bucket, configuration, owner=None):
    """Writes the whole notification configuration; S3 tests every destination first (a test message to each topic, queue, function)."""
    call(client, "put_bucket_notification_configuration", _what(bucket, owner), NotificationConfiguration=configuration, **_bucket(bucket, owner))


@needs("DeleteBucketReplication", "s3:PutReplicationConfiguration", permissions.BUCKET)
def delete_replication(client, bucket, owner=None):
    call(client, "delete_bucket_replication", _what(bucket, owner), **_bucket(bucket, owner))
