#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_bucket
version_added: 0.1.0
short_description: Make an S3 bucket ready for replication, with check mode
description:
  - Makes sure an S3 bucket exists in the account of the credentials used, and sets what replication needs from it,
    namely versioning, default encryption with a customer managed KMS key (SSE-KMS) and object ownership.
  - Every attribute whose option is unset is left alone, so the module can enable versioning on a source bucket
    without touching the encryption or ownership another team chose for it.
  - The module only reads what it reports and writes what differs; C(--check) writes nothing and C(--diff) shows
    the bucket before and after, including a bucket that would be created.
  - Every S3 call names the caller's account as the expected bucket owner, so a bucket of the same name in another
    account is never changed.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  name:
    description:
      - Name of the bucket.
    type: str
    required: true
  create:
    description:
      - Create the bucket in O(region) when it does not exist (with a LocationConstraint outside us-east-1).
      - When V(false) and the bucket does not exist, the module fails before writing anything.
    type: bool
    default: false
  versioning:
    description:
      - V(true) enables versioning, which replication needs on both buckets.
      - V(false) suspends versioning on a versioned bucket; it is a no-op on a bucket that was never versioned.
        Suspending is refused while the bucket has a replication configuration, because S3 forbids it.
      - Unset leaves versioning alone.
    type: bool
  encryption:
    description:
      - Default encryption of the bucket with SSE-KMS.
      - Setting it replaces the bucket's default encryption configuration (S3 keeps one rule).
      - Unset leaves the bucket's default encryption alone.
    type: dict
    suboptions:
      kms_key_arn:
        description:
          - Full ARN of a symmetric customer managed KMS key in the bucket's region, C(arn:aws:kms:REGION:ACCOUNT:key/KEY_ID).
          - Key ids and aliases are refused; the key may belong to another account.
        type: str
        required: true
      bucket_key_enabled:
        description:
          - Use an S3 Bucket Key, which cuts KMS requests; KMS then sees the bucket ARN, not the object ARN,
            as encryption context.
        type: bool
        default: true
  object_ownership:
    description:
      - Object ownership controls of the bucket.
      - V(BucketOwnerEnforced) disables ACLs and makes the bucket owner own every object, including replicas.
      - Unset leaves the ownership controls alone.
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
notes:
  - In check mode, for a bucket that would be created, the attributes whose options are unset show the defaults
    S3 gives new buckets (no versioning, SSE-S3, V(BucketOwnerEnforced)).
  - Permissions used are s3:ListBucket (HeadBucket), s3:GetBucketVersioning, s3:GetEncryptionConfiguration,
    s3:GetBucketOwnershipControls, s3:GetReplicationConfiguration (only to suspend versioning), s3:CreateBucket,
    s3:PutBucketVersioning, s3:PutEncryptionConfiguration, s3:PutBucketOwnershipControls and sts:GetCallerIdentity.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Destination bucket, ready to receive SSE-KMS replicas
  s3_crossaccount.replication.s3_replication_bucket:
    name: stats-data-tgt
    create: true
    versioning: true
    encryption:
      kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
      bucket_key_enabled: true
    object_ownership: BucketOwnerEnforced
    profile: analytics
    region: us-east-1

- name: Source bucket, versioning only; its encryption and ownership stay as they are
  s3_crossaccount.replication.s3_replication_bucket:
    name: stats-data-src
    versioning: true
    profile: prod
    region: us-east-1
  register: source_bucket

- name: Show how the source bucket encrypts by default
  ansible.builtin.debug:
    msg: "{{ source_bucket.bucket.encryption }}"
