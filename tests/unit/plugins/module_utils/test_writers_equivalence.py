# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The promise of module_utils/writers/runner: the planner's ``needed`` (the writer's plan on the facts s3_replication_info read)
answers what the write module itself would report, for every writer and every kind of account state.

Each case is an account state. The facts are read from it the way the preflight reads them (s3_replication_info's
gather, so module_utils/aws/facts), through one set of Stubber clients; the write module runs on it in check mode
(runner.run_write, so the writer's own read_state) through another set. Both sets answer every call from the same
state, whatever calls each side makes and in whatever order: neither side's answer is derived from the other's.
"""

import copy
import datetime
import json
from urllib.parse import quote

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import StubResponseError
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.s3 import bucket_settings
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import facts as fact_reads
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alarms
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alert_topic
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket_policy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import key_access
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import notification
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import replication
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import role
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_replication_info

ACCOUNT = "880161310235"
SOURCE_ACCOUNT = "211258069784"
REGION = "us-east-1"
BUCKET = "stats-data-tgt"
KEY_ID = "0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{KEY_ID}"
REPLICATION_ROLE = f"arn:aws:iam::{SOURCE_ACCOUNT}:role/s3-replication-role"
ROLE_NAME = "s3-replication-role"
CHANGED, UNCHANGED, FAILS = "changed", "unchanged", "fails"


# --- a fake AWS account behind botocore's Stubber -------------------------------------------------


class AwsError(Exception):
    def __init__(self, code, status=400):
        super().__init__(code)
        self.code = code
        self.status = status


class StateStubber(Stubber):
    """A Stubber whose answer to each call is computed from the account state when the call is made.

    botocore still validates every request against the service model, and the Stubber every answer; a call the
    state cannot answer (a write, in check mode) is recorded as a violation and fails the test.
    """

    def __init__(self, client, answer):
        super().__init__(client)
        self.answer = answer
        self.violations = []

    def _assert_expected_params(self, model, params, context, **kwargs):
        method = xform_name(model.name)
        try:
            self.add_response(method, self.answer(model.name, params), dict(params))
        except AwsError as error:
            self.add_client_error(method, error.code, f"{error.code} (from the stubbed state)", error.status, expected_params=dict(params))
        except NotImplementedError:
            self.violations.append(f"{model.name}({params}) is not a read")
        try:
            super()._assert_expected_params(model, params, context, **kwargs)
        except StubResponseError as error:
            self.violations.append(str(error))
            raise


def iam_text(document):
    """IAM hands documents back URL-encoded."""
    return quote(json.dumps(document))


def s3_answers(buckets):
    def answer(operation, params):
        name = params["Bucket"]
        state = buckets.get(name)
        if state is None:
            raise AwsError("404" if operation == "HeadBucket" else "NoSuchBucket", 404)
        if operation in state.get("denied", ()):
            raise AwsError("403" if operation == "HeadBucket" else "AccessDenied", 403)
        if params.get("ExpectedBucketOwner") not in (None, ACCOUNT):
            raise AwsError("AccessDenied", 403)
        return _s3_read(operation, state)
    return answer


def _s3_read(operation, state):
    optional = {
        "GetBucketEncryption": ("encryption", "ServerSideEncryptionConfigurationNotFoundError", "ServerSideEncryptionConfiguration"),
        "GetBucketOwnershipControls": ("ownership", "OwnershipControlsNotFoundError", "OwnershipControls"),
        "GetBucketPolicy": ("policy", "NoSuchBucketPolicy", "Policy"),
        "GetBucketReplication": ("replication", "ReplicationConfigurationNotFoundError", "ReplicationConfiguration"),
        "GetObjectLockConfiguration": ("object_lock", "ObjectLockConfigurationNotFoundError", "ObjectLockConfiguration"),
    }
    if operation == "HeadBucket":
        return {"BucketRegion": state.get("region", REGION)}
    if operation == "GetBucketVersioning":
        return {"Status": state["versioning"]} if state.get("versioning") else {}
    if operation == "ListObjectsV2":
        return {"KeyCount": state.get("objects", 0)}
    if operation == "GetBucketNotificationConfiguration":
        return copy.deepcopy(state.get("notification", {}))
    if operation in optional:
        attribute, missing, field = optional[operation]
        value = state.get(attribute)
        if value is None:
            raise AwsError(missing, 404)
        if attribute == "ownership":
            value = bucket_settings.ownership_request(value)
        elif attribute == "policy":
            value = json.dumps(value)
        elif attribute == "object_lock":
            value = {"ObjectLockEnabled": "Enabled"}
        return {field: copy.deepcopy(value)}
    raise NotImplementedError(operation)


def iam_answers(roles):
    def answer(operation, params):
        name = params.get("RoleName")
        state = roles.get(name) if name else None
        if operation in ("GetPolicy", "GetPolicyVersion"):
            return _managed_policy(operation, params)
        if state is None:
            raise AwsError("NoSuchEntity", 404)
        if operation in state.get("denied", ()):
            raise AwsError("AccessDenied", 403)
        return _iam_read(operation, params, name, state)
    return answer


def _iam_read(operation, params, name, state):
    if operation == "GetRole":
        return {"Role": {"Path": state.get("path", "/"), "RoleName": name, "RoleId": "AROAEXAMPLEROLEID0001", "CreateDate": datetime.datetime(2026, 1, 1),
                         "Arn": f"arn:aws:iam::{SOURCE_ACCOUNT}:role/{name}", "AssumeRolePolicyDocument": iam_text(state["trust"]),
                         "Description": state.get("description", "")}}
    if operation == "ListRolePolicies":
        return {"PolicyNames": list(state.get("inline", {})), "IsTruncated": False}
    if operation == "GetRolePolicy":
        document = state.get("inline", {}).get(params["PolicyName"])
        if document is None:
            raise AwsError("NoSuchEntity", 404)
        return {"RoleName": name, "PolicyName": params["PolicyName"], "PolicyDocument": iam_text(document)}
    if operation == "ListAttachedRolePolicies":
        return {"AttachedPolicies": [{"PolicyArn": arn, "PolicyName": arn.rsplit("/", 1)[-1]} for arn in state.get("managed", ())], "IsTruncated": False}
    raise NotImplementedError(operation)


def _managed_policy(operation, params):
    if operation == "GetPolicy":
        return {"Policy": {"Arn": params["PolicyArn"], "DefaultVersionId": "v1"}}
    return {"PolicyVersion": {"VersionId": "v1", "Document": iam_text({"Version": "2012-10-17", "Statement": []})}}


def kms_answers(keys):
    def answer(operation, params):
        state = next((key for key in keys.values() if params["KeyId"] in (key["metadata"]["Arn"], key["metadata"]["KeyId"], *key.get("aliases", ()))), None)
        if state is None:
            raise AwsError("NotFoundException", 400)
        if operation in state.get("denied", ()):
            raise AwsError("AccessDeniedException", 400)
        if operation == "DescribeKey":
            return {"KeyMetadata": dict(state["metadata"])}
        if operation == "GetKeyPolicy":
            return {"Policy": json.dumps(state["policy"]), "PolicyName": "default"}
        if operation == "ListGrants":
            return {"Grants": copy.deepcopy(state.get("grants", [])), "Truncated": False}
        raise NotImplementedError(operation)
    return answer


def sns_answers(topics):
    def answer(operation, params):
        arn = params.get("TopicArn") or params.get("ResourceArn")
        state = topics.get(arn)
        if state is None:
            raise AwsError("NotFound", 404)
        if operation in state.get("denied", ()):
            raise AwsError("AuthorizationError", 403)
        if operation == "GetTopicAttributes":
            return {"Attributes": {"TopicArn": arn, "Policy": json.dumps(state["policy"])}}
        if operation == "ListSubscriptionsByTopic":
            return {"Subscriptions": [{"SubscriptionArn": f"{arn}:{n}", "Protocol": p, "Endpoint": e, "TopicArn": arn}
                                      for n, (p, e) in enumerate(state.get("subscriptions", ()))]}
        if operation == "ListTagsForResource":
            return {"Tags": [{"Key": k, "Value": v} for k, v in state.get("tags", {}).items()]}
        raise NotImplementedError(operation)
    return answer


def cloudwatch_answers(state):
    def answer(operation, params):
        if operation in state.get("denied", ()):
            raise AwsError("AccessDenied", 403)
        if operation == "DescribeAlarms":
            return {"MetricAlarms": [copy.deepcopy(state["alarms"][name]) for name in params["AlarmNames"] if name in state.get("alarms", {})]}
        if operation == "GetDashboard":
            if params["DashboardName"] not in state.get("dashboards", {}):
                raise AwsError("ResourceNotFound", 404)
            return {"DashboardName": params["DashboardName"], "DashboardBody": json.dumps(state["dashboards"][params["DashboardName"]], indent=2)}
        raise NotImplementedError(operation)
    return answer


ANSWERS = {"s3": lambda state: s3_answers(state.get("buckets", {})), "iam": lambda state: iam_answers(state.get("roles", {})),
           "kms": lambda state: kms_answers(state.get("keys", {})), "sns": lambda state: sns_answers(state.get("topics", {})),
           "cloudwatch": lambda state: cloudwatch_answers(state.get("cloudwatch", {}))}


class Account:
    """One view of an account state: a Stubber client per service, each answering from the state. It is also what
    s3_replication_info's gather uses of its module (``region``, ``aws_client``)."""

    region = REGION

    def __init__(self, state):
        self.stubbers = {}
        self.clients = {}
        for service, answers in ANSWERS.items():
            raw = boto3.client(service, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
            self.stubbers[service] = StateStubber(raw, answers(state))
            self.stubbers[service].activate()
            self.clients[service] = RetryingBotoClientWrapper(raw, transient_retry(retries=2, delay=0, max_delay=0))

    def close(self):
        for stubber in self.stubbers.values():
            stubber.deactivate()
        return [violation for stubber in self.stubbers.values() for violation in stubber.violations]

    def aws_client(self, service, region=None):
        return self.clients[service]


def read_facts(state, case):
    """What the preflight hands the planner: s3_replication_info's result for the account."""
    account = Account(state)
    identity = {"account_id": ACCOUNT, "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/preflight", "partition": "aws"}
    found = s3_replication_info.gather(account, identity, buckets=case.get("buckets", ()), roles=case.get("roles", ()),
                                       kms_keys=case.get("keys", ()), include_bucket_keys=False, max_concurrency=1,
                                       bucket_attributes=case.get("bucket_attributes", fact_reads.DEFAULT_BUCKET_ATTRIBUTES),
                                       sns_topics=case.get("topics", ()), alarm_names=case.get("alarms", ()),
                                       dashboards=case.get("dashboards", ()))
    assert account.close() == []
    return dict(found, account_id=ACCOUNT, caller_arn=identity["arn"], region=REGION, changed=False)


def module_outcome(state, writer, args):
    """What the write module reports on the same state in check mode: changed, unchanged, or fails (a refusal or an AWS error)."""
    account = Account(state)
    aws = runner.Aws(clients=account.clients, account_id=ACCOUNT, partition="aws", region=REGION)
    try:
        planned = runner.run_write(writer, aws, runner.validated(writer, args), check_mode=True)
        outcome = CHANGED if planned["changed"] else UNCHANGED
    except runner.REFUSALS + (AwsCallFailure,):
        outcome = FAILS
    assert account.close() == []
    return outcome


# --- the states -----------------------------------------------------------------------------------

SSE_KMS = bucket_settings.encryption_request({"algorithm": "aws:kms", "kms_key_arn": KEY_ARN, "bucket_key_enabled": True})
SSE_S3 = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}
READY = {"versioning": "Enabled", "encryption": SSE_KMS, "ownership": "BucketOwnerEnforced"}
OBJECTS = {"Sid": "ReplicationObjects", "Effect": "Allow", "Principal": {"AWS": REPLICATION_ROLE}, "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"],
           "Resource": f"arn:aws:s3:::{BUCKET}/*"}
