import datetime
import json
from unittest.mock import MagicMock

import botocore
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.modules import kms_key_grant

OWNER = "880161310235"
KEY_ARN = f"arn:aws:kms:us-east-1:{OWNER}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
OWNER_STATEMENT = {
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
    "Action": "kms:*",
    "Resource": "*",
}
FOREIGN = {"Sid": "OtherTeam", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}
METADATA = {
    "AWSAccountId": OWNER,
    "KeyId": "0987dcba-09fe-87dc-65ba-ab0987654321",
    "Arn": KEY_ARN,
    "KeyState": "Enabled",
    "KeyManager": "CUSTOMER",
    "KeySpec": "SYMMETRIC_DEFAULT",
    "KeyUsage": "ENCRYPT_DECRYPT",
}
CONDITION = {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}


def client_error(code, operation="Operation"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, operation)


def params(**changes):
    result = {
        "key_id": KEY_ARN,
        "mode": "policy",
        "state": "present",
        "sid": "ReplicaEncrypt",
        "name": None,
        "principals": [ROLE],
        "operations": ["Encrypt"],
        "conditions": None,
        "encryption_context_equals": None,
        "encryption_context_subset": None,
        "retiring_principal": None,
    }
    result.update(changes)
    return result


def grant_params(**changes):
    return params(**{"mode": "grant", "sid": None, "name": "replication", **changes})


