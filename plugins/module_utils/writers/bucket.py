# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writer of s3_replication_bucket: a bucket made ready for replication (see module_utils/writers/runner)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3.bucket_settings import BucketSettingsError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import make_plan
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import resource_header
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import Writer

MODULE = "s3_replication_bucket"
ARGUMENT_SPEC = dict(
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
ATTRIBUTES = ("versioning", "encryption", "object_ownership")
# NoSuchBucket right after CreateBucket is a stale read: retried briefly like a transient error.
EXTRA_RETRY_CODES = ("NoSuchBucket", "OperationAborted")


def _desired(params):
    return bucket_settings.desired_settings(params["name"], params["versioning"], params["encryption"], params["object_ownership"])


def _s3(aws):
    return aws.client("s3", EXTRA_RETRY_CODES)


def _current(state):
    return bucket_settings.bucket_state(state["name"], state["region"], state["versioning"], state["encryption"], state["object_ownership"])


def _plan_new_bucket(params, state, desired, header):
    name, region = params["name"], state.get("home_region")
    if not params["create"]:
        raise BucketSettingsError(bucket_settings.missing_bucket_message(name, state.get("account_id")))
    if not region:
        raise BucketSettingsError(f"region: bucket '{name}' does not exist and would be created, so set region (or AWS_REGION) to where it belongs")
    bucket_settings.check_key_region(desired, region)
    current = bucket_settings.new_bucket_state(name, region, desired["object_ownership"])
    changes = bucket_settings.plan_changes(desired, current)
    after = bucket_settings.predicted_state(current, changes)
    return make_plan(True, None, after, header, result={"bucket": dict(after, exists=False)}, note="created", changes=changes, create=True, region=region)


class BucketWriter(Writer):
    MODULE = MODULE
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def read_state(self, aws, params):
        _desired(params)
        try:
            state = facts.bucket(_s3(aws), params["name"], aws.account_id, aws.partition, aws.region, ATTRIBUTES, strict=True, owner=aws.account_id)
        except AwsCallFailure as failure:  # HeadBucket 403: another account's bucket, or no s3:ListBucket
            if failure.code in aws_s3.FORBIDDEN:
                raise BucketSettingsError(bucket_settings.forbidden_bucket_message(params["name"], aws.account_id)) from None
            raise
        if state["exists"] and bucket_settings.suspension_requested(_desired(params), state):
            state["replication"] = aws_s3.get_replication(_s3(aws), params["name"], aws.account_id)
        return dict(state, account_id=aws.account_id, home_region=aws.region)

    def state_from_facts(self, account_facts, params):
        state = (account_facts.get("buckets") or {}).get(params["name"])
        if not state or state.get("exists") is None or any(attribute in (state.get("errors") or {}) for attribute in ATTRIBUTES + ("exists",)):
            return UNKNOWN
        if state["exists"] and bucket_settings.suspension_requested(_desired(params), state) and "replication" not in state:
            return UNKNOWN
        return dict(state, account_id=account_facts.get("account_id"), home_region=account_facts.get("region"))

    def plan(self, params, state):
        desired = _desired(params)
        header = resource_header(state.get("account_id"), f"s3://{params['name']} (bucket settings)")
        if not state["exists"]:
            return _plan_new_bucket(params, state, desired, header)
        bucket_settings.check_key_region(desired, state["region"])
        current = _current(state)
        changes = bucket_settings.plan_changes(desired, current, replication_configured=state.get("replication") is not None)
        after = bucket_settings.predicted_state(current, changes)
        return make_plan(bool(changes), current, after, header, result={"bucket": after}, changes=changes, create=False)

    def apply(self, aws, params, planned):
        s3, name, owner = _s3(aws), params["name"], aws.account_id
        if planned["create"]:
            try:
                aws_s3.create_bucket(s3, name, planned["region"], params["object_ownership"])
            except AwsCallFailure as failure:
                if failure.code == "BucketAlreadyExists":
                    raise BucketSettingsError(bucket_settings.name_taken_message(name, owner)) from None
                raise
        changes = planned["changes"]
        if "versioning" in changes:
            aws_s3.put_versioning(s3, name, changes["versioning"], owner)
        if "encryption" in changes:
            aws_s3.put_encryption(s3, name, changes["encryption"], owner)
        if "object_ownership" in changes:
            aws_s3.put_ownership_controls(s3, name, changes["object_ownership"], owner)
        return {"bucket": dict(planned["after"], exists=True)}

    def applied(self, account_facts, params, planned):
        account_facts["buckets"][params["name"]].update(planned["after"], exists=True)


WRITER = BucketWriter()