OBJECTS_AS_S3_WROTE_IT = dict(OBJECTS, Principal={"AWS": [REPLICATION_ROLE]}, Action=["s3:ReplicateDelete", "s3:ReplicateObject"])
FOREIGN = {"Sid": "OtherTeamRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject",
           "Resource": f"arn:aws:s3:::{BUCKET}/*"}
OWNER_STATEMENT = {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}
KEY_STATEMENT = kms_keys.key_policy_statement("ReplicaEncrypt", [REPLICATION_ROLE], ["Encrypt"])
KEY_STATEMENT_AS_KMS_WROTE_IT = dict(KEY_STATEMENT, Principal={"AWS": [REPLICATION_ROLE]}, Action="kms:Encrypt")
METADATA = {"AWSAccountId": ACCOUNT, "KeyId": KEY_ID, "Arn": KEY_ARN, "KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT",
            "KeyUsage": "ENCRYPT_DECRYPT"}
GRANT = {"KeyId": KEY_ARN, "GrantId": "g1", "Name": "replication", "GranteePrincipal": REPLICATION_ROLE, "Operations": ["Encrypt"],
         "CreationDate": datetime.datetime(2026, 1, 2)}
FOREIGN_GRANT = dict(GRANT, GrantId="g9", Name="other-team", GranteePrincipal="arn:aws:iam::444455556666:role/etl")
RULE_ARGS = {"id": "ours", "destination_bucket": "stats-data-far", "destination_account": "999988887777", "destination_region": REGION}
FOREIGN_RULE = {"ID": "theirs", "Priority": 10, "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "DeleteMarkerReplication": {"Status": "Disabled"},
                "Destination": {"Bucket": "arn:aws:s3:::logs-archive"}}
