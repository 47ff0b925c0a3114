"""The harness's real-AWS mode: moto's backends refuse what AWS refuses, with AWS's codes and messages.

In process (moto.mock_aws), with the patches applied through monkeypatch so that they end with each test.
"""

import datetime
import json
import os
import sys

import pytest

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")
from botocore.exceptions import ClientError  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "harness"))
import aws_harness  # noqa: E402  pylint: disable=wrong-import-position
import aws_limits  # noqa: E402  pylint: disable=wrong-import-position
import moto_launcher  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT = "123456789012"  # moto's default account in process
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def policy_of(size):
    """A policy of exactly ``size`` characters without whitespace (and bytes as compact JSON)."""
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::"}]}
    padding = size - len(json.dumps(document, separators=(",", ":")))
    document["Statement"][0]["Resource"] += "b" * padding
    assert aws_limits.quotas.iam_size(document) == size
    return document


def principal_policy(arn, resource="*"):
    statement = {"Sid": "Grant", "Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:GetObject", "Resource": resource}
    return {"Version": "2012-10-17", "Statement": [statement]}


def error_of(call):
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture()
def real_aws(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(aws_limits.Settings, "principal_delay", 0.0)
    aws_limits.patch_real_aws(0, setter=monkeypatch.setattr)
    with moto.mock_aws():
        yield boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


def new_role(iam, name="replication"):
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


def test_the_inline_policies_of_a_role_together_stop_at_10240_characters_without_whitespace(real_aws):
    iam = real_aws.client("iam")
    new_role(iam)
    iam.put_role_policy(RoleName="replication", PolicyName="a", PolicyDocument=json.dumps(policy_of(6000), indent=4))
    iam.put_role_policy(RoleName="replication", PolicyName="b", PolicyDocument=json.dumps(policy_of(4240), indent=4))
    code, message, status = error_of(lambda: iam.put_role_policy(RoleName="replication", PolicyName="c", PolicyDocument=json.dumps(policy_of(200))))
    assert (code, message, status) == ("LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role replication", 409)
    # Replacing a policy counts its new size, not the old one too.
    iam.put_role_policy(RoleName="replication", PolicyName="b", PolicyDocument=json.dumps(policy_of(4000)))
    assert iam.list_role_policies(RoleName="replication")["PolicyNames"] == ["a", "b"]


def test_managed_policy_size_and_count_per_role(real_aws):
    iam = real_aws.client("iam")
    new_role(iam)
    assert error_of(lambda: iam.create_policy(PolicyName="big", PolicyDocument=json.dumps(policy_of(6145))))[:2] == (
        "LimitExceeded", "Cannot exceed quota for PolicySize: 6144")
    arn = iam.create_policy(PolicyName="fits", PolicyDocument=json.dumps(policy_of(6144)))["Policy"]["Arn"]
    assert error_of(lambda: iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(policy_of(7000))))[0] == "LimitExceeded"
    arns = [iam.create_policy(PolicyName=f"p{n}", PolicyDocument=json.dumps(policy_of(200)))["Policy"]["Arn"] for n in range(11)]
    for policy_arn in arns[:10]:
        iam.attach_role_policy(RoleName="replication", PolicyArn=policy_arn)
    iam.attach_role_policy(RoleName="replication", PolicyArn=arns[0])  # already attached: no new attachment
    assert error_of(lambda: iam.attach_role_policy(RoleName="replication", PolicyArn=arns[10]))[:2] == (
        "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10")


def test_a_trust_policy_stops_at_2048_characters(real_aws):
    iam = real_aws.client("iam")
    big = dict(TRUST, Statement=TRUST["Statement"] + [dict(TRUST["Statement"][0], Principal={"Service": f"s{n:03d}.amazonaws.com"}) for n in range(40)])
    assert error_of(lambda: iam.create_role(RoleName="big", AssumeRolePolicyDocument=json.dumps(big)))[:2] == (
        "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048")
    new_role(iam)
    assert error_of(lambda: iam.update_assume_role_policy(RoleName="replication", PolicyDocument=json.dumps(big)))[0] == "LimitExceeded"


