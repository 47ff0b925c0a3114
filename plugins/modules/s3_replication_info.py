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
  - Buckets, roles and keys are read in parallel (O(max_concurrency)); one boto3 session serves every call,
    so a profile that assumes a role assumes it once.
  - The facts have the shape every write module of the collection reads its current state in, so
    C(playbooks/replicate.yml) decides from one read per account which writes are needed.
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
  max_concurrency:
    description:
      - How many resources are read at the same time (threads); V(1) reads one after the other.
    type: int
    default: 8
  bucket_attributes:
    description:
      - Which attributes of the buckets to read (each one or two API calls); the others are returned as C(null) without
        an error. Default every attribute but V(notification).
      - The bucket's existence and region are always read.
      - V(notification) (the bucket's notification configuration, for C(replication_alerts)) is read only when listed.
    type: list
    elements: str
    choices: [versioning, encryption, object_ownership, object_lock, policy, replication, has_objects, notification]
    default: [versioning, encryption, object_ownership, object_lock, policy, replication, has_objects]
  sns_topics:
    description:
      - ARNs of SNS topics of this account to read (attributes, policy, encryption key, subscriptions, tags); the key that
        encrypts a topic is read too, under RV(keys).
    type: list
    elements: str
    default: []
  alarm_names:
    description: Names of CloudWatch metric alarms to read (one C(DescribeAlarms) call per 100 names).
    type: list
    elements: str
    default: []
  dashboards:
    description:
      - Names of CloudWatch dashboards to read (one C(GetDashboard) call each), for C(replication_alerts.dashboard).
      - Dashboards belong to the account, not to a region.
    type: list
    elements: str
    default: []
    version_added: 0.4.0
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
      path: /
      description: Assumed by Amazon S3 to replicate (managed by s3_crossaccount.replication)
      trust_policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
      inline_policies: {"s3-crossaccount-replication-0a2d85d446": {"Version": "2012-10-17", "Statement": []}}
      managed_policies: [{"arn": "arn:aws:iam::211258069784:policy/extra", "name": "extra", "document": {"Version": "2012-10-17", "Statement": []}}]
      permissions_boundary: null
      errors: {}
topics:
  description: Per topic ARN of O(sns_topics), what could be read.
  returned: always
  type: dict
  sample:
    arn:aws:sns:us-east-1:211258069784:replication-alerts:
      arn: arn:aws:sns:us-east-1:211258069784:replication-alerts
      exists: true
      policy: {"Version": "2008-10-17", "Statement": []}
      kms_master_key_id: null
      subscriptions: [{"protocol": "email", "endpoint": "data-platform@example.com", "arn": "PendingConfirmation"}]
      tags: {"managed-by": "s3_crossaccount.replication"}
      errors: {}
alarms:
  description: Per alarm name of O(alarm_names), whether it exists and its definition.
  returned: always
  type: dict
  sample:
    s3-replication/stats-data-src/all-objects/failed-operations:
      name: s3-replication/stats-data-src/all-objects/failed-operations
      exists: true
      alarm: {"MetricName": "OperationsFailedReplication", "Namespace": "AWS/S3", "Threshold": 0.0}
      errors: {}
dashboards:
  description: Per dashboard name of O(dashboards), whether it exists and its body (the JSON parsed). Returned when O(dashboards) is given.
  returned: when O(dashboards) is not empty
  type: dict
  sample:
    s3-replication-stats-data-src:
      name: s3-replication-stats-data-src
      exists: true
      body: {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 5, "properties": {"markdown": "## S3 replication ..."}}]}
      errors: {}
keys:
  description: Per key as given in O(kms_keys) (and bucket keys, and the keys of encrypted topics), its metadata, key policy and grants.
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


from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sts as aws_sts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import aws_errors
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.parallel import run_all
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module


def _role_name(name_or_arn):
    return str(name_or_arn).rsplit("/", 1)[-1] if str(name_or_arn).startswith("arn:") else str(name_or_arn)


def _key_region(reference, default):
    return reference.split(":")[3] if reference.startswith("arn:") else default