OUR_RULE = {"ID": "ours", "Priority": 11, "Status": "Enabled", "Filter": {"Prefix": ""}, "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::stats-data-far", "Account": "999988887777"}}
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
FOREIGN_TRUST = {"Sid": "Auditors", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
ROLE_POLICY = {"Version": "2012-10-17",
               "Statement": [{"Effect": "Allow", "Action": "s3:GetReplicationConfiguration", "Resource": "arn:aws:s3:::stats-data-src"}]}
OTHER_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
OUR_POLICY = "s3-crossaccount-replication-0a2d85d446"


def document(*statements):
    return {"Version": "2012-10-17", "Statement": [copy.deepcopy(statement) for statement in statements]}


def replicating(*rules):
    return {"Role": REPLICATION_ROLE, "Rules": [copy.deepcopy(rule) for rule in rules]}


def case(case_id, writer, args, state, expected, **reads):
    return pytest.param({"writer": writer, "args": args, "state": state, "expected": expected, **reads}, id=f"{writer.MODULE}: {case_id}")


def bucket_case(case_id, args, state, expected):
    return case(case_id, bucket.WRITER, dict({"name": BUCKET}, **args), {"buckets": state}, expected, buckets=[BUCKET])


def policy_case(case_id, args, state, expected):
    return case(case_id, bucket_policy.WRITER, dict({"bucket": BUCKET}, **args), {"buckets": state}, expected, buckets=[BUCKET])


def key_case(case_id, args, key, expected):
    return case(case_id, key_access.WRITER, dict({"key_id": KEY_ARN}, **args), {"keys": {KEY_ARN: key} if key else {}}, expected, keys=[KEY_ARN])


def rule_case(case_id, args, state, expected):
    return case(case_id, replication.WRITER, dict({"bucket": BUCKET, "role_arn": REPLICATION_ROLE}, **args), {"buckets": state}, expected, buckets=[BUCKET])


def role_case(case_id, args, state, expected):
    return case(case_id, role.WRITER, dict({"name": ROLE_NAME}, **args), {"roles": {ROLE_NAME: state} if state else {}}, expected, roles=[ROLE_NAME])


DESTINATION_SETTINGS = {"versioning": True, "encryption": {"kms_key_arn": KEY_ARN}, "object_ownership": "BucketOwnerEnforced"}
PRESENT_STATEMENTS = {"statements": [OBJECTS]}
ABSENT_STATEMENTS = {"statements": [{"Sid": "ReplicationObjects"}], "state": "absent"}
KEY_POLICY = {"sid": "ReplicaEncrypt", "principals": [REPLICATION_ROLE], "operations": ["Encrypt"]}
KEY_GRANT = {"mode": "grant", "name": "replication", "principals": [REPLICATION_ROLE], "operations": ["Encrypt"]}
ROLE_PRESENT = {"trust_policy": TRUST, "description": "Replication", "inline_policies": [{"name": OUR_POLICY, "policy": ROLE_POLICY}]}
ROLE_ABSENT = {"state": "absent", "inline_policies": [{"name": OUR_POLICY, "state": "absent"}]}
ROLE_READY = {"trust": TRUST, "description": "Replication", "inline": {OUR_POLICY: ROLE_POLICY}}


TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:replication-alerts"
ALERT_STATEMENTS = replication_alerts.topic_statements(TOPIC, BUCKET, ACCOUNT, REGION)
DEFAULT_TOPIC_POLICY = alert_topic.default_policy(TOPIC, ACCOUNT)
EMAIL = ("email", "data-platform@example.com")
OUR_ENTRY = {"id": replication_alerts.NOTIFICATION_ID, "destination_arn": TOPIC, "events": [replication_alerts.FAILURE_EVENT]}
OUR_ENTRY_AS_S3_HOLDS_IT = {"Id": OUR_ENTRY["id"], "TopicArn": TOPIC, "Events": OUR_ENTRY["events"]}
OTHER_QUEUE = {"Id": "uploads", "QueueArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:uploads", "Events": ["s3:ObjectCreated:*"]}
RULE_ALARMS = replication_alerts.rule_alarms(BUCKET, "stats-data-far", "ours", TOPIC, 900)
DASHBOARD = "s3-replication-" + BUCKET
DASHBOARD_ROWS = {"rules": [{"source_bucket": BUCKET, "destination_bucket": "stats-data-far", "rule_id": "ours"}]}
OUR_DASHBOARD = replication_dashboard.body([dict(DASHBOARD_ROWS["rules"][0], region=REGION)])
THEIR_DASHBOARD = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2, "properties": {"markdown": "billing"}}]}