def kms_client(policy=None, grants=()):
    client = MagicMock()
    client.describe_key.return_value = {"KeyMetadata": dict(METADATA)}
    client.get_key_policy.return_value = {"Policy": json.dumps(policy or {"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, FOREIGN]})}
    client.get_paginator.return_value.paginate.return_value.build_full_result.return_value = {"Grants": list(grants)}
    client.create_grant.return_value = {"GrantId": "new-grant"}
    return client


def written_policy(client):
    kwargs = client.put_key_policy.call_args.kwargs
    assert kwargs["PolicyName"] == "default"
    assert kwargs["BypassPolicyLockoutSafetyCheck"] is False
    return json.loads(kwargs["Policy"])


def our_statement(**changes):
    result = kms_keys.key_policy_statement("ReplicaEncrypt", [ROLE], ["Encrypt"], CONDITION)
    result.update(changes)
    return result


class FakeModule:
    def __init__(self, module_params, client, check_mode=False):
        self.params = module_params
        self.check_mode = check_mode
        self._client = client
        self.clients_made = 0

    def client(self, service, retry_decorator=None):
        assert service == "kms" and retry_decorator is not None
        self.clients_made += 1
        return self._client


# validate_params


def test_policy_params_give_the_statement():
    assert kms_key_grant.validate_params(params(conditions=CONDITION)) == our_statement()


def test_grant_params_give_the_grant():
    desired = kms_key_grant.validate_params(grant_params(encryption_context_subset={"aws:s3:arn": "arn:aws:s3:::dst"}, retiring_principal=OWNER))
    assert desired == {
        "Name": "replication",
        "GranteePrincipal": ROLE,
        "Operations": ["Encrypt"],
        "Constraints": {"EncryptionContextSubset": {"aws:s3:arn": "arn:aws:s3:::dst"}},
        "RetiringPrincipal": f"arn:aws:iam::{OWNER}:root",
    }


def test_account_ids_take_the_key_partition():
    desired = kms_key_grant.validate_params(params(principals=["211258069784"]), partition="aws-cn")
    assert desired["Principal"] == {"AWS": "arn:aws-cn:iam::211258069784:root"}


def test_absent_needs_no_principals_or_operations():
    assert kms_key_grant.validate_params(params(state="absent", principals=None, operations=None)) is None
    assert kms_key_grant.validate_params(grant_params(state="absent", principals=None, operations=None)) is None


@pytest.mark.parametrize(
    "bad, words",
    [
        (params(encryption_context_subset={"a": "b"}), "encryption_context_subset does not apply to mode=policy"),
        (params(retiring_principal=OWNER), "retiring_principal does not apply"),
        (grant_params(conditions=CONDITION), "conditions does not apply to mode=grant"),
        (grant_params(principals=[ROLE, OWNER]), "exactly one principal"),
        (params(principals=[]), "principals is required"),
        (params(operations=None), "operations is required"),
        (params(sid="Replica-Encrypt"), "letters and digits"),
        (params(state="absent", sid="has space"), "letters and digits"),
        (params(operations=["kms:*"]), "wildcard"),
        (params(principals=["*"]), "principal"),
        (grant_params(name="bad name"), "grant name"),
    ],
)
def test_bad_params_fail_before_any_call(bad, words):
    with pytest.raises(ValueError, match=words):
        kms_key_grant.validate_params(bad)


# policy mode


def test_policy_statement_is_added_and_others_kept():
    client = kms_client()
    result = kms_key_grant.ensure_policy_statement(client, False, METADATA, "ReplicaEncrypt", our_statement())
    assert result["changed"] is True
    assert written_policy(client)["Statement"] == [OWNER_STATEMENT, FOREIGN, our_statement()]
    assert result["statement"] == our_statement()
    assert result["diff"]["before"]["Statement"] == [OWNER_STATEMENT, FOREIGN]
    assert result["diff"]["after"] == result["policy"]


def test_policy_check_mode_writes_nothing():
    client = kms_client()
    result = kms_key_grant.ensure_policy_statement(client, True, METADATA, "ReplicaEncrypt", our_statement())
    assert result["changed"] is True
    assert result["policy"]["Statement"][-1] == our_statement()
    client.put_key_policy.assert_not_called()


def test_policy_statement_as_aws_rewrote_it_is_unchanged():
    rewritten = our_statement(Principal={"AWS": [ROLE]}, Action="kms:Encrypt", Condition={"StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}})
    client = kms_client({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, rewritten, FOREIGN]})
    result = kms_key_grant.ensure_policy_statement(client, False, METADATA, "ReplicaEncrypt", our_statement())
    assert result["changed"] is False
    assert result["statement"] == rewritten
    client.put_key_policy.assert_not_called()


def test_changed_statement_is_replaced_in_place():
    client = kms_client({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, our_statement(Action="kms:Decrypt"), FOREIGN]})
    assert kms_key_grant.ensure_policy_statement(client, False, METADATA, "ReplicaEncrypt", our_statement())["changed"] is True
    assert written_policy(client)["Statement"] == [OWNER_STATEMENT, our_statement(), FOREIGN]


def test_absent_removes_only_our_statement():
    client = kms_client({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, our_statement(), FOREIGN]})
    result = kms_key_grant.ensure_policy_statement(client, False, METADATA, "ReplicaEncrypt", None)
    assert result["changed"] is True and result["statement"] is None
    assert written_policy(client)["Statement"] == [OWNER_STATEMENT, FOREIGN]


def test_absent_without_our_statement_changes_nothing():
    client = kms_client()
    assert kms_key_grant.ensure_policy_statement(client, False, METADATA, "ReplicaEncrypt", None)["changed"] is False
    client.put_key_policy.assert_not_called()


def test_sid_of_the_owner_statement_is_refused_without_writing():
    owner = dict(OWNER_STATEMENT, Sid="EnableRoot")
    client = kms_client({"Version": "2012-10-17", "Statement": [owner, FOREIGN]})
    with pytest.raises(kms_keys.KmsKeyError, match="administrative access"):
        kms_key_grant.ensure_policy_statement(client, False, METADATA, "EnableRoot", our_statement(Sid="EnableRoot"))
    client.put_key_policy.assert_not_called()


# grant mode


def existing_grant(grant_id, **changes):
    grant = {
        "KeyId": METADATA["KeyId"],
        "GrantId": grant_id,
        "Name": "replication",
        "GranteePrincipal": ROLE,
        "Operations": ["Encrypt"],
        "CreationDate": datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc),
    }
    grant.update(changes)
    return grant


FOREIGN_GRANT = existing_grant("foreign", Name="other-team", GranteePrincipal="arn:aws:iam::444455556666:role/etl")


def desired():
    return kms_key_grant.validate_params(grant_params())


def test_missing_grant_is_created():
    client = kms_client(grants=[FOREIGN_GRANT])
    result = kms_key_grant.ensure_grant(client, False, METADATA, "replication", desired())
    assert result["changed"] is True
    client.create_grant.assert_called_once_with(aws_retry=True, KeyId=KEY_ARN, Name="replication", GranteePrincipal=ROLE, Operations=["Encrypt"])
    assert result["grant"]["GrantId"] == "new-grant"
    assert result["revoked_grant_ids"] == []
    client.revoke_grant.assert_not_called()


def test_grant_options_are_sent():
    wanted = kms_key_grant.validate_params(grant_params(encryption_context_equals={"k": "v"}, retiring_principal=OWNER))
    client = kms_client()
    kms_key_grant.ensure_grant(client, False, METADATA, "replication", wanted)
    kwargs = client.create_grant.call_args.kwargs
    assert kwargs["Constraints"] == {"EncryptionContextEquals": {"k": "v"}}
    assert kwargs["RetiringPrincipal"] == f"arn:aws:iam::{OWNER}:root"


def test_matching_grant_is_kept():
    client = kms_client(grants=[FOREIGN_GRANT, existing_grant("g1")])
    result = kms_key_grant.ensure_grant(client, False, METADATA, "replication", desired())
    assert result["changed"] is False
    assert result["grant"]["GrantId"] == "g1"
    assert result["grant"]["CreationDate"] == "2026-01-02T00:00:00+00:00"
    client.create_grant.assert_not_called()
    client.revoke_grant.assert_not_called()


def test_changed_grant_is_created_before_the_old_one_is_revoked():
    client = kms_client(grants=[existing_grant("old", Operations=["Decrypt"]), FOREIGN_GRANT])
    result = kms_key_grant.ensure_grant(client, False, METADATA, "replication", desired())
    assert result["changed"] is True
    assert result["revoked_grant_ids"] == ["old"]
    calls = [name for name, _args, _kwargs in client.mock_calls if name in ("create_grant", "revoke_grant")]
    assert calls == ["create_grant", "revoke_grant"]
    client.revoke_grant.assert_called_once_with(aws_retry=True, KeyId=KEY_ARN, GrantId="old")


def test_grant_check_mode_calls_nothing_that_writes():
    client = kms_client(grants=[existing_grant("old", Operations=["Decrypt"])])
    result = kms_key_grant.ensure_grant(client, True, METADATA, "replication", desired())
    assert result["changed"] is True
    assert "GrantId" not in result["grant"]
    assert result["revoked_grant_ids"] == ["old"]
    client.create_grant.assert_not_called()
    client.revoke_grant.assert_not_called()


def test_absent_revokes_every_grant_of_the_name_only():
    client = kms_client(grants=[existing_grant("g1"), FOREIGN_GRANT, existing_grant("g2", Operations=["Decrypt"])])
    result = kms_key_grant.ensure_grant(client, False, METADATA, "replication", None)
    assert result["changed"] is True and result["grant"] is None
    assert [c.kwargs["GrantId"] for c in client.revoke_grant.call_args_list] == ["g1", "g2"]
    assert result["diff"]["after"] == {"grants": []}


def test_absent_without_the_grant_changes_nothing():
    client = kms_client(grants=[FOREIGN_GRANT])
    assert kms_key_grant.ensure_grant(client, False, METADATA, "replication", None)["changed"] is False
    client.revoke_grant.assert_not_called()


def test_an_already_revoked_grant_is_not_an_error():
    client = kms_client()
    client.revoke_grant.side_effect = client_error("NotFoundException")
    kms_key_grant.revoke_grant(client, KEY_ARN, "gone")


def test_other_revoke_errors_fail():
    client = kms_client()
    client.revoke_grant.side_effect = client_error("AccessDeniedException")
    with pytest.raises(AwsCallFailure, match="revoke grant g1"):
        kms_key_grant.revoke_grant(client, KEY_ARN, "g1")


# run: key resolution and checks


def test_missing_key_names_the_option():
    client = kms_client()
    client.describe_key.side_effect = client_error("NotFoundException")
    with pytest.raises(AwsCallFailure, match="key_id: no KMS key alias/replica"):
        kms_key_grant.run(FakeModule(params(key_id="replica"), client))


def test_aws_managed_alias_is_refused_before_any_client_is_made():
    module = FakeModule(params(key_id="alias/aws/s3"), kms_client())
    with pytest.raises(kms_keys.KmsKeyError, match="AWS-managed"):
        kms_key_grant.run(module)
    assert module.clients_made == 0


def test_aws_managed_key_metadata_is_refused_before_reading_the_policy():
    client = kms_client()
    client.describe_key.return_value = {"KeyMetadata": dict(METADATA, KeyManager="AWS")}
    with pytest.raises(kms_keys.KmsKeyError, match="AWS-managed"):
        kms_key_grant.run(FakeModule(params(), client))
    client.get_key_policy.assert_not_called()


def test_disabled_key_is_refused_for_present_but_not_for_absent():
    client = kms_client({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, our_statement()]})
    client.describe_key.return_value = {"KeyMetadata": dict(METADATA, KeyState="Disabled")}
    with pytest.raises(kms_keys.KmsKeyError, match="Disabled"):
        kms_key_grant.run(FakeModule(params(), client))
    result = kms_key_grant.run(FakeModule(params(state="absent"), client))
    assert result["changed"] is True


def test_run_dispatches_on_mode():
    client = kms_client(grants=[existing_grant("g1")])
    assert kms_key_grant.run(FakeModule(grant_params(), client))["grant"]["GrantId"] == "g1"
    assert kms_key_grant.run(FakeModule(params(), client, check_mode=True))["key_arn"] == KEY_ARN
    client.describe_key.assert_called_with(aws_retry=True, KeyId=KEY_ARN)