def gather(module, identity, buckets=(), roles=(), kms_keys=(), include_bucket_keys=True, bucket_attributes=facts.DEFAULT_BUCKET_ATTRIBUTES,
           max_concurrency=8, sns_topics=(), alarm_names=(), dashboards=()):
    """Everything asked for in one account: buckets, roles and keys read concurrently."""
    account_id, partition, region = identity["account_id"], identity["partition"], module.region

    def read_bucket(name):
        return facts.bucket(module.aws_client("s3"), name, account_id, partition, region, bucket_attributes)

    def read_key(reference):
        return facts.key(module.aws_client("kms", region=_key_region(reference, region)), reference)

    bucket_names = list(dict.fromkeys(arns.bucket_name(name) for name in buckets))
    role_names = list(dict.fromkeys(_role_name(name) for name in roles))
    jobs = [("bucket", name) for name in bucket_names] + [("role", name) for name in role_names]
    jobs += [("key", reference) for reference in dict.fromkeys(kms_keys)]
    jobs += [("topic", arn) for arn in dict.fromkeys(sns_topics)]
    readers = {"bucket": read_bucket, "role": lambda name: facts.role(module.aws_client("iam"), name), "key": read_key,
               "topic": lambda arn: facts.topic(module.aws_client("sns", region=_key_region(arn, region)), arn)}
    answers = run_all(lambda job: readers[job[0]](job[1]), jobs, max_concurrency)
    found = {"bucket": {}, "role": {}, "key": {}, "topic": {}}
    for (kind, name), answer in zip(jobs, answers):
        found[kind][name] = answer
    extra = [key for key in facts.topic_keys(found["topic"]) if key not in found["key"]]
    if include_bucket_keys:
        extra += [key for key in facts.bucket_default_keys(found["bucket"], account_id) if key not in found["key"] and key not in extra]
    found["key"].update(zip(extra, run_all(read_key, extra, max_concurrency)))
    result = {"buckets": found["bucket"], "roles": found["role"], "keys": found["key"]}
    if sns_topics:
        result["topics"] = found["topic"]
    if alarm_names:
        result["alarms"] = facts.alarms(module.aws_client("cloudwatch"), list(dict.fromkeys(alarm_names)))
    if dashboards:
        result["dashboards"] = {name: facts.dashboard(module.aws_client("cloudwatch"), name) for name in dict.fromkeys(dashboards)}
    return result


def read_account(module):
    params = module.params
    for name in params["buckets"]:
        try:
            arns.bucket_name(name)
        except ValueError as error:
            raise Refused(f"buckets: {error}") from None
    try:
        identity = aws_sts.caller_identity(module.aws_client("sts"))
    except AwsCallFailure as failure:
        raise AwsCallFailure(f"could not sign in (sts:GetCallerIdentity): {module.credential_problem(failure.error)}") from None
    except aws_errors() as error:  # a profile that cannot be loaded fails before any call
        raise AwsCallFailure(f"could not sign in: {module.credential_problem(error)}") from None
    found = gather(module, identity, params["buckets"], params["roles"], params["kms_keys"], params["include_bucket_keys"],
                   params["bucket_attributes"], max(1, params["max_concurrency"]), params["sns_topics"], params["alarm_names"], params["dashboards"])
    return dict(found, changed=False, account_id=identity["account_id"], caller_arn=identity["arn"], region=module.region)


def main():
    argument_spec = dict(
        buckets=dict(type="list", elements="str", default=[]),
        roles=dict(type="list", elements="str", default=[]),
        kms_keys=dict(type="list", elements="str", default=[], no_log=False),
        include_bucket_keys=dict(type="bool", default=True),
        bucket_attributes=dict(type="list", elements="str", choices=list(facts.BUCKET_ATTRIBUTES), default=list(facts.DEFAULT_BUCKET_ATTRIBUTES)),
        max_concurrency=dict(type="int", default=8),
        sns_topics=dict(type="list", elements="str", default=[]),
        alarm_names=dict(type="list", elements="str", default=[]),
        dashboards=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleS3CrossAccountModule(argument_spec=argument_spec, supports_check_mode=True)
    end_module(module, lambda: read_account(module))


if __name__ == "__main__":
    main()