def topic_state(*statements, subscriptions=(), tags=None, **changes):
    policy = dict(DEFAULT_TOPIC_POLICY, Statement=DEFAULT_TOPIC_POLICY["Statement"] + [copy.deepcopy(statement) for statement in statements])
    return dict({"policy": policy, "subscriptions": list(subscriptions), "tags": tags or {}}, **changes)


def described(items, **changes):
    return {item["name"]: dict(alarms.request(item), StateValue="OK", **changes) for item in runner.validated(alarms.WRITER, {"alarms": items})["alarms"]}


def notification_case(case_id, entries, state, expected):
    return case(case_id, notification.WRITER, {"bucket": BUCKET, "entries": entries}, {"buckets": state}, expected, buckets=[BUCKET],
                bucket_attributes=["notification"])


def topic_case(case_id, args, state, expected):
    return case(case_id, alert_topic.WRITER, dict({"topic_arn": TOPIC}, **args), {"topics": {TOPIC: state} if state else {}}, expected, topics=[TOPIC])


def alarm_case(case_id, items, state, expected):
    return case(case_id, alarms.WRITER, {"alarms": items}, {"cloudwatch": state}, expected, alarms=[item["name"] for item in items])


def dashboard_case(case_id, args, state, expected):
    return case(case_id, dashboard.WRITER, dict({"name": DASHBOARD}, **args), {"cloudwatch": state}, expected, dashboards=[DASHBOARD])


