# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_replication_role (writer module_utils/writers/role) against botocore's Stubber: every request is checked against
the IAM model, and an unexpected call (a write in check mode, a call before the options are checked) fails the test
even where the code turns botocore errors into AwsCallFailure."""

import datetime
import json
from urllib.parse import quote

import boto3
import pytest
from aws_stubs import NO_SETTLE
from aws_stubs import RecordingStubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import role

ACCOUNT = "211258069784"
NAME = "s3-replication-role"
ARN = f"arn:aws:iam::{ACCOUNT}:role/{NAME}"
HEADER = f"account {ACCOUNT}: IAM role {NAME}"
S3_TRUST = {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}
BATCH_TRUST = {"Effect": "Allow", "Principal": {"Service": "batchoperations.s3.amazonaws.com"}, "Action": "sts:AssumeRole"}
TRUST = {"Version": "2012-10-17", "Statement": [S3_TRUST, BATCH_TRUST]}
FOREIGN_TRUST = {"Sid": "AuditorsAssume", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
OLD_S3_TRUST = dict(S3_TRUST, Condition={"StringEquals": {"aws:SourceAccount": "999988887777"}})
REPLICATION = {"Version": "2012-10-17",
               "Statement": [{"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::stats-data-src"}]}
KEY_USE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*"}]}
FOREIGN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
MANAGED = "arn:aws:iam::aws:policy/ReadOnlyAccess"
OURS = ("s3-crossaccount-replication-0a2d85d446", "s3-crossaccount-replication-key-0a2d85d446")


# --- Stubber-backed client ---------------------------------------------------------------------


class JsonOf:
    """Equals JSON text that decodes to ``document``: what the writer sends is compared as a document, not as text."""

    def __init__(self, document):
        self.document = document

    def __eq__(self, other):
        return isinstance(other, str) and json.loads(other) == self.document

    def __repr__(self):
        return f"JsonOf({self.document!r})"


def iam_document(document):
    """IAM answers policy documents URL-encoded."""
    return quote(json.dumps(document))


class Iam:
    """Queues the IAM answers of one run and tells which calls were made."""

    def __init__(self, stubber):
        self.stubber = stubber

    def role(self, trust=None, path="/", description="Replication"):
        details = {"Path": path, "RoleName": NAME, "RoleId": "AROAEXAMPLEROLEID0001", "Arn": ARN, "CreateDate": datetime.datetime(2026, 1, 1),
                   "AssumeRolePolicyDocument": iam_document(trust or TRUST), "Description": description}
        self.stubber.add_response("get_role", {"Role": details}, {"RoleName": NAME})

    def no_role(self):
        self.stubber.add_client_error("get_role", "NoSuchEntity", http_status_code=404, expected_params={"RoleName": NAME})

    def inline(self, policy_name, document=None):
        """GetRolePolicy answers ``document``, or NoSuchEntity when it is None."""
        expected = {"RoleName": NAME, "PolicyName": policy_name}
        if document is None:
            self.stubber.add_client_error("get_role_policy", "NoSuchEntity", http_status_code=404, expected_params=expected)
        else:
            self.stubber.add_response("get_role_policy", {"RoleName": NAME, "PolicyName": policy_name, "PolicyDocument": iam_document(document)},
                                      expected)

    def everything_on_it(self, inline, managed=()):
        """What state=absent reads: every inline policy (name -> document) and every attached managed policy."""
        self.stubber.add_response("list_role_policies", {"PolicyNames": list(inline), "IsTruncated": False}, {"RoleName": NAME})
        for policy_name, document in inline.items():
            self.inline(policy_name, document)
        attached = [{"PolicyArn": arn, "PolicyName": arn.rsplit("/", 1)[-1]} for arn in managed]
        self.stubber.add_response("list_attached_role_policies", {"AttachedPolicies": attached, "IsTruncated": False}, {"RoleName": NAME})
        for arn in managed:
            self.stubber.add_response("get_policy", {"Policy": {"Arn": arn, "DefaultVersionId": "v1"}}, {"PolicyArn": arn})
            self.stubber.add_response("get_policy_version", {"PolicyVersion": {"Document": iam_document(FOREIGN_POLICY), "VersionId": "v1"}},
                                      {"PolicyArn": arn, "VersionId": "v1"})

    def read_back(self, inline, trust=None, path="/", description="Replication"):
        """The read after a write (runner.run_write checks that the write shows): the role and its listed inline policies as written."""
        self.role(trust, path, description)
        for policy_name, document in inline.items():
            self.inline(policy_name, document)

    def create(self, path="/", description=""):
        response = {"Role": {"Path": path, "RoleName": NAME, "RoleId": "AROAEXAMPLEROLEID0001", "Arn": ARN, "CreateDate": datetime.datetime(2026, 1, 1)}}
        self.stubber.add_response("create_role", response, {"RoleName": NAME, "Path": path, "AssumeRolePolicyDocument": JsonOf(TRUST),
                                                            "Description": description})

    def update_trust(self, trust):
        self.stubber.add_response("update_assume_role_policy", {}, {"RoleName": NAME, "PolicyDocument": JsonOf(trust)})

    def update_description(self, description):
        self.stubber.add_response("update_role", {}, {"RoleName": NAME, "Description": description})

    def put(self, policy_name, document):
        self.stubber.add_response("put_role_policy", {}, {"RoleName": NAME, "PolicyName": policy_name, "PolicyDocument": JsonOf(document)})

    def delete(self, policy_name):
        self.stubber.add_response("delete_role_policy", {}, {"RoleName": NAME, "PolicyName": policy_name})

    def delete_role(self):
        self.stubber.add_response("delete_role", {}, {"RoleName": NAME})

    def operations(self):
        return [name for name, _params in self.stubber.calls]

    def writes(self):
        return [name for name in self.operations() if not name.startswith(("Get", "List"))]


@pytest.fixture(name="iam")
def iam_fixture():
    client = boto3.client("iam", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    stubber = RecordingStubber(client)
    with stubber:
        yield Iam(stubber), RetryingBotoClientWrapper(client, transient_retry(retries=3, delay=0, max_delay=0))
    assert stubber.violations == []
    stubber.assert_no_pending_responses()


@pytest.fixture(name="stub")
def stub_fixture(iam):
    return iam[0]


@pytest.fixture(name="aws")
def aws_fixture(iam):
    return runner.Aws(clients={"iam": iam[1]}, account_id=ACCOUNT, partition="aws", region="us-east-1")


def policies(*entries):
    return [{"name": name, "policy": document} for name, document in entries]


def present(**changes):
    return dict({"name": NAME, "description": "Replication", "trust_policy": TRUST, "inline_policies": policies((OURS[0], REPLICATION), (OURS[1], KEY_USE))},
                **changes)


def absent(**changes):
    return dict({"name": NAME, "state": "absent", "inline_policies": [{"name": name} for name in OURS]}, **changes)


# The read-back after a write reads at once: the tests never sleep.


def run(aws, args, check_mode=False):
    return runner.run_write(role.WRITER, aws, runner.validated(role.WRITER, args), check_mode, verification=NO_SETTLE)


# --- a new role ---------------------------------------------------------------------------------


def test_a_new_role_is_created_with_its_trust_and_inline_policies(aws, stub):
    stub.no_role()
    stub.create(description="Replication")
    stub.put(OURS[0], REPLICATION)
    stub.put(OURS[1], KEY_USE)
    stub.read_back({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    result = run(aws, present())
    assert result["changed"] is True and result["rounds"] == 1
    assert result["result"]["role"] == {"name": NAME, "arn": ARN, "exists": True, "path": "/", "description": "Replication", "trust_policy": TRUST,
                                        "inline_policies": {OURS[0]: REPLICATION, OURS[1]: KEY_USE}}
    assert stub.writes() == ["CreateRole", "PutRolePolicy", "PutRolePolicy"]


def test_a_new_role_without_description_gets_an_empty_one_and_its_path(aws, stub):
    stub.no_role()
    stub.create(path="/service-role/")
    stub.put(OURS[0], REPLICATION)
    stub.read_back({OURS[0]: REPLICATION}, path="/service-role/", description="")
    result = run(aws, present(description=None, path="/service-role/", inline_policies=policies((OURS[0], REPLICATION))))
    assert result["result"]["role"]["arn"] == f"arn:aws:iam::{ACCOUNT}:role/service-role/{NAME}"


def test_check_mode_shows_a_new_role_from_nothing(aws, stub):
    stub.no_role()
    result = run(aws, present(), check_mode=True)
    assert result["changed"] is True
    assert result["diff"] == {
        "before_header": HEADER,
        "after_header": f"{HEADER} (created)",
        "before": {},
        "after": {"path": "/", "description": "Replication", "trust_policy": TRUST, "inline_policies": {OURS[0]: REPLICATION, OURS[1]: KEY_USE}},
    }
    assert stub.writes() == []


def test_a_role_that_turns_out_to_exist_is_updated_instead(aws, stub):
    stub.no_role()
    stub.stubber.add_client_error("create_role", "EntityAlreadyExists", http_status_code=409, expected_params={
        "RoleName": NAME, "Path": "/", "AssumeRolePolicyDocument": JsonOf(TRUST), "Description": "Replication"})
    stub.role(description="Created by a retried call")
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1])
    stub.update_description("Replication")
    stub.put(OURS[1], KEY_USE)
    stub.read_back({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    assert run(aws, present())["changed"] is True
    assert stub.writes() == ["CreateRole", "UpdateRole", "PutRolePolicy"]


# --- an existing role ---------------------------------------------------------------------------


def test_a_role_as_wanted_is_only_read(aws, stub):
    stub.role()
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], KEY_USE)
    result = run(aws, present())
    assert result["changed"] is False
    assert result["result"]["role"]["arn"] == ARN
    assert stub.operations() == ["GetRole", "GetRolePolicy", "GetRolePolicy"]


def test_only_what_differs_is_written(aws, stub):
    stub.role(description="Old words")
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], FOREIGN_POLICY)
    stub.update_description("Replication")
    stub.put(OURS[1], KEY_USE)
    stub.read_back({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    result = run(aws, present())
    assert result["changed"] is True
    assert stub.writes() == ["UpdateRole", "PutRolePolicy"]
    assert result["diff"]["before"]["description"] == "Old words" and result["diff"]["after"]["description"] == "Replication"


def test_a_missing_inline_policy_is_added(aws, stub):
    stub.role()
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1])
    stub.put(OURS[1], KEY_USE)
    stub.read_back({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    assert run(aws, present())["changed"] is True
    assert stub.writes() == ["PutRolePolicy"]


def test_without_a_description_the_current_one_is_kept(aws, stub):
    stub.role(description="Written by hand")
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], KEY_USE)
    result = run(aws, present(description=None))
    assert result["changed"] is False and result["result"]["role"]["description"] == "Written by hand"


def test_foreign_trust_statements_are_kept_and_ours_replaced(aws, stub):
    stub.role(trust={"Version": "2012-10-17", "Statement": [FOREIGN_TRUST, OLD_S3_TRUST]})
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], KEY_USE)
    stub.update_trust({"Version": "2012-10-17", "Statement": [FOREIGN_TRUST, S3_TRUST, BATCH_TRUST]})
    stub.read_back({OURS[0]: REPLICATION, OURS[1]: KEY_USE}, trust={"Version": "2012-10-17", "Statement": [FOREIGN_TRUST, S3_TRUST, BATCH_TRUST]})
    result = run(aws, present())
    assert result["changed"] is True
    assert stub.writes() == ["UpdateAssumeRolePolicy"]
    assert result["result"]["role"]["trust_policy"]["Statement"] == [FOREIGN_TRUST, S3_TRUST, BATCH_TRUST]


def test_trust_as_iam_rewrote_it_is_unchanged(aws, stub):
    rewritten = {"Version": "2012-10-17", "Statement": [FOREIGN_TRUST, dict(S3_TRUST, Principal={"Service": ["s3.amazonaws.com"]}), BATCH_TRUST]}
    stub.role(trust=rewritten)
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], KEY_USE)
    assert run(aws, present())["changed"] is False


def test_foreign_inline_policies_are_neither_read_nor_touched(aws, stub):
    stub.role()
    stub.inline(OURS[0], REPLICATION)
    result = run(aws, present(inline_policies=policies((OURS[0], REPLICATION))))
    assert result["changed"] is False
    assert [params["PolicyName"] for name, params in stub.stubber.calls if name == "GetRolePolicy"] == [OURS[0]]


def test_an_inline_policy_listed_absent_is_deleted(aws, stub):
    stub.role()
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], KEY_USE)
    stub.delete(OURS[1])
    stub.read_back({OURS[0]: REPLICATION, OURS[1]: None})
    args = present(inline_policies=policies((OURS[0], REPLICATION)) + [{"name": OURS[1], "state": "absent"}])
    result = run(aws, args)
    assert result["changed"] is True and OURS[1] not in result["result"]["role"]["inline_policies"]
    assert stub.writes() == ["DeleteRolePolicy"]


def test_a_path_change_is_refused_naming_the_path(aws, stub):
    stub.role(path="/service-role/")
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1], KEY_USE)
    with pytest.raises(runner.WriteRefused, match=r"^path: role s3-replication-role exists with path /service-role/, not /, and IAM cannot move a role"):
        run(aws, present())
    assert stub.writes() == []


def test_check_mode_on_an_existing_role_writes_nothing(aws, stub):
    stub.role(trust={"Version": "2012-10-17", "Statement": [OLD_S3_TRUST]}, description="Old words")
    stub.inline(OURS[0], FOREIGN_POLICY)
    stub.inline(OURS[1])
    result = run(aws, present(), check_mode=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["inline_policies"] == {OURS[0]: REPLICATION, OURS[1]: KEY_USE}
    assert stub.writes() == []


def test_a_failed_write_names_the_call_and_the_policy(aws, stub):
    stub.role()
    stub.inline(OURS[0], REPLICATION)
    stub.inline(OURS[1])
    stub.stubber.add_client_error("put_role_policy", "AccessDenied", http_status_code=403,
                                  expected_params={"RoleName": NAME, "PolicyName": OURS[1], "PolicyDocument": JsonOf(KEY_USE)})
    with pytest.raises(AwsCallFailure, match=f"PutRolePolicy failed for inline policy {OURS[1]} of IAM role {NAME}") as raised:
        run(aws, present())
    assert raised.value.code == "AccessDenied"


# --- state absent -------------------------------------------------------------------------------


def test_absent_removes_our_policies_and_the_role_when_nothing_else_is_on_it(aws, stub):
    stub.role()
    stub.everything_on_it({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    stub.delete(OURS[0])
    stub.delete(OURS[1])
    stub.delete_role()
    stub.no_role()
    result = run(aws, absent())
    assert result["changed"] is True
    assert result["result"] == {"role": None, "kept_because": []}
    assert result["diff"]["after_header"] == f"{HEADER} (deleted)" and result["diff"]["after"] == {}
    assert stub.writes() == ["DeleteRolePolicy", "DeleteRolePolicy", "DeleteRole"]


def test_absent_keeps_a_role_with_foreign_inline_policies(aws, stub):
    stub.role()
    stub.everything_on_it({OURS[0]: REPLICATION, "other-team": FOREIGN_POLICY})
    stub.delete(OURS[0])
    stub.role()
    stub.everything_on_it({"other-team": FOREIGN_POLICY})
    result = run(aws, absent())
    assert result["changed"] is True
    assert result["result"]["kept_because"] == ["it carries inline policies this collection did not write: other-team"]
    assert result["result"]["role"]["inline_policies"] == {"other-team": FOREIGN_POLICY}
    assert result["warnings"] == [f"Kept role {ARN}: it carries inline policies this collection did not write: other-team"]
    assert stub.writes() == ["DeleteRolePolicy"]


def test_absent_keeps_a_role_with_managed_policies(aws, stub):
    stub.role()
    stub.everything_on_it({OURS[0]: REPLICATION}, managed=[MANAGED])
    stub.delete(OURS[0])
    stub.role()
    stub.everything_on_it({}, managed=[MANAGED])
    result = run(aws, absent())
    assert result["result"]["kept_because"] == [f"managed policies are attached to it: {MANAGED}"]
    assert stub.writes() == ["DeleteRolePolicy"]


def test_kept_because_keeps_the_role_and_reports_the_reasons(aws, stub):
    reasons = ["rules other-team-archive of stats-data-src still replicate with it"]
    stub.role()
    stub.everything_on_it({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    stub.delete(OURS[0])
    stub.delete(OURS[1])
    stub.role()
    stub.everything_on_it({})
    result = run(aws, absent(kept_because=reasons))
    assert result["changed"] is True
    assert result["result"]["kept_because"] == reasons
    assert result["result"]["role"]["inline_policies"] == {}
    assert reasons[0] in result["warnings"][0]
    assert "DeleteRole" not in stub.writes()


def test_absent_with_nothing_of_ours_on_a_kept_role_changes_nothing(aws, stub):
    stub.role()
    stub.everything_on_it({"other-team": FOREIGN_POLICY})
    result = run(aws, absent())
    assert result["changed"] is False
    assert stub.writes() == []


def test_absent_on_a_missing_role_changes_nothing(aws, stub):
    stub.no_role()
    result = run(aws, absent())
    assert result["changed"] is False and result["result"] == {"role": None, "kept_because": []}
    assert stub.operations() == ["GetRole"]


def test_absent_in_check_mode_writes_nothing(aws, stub):
    stub.role()
    stub.everything_on_it({OURS[0]: REPLICATION, OURS[1]: KEY_USE})
    result = run(aws, absent(), check_mode=True)
    assert result["changed"] is True and result["result"]["role"] is None
    assert stub.writes() == []


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, words",
    [
        (present(name="bad name!"), "^name: "),
        ({name: value for name, value in present().items() if name != "trust_policy"}, "state is present but all of the following are missing: trust_policy"),
        (present(trust_policy=None), "^trust_policy is required with state=present"),
        (present(trust_policy={}), "^trust_policy is required with state=present"),
        (present(trust_policy={"Statement": "sts:AssumeRole"}), "Statement must be"),
        (present(inline_policies=[{"name": OURS[0]}]), f"inline_policies: {OURS[0]} needs policy"),
        (present(inline_policies=[{"name": OURS[0], "policy": {"Statement": "s3:*"}}]), "Statement must be"),
    ],
)
def test_bad_options_fail_before_any_call(aws, stub, args, words):
    with pytest.raises(ValueError, match=words):
        run(aws, args)
    assert stub.operations() == []


# --- merge: the one packed policy a role's pairs share with other runs' pairs -------------------------------------------

PACKED = "s3-crossaccount-replication"
SOURCE_BUCKET = {"Sid": "S3ReplSourceBucket1", "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                 "Resource": "arn:aws:s3:::src-a"}
SOURCE_A = {"Version": "2012-10-17", "Statement": [SOURCE_BUCKET]}
SOURCE_B = {"Version": "2012-10-17", "Statement": [dict(SOURCE_A["Statement"][0], Resource="arn:aws:s3:::src-b")]}
SOURCE_AB = {"Version": "2012-10-17", "Statement": [dict(SOURCE_A["Statement"][0], Resource=["arn:aws:s3:::src-a", "arn:aws:s3:::src-b"])]}


def test_the_packed_policy_is_put_before_the_per_pair_policy_it_replaces_is_deleted(aws, stub):
    stub.role()
    stub.inline(OURS[0], REPLICATION)
    stub.inline(PACKED, None)
    stub.put(PACKED, SOURCE_A)
    stub.delete(OURS[0])
    stub.read_back({OURS[0]: None, PACKED: SOURCE_A})
    args = present(inline_policies=[{"name": OURS[0], "state": "absent"}, {"name": PACKED, "policy": SOURCE_A, "merge": True}])
    assert run(aws, args)["changed"] is True
    assert stub.writes() == ["PutRolePolicy", "DeleteRolePolicy"]


def test_several_per_pair_policies_are_folded_into_one_before_the_packed_policy_replaces_it(aws, stub):
    """IAM counts a role's inline policies together: the old ones are folded one by one, each put granting all it replaces."""
    old = {name: {"Version": "2012-10-17", "Statement": [dict(SOURCE_BUCKET, Sid=f"S3ReplSourceBucket{n}abcdef012", Resource=f"arn:aws:s3:::src-{n}")]}
           for n, name in enumerate(("old-a", "old-b", "old-c"))}
    stub.role()
    for name, document in old.items():
        stub.inline(name, document)
    stub.inline(PACKED, None)
    two = {"Version": "2012-10-17", "Statement": [dict(SOURCE_BUCKET, Resource=["arn:aws:s3:::src-0", "arn:aws:s3:::src-1"])]}
    three = {"Version": "2012-10-17", "Statement": [dict(SOURCE_BUCKET, Resource=["arn:aws:s3:::src-0", "arn:aws:s3:::src-1", "arn:aws:s3:::src-2"])]}
    stub.put("old-a", two)
    stub.delete("old-b")
    stub.put("old-a", three)
    stub.delete("old-c")
    stub.put(PACKED, three)
    stub.delete("old-a")
    stub.read_back({"old-a": None, "old-b": None, "old-c": None, PACKED: three})
    args = present(inline_policies=[{"name": name, "state": "absent"} for name in old] + [{"name": PACKED, "policy": three, "merge": True}])
    assert run(aws, args)["changed"] is True
    assert stub.writes() == ["PutRolePolicy", "DeleteRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "PutRolePolicy", "DeleteRolePolicy"]


def test_a_merged_policy_keeps_what_other_runs_put_in_it_and_a_rerun_writes_nothing(aws, stub):
    stub.role()
    stub.inline(PACKED, SOURCE_B)
    stub.put(PACKED, SOURCE_AB)
    stub.read_back({PACKED: SOURCE_AB})
    assert run(aws, present(inline_policies=[{"name": PACKED, "policy": SOURCE_A, "merge": True}]))["changed"] is True
    stub.role()
    stub.inline(PACKED, SOURCE_AB)
    assert run(aws, present(inline_policies=[{"name": PACKED, "policy": SOURCE_A, "merge": True}]))["changed"] is False


def test_teardown_takes_only_its_grants_out_of_a_shared_policy_and_keeps_the_role(aws, stub):
    stub.role()
    stub.everything_on_it({PACKED: SOURCE_AB})
    stub.put(PACKED, SOURCE_B)
    stub.role()
    stub.everything_on_it({PACKED: SOURCE_B})
    result = run(aws, absent(inline_policies=[{"name": PACKED, "policy": SOURCE_A, "merge": True}]))
    assert stub.writes() == ["PutRolePolicy"]
    reason = f"its inline policies {PACKED} still grant what other runs' pairs or other rules of its source buckets replicate with"
    assert result["result"]["kept_because"] == [reason]


def test_teardown_of_the_last_grants_deletes_the_shared_policy_and_the_role(aws, stub):
    stub.role()
    stub.everything_on_it({PACKED: SOURCE_A})
    stub.delete(PACKED)
    stub.delete_role()
    stub.no_role()
    result = run(aws, absent(inline_policies=[{"name": PACKED, "policy": SOURCE_A, "merge": True}]))
    assert result["result"] == {"role": None, "kept_because": []} and stub.writes() == ["DeleteRolePolicy", "DeleteRole"]