"""

RETURN = r"""
bucket:
  description:
    - The bucket after the task; in check mode, as it would be.
  returned: success
  type: dict
  contains:
    name:
      description: Name of the bucket.
      type: str
      sample: stats-data-tgt
    exists:
      description:
        - Whether the bucket exists now. V(false) only in check mode for a bucket that would be created;
          the other keys then show the bucket that would exist.
      type: bool
      sample: true
    region:
      description: Region of the bucket.
      type: str
      sample: us-east-1
    versioning:
      description: Versioning status; V(Disabled) for a bucket that was never versioned.
      type: str
      sample: Enabled
    encryption:
      description: Default encryption of the bucket, V(null) when it has none.
      type: dict
      contains:
        algorithm:
          description: SSE algorithm, V(aws:kms), V(aws:kms:dsse) or V(AES256) (SSE-S3).
          type: str
          sample: aws:kms
        kms_key_arn:
          description:
            - The key as an ARN (a key id or alias S3 holds is expanded in the bucket's account and region);
              V(null) for SSE-S3 or the AWS managed key.
          type: str
          sample: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
        bucket_key_enabled:
          description: Whether S3 Bucket Keys are on (KMS then sees the bucket ARN as encryption context).
          type: bool
          sample: true
    object_ownership:
      description: Object ownership rule, V(null) when the bucket has no ownership controls.
      type: str
      sample: BucketOwnerEnforced
diff:
  description: The bucket before and after, as in RV(bucket); before is C({name, exists=false}) for a bucket to be created.
  returned: success
  type: dict
  contains:
    before:
      description: The bucket before the task.
      type: dict
      sample: {"name": "stats-data-tgt", "exists": false}
    after:
      description: The bucket after the task (in check mode, as it would be).
      type: dict
      sample: {"name": "stats-data-tgt", "exists": true, "region": "us-east-1", "versioning": "Enabled",
               "encryption": {"algorithm": "aws:kms", "bucket_key_enabled": true,
                              "kms_key_arn": "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"},
               "object_ownership": "BucketOwnerEnforced"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.retries import TransientRetry

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.bucket_settings import BucketSettingsError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule

# NoSuchBucket right after CreateBucket is a stale read: retry it briefly, with the usual throttling codes.
S3_RETRY_CODES = ["NoSuchBucket", "OperationAborted"]
S3_RETRIES = 6
S3_RETRY_DELAY = 1
S3_RETRY_MAX_DELAY = 8
MISSING_BUCKET_CODES = ("404", "NotFound", "NoSuchBucket")
FORBIDDEN_CODES = ("403", "Forbidden", "AccessDenied")


class AwsCallError(Exception):
    """An AWS call failed; ``main`` reports it with the operation and bucket it concerned."""

    def __init__(self, message, exception):
        super().__init__(message)
        self.message = message
        self.exception = exception


class BucketApi:
    """Thin retried wrappers around the S3 calls, each scoped to one bucket and its expected owner."""

    def __init__(self, client, name, owner):
        self.client = client
        self.name = name
        self.owner = owner

    def _call(self, operation, **params):
        method = getattr(self.client, operation)
        try:
            return method(aws_retry=True, **params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise AwsCallError(f"{operation} failed for bucket '{self.name}' in account {self.owner}", error) from error

    def _bucket_call(self, operation, **params):
        return self._call(operation, Bucket=self.name, ExpectedBucketOwner=self.owner, **params)

    def locate(self):
        """The bucket's region, or ``None`` when it does not exist."""
        try:
            response = self._bucket_call("head_bucket")
        except AwsCallError as error:
            if _code(error) in MISSING_BUCKET_CODES:
                return None
            if _code(error) in FORBIDDEN_CODES:
                raise BucketSettingsError(bucket_settings.forbidden_bucket_message(self.name, self.owner)) from None
            raise
        return response.get("BucketRegion") or _header(response, "x-amz-bucket-region")

    def versioning(self):
        return bucket_settings.versioning_status(self._bucket_call("get_bucket_versioning"))

    def encryption_configuration(self):
        try:
            return self._bucket_call("get_bucket_encryption").get("ServerSideEncryptionConfiguration")
        except AwsCallError as error:
            if _code(error) == "ServerSideEncryptionConfigurationNotFoundError":
                return None
            raise

    def ownership_controls(self):
        try:
            return self._bucket_call("get_bucket_ownership_controls").get("OwnershipControls")
        except AwsCallError as error:
            if _code(error) == "OwnershipControlsNotFoundError":
                return None
            raise

    def replication_configured(self):
        try:
            self._bucket_call("get_bucket_replication")
        except AwsCallError as error:
            if _code(error) == "ReplicationConfigurationNotFoundError":
                return False
            raise
        return True

    def create(self, region, object_ownership):
        params = {"Bucket": self.name}
        if region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": region}
        if object_ownership:
            params["ObjectOwnership"] = object_ownership
        try:
            self._call("create_bucket", **params)
        except AwsCallError as error:
            if _code(error) == "BucketAlreadyExists":
                raise BucketSettingsError(bucket_settings.name_taken_message(self.name, self.owner)) from None
            # HeadBucket lagged behind an earlier create of ours: the bucket is there, carry on.
            if _code(error) != "BucketAlreadyOwnedByYou":
                raise

    def put_versioning(self, status):
        self._bucket_call("put_bucket_versioning", VersioningConfiguration=bucket_settings.versioning_request(status))

    def put_encryption(self, encryption):
        self._bucket_call("put_bucket_encryption", ServerSideEncryptionConfiguration=bucket_settings.encryption_request(encryption))

    def put_ownership(self, object_ownership):
        self._bucket_call("put_bucket_ownership_controls", OwnershipControls=bucket_settings.ownership_request(object_ownership))


def _code(error):
    exception = error.exception
    if isinstance(exception, botocore.exceptions.ClientError):
        return exception.response.get("Error", {}).get("Code")
    return None


def _header(response, name):
    return response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get(name)


def read_state(api, region, partition):
    versioning = api.versioning()
    encryption = bucket_settings.encryption_settings(api.encryption_configuration(), partition, region, api.owner)
    object_ownership = bucket_settings.object_ownership_setting(api.ownership_controls())
    return bucket_settings.bucket_state(api.name, region, versioning, encryption, object_ownership)


def plan(api, desired, current):
    replication_configured = bucket_settings.suspension_requested(desired, current) and api.replication_configured()
    return bucket_settings.plan_changes(desired, current, replication_configured)


def apply_changes(api, changes):
    if "versioning" in changes:
        api.put_versioning(changes["versioning"])
    if "encryption" in changes:
        api.put_encryption(changes["encryption"])
    if "object_ownership" in changes:
        api.put_ownership(changes["object_ownership"])


def ensure_bucket(api, desired, create, home_region, partition, check_mode):
    """Returns ``(changed, before, after)``; writes nothing in check mode and nothing before every check passed."""
    region = api.locate()
    if region is None:
        return _ensure_new_bucket(api, desired, create, home_region, partition, check_mode)
    bucket_settings.check_key_region(desired, region)
    current = read_state(api, region, partition)
    changes = plan(api, desired, current)
    if changes and not check_mode:
        apply_changes(api, changes)
    return bool(changes), current, bucket_settings.predicted_state(current, changes)


def _ensure_new_bucket(api, desired, create, home_region, partition, check_mode):
    if not create:
        raise BucketSettingsError(bucket_settings.missing_bucket_message(api.name, api.owner))
    if not home_region:
        raise BucketSettingsError(f"region: bucket '{api.name}' does not exist and would be created, so set region (or AWS_REGION) to where it belongs")
    bucket_settings.check_key_region(desired, home_region)
    before = bucket_settings.missing_bucket_state(api.name)
    if check_mode:
        current = bucket_settings.new_bucket_state(api.name, home_region, desired["object_ownership"])
        # A bucket that does not exist yet has no replication configuration to read.
        return True, before, bucket_settings.predicted_state(current, bucket_settings.plan_changes(desired, current))
    api.create(home_region, desired["object_ownership"])
    current = read_state(api, home_region, partition)
    changes = plan(api, desired, current)
    apply_changes(api, changes)
    return True, before, bucket_settings.predicted_state(current, changes)


def reported_bucket(before, after, check_mode):
    """The state after the task, except that a bucket check mode only pretended to create does not exist."""
    return dict(after, exists=before["exists"] or not check_mode)


def s3_retry():
    return TransientRetry.jittered_backoff(retries=S3_RETRIES, delay=S3_RETRY_DELAY, max_delay=S3_RETRY_MAX_DELAY, catch_extra_error_codes=S3_RETRY_CODES)


def caller_identity(module):
    identity = module.client("sts", retry_decorator=TransientRetry.jittered_backoff()).get_caller_identity(aws_retry=True)
    return identity["Account"], parse_aws_arn(identity["Arn"])["partition"]


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        create=dict(type="bool", default=False),
        versioning=dict(type="bool"),
        encryption=dict(
            type="dict",
            options=dict(
                kms_key_arn=dict(type="str", required=True, no_log=False),
                bucket_key_enabled=dict(type="bool", default=True),
            ),
        ),
        object_ownership=dict(type="str", choices=list(bucket_settings.OBJECT_OWNERSHIP_CHOICES)),
    )
    module = AnsibleS3CrossAccountModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        desired = bucket_settings.desired_settings(params["name"], params["versioning"], params["encryption"], params["object_ownership"])
    except BucketSettingsError as error:
        module.fail_json(msg=str(error))

    try:
        account_id, partition = caller_identity(module)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        module.fail_json_aws(error, msg="could not tell which AWS account these credentials belong to (sts:GetCallerIdentity)")
    api = BucketApi(module.client("s3", retry_decorator=s3_retry()), params["name"], account_id)

    try:
        changed, before, after = ensure_bucket(api, desired, params["create"], module.region, partition, module.check_mode)
    except BucketSettingsError as error:
        module.fail_json(msg=str(error))
    except AwsCallError as error:
        module.fail_json_aws(error.exception, msg=error.message)

    module.exit_json(changed=changed, bucket=reported_bucket(before, after, module.check_mode), diff={"before": before, "after": after})


if __name__ == "__main__":
    main()
