# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""kms_key_access (writer module_utils/writers/key_access) against botocore's Stubber: every request is checked
against the KMS model, and an unexpected call (a write in check mode, a call before the options are checked)
fails the test even where the code turns botocore errors into AwsCallFailure."""

import datetime
import json

import boto3
import pytest
import yaml
from aws_stubs import NO_SETTLE
from aws_stubs import RecordingStubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import key_access
from ansible_collections.s3_crossaccount.replication.plugins.modules import kms_key_access

OWNER = "880161310235"
KEY_ID = "0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_ARN = f"arn:aws:kms:us-east-1:{OWNER}:key/{KEY_ID}"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
OTHER_ROLE = "arn:aws:iam::211258069784:role/s3-batch-role"
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
    "KeyId": KEY_ID,
    "Arn": KEY_ARN,
    "KeyState": "Enabled",
    "KeyManager": "CUSTOMER",
    "KeySpec": "SYMMETRIC_DEFAULT",
    "KeyUsage": "ENCRYPT_DECRYPT",
}
CONDITION = {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
HEADER = f"account {OWNER}: {KEY_ARN}"


# --- Stubber-backed client ---------------------------------------------------------------------


class Kms:
    """Queues the KMS answers of one run and tells which calls were made."""

    def __init__(self, stubber):
        self.stubber = stubber

    def key(self, reference=KEY_ARN, **metadata):
        self.stubber.add_response("describe_key", {"KeyMetadata": dict(METADATA, **metadata)}, {"KeyId": reference})

    def key_missing(self, reference):
        self.stubber.add_client_error("describe_key", "NotFoundException", http_status_code=400, expected_params={"KeyId": reference})

    def policy(self, *statements):
        document = {"Version": "2012-10-17", "Statement": list(statements or (OWNER_STATEMENT, FOREIGN))}
        self.stubber.add_response("get_key_policy", {"Policy": json.dumps(document), "PolicyName": "default"}, {"KeyId": KEY_ARN, "PolicyName": "default"})

    def put_policy(self):
        expected = {"KeyId": KEY_ARN, "PolicyName": "default", "Policy": ANY_TEXT, "BypassPolicyLockoutSafetyCheck": False}
        self.stubber.add_response("put_key_policy", {}, expected)

    def grants(self, *grants):
        self.stubber.add_response("list_grants", {"Grants": list(grants), "Truncated": False}, {"KeyId": KEY_ARN})

    def create(self, grant_id="new-grant", **request):
        expected = {"KeyId": KEY_ARN, "Name": "replication", "GranteePrincipal": ROLE, "Operations": ["Encrypt"], **request}
        self.stubber.add_response("create_grant", {"GrantId": grant_id, "GrantToken": "token"}, expected)

    def revoke(self, grant_id):
        self.stubber.add_response("revoke_grant", {}, {"KeyId": KEY_ARN, "GrantId": grant_id})

    def revoke_fails(self, grant_id, code):
        self.stubber.add_client_error("revoke_grant", code, http_status_code=400, expected_params={"KeyId": KEY_ARN, "GrantId": grant_id})

    def read_back(self, *statements, **metadata):
        """The read after a write (runner.run_write checks that the write shows): the key, and its policy as written."""
        self.key(**metadata)
        self.policy(*statements)

    def grants_read_back(self, *grants):
        """The read after a grant write: the key, and its grants as they are after it."""
        self.key()
        self.grants(*grants)

    def operations(self):
        return [name for name, _params in self.stubber.calls]

    def written_policy(self):
        written = [params for name, params in self.stubber.calls if name == "PutKeyPolicy"]
        assert len(written) == 1, self.stubber.calls
        return json.loads(written[0]["Policy"])


class _AnyText:
    """Matches any JSON text (the written policy is checked by written_policy)."""

    def __eq__(self, other):
        return isinstance(other, str) and isinstance(json.loads(other), dict)


ANY_TEXT = _AnyText()


@pytest.fixture(name="kms")
def kms_fixture():
    client = boto3.client("kms", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    stubber = RecordingStubber(client)
    with stubber:
        yield Kms(stubber), RetryingBotoClientWrapper(client, transient_retry(retries=3, delay=0, max_delay=0))
    assert stubber.violations == []
    stubber.assert_no_pending_responses()


@pytest.fixture(name="stub")
def stub_fixture(kms):
    return kms[0]


class ClientMaker:
    """The module side of runner.Aws: hands out the stubbed client and counts how many were asked for."""

    region = "us-east-1"

    def __init__(self, client):
        self._client = client
        self.made = []

    def aws_client(self, service, region=None, extra_codes=()):
        self.made.append(service)
        return self._client


@pytest.fixture(name="aws")
def aws_fixture(kms):
    return runner.Aws(clients={"kms": kms[1]}, account_id=OWNER, partition="aws", region="us-east-1")


@pytest.fixture(name="maker")
def maker_fixture(kms):
    return ClientMaker(kms[1])


# The read-back after a write reads at once: the tests never sleep.


def run(aws, check_mode=False, **args):
    return runner.run_write(key_access.WRITER, aws, runner.validated(key_access.WRITER, args), check_mode, verification=NO_SETTLE)


def policy_args(**changes):
    args = {"key_id": KEY_ARN, "sid": "ReplicaEncrypt", "principals": [ROLE], "operations": ["Encrypt"]}
    args.update(changes)
    return args


def grant_args(**changes):
    args = {"key_id": KEY_ARN, "mode": "grant", "name": "replication", "principals": [ROLE], "operations": ["Encrypt"]}
    args.update(changes)
    return args


def without(args, *names):
    """The options of a task that does not give ``names`` at all."""
    return {name: value for name, value in args.items() if name not in names}


def our_statement(**changes):
    return dict(kms_keys.key_policy_statement("ReplicaEncrypt", [ROLE], ["Encrypt"], CONDITION), **changes)


def key_state(policy=None, grants=(), **metadata):
    """A key as facts.key returns it, for the pure plan."""
    return {"reference": KEY_ARN, "exists": True, "metadata": dict(METADATA, **metadata), "policy": policy, "grants": list(grants), "errors": {}}


def planned(args, state=None):
    return key_access.WRITER.plan(runner.validated(key_access.WRITER, args), state or key_state({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT]}))


# --- options: the statement or grant they describe ----------------------------------------------


def test_policy_options_give_the_statement():
    assert planned(policy_args(conditions=CONDITION))["result"]["statement"] == our_statement()


def test_grant_options_give_the_grant():
    plan = planned(grant_args(encryption_context_subset={"aws:s3:arn": "arn:aws:s3:::dst"}, retiring_principal=OWNER))
    assert plan["create"] == [{
        "Name": "replication",
        "GranteePrincipal": ROLE,
        "Operations": ["Encrypt"],
        "Constraints": {"EncryptionContextSubset": {"aws:s3:arn": "arn:aws:s3:::dst"}},
        "RetiringPrincipal": f"arn:aws:iam::{OWNER}:root",
    }]


def test_account_ids_take_the_key_partition():
    china_key = KEY_ARN.replace("arn:aws:", "arn:aws-cn:").replace("us-east-1", "cn-north-1")
    plan = planned(policy_args(key_id=china_key, principals=["211258069784"]), key_state(None, Arn=china_key))
    assert plan["result"]["statement"]["Principal"] == {"AWS": "arn:aws-cn:iam::211258069784:root"}


def test_absent_needs_no_principals_or_operations():
    assert planned(policy_args(state="absent", principals=None, operations=None))["changed"] is False
    assert planned(grant_args(state="absent", principals=None, operations=None))["changed"] is False


@pytest.mark.parametrize(
    "bad, words",
    [
        (policy_args(encryption_context_subset={"a": "b"}), "encryption_context_subset does not apply to mode=policy"),
        (policy_args(retiring_principal=OWNER), "retiring_principal does not apply"),
        (grant_args(conditions=CONDITION), "conditions does not apply to mode=grant"),
        (grant_args(principals=[ROLE, OWNER]), "exactly one principal"),
        (policy_args(principals=[]), "principals is required"),
        (policy_args(operations=None), "operations is required"),
        (policy_args(sid="Replica-Encrypt"), "letters and digits"),
        (policy_args(state="absent", sid="has space"), "letters and digits"),
        (policy_args(operations=["kms:*"]), "wildcard"),
        (policy_args(principals=["*"]), "principal"),
        (grant_args(name="bad name"), "grant name"),
        (policy_args(sid=None), "sid is required with mode=policy"),
        (grant_args(name=None), "name is required with mode=grant"),
        (without(policy_args(statements=[]), "sid"), "statements is empty"),
        (without(grant_args(grants=[]), "name"), "grants is empty"),
        (without(grant_args(statements=[{"sid": "A"}]), "name"), "statements does not apply to mode=grant"),
        (policy_args(grants=[{"name": "g"}]), "grants does not apply to mode=policy"),
        (policy_args(statements=[{"sid": "A"}]), "mutually exclusive"),
    ],
)
def test_bad_options_fail_before_any_call(aws, stub, bad, words):
    with pytest.raises(ValueError, match=words):
        run(aws, **bad)
    assert stub.operations() == []


# --- mode policy --------------------------------------------------------------------------------


def test_policy_statement_is_added_and_others_kept(aws, stub):
    stub.key()
    stub.policy()
    stub.put_policy()
    stub.read_back(OWNER_STATEMENT, FOREIGN, our_statement())
    result = run(aws, **policy_args(conditions=CONDITION))
    assert result["changed"] is True
    assert result["rounds"] == 1
    assert stub.written_policy()["Statement"] == [OWNER_STATEMENT, FOREIGN, our_statement()]
    assert result["result"]["statement"] == our_statement()
    assert result["diff"]["before"]["Statement"] == [OWNER_STATEMENT, FOREIGN]
    assert result["diff"]["after"] == result["result"]["policy"]
    assert result["diff"]["before_header"] == f"{HEADER} (key policy)"


def test_policy_check_mode_writes_nothing(aws, stub):
    stub.key()
    stub.policy()
    result = run(aws, check_mode=True, **policy_args(conditions=CONDITION))
    assert result["changed"] is True
    assert result["result"]["policy"]["Statement"][-1] == our_statement()
    assert stub.operations() == ["DescribeKey", "GetKeyPolicy"]


def test_policy_statement_as_aws_rewrote_it_is_unchanged(aws, stub):
    rewritten = our_statement(Principal={"AWS": [ROLE]}, Action="kms:Encrypt", Condition={"StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}})
    stub.key()
    stub.policy(OWNER_STATEMENT, rewritten, FOREIGN)
    result = run(aws, **policy_args(conditions=CONDITION))
    assert result["changed"] is False
    assert result["result"]["statement"] == rewritten
    assert "PutKeyPolicy" not in stub.operations()


def test_changed_statement_is_replaced_in_place(aws, stub):
    stub.key()
    stub.policy(OWNER_STATEMENT, our_statement(Action="kms:Decrypt"), FOREIGN)
    stub.put_policy()
    stub.read_back(OWNER_STATEMENT, our_statement(), FOREIGN)
    assert run(aws, **policy_args(conditions=CONDITION))["changed"] is True
    assert stub.written_policy()["Statement"] == [OWNER_STATEMENT, our_statement(), FOREIGN]


def test_absent_removes_only_our_statement(aws, stub):
    stub.key()
    stub.policy(OWNER_STATEMENT, our_statement(), FOREIGN)
    stub.put_policy()
    stub.read_back(OWNER_STATEMENT, FOREIGN)
    result = run(aws, **policy_args(state="absent"))
    assert result["changed"] is True and result["result"]["statement"] is None
    assert stub.written_policy()["Statement"] == [OWNER_STATEMENT, FOREIGN]


def test_absent_without_our_statement_changes_nothing(aws, stub):
    stub.key()
    stub.policy()
    assert run(aws, **policy_args(state="absent"))["changed"] is False
    assert "PutKeyPolicy" not in stub.operations()


def test_sid_of_the_owner_statement_is_refused_without_writing(aws, stub):
    owner = dict(OWNER_STATEMENT, Sid="EnableRoot")
    stub.key()
    stub.policy(owner, FOREIGN)
    with pytest.raises(kms_keys.KmsKeyError, match="administrative access"):
        run(aws, **policy_args(sid="EnableRoot"))
    assert "PutKeyPolicy" not in stub.operations()


# --- mode policy, several statements --------------------------------------------------------------


def statement_entry(sid, principal=ROLE, operations=("Encrypt",), state="present"):
    return {"sid": sid, "principals": [principal], "operations": list(operations), "state": state}


def test_several_statements_are_merged_in_one_write(aws, stub):
    stale = kms_keys.key_policy_statement("OldReplica", [OTHER_ROLE], ["Decrypt"])
    stub.key()
    stub.policy(OWNER_STATEMENT, stale, FOREIGN)
    stub.put_policy()
    encrypt = kms_keys.key_policy_statement("ReplicaEncrypt", [ROLE], ["Encrypt"])
    decrypt = kms_keys.key_policy_statement("BatchDecrypt", [OTHER_ROLE], ["Decrypt", "GenerateDataKey"])
    stub.read_back(OWNER_STATEMENT, FOREIGN, encrypt, decrypt)
    result = run(aws, key_id=KEY_ARN, statements=[
        statement_entry("ReplicaEncrypt"),
        statement_entry("BatchDecrypt", OTHER_ROLE, ["Decrypt", "GenerateDataKey"]),
        statement_entry("OldReplica", state="absent"),
    ])
    assert result["changed"] is True
    assert stub.written_policy()["Statement"] == [OWNER_STATEMENT, FOREIGN, encrypt, decrypt]
    assert stub.operations().count("PutKeyPolicy") == 1
    assert result["result"]["statements"] == [encrypt, decrypt]
    assert "statement" not in result["result"]


def test_several_statements_already_in_place_change_nothing(aws, stub):
    encrypt = kms_keys.key_policy_statement("ReplicaEncrypt", [ROLE], ["Encrypt"])
    stub.key()
    stub.policy(OWNER_STATEMENT, encrypt, FOREIGN)
    result = run(aws, key_id=KEY_ARN, statements=[statement_entry("ReplicaEncrypt"), statement_entry("Gone", state="absent")])
    assert result["changed"] is False
    assert "PutKeyPolicy" not in stub.operations()


def test_lockout_guard_applies_to_every_listed_statement(aws, stub):
    owner = dict(OWNER_STATEMENT, Sid="EnableRoot")
    stub.key()
    stub.policy(owner, FOREIGN)
    with pytest.raises(kms_keys.KmsKeyError, match="Sid EnableRoot .* administrative access"):
        run(aws, key_id=KEY_ARN, statements=[statement_entry("ReplicaEncrypt"), statement_entry("EnableRoot", state="absent")])
    assert "PutKeyPolicy" not in stub.operations()


def test_a_bad_listed_statement_fails_before_any_call(aws, stub):
    with pytest.raises(runner.WriteRefused, match=r"operations is required with state=present \(sid Second\)"):
        run(aws, key_id=KEY_ARN, statements=[statement_entry("First"), {"sid": "Second", "principals": [ROLE]}])
    assert stub.operations() == []


# --- mode grant ---------------------------------------------------------------------------------


def existing_grant(grant_id, **changes):
    grant = {
        "KeyId": KEY_ARN,
        "GrantId": grant_id,
        "Name": "replication",
        "GranteePrincipal": ROLE,
        "Operations": ["Encrypt"],
        "CreationDate": datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc),
    }
    grant.update(changes)
    return grant


FOREIGN_GRANT = existing_grant("foreign", Name="other-team", GranteePrincipal="arn:aws:iam::444455556666:role/etl")


def test_missing_grant_is_created(aws, stub):
    stub.key()
    stub.grants(FOREIGN_GRANT)
    stub.create()
    stub.grants(FOREIGN_GRANT, existing_grant("new-grant"))
    stub.grants_read_back(FOREIGN_GRANT, existing_grant("new-grant"))
    result = run(aws, **grant_args())
    assert result["changed"] is True and result["rounds"] == 1
    assert result["result"]["grant"]["GrantId"] == "new-grant"
    assert result["result"]["revoked_grant_ids"] == []
    assert "RevokeGrant" not in stub.operations()
    assert result["diff"]["before_header"] == f"{HEADER} (grants)"


def test_grant_options_are_sent(aws, stub):
    stub.key()
    stub.grants()
    stub.create(Constraints={"EncryptionContextEquals": {"k": "v"}}, RetiringPrincipal=f"arn:aws:iam::{OWNER}:root")
    stub.grants()
    stub.grants_read_back(existing_grant("new-grant", Constraints={"EncryptionContextEquals": {"k": "v"}}, RetiringPrincipal=f"arn:aws:iam::{OWNER}:root"))
    run(aws, **grant_args(encryption_context_equals={"k": "v"}, retiring_principal=OWNER))


def test_a_copy_left_by_a_retried_create_is_revoked(aws, stub):
    stub.key()
    stub.grants()
    stub.create()
    stub.grants(existing_grant("new-grant"), existing_grant("copy"))
    stub.revoke("copy")
    stub.grants_read_back(existing_grant("new-grant"))
    result = run(aws, **grant_args())
    assert result["result"]["revoked_grant_ids"] == ["copy"]
    assert result["result"]["grant"]["GrantId"] == "new-grant"


def test_matching_grant_is_kept(aws, stub):
    stub.key()
    stub.grants(FOREIGN_GRANT, existing_grant("g1"))
    result = run(aws, **grant_args())
    assert result["changed"] is False
    assert result["result"]["grant"]["GrantId"] == "g1"
    assert result["result"]["grant"]["CreationDate"] == "2026-01-02T00:00:00+00:00"
    assert stub.operations() == ["DescribeKey", "ListGrants"]


def test_changed_grant_is_created_before_the_old_one_is_revoked(aws, stub):
    stub.key()
    stub.grants(existing_grant("old", Operations=["Decrypt"]), FOREIGN_GRANT)
    stub.create()
    stub.grants(existing_grant("old", Operations=["Decrypt"]), FOREIGN_GRANT, existing_grant("new-grant"))
    stub.revoke("old")
    stub.grants_read_back(FOREIGN_GRANT, existing_grant("new-grant"))
    result = run(aws, **grant_args())
    assert result["changed"] is True
    assert result["result"]["revoked_grant_ids"] == ["old"]
    assert [name for name in stub.operations() if name in ("CreateGrant", "RevokeGrant")] == ["CreateGrant", "RevokeGrant"]


def test_grant_check_mode_calls_nothing_that_writes(aws, stub):
    stub.key()
    stub.grants(existing_grant("old", Operations=["Decrypt"]))
    result = run(aws, check_mode=True, **grant_args())
    assert result["changed"] is True
    assert "GrantId" not in result["result"]["grant"]
    assert result["result"]["revoked_grant_ids"] == ["old"]
    assert stub.operations() == ["DescribeKey", "ListGrants"]


def test_absent_revokes_every_grant_of_the_name_only(aws, stub):
    stub.key()
    stub.grants(existing_grant("g1"), FOREIGN_GRANT, existing_grant("g2", Operations=["Decrypt"]))
    stub.revoke("g1")
    stub.revoke("g2")
    stub.grants_read_back(FOREIGN_GRANT)
    result = run(aws, **grant_args(state="absent"))
    assert result["changed"] is True and result["result"]["grant"] is None
    assert result["diff"]["after"] == {"grants": []}


def test_absent_without_the_grant_changes_nothing(aws, stub):
    stub.key()
    stub.grants(FOREIGN_GRANT)
    assert run(aws, **grant_args(state="absent"))["changed"] is False
    assert "RevokeGrant" not in stub.operations()


def test_an_already_revoked_grant_is_not_an_error(aws, stub):
    stub.key()
    stub.grants(existing_grant("gone"))
    stub.revoke_fails("gone", "NotFoundException")
    stub.grants_read_back()
    assert run(aws, **grant_args(state="absent"))["result"]["revoked_grant_ids"] == ["gone"]


def test_other_revoke_errors_fail(aws, stub):
    stub.key()
    stub.grants(existing_grant("g1"))
    stub.revoke_fails("g1", "AccessDeniedException")
    with pytest.raises(AwsCallFailure, match="RevokeGrant failed for grant g1") as raised:
        run(aws, **grant_args(state="absent"))
    assert raised.value.code == "AccessDeniedException"


# --- mode grant, several grants -----------------------------------------------------------------


def test_several_named_grants_in_one_run(aws, stub):
    decrypt = existing_grant("d1", Name="batch-decrypt", GranteePrincipal=OTHER_ROLE, Operations=["Decrypt"])
    stub.key()
    stub.grants(FOREIGN_GRANT, decrypt, existing_grant("s1", Name="stale"))
    stub.create()
    stub.grants(FOREIGN_GRANT, decrypt, existing_grant("s1", Name="stale"), existing_grant("new-grant"))
    stub.revoke("s1")
    stub.grants_read_back(FOREIGN_GRANT, decrypt, existing_grant("new-grant"))
    result = run(aws, key_id=KEY_ARN, mode="grant", grants=[
        {"name": "replication", "principals": [ROLE], "operations": ["Encrypt"]},
        {"name": "batch-decrypt", "principals": [OTHER_ROLE], "operations": ["Decrypt"]},
        {"name": "stale", "state": "absent"},
    ])
    assert result["changed"] is True
    assert [grant["GrantId"] for grant in result["result"]["grants"]] == ["d1", "new-grant"]
    assert result["result"]["revoked_grant_ids"] == ["s1"]
    assert "grant" not in result["result"]
    assert stub.operations().count("CreateGrant") == 1


def test_several_named_grants_in_check_mode(aws, stub):
    stub.key()
    stub.grants(FOREIGN_GRANT)
    result = run(aws, check_mode=True, key_id=KEY_ARN, mode="grant", grants=[
        {"name": "replication", "principals": [ROLE], "operations": ["Encrypt"]},
        {"name": "batch-decrypt", "principals": [OTHER_ROLE], "operations": ["Decrypt"]},
    ])
    assert result["changed"] is True
    assert [grant["Name"] for grant in result["result"]["grants"]] == ["replication", "batch-decrypt"]
    assert stub.operations() == ["DescribeKey", "ListGrants"]


# --- the key: resolution and checks -------------------------------------------------------------


def test_missing_key_names_the_option(aws, stub):
    stub.key_missing("alias/replica")
    with pytest.raises(runner.WriteRefused, match="key_id: no KMS key alias/replica"):
        run(aws, **policy_args(key_id="replica"))


def test_aws_managed_alias_is_refused_before_any_client_is_made(maker, stub):
    with pytest.raises(kms_keys.KmsKeyError, match="AWS-managed"):
        run(runner.Aws(module=maker, account_id=OWNER, partition="aws"), **policy_args(key_id="alias/aws/s3"))
    assert maker.made == []
    assert stub.operations() == []


def test_aws_managed_key_metadata_is_refused_without_writing(aws, stub):
    stub.key(KeyManager="AWS")
    stub.policy()
    with pytest.raises(kms_keys.KmsKeyError, match="AWS-managed"):
        run(aws, **policy_args())
    assert stub.operations() == ["DescribeKey", "GetKeyPolicy"]


def test_disabled_key_is_refused_for_present_but_not_for_absent(aws, stub):
    stub.key(KeyState="Disabled")
    stub.policy(OWNER_STATEMENT, our_statement())
    with pytest.raises(kms_keys.KmsKeyError, match="Disabled"):
        run(aws, **policy_args())
    stub.key(KeyState="Disabled")
    stub.policy(OWNER_STATEMENT, our_statement())
    stub.put_policy()
    stub.read_back(OWNER_STATEMENT, KeyState="Disabled")
    assert run(aws, **policy_args(state="absent"))["changed"] is True


def test_each_mode_reads_only_what_it_manages(aws, stub):
    stub.key()
    stub.grants(existing_grant("g1"))
    assert run(aws, **grant_args())["result"]["grant"]["GrantId"] == "g1"
    stub.key()
    stub.policy()
    assert run(aws, check_mode=True, **policy_args())["result"]["key_arn"] == KEY_ARN
    assert stub.operations() == ["DescribeKey", "ListGrants", "DescribeKey", "GetKeyPolicy"]


def test_key_alias_is_resolved_and_the_key_arn_used(aws, stub):
    stub.key("alias/replica")
    stub.policy()
    result = run(aws, check_mode=True, **without(policy_args(key_arn="alias/replica"), "key_id"))
    assert result["result"]["key_arn"] == KEY_ARN


def test_the_examples_write_what_the_policy_model_writes():
    """The module's EXAMPLES show the statement and grant replicate.yml writes for the seed's pair, not an invented one."""
    examples = yaml.safe_load(kms_key_access.EXAMPLES)
    statement_task, grant_task = (task["s3_crossaccount.replication.kms_key_access"] for task in examples[:2])
    source, destination = SEED_PAIR["source"], SEED_PAIR["destination"]
    written = policy_model.replication_policies(SEED_PAIR)
    statement, grant = written["destination_key_statement"], written["destination_key_grant"]
    assert statement_task["key_id"] == grant_task["key_id"] == destination["kms_key_arn"]
    assert statement_task["sid"] == statement["Sid"]
    assert statement_task["principals"] == [statement["Principal"]["AWS"]]
    assert statement_task["operations"] == statement["Action"]
    assert statement_task["conditions"] == statement["Condition"]
    assert (grant_task["name"], grant_task["principals"], grant_task["operations"]) == (grant["name"], [grant["grantee_principal"]], grant["operations"])
    assert source["account_id"] in statement["Principal"]["AWS"]


SEED_PAIR = {
    "source": {"account_id": "211258069784", "bucket": "stats-data-src", "region": "us-east-1",
               "kms_key_arn": "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
    "destination": {"account_id": "880161310235", "bucket": "stats-data-tgt", "region": "us-east-1",
                    "kms_key_arn": "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"},
}


# --- merge_principals: one key-policy statement shared by several roles (other runs) -------------------------------------


def shared_entry(principals=(ROLE,), state="present"):
    entry = {"sid": "S3ReplDestinationKey7c1e90a4b2", "principals": list(principals), "state": state, "merge_principals": True}
    return dict(entry, operations=["Encrypt"], conditions=CONDITION) if state == "present" else entry


def shared_statement(*principals):
    return kms_keys.key_policy_statement("S3ReplDestinationKey7c1e90a4b2", list(principals), ["Encrypt"], CONDITION)


def test_merged_principals_join_another_runs_and_the_old_per_role_statement_goes_in_the_same_write(aws, stub):
    old = our_statement()
    stub.key()
    stub.policy(OWNER_STATEMENT, FOREIGN, old, shared_statement(OTHER_ROLE))
    stub.put_policy()
    stub.read_back(OWNER_STATEMENT, FOREIGN, shared_statement(ROLE, OTHER_ROLE))
    result = run(aws, key_id=KEY_ARN, statements=[shared_entry(), statement_entry("ReplicaEncrypt", state="absent")])
    assert result["changed"] is True
    assert stub.written_policy()["Statement"] == [OWNER_STATEMENT, FOREIGN, shared_statement(ROLE, OTHER_ROLE)]


def test_merged_principals_already_there_write_nothing(aws, stub):
    stub.key()
    stub.policy(OWNER_STATEMENT, shared_statement(OTHER_ROLE, ROLE))
    assert run(aws, key_id=KEY_ARN, statements=[shared_entry()])["changed"] is False
    assert "PutKeyPolicy" not in stub.operations()


def test_absent_takes_only_the_given_principal_out_and_the_statement_goes_with_the_last(aws, stub):
    stub.key()
    stub.policy(OWNER_STATEMENT, shared_statement(OTHER_ROLE, ROLE))
    result = run(aws, check_mode=True, key_id=KEY_ARN, statements=[shared_entry(state="absent")])
    assert result["result"]["policy"]["Statement"] == [OWNER_STATEMENT, shared_statement(OTHER_ROLE)]
    assert planned({"key_id": KEY_ARN, "statements": [shared_entry([OTHER_ROLE, ROLE], state="absent")]},
                   key_state({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, shared_statement(OTHER_ROLE, ROLE)]}))["after"]["Statement"] == [
        OWNER_STATEMENT]


def test_unique_ids_of_deleted_roles_in_our_shared_statement_are_dropped_with_a_warning():
    stale = "AROAEXAMPLEDELETEDROLE1"
    state = key_state({"Version": "2012-10-17", "Statement": [OWNER_STATEMENT, dict(shared_statement(ROLE), Principal={"AWS": [stale, ROLE]})]})
    plan = planned({"key_id": KEY_ARN, "statements": [shared_entry()]}, state)
    assert plan["after"]["Statement"][1] == shared_statement(ROLE) and stale in plan["warnings"][0]


def test_merge_principals_is_refused_for_grants():
    with pytest.raises(Exception, match="merge_principals does not apply to mode=grant"):
        planned(grant_args(merge_principals=True))