def key(policy=(OWNER_STATEMENT,), grants=(), **changes):
    return dict({"metadata": METADATA, "policy": {"Version": "2012-10-17", "Statement": list(policy)}, "grants": list(grants)}, **changes)


CASES = [
    # s3_replication_bucket
    bucket_case("missing, created", dict(DESTINATION_SETTINGS, create=True), {}, CHANGED),
    bucket_case("missing, not to be created", DESTINATION_SETTINGS, {}, FAILS),
    bucket_case("converged", DESTINATION_SETTINGS, {BUCKET: READY}, UNCHANGED),
    bucket_case("drifted", DESTINATION_SETTINGS, {BUCKET: {"encryption": SSE_S3, "ownership": "ObjectWriter"}}, CHANGED),
    bucket_case("converged, with a policy and rules of others", {"versioning": True},
                {BUCKET: dict(READY, policy=document(FOREIGN), replication=replicating(FOREIGN_RULE))}, UNCHANGED),
    bucket_case("suspension refused while replicating", {"versioning": False}, {BUCKET: dict(READY, replication=replicating(FOREIGN_RULE))}, FAILS),
    bucket_case("suspension", {"versioning": False}, {BUCKET: READY}, CHANGED),
    bucket_case("key in another region", {"encryption": {"kms_key_arn": KEY_ARN}}, {BUCKET: dict(READY, region="eu-west-1")}, FAILS),
    bucket_case("another account's bucket", DESTINATION_SETTINGS, {BUCKET: dict(READY, denied=("HeadBucket",))}, FAILS),
    bucket_case("versioning unreadable", DESTINATION_SETTINGS, {BUCKET: dict(READY, denied=("GetBucketVersioning",))}, FAILS),
    # s3_bucket_policy_statement
    policy_case("missing bucket", PRESENT_STATEMENTS, {}, FAILS),
    policy_case("no policy yet", PRESENT_STATEMENTS, {BUCKET: READY}, CHANGED),
    policy_case("converged, as S3 rewrote it", PRESENT_STATEMENTS, {BUCKET: dict(READY, policy=document(FOREIGN, OBJECTS_AS_S3_WROTE_IT))},
                UNCHANGED),
    policy_case("drifted", PRESENT_STATEMENTS, {BUCKET: dict(READY, policy=document(dict(OBJECTS, Action="s3:ReplicateObject")))},
                CHANGED),
    policy_case("only statements of others", PRESENT_STATEMENTS, {BUCKET: dict(READY, policy=document(FOREIGN))}, CHANGED),
    policy_case("absent, ours and others", ABSENT_STATEMENTS, {BUCKET: dict(READY, policy=document(FOREIGN, OBJECTS))}, CHANGED),
    policy_case("absent, only others", ABSENT_STATEMENTS, {BUCKET: dict(READY, policy=document(FOREIGN))}, UNCHANGED),
    policy_case("absent, no policy", ABSENT_STATEMENTS, {BUCKET: READY}, UNCHANGED),
    policy_case("absent, missing bucket", ABSENT_STATEMENTS, {}, FAILS),
    policy_case("policy unreadable", PRESENT_STATEMENTS, {BUCKET: dict(READY, denied=("GetBucketPolicy",))}, FAILS),
    policy_case("absent, policy unreadable", ABSENT_STATEMENTS, {BUCKET: dict(READY, denied=("GetBucketPolicy",))}, FAILS),
    # kms_key_access, mode policy
    key_case("missing key", KEY_POLICY, None, FAILS),
    key_case("statement missing", KEY_POLICY, key(), CHANGED),
    key_case("converged, as KMS rewrote it", KEY_POLICY, key([OWNER_STATEMENT, KEY_STATEMENT_AS_KMS_WROTE_IT]), UNCHANGED),
    key_case("drifted", KEY_POLICY, key([OWNER_STATEMENT, dict(KEY_STATEMENT, Action="kms:Decrypt")]), CHANGED),
    key_case("absent, only others' statements", dict(KEY_POLICY, state="absent"), key([OWNER_STATEMENT, dict(FOREIGN, Resource="*")]), UNCHANGED),
    key_case("several statements, one to remove", {"statements": [KEY_POLICY, {"sid": "Gone", "state": "absent"}]},
             key([OWNER_STATEMENT, KEY_STATEMENT, dict(KEY_STATEMENT, Sid="Gone")]), CHANGED),
    key_case("lockout refused", {"sid": "Root", "state": "absent"}, key(), FAILS),
    key_case("AWS-managed key", KEY_POLICY, key(metadata=dict(METADATA, KeyManager="AWS")), FAILS),
    key_case("key policy unreadable", KEY_POLICY, key(denied=("GetKeyPolicy",)), FAILS),
    key_case("absent, key policy unreadable", dict(KEY_POLICY, state="absent"), key([OWNER_STATEMENT, KEY_STATEMENT], denied=("GetKeyPolicy",)), FAILS),
    # kms_key_access, mode grant
    key_case("grant missing", KEY_GRANT, key(grants=[FOREIGN_GRANT]), CHANGED),
    key_case("grant converged", KEY_GRANT, key(grants=[FOREIGN_GRANT, GRANT]), UNCHANGED),
    key_case("grant drifted", KEY_GRANT, key(grants=[dict(GRANT, Operations=["Decrypt"])]), CHANGED),
    key_case("grant absent, only others'", dict(KEY_GRANT, state="absent"), key(grants=[FOREIGN_GRANT]), UNCHANGED),
    key_case("grants unreadable", KEY_GRANT, key(grants=[GRANT], denied=("ListGrants",)), FAILS),
    key_case("grant absent, grants unreadable", dict(KEY_GRANT, state="absent"), key(grants=[GRANT], denied=("ListGrants",)), FAILS),
    # s3_replication_rule
    rule_case("missing bucket", RULE_ARGS, {}, FAILS),
    rule_case("no configuration yet", RULE_ARGS, {BUCKET: READY}, CHANGED),
    rule_case("converged, with a rule of others", RULE_ARGS, {BUCKET: dict(READY, replication=replicating(FOREIGN_RULE, OUR_RULE))}, UNCHANGED),
    rule_case("drifted", RULE_ARGS, {BUCKET: dict(READY, replication=replicating(FOREIGN_RULE, dict(OUR_RULE, Status="Disabled")))}, CHANGED),
    rule_case("absent, only others' rules", {"id": "ours", "state": "absent"}, {BUCKET: dict(READY, replication=replicating(FOREIGN_RULE))}, UNCHANGED),
    rule_case("several rules, one to remove", {"rules": [RULE_ARGS, {"id": "theirs", "state": "absent"}]},
              {BUCKET: dict(READY, replication=replicating(FOREIGN_RULE, OUR_RULE))}, CHANGED),
    rule_case("another role without replace_role", RULE_ARGS,
              {BUCKET: dict(READY, replication=dict(replicating(FOREIGN_RULE), Role=f"arn:aws:iam::{SOURCE_ACCOUNT}:role/old"))}, FAILS),
    rule_case("configuration unreadable", RULE_ARGS, {BUCKET: dict(READY, denied=("GetBucketReplication",))}, FAILS),
    rule_case("absent, configuration unreadable", {"id": "ours", "state": "absent"}, {BUCKET: dict(READY, denied=("GetBucketReplication",))}, FAILS),
    # s3_replication_role
    role_case("missing role", ROLE_PRESENT, None, CHANGED),
    role_case("converged, with others' trust and policies", ROLE_PRESENT,
              dict(ROLE_READY, trust=document(FOREIGN_TRUST, *TRUST["Statement"]), inline={OUR_POLICY: ROLE_POLICY, "x": OTHER_POLICY}),
              UNCHANGED),
    role_case("inline policy drifted", ROLE_PRESENT, dict(ROLE_READY, inline={OUR_POLICY: OTHER_POLICY}), CHANGED),
    role_case("trust drifted", ROLE_PRESENT, dict(ROLE_READY, trust=document(FOREIGN_TRUST)), CHANGED),
    role_case("description drifted", ROLE_PRESENT, dict(ROLE_READY, description="Old"), CHANGED),
    role_case("another path", ROLE_PRESENT, dict(ROLE_READY, path="/service-role/"), FAILS),
    role_case("our policy unreadable", ROLE_PRESENT, dict(ROLE_READY, denied=("GetRolePolicy",)), FAILS),
    role_case("role unreadable", ROLE_PRESENT, dict(ROLE_READY, denied=("GetRole",)), FAILS),
    role_case("absent, missing role", ROLE_ABSENT, None, UNCHANGED),
    role_case("absent, only ours on it", ROLE_ABSENT, ROLE_READY, CHANGED),
    role_case("absent, only others' policies", ROLE_ABSENT, dict(ROLE_READY, inline={"x": OTHER_POLICY}), UNCHANGED),
    role_case("absent, inline policies unlisted", ROLE_ABSENT, dict(ROLE_READY, inline={"x": OTHER_POLICY}, denied=("ListRolePolicies",)), FAILS),
    role_case("absent, ours and a managed policy", ROLE_ABSENT, dict(ROLE_READY, managed=["arn:aws:iam::aws:policy/ReadOnlyAccess"]), CHANGED),
    role_case("absent, kept because of other rules", dict(ROLE_ABSENT, kept_because=["rules theirs of stats-data-src still replicate with it"]),
              dict(ROLE_READY, inline={}), UNCHANGED),
]