def test_a_bucket_policy_stops_at_20_kb_as_sent_and_replication_at_1000_rules(real_aws):
    s3 = real_aws.client("s3")
    s3.create_bucket(Bucket="central")
    s3.put_bucket_policy(Bucket="central", Policy=json.dumps(policy_of(20480), indent=2))
    assert error_of(lambda: s3.put_bucket_policy(Bucket="central", Policy=json.dumps(policy_of(20481)))) == (
        "PolicyTooLarge", "Policy exceeds the maximum allowed document size.", 400)
    s3.put_bucket_versioning(Bucket="central", VersioningConfiguration={"Status": "Enabled"})
    rule = {"Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""}, "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}
    rules = [dict(rule, ID=f"r{n}", Priority=n) for n in range(1001)]
    role = f"arn:aws:iam::{ACCOUNT}:role/x"
    s3.put_bucket_replication(Bucket="central", ReplicationConfiguration={"Role": role, "Rules": rules[:1000]})
    assert error_of(lambda: s3.put_bucket_replication(Bucket="central", ReplicationConfiguration={"Role": role, "Rules": rules}))[0] == "InvalidRequest"


def test_a_key_policy_stops_at_32768_bytes(real_aws):
    kms = real_aws.client("kms")
    big = policy_of(32769)
    assert error_of(lambda: kms.create_key(Policy=json.dumps(big)))[0] == "LimitExceededException"
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    assert error_of(lambda: kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(big)))[0] == "LimitExceededException"
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(policy_of(32768), separators=(",", ":")))


def test_a_role_that_does_not_exist_is_never_a_valid_principal(real_aws):
    ghost = f"arn:aws:iam::{ACCOUNT}:role/ghost"
    s3, kms, iam = real_aws.client("s3"), real_aws.client("kms"), real_aws.client("iam")
    s3.create_bucket(Bucket="central")
    assert error_of(lambda: s3.put_bucket_policy(Bucket="central", Policy=json.dumps(principal_policy(ghost, "arn:aws:s3:::central/*"))))[:2] == (
        "MalformedPolicy", "Invalid principal in policy")
    assert error_of(lambda: kms.create_key(Policy=json.dumps(principal_policy(ghost))))[:2] == (
        "MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.")
    trust = dict(TRUST, Statement=[dict(TRUST["Statement"][0], Principal={"AWS": ghost})])
    assert error_of(lambda: iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(trust)))[:2] == (
        "MalformedPolicyDocument", f'Invalid principal in policy: "AWS":"{ghost}"')


def test_a_new_role_is_an_invalid_principal_until_the_delay_has_passed(real_aws, monkeypatch):
    monkeypatch.setattr(aws_limits.Settings, "principal_delay", 30.0)
    iam, kms, s3, sns = real_aws.client("iam"), real_aws.client("kms"), real_aws.client("s3"), real_aws.client("sns")
    arn = new_role(iam)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    s3.create_bucket(Bucket="central")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    writes = {
        "kms": lambda: kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(principal_policy(arn))),
        "s3": lambda: s3.put_bucket_policy(Bucket="central", Policy=json.dumps(principal_policy(arn, "arn:aws:s3:::central/*"))),
        "sns": lambda: sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(principal_policy(arn, topic))),
    }
    assert {name: error_of(write)[0] for name, write in writes.items()} == {
        "kms": "MalformedPolicyDocumentException", "s3": "MalformedPolicy", "sns": "InvalidParameter"}
    role = aws_limits.role_of(arn)
    monkeypatch.setattr(role, "create_date", role.create_date - datetime.timedelta(seconds=31))
    for write in writes.values():
        write()


def test_other_principals_are_not_checked():
    document = {"Statement": [{"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "111122223333", "AROAEXAMPLE"]}},
                              {"Principal": {"Service": "s3.amazonaws.com"}}, {"Principal": "*"}]}
    assert aws_limits.invalid_principals(document, delay=60) == []


def test_the_launcher_and_the_harness_pass_the_mode_on(monkeypatch):
    args = moto_launcher.parse_arguments(["moto_launcher.py", "5000", "--real-aws", "--principal-delay", "6"])
    assert (args.port, args.real_aws, args.principal_delay) == ("5000", True, 6.0)
    assert moto_launcher.parse_arguments(["moto_launcher.py", "5000"]).real_aws is False
    assert aws_harness.launcher_command(5000, True, 6.0)[-3:] == ["--real-aws", "--principal-delay", "6.0"]
    assert "--real-aws" not in aws_harness.launcher_command(5000)
    monkeypatch.setenv("AWS_HARNESS_REAL", "1")
    monkeypatch.setenv("AWS_HARNESS_PRINCIPAL_DELAY", "4")
    assert aws_harness.real_aws_options() == (True, 4.0)
    assert aws_harness.real_aws_options(False, 0) == (False, 0)
