# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_bucket_policy_statement (writer module_utils/writers/bucket_policy) against botocore's Stubber: every request
is checked against the S3 model, and an unexpected call (a write in check mode, a call before the options are
checked) fails the test even where the code turns botocore errors into AwsCallFailure."""

import json

import boto3
import pytest
from aws_stubs import NO_SETTLE
from aws_stubs import RecordingStubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket_policy

ACCOUNT = "880161310235"
BUCKET = "stats-data-tgt"
ROLE = "arn:aws:iam::211258069784:role/s3-replication-role"
FOREIGN = {
    "Sid": "OtherTeamRead",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
    "Action": "s3:GetObject",
    "Resource": f"arn:aws:s3:::{BUCKET}/*",
}
OBJECTS = {
    "Sid": "ReplicationObjects",
    "Effect": "Allow",
    "Principal": {"AWS": ROLE},
    "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"],
    "Resource": f"arn:aws:s3:::{BUCKET}/*",
}
VERSIONING = {
    "Sid": "ReplicationVersioning",
    "Effect": "Allow",
    "Principal": {"AWS": ROLE},
    "Action": ["s3:GetBucketVersioning"],
    "Resource": f"arn:aws:s3:::{BUCKET}",
}


# --- Stubber-backed client ---------------------------------------------------------------------


class _AnyText:
    """Matches any JSON text (the written policy is checked by written())."""

    def __eq__(self, other):
        return isinstance(other, str) and isinstance(json.loads(other), dict)


class S3:
    """Queues the S3 answers of one run and tells which calls were made."""

    def __init__(self, stubber):
        self.stubber = stubber

    def policy(self, *statements):
        self.stubber.add_response("get_bucket_policy", {"Policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}, {"Bucket": BUCKET})

    def read_fails(self, code, status=404):
        self.stubber.add_client_error("get_bucket_policy", code, http_status_code=status, expected_params={"Bucket": BUCKET})

    def put(self):
        self.stubber.add_response("put_bucket_policy", {}, {"Bucket": BUCKET, "Policy": _AnyText()})

    def delete(self):
        self.stubber.add_response("delete_bucket_policy", {}, {"Bucket": BUCKET})

    def no_policy(self):
        self.read_fails("NoSuchBucketPolicy")

    def operations(self):
        return [name for name, _params in self.stubber.calls]

    def written(self):
        written = [params for name, params in self.stubber.calls if name == "PutBucketPolicy"]
        assert len(written) == 1, self.stubber.calls
        return json.loads(written[0]["Policy"])


@pytest.fixture(name="s3")
def s3_fixture():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    stubber = RecordingStubber(client)
    with stubber:
        yield S3(stubber), RetryingBotoClientWrapper(client, transient_retry(retries=3, delay=0, max_delay=0))
    assert stubber.violations == []
    stubber.assert_no_pending_responses()


@pytest.fixture(name="stub")
def stub_fixture(s3):
    return s3[0]


class ClientMaker:
    """The module side of runner.Aws: hands out the stubbed client and records which were asked for."""

    region = "us-east-1"

    def __init__(self, client):
        self._client = client
        self.made = []

    def aws_client(self, service, region=None, extra_codes=()):
        self.made.append(service)
        return self._client


@pytest.fixture(name="aws")
def aws_fixture(s3):
    return runner.Aws(clients={"s3": s3[1]}, account_id=ACCOUNT, partition="aws", region="us-east-1")


@pytest.fixture(name="maker")
def maker_fixture(s3):
    return ClientMaker(s3[1])


# The read-back after a write (runner.run_write checks that the write shows) reads at once: the tests never sleep.


def run(aws, statements, state="present", check_mode=False, bucket=BUCKET, pending=False):
    params = runner.validated(bucket_policy.WRITER, {"bucket": bucket, "statements": statements, "state": state})
    return runner.run_write(bucket_policy.WRITER, aws, params, check_mode, pending, verification=NO_SETTLE)


# --- present ------------------------------------------------------------------------------------


def test_statements_go_into_a_bucket_without_a_policy(aws, stub):
    stub.read_fails("NoSuchBucketPolicy")
    stub.put()
    stub.policy(OBJECTS, VERSIONING)
    result = run(aws, [OBJECTS, VERSIONING])
    assert result["changed"] is True and result["rounds"] == 1
    assert stub.written() == {"Version": "2012-10-17", "Statement": [OBJECTS, VERSIONING]}
    assert result["result"]["statements"] == [OBJECTS, VERSIONING]
    assert result["diff"]["before"] == {}
    assert result["diff"]["before_header"] == f"account {ACCOUNT}: s3://{BUCKET} (bucket policy)"


def test_foreign_statements_survive(aws, stub):
    stub.policy(FOREIGN)
    stub.put()
    stub.policy(FOREIGN, OBJECTS)
    run(aws, [OBJECTS])
    assert stub.written()["Statement"] == [FOREIGN, OBJECTS]


def test_check_mode_writes_nothing(aws, stub):
    stub.policy(FOREIGN)
    result = run(aws, [OBJECTS], check_mode=True)
    assert result["changed"] is True
    assert result["result"]["policy"]["Statement"] == [FOREIGN, OBJECTS]
    assert stub.operations() == ["GetBucketPolicy"]


def test_statements_as_s3_rewrote_them_are_unchanged(aws, stub):
    rewritten = dict(OBJECTS, Principal={"AWS": [ROLE]}, Action=["s3:ReplicateDelete", "s3:ReplicateObject"], Resource=[OBJECTS["Resource"]])
    stub.policy(FOREIGN, rewritten)
    result = run(aws, [OBJECTS])
    assert result["changed"] is False
    assert stub.operations() == ["GetBucketPolicy"]


def test_account_id_principal_matches_the_root_arn_s3_returns(aws, stub):
    stub.policy(dict(OBJECTS, Principal={"AWS": "arn:aws:iam::211258069784:root"}))
    assert run(aws, [dict(OBJECTS, Principal={"AWS": "211258069784"})])["changed"] is False


def test_a_changed_statement_is_replaced(aws, stub):
    stub.policy(dict(OBJECTS, Action="s3:ReplicateObject"), FOREIGN)
    stub.put()
    stub.policy(OBJECTS, FOREIGN)
    run(aws, [OBJECTS])
    assert stub.written()["Statement"] == [OBJECTS, FOREIGN]


def test_pending_bucket_in_check_mode_shows_the_policy_from_nothing(aws, stub):
    result = run(aws, [OBJECTS], check_mode=True, pending=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == {} and result["diff"]["after"]["Statement"] == [OBJECTS]
    assert result["diff"]["after_header"].endswith("(bucket policy) (created with the bucket)")
    assert stub.operations() == []


# --- absent -------------------------------------------------------------------------------------


def test_absent_removes_only_our_sids(aws, stub):
    stub.policy(FOREIGN, OBJECTS, VERSIONING)
    stub.put()
    stub.policy(FOREIGN)
    result = run(aws, [{"Sid": "ReplicationObjects"}, {"Sid": "ReplicationVersioning"}], "absent")
    assert result["changed"] is True
    assert stub.written()["Statement"] == [FOREIGN]
    assert result["result"]["statements"] == []
    assert "DeleteBucketPolicy" not in stub.operations()


def test_absent_deletes_the_policy_when_nothing_is_left(aws, stub):
    stub.policy(OBJECTS)
    stub.delete()
    stub.no_policy()
    result = run(aws, [{"Sid": "ReplicationObjects"}], "absent")
    assert result["changed"] is True and result["result"]["policy"] is None
    assert stub.operations() == ["GetBucketPolicy", "DeleteBucketPolicy", "GetBucketPolicy"]
    assert result["diff"]["after_header"].endswith("(deleted: no statement is left)")


def test_absent_in_check_mode_deletes_nothing(aws, stub):
    stub.policy(OBJECTS)
    assert run(aws, [{"Sid": "ReplicationObjects"}], "absent", check_mode=True)["changed"] is True
    assert stub.operations() == ["GetBucketPolicy"]


@pytest.mark.parametrize("current", [(), (FOREIGN,)])
def test_absent_without_our_sids_changes_nothing(aws, stub, current):
    if current:
        stub.policy(*current)
    else:
        stub.read_fails("NoSuchBucketPolicy")
    assert run(aws, [{"Sid": "ReplicationObjects"}], "absent")["changed"] is False
    assert stub.operations() == ["GetBucketPolicy"]


# --- the bucket ---------------------------------------------------------------------------------


def test_a_missing_bucket_is_named(aws, stub):
    stub.read_fails("NoSuchBucket")
    with pytest.raises(runner.WriteRefused, match="bucket: stats-data-tgt does not exist"):
        run(aws, [OBJECTS])


def test_other_read_errors_fail(aws, stub):
    stub.read_fails("AccessDenied", status=403)
    with pytest.raises(AwsCallFailure, match=f"GetBucketPolicy failed for bucket '{BUCKET}'") as raised:
        run(aws, [OBJECTS])
    assert raised.value.code == "AccessDenied"


def test_run_accepts_a_bucket_arn(aws, stub):
    stub.read_fails("NoSuchBucketPolicy")
    stub.put()
    stub.policy(OBJECTS)
    assert run(aws, [OBJECTS], bucket=f"arn:aws:s3:::{BUCKET}")["changed"] is True


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statements, state, words",
    [
        ([dict(OBJECTS, Sid="with-dash")], "present", "letters and digits"),
        ([OBJECTS, dict(VERSIONING, Sid=OBJECTS["Sid"])], "present", "more than once"),
        ([{k: v for k, v in OBJECTS.items() if k != "Principal"}], "present", "Principal"),
        ([{"Sid": "OnlyASid"}], "present", "Effect"),
        ([], "present", "at least one"),
        ([], "absent", "at least one"),
        ([{"Effect": "Allow"}], "absent", "letters and digits"),
    ],
)
def test_bad_statements_are_refused(statements, state, words):
    with pytest.raises(runner.WriteRefused, match=f"^statements: .*{words}"):
        bucket_policy.wanted_sids(statements, state)


def test_absent_reads_only_the_sids():
    assert bucket_policy.wanted_sids([{"Sid": "A"}, {"Sid": "B", "Effect": "whatever"}], "absent") == ["A", "B"]


@pytest.mark.parametrize(
    "bucket, statements, words",
    [
        ("Bad_Bucket", [OBJECTS], "^bucket: "),
        (BUCKET, [{"Sid": "NoEffect"}], "^statements: "),
    ],
)
def test_bad_input_fails_before_any_client_is_made(maker, stub, bucket, statements, words):
    with pytest.raises(runner.WriteRefused, match=words):
        run(runner.Aws(module=maker, account_id=ACCOUNT, partition="aws"), statements, bucket=bucket)
    assert maker.made == []
    assert stub.operations() == []


# --- merge_principals: one statement shared by several roles (other runs) ----------------------------------------------

OTHER_ROLE = "arn:aws:iam::211258069784:role/other-replication-role"
SHARED = dict(OBJECTS, Sid="S3ReplObjects5d0c2a81f3")


def run_shared(aws, statements, state="present", remove_sids=(), check_mode=False):
    args = {"bucket": BUCKET, "statements": statements, "state": state, "merge_principals": True, "remove_sids": list(remove_sids)}
    return runner.run_write(bucket_policy.WRITER, aws, runner.validated(bucket_policy.WRITER, args), check_mode, False, verification=NO_SETTLE)


def test_merged_principals_join_those_another_run_put_in_our_statement(aws, stub):
    stub.policy(FOREIGN, dict(SHARED, Principal={"AWS": OTHER_ROLE}))
    stub.put()
    both = dict(SHARED, Principal={"AWS": sorted([ROLE, OTHER_ROLE])})
    stub.policy(FOREIGN, both)
    result = run_shared(aws, [SHARED])
    assert result["changed"] is True and stub.written()["Statement"] == [FOREIGN, both]


def test_merged_principals_already_there_write_nothing(aws, stub):
    stub.policy(FOREIGN, dict(SHARED, Principal={"AWS": [OTHER_ROLE, ROLE]}))
    assert run_shared(aws, [SHARED])["changed"] is False
    assert stub.operations() == ["GetBucketPolicy"]


def test_the_per_role_statements_of_earlier_versions_go_in_the_same_write(aws, stub):
    stub.policy(FOREIGN, OBJECTS, VERSIONING)
    stub.put()
    stub.policy(FOREIGN, VERSIONING, SHARED)
    run_shared(aws, [SHARED], remove_sids=["ReplicationObjects"])
    assert stub.written()["Statement"] == [FOREIGN, VERSIONING, SHARED]
    assert stub.operations().count("PutBucketPolicy") == 1


def test_absent_takes_only_our_principal_out_and_the_statement_goes_with_the_last(aws, stub):
    stub.policy(FOREIGN, dict(SHARED, Principal={"AWS": [OTHER_ROLE, ROLE]}))
    stub.put()
    stub.policy(FOREIGN, dict(SHARED, Principal={"AWS": OTHER_ROLE}))
    run_shared(aws, [SHARED], state="absent")
    assert stub.written()["Statement"] == [FOREIGN, dict(SHARED, Principal={"AWS": OTHER_ROLE})]


def test_absent_with_the_last_principal_removes_the_statement_and_in_check_mode_writes_nothing(aws, stub):
    stub.policy(FOREIGN, SHARED)
    result = run_shared(aws, [SHARED], state="absent", check_mode=True)
    assert result["changed"] is True and result["result"]["policy"]["Statement"] == [FOREIGN]
    assert stub.operations() == ["GetBucketPolicy"]


def test_unique_ids_of_deleted_roles_in_our_statement_are_dropped_with_a_warning(aws, stub):
    stale = "AROAEXAMPLEDELETEDROLE1"
    stub.policy(FOREIGN, dict(SHARED, Principal={"AWS": [stale, ROLE]}), dict(FOREIGN, Sid="Theirs", Principal={"AWS": stale}))
    result = run_shared(aws, [SHARED], check_mode=True)
    statements = result["result"]["policy"]["Statement"]
    assert statements[1] == SHARED and statements[2]["Principal"] == {"AWS": stale}
    assert stale in result["warnings"][0]


def test_a_sid_both_written_and_removed_is_refused_before_any_call(aws, stub):
    with pytest.raises(Exception, match="remove_sids: S3ReplObjects5d0c2a81f3 also in statements"):
        run_shared(aws, [SHARED], remove_sids=[SHARED["Sid"]])
    assert stub.operations() == []