ALERT_TOPIC = {"statements": ALERT_STATEMENTS, "subscriptions": [{"protocol": EMAIL[0], "endpoint": EMAIL[1]}]}
ALERT_TOPIC_ABSENT = {"state": "absent", "statements": [{"Sid": s["Sid"]} for s in ALERT_STATEMENTS], "subscriptions": ALERT_TOPIC["subscriptions"],
                      "delete_when_unused": True}
CASES += [
    # s3_bucket_notification_entry
    notification_case("added beside another team's queue", [OUR_ENTRY], {BUCKET: {"notification": {"QueueConfigurations": [OTHER_QUEUE]}}}, CHANGED),
    notification_case("converged", [OUR_ENTRY], {BUCKET: {"notification": {"TopicConfigurations": [OUR_ENTRY_AS_S3_HOLDS_IT],
                                                                           "QueueConfigurations": [OTHER_QUEUE]}}}, UNCHANGED),
    notification_case("absent, not there", [{"id": OUR_ENTRY["id"], "state": "absent"}], {BUCKET: {"notification": {}}}, UNCHANGED),
    notification_case("overlapping another team's entry", [OUR_ENTRY],
                      {BUCKET: {"notification": {"QueueConfigurations": [dict(OTHER_QUEUE, Events=["s3:Replication:*"])]}}}, FAILS),
    notification_case("unreadable", [OUR_ENTRY], {BUCKET: {"denied": ("GetBucketNotificationConfiguration",)}}, FAILS),
    notification_case("missing bucket", [OUR_ENTRY], {}, FAILS),
    # s3_replication_alert_topic
    topic_case("missing, created", dict(ALERT_TOPIC, create=True), None, CHANGED),
    topic_case("missing, not to be created", ALERT_TOPIC, None, FAILS),
    topic_case("converged", ALERT_TOPIC, topic_state(*ALERT_STATEMENTS, subscriptions=[EMAIL]), UNCHANGED),
    topic_case("subscription missing", ALERT_TOPIC, topic_state(*ALERT_STATEMENTS), CHANGED),
    topic_case("unreadable", ALERT_TOPIC, topic_state(denied=("GetTopicAttributes",)), FAILS),
    topic_case("absent, ours, nothing else uses it", ALERT_TOPIC_ABSENT,
               topic_state(*ALERT_STATEMENTS, subscriptions=[EMAIL], tags=replication_alerts.MANAGED_TAG), CHANGED),
    topic_case("absent, given topic already clean", dict(ALERT_TOPIC_ABSENT, delete_when_unused=False), topic_state(subscriptions=[("sqs", "q")]),
               UNCHANGED),
    # s3_replication_alarm
    alarm_case("missing", RULE_ALARMS, {}, CHANGED),
    alarm_case("converged", RULE_ALARMS, {"alarms": described(RULE_ALARMS)}, UNCHANGED),
    alarm_case("threshold drifted", RULE_ALARMS, {"alarms": described(RULE_ALARMS, Threshold=5.0)}, CHANGED),
    alarm_case("absent, gone already", replication_alerts.absent_alarms(BUCKET, "ours"), {}, UNCHANGED),
    alarm_case("unreadable", RULE_ALARMS, {"denied": ("DescribeAlarms",)}, FAILS),
    # s3_replication_dashboard
    dashboard_case("missing", DASHBOARD_ROWS, {}, CHANGED),
    dashboard_case("converged", DASHBOARD_ROWS, {"dashboards": {DASHBOARD: OUR_DASHBOARD}}, UNCHANGED),
    dashboard_case("edited", DASHBOARD_ROWS, {"dashboards": {DASHBOARD: dict(OUR_DASHBOARD, widgets=OUR_DASHBOARD["widgets"][:1])}}, CHANGED),
    dashboard_case("another's of that name", DASHBOARD_ROWS, {"dashboards": {DASHBOARD: THEIR_DASHBOARD}}, FAILS),
    dashboard_case("absent, ours", {"state": "absent"}, {"dashboards": {DASHBOARD: OUR_DASHBOARD}}, CHANGED),
    dashboard_case("absent, another's kept", {"state": "absent"}, {"dashboards": {DASHBOARD: THEIR_DASHBOARD}}, UNCHANGED),
    dashboard_case("unreadable", DASHBOARD_ROWS, {"denied": ("GetDashboard",)}, FAILS),
]


@pytest.mark.parametrize("example", CASES)
def test_needed_answers_what_the_module_reports(example):
    account_facts = read_facts(example["state"], example)
    reported = module_outcome(example["state"], example["writer"], example["args"])
    assert reported == example["expected"], "the case does not describe the state it names"
    assert runner.needed(example["writer"], example["args"], account_facts) is (reported != UNCHANGED)


def test_every_writer_has_each_kind_of_state():
    kinds = {}
    for param in CASES:
        kinds.setdefault(param.values[0]["writer"].MODULE, set()).add(param.values[0]["expected"])
    writers = (bucket.WRITER, bucket_policy.WRITER, key_access.WRITER, replication.WRITER, role.WRITER, notification.WRITER, alert_topic.WRITER, alarms.WRITER,
               dashboard.WRITER)
    assert kinds == {writer.MODULE: {CHANGED, UNCHANGED, FAILS} for writer in writers}
