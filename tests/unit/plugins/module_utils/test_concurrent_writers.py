# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Two runs that merge entries into the same document at the same time lose nothing of each other's (runner.run_write).

Every test drives one interleaving step by step, without threads: a small stateful fake of S3, KMS and IAM (one account,
shared by every run) and, per run, a fake sleep. The run written to first is the *victim*: the other run read the
document at the same moment (its reads answer the documents as they were then, until it writes), and writes from that
read during the victim's settle delay, dropping the victim's entry; the victim's read-back must find the loss and merge
again. Each test checks the document at the end (both runs' entries and a third party's), and how many writes
(``rounds``) each run took.
"""

import copy
import functools
import itertools
import json
import types

import pytest
from botocore.exceptions import ClientError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import kms_keys
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import runner
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket_policy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import key_access
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import replication
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import role

ACCOUNT = "880161310235"
REGION = "us-east-1"
BUCKET = "stats-data-src"
KEY_ID = "0987dcba-09fe-87dc-65ba-ab0987654321"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{KEY_ID}"
ROLE_NAME = "s3-replication-role"
REPLICATION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
ROLE_A = "arn:aws:iam::211258069784:role/replication-a"
ROLE_B = "arn:aws:iam::211258069784:role/replication-b"
THIRD_PARTY = "arn:aws:iam::444455556666:root"
SETTLE = 1.0
CONSISTENCY = 5.0


# --- the fake account ---------------------------------------------------------------------------


def client_error(code, operation):
    return ClientError({"Error": {"Code": code, "Message": f"{code} (fake)"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)


class Account:
    """The documents of one AWS account as every run's calls see them; ``writes`` lists (run, operation) in order."""

    def __init__(self):
        self.documents = {"bucket_policies": {}, "replication": {}, "keys": {}, "roles": {}}
        self.buckets = {BUCKET}
        self.key_metadata = {KEY_ARN: {"AWSAccountId": ACCOUNT, "KeyId": KEY_ID, "Arn": KEY_ARN, "KeyState": "Enabled", "KeyManager": "CUSTOMER",
                                       "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}}
        self.writes = []
        self.now = 0.0
        self.grant_ids = (f"grant-{number}" for number in itertools.count(1))

    def run(self, name):
        return Run(self, name)

    def writes_of(self, name):
        return [operation for writer, operation in self.writes if writer == name]


class Run:
    """One run of a write module against the account: its clients, what its reads answer, what happens during its settle delays."""

    def __init__(self, account, name):
        self.account = account
        self.name = name
        self.seen = None
        self.stale_reads = 0
        self.stale_after_write = 0
        self.before_last_write = None
        self.after_call = {}
        self.during_settle = []
        self.sleeps = []
        self.aws = runner.Aws(clients={"s3": FakeS3(self), "kms": FakeKms(self), "iam": FakeIam(self)}, account_id=ACCOUNT, partition="aws",
                              region=REGION)

    # -- the interleaving

    def reads_now(self):
        """This run read the documents now, together with another run: its reads answer them as they are now, until it writes."""
        self.seen = copy.deepcopy(self.account.documents)

    def then_stale(self, reads):
        """After its next write, ``reads`` document reads still answer the documents as they were before it (S3/IAM consistency)."""
        self.stale_after_write = reads

    def meanwhile(self, *actions):
        """What other runs do during this run's next settle delays, one action per delay (None: nothing)."""
        self.during_settle.extend(actions)

    def after(self, operation, action):
        """What another run does right after this run's next call of ``operation``."""
        self.after_call.setdefault(operation, []).append(action)

    def write(self, writer, args, rounds=runner.MERGE_ROUNDS):
        """The module's run_write (not in check mode); its settle delays are this run's fake sleeps."""
        verification = runner.Verification(settle_seconds=SETTLE, rounds=rounds, consistency_seconds=CONSISTENCY, sleep=self._settle,
                                           clock=lambda: self.account.now, jitter=lambda: 0)
        return runner.run_write(writer, self.aws, runner.validated(writer, args), False, verification=verification)

    def _settle(self, seconds):
        self.sleeps.append(seconds)
        self.account.now += seconds
        action = self.during_settle.pop(0) if self.during_settle else None
        if action:
            action()

    # -- what the fake clients use

    def documents_for(self, kind, operation):
        if kind == "read":
            if self.stale_reads:
                self.stale_reads -= 1
                return self.before_last_write
            return self.seen if self.seen is not None else self.account.documents
        if kind == "write":
            self.before_last_write = copy.deepcopy(self.account.documents)
            self.seen = None
            self.stale_reads, self.stale_after_write = self.stale_after_write, 0
            self.account.writes.append((self.name, operation))
        return self.account.documents

    def called(self, operation):
        for action in self.after_call.pop(operation, []):
            action()


def api(kind):
    """A fake AWS call: ``aws_retry`` accepted and ignored, the documents the run sees handed in, then the run's hooks."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, aws_retry=False, **params):
            answer = method(self, self.run.documents_for(kind, method.__name__), **params)
            self.run.called(method.__name__)
            return copy.deepcopy(answer)

        return call

    return decorate


class FakeClient:
    def __init__(self, run):
        self.run = run

    def get_paginator(self, operation):
        """The one page of the fake: build_full_result is the call itself."""
        return types.SimpleNamespace(paginate=lambda **params: types.SimpleNamespace(build_full_result=lambda: getattr(self, operation)(**params)))


class FakeS3(FakeClient):
    def _bucket(self, name, operation):
        if name not in self.run.account.buckets:
            raise client_error("NoSuchBucket", operation)

    @api("read")
    def get_bucket_policy(self, documents, Bucket, ExpectedBucketOwner=None):
        self._bucket(Bucket, "GetBucketPolicy")
        if Bucket not in documents["bucket_policies"]:
            raise client_error("NoSuchBucketPolicy", "GetBucketPolicy")
        return {"Policy": documents["bucket_policies"][Bucket]}

    @api("write")
    def put_bucket_policy(self, documents, Bucket, Policy, ExpectedBucketOwner=None):
        self._bucket(Bucket, "PutBucketPolicy")
        documents["bucket_policies"][Bucket] = Policy

    @api("write")
    def delete_bucket_policy(self, documents, Bucket, ExpectedBucketOwner=None):
        self._bucket(Bucket, "DeleteBucketPolicy")
        documents["bucket_policies"].pop(Bucket, None)

    @api("read")
    def get_bucket_replication(self, documents, Bucket, ExpectedBucketOwner=None):
        self._bucket(Bucket, "GetBucketReplication")
        if Bucket not in documents["replication"]:
            raise client_error("ReplicationConfigurationNotFoundError", "GetBucketReplication")
        return {"ReplicationConfiguration": documents["replication"][Bucket]}

    @api("write")
    def put_bucket_replication(self, documents, Bucket, ReplicationConfiguration, ExpectedBucketOwner=None):
        self._bucket(Bucket, "PutBucketReplication")
        documents["replication"][Bucket] = copy.deepcopy(ReplicationConfiguration)

    @api("write")
    def delete_bucket_replication(self, documents, Bucket, ExpectedBucketOwner=None):
        self._bucket(Bucket, "DeleteBucketReplication")
        documents["replication"].pop(Bucket, None)


def keeps_owner_access(policy_text):
    """KMS's lockout safety check, as far as this fake needs it: the owner account keeps kms:* on its key."""
    for statement in json.loads(policy_text)["Statement"]:
        principal = (statement.get("Principal") or {}).get("AWS")
        principals = principal if isinstance(principal, list) else [principal]
        if statement.get("Effect") == "Allow" and f"arn:aws:iam::{ACCOUNT}:root" in principals and statement.get("Action") in ("kms:*", ["kms:*"]):
            return True
    return False


class FakeKms(FakeClient):
    def _key(self, documents, key_id, operation):
        if key_id not in documents["keys"]:
            raise client_error("NotFoundException", operation)
        return documents["keys"][key_id]

    @api("meta")
    def describe_key(self, documents, KeyId):
        for metadata in self.run.account.key_metadata.values():
            if KeyId in (metadata["Arn"], metadata["KeyId"]):
                return {"KeyMetadata": metadata}
        raise client_error("NotFoundException", "DescribeKey")

    @api("read")
    def get_key_policy(self, documents, KeyId, PolicyName):
        return {"Policy": self._key(documents, KeyId, "GetKeyPolicy")["policy"], "PolicyName": PolicyName}

    @api("write")
    def put_key_policy(self, documents, KeyId, PolicyName, Policy, BypassPolicyLockoutSafetyCheck=False):
        if BypassPolicyLockoutSafetyCheck or not keeps_owner_access(Policy):
            raise client_error("MalformedPolicyDocumentException", "PutKeyPolicy")
        self._key(documents, KeyId, "PutKeyPolicy")["policy"] = Policy

    @api("read")
    def list_grants(self, documents, KeyId):
        return {"Grants": self._key(documents, KeyId, "ListGrants")["grants"], "Truncated": False}

    @api("write")
    def create_grant(self, documents, KeyId, **request):
        grant_id = next(self.run.account.grant_ids)
        self._key(documents, KeyId, "CreateGrant")["grants"].append(dict(request, KeyId=KeyId, GrantId=grant_id))
        return {"GrantId": grant_id, "GrantToken": "token"}

    @api("write")
    def revoke_grant(self, documents, KeyId, GrantId):
        key = self._key(documents, KeyId, "RevokeGrant")
        if not any(grant["GrantId"] == GrantId for grant in key["grants"]):
            raise client_error("NotFoundException", "RevokeGrant")
        key["grants"] = [grant for grant in key["grants"] if grant["GrantId"] != GrantId]


class FakeIam(FakeClient):
    def _role(self, documents, name, operation):
        if name not in documents["roles"]:
            raise client_error("NoSuchEntity", operation)
        return documents["roles"][name]

    @api("read")
    def get_role(self, documents, RoleName):
        found = self._role(documents, RoleName, "GetRole")
        return {"Role": {"RoleName": RoleName, "RoleId": "AROAEXAMPLE", "Arn": f"arn:aws:iam::{ACCOUNT}:role{found['path']}{RoleName}",
                         "Path": found["path"], "Description": found["description"], "AssumeRolePolicyDocument": found["trust"]}}

    @api("read")
    def get_role_policy(self, documents, RoleName, PolicyName):
        inline = self._role(documents, RoleName, "GetRolePolicy")["inline"]
        if PolicyName not in inline:
            raise client_error("NoSuchEntity", "GetRolePolicy")
        return {"RoleName": RoleName, "PolicyName": PolicyName, "PolicyDocument": inline[PolicyName]}

    @api("read")
    def list_role_policies(self, documents, RoleName):
        return {"PolicyNames": sorted(self._role(documents, RoleName, "ListRolePolicies")["inline"])}

    @api("read")
    def list_attached_role_policies(self, documents, RoleName):
        self._role(documents, RoleName, "ListAttachedRolePolicies")
        return {"AttachedPolicies": []}

    @api("write")
    def create_role(self, documents, RoleName, Path, AssumeRolePolicyDocument, Description):
        if RoleName in documents["roles"]:
            raise client_error("EntityAlreadyExists", "CreateRole")
        documents["roles"][RoleName] = {"path": Path, "description": Description, "trust": json.loads(AssumeRolePolicyDocument), "inline": {}}
        return {"Role": {"Arn": f"arn:aws:iam::{ACCOUNT}:role{Path}{RoleName}"}}

    @api("write")
    def update_assume_role_policy(self, documents, RoleName, PolicyDocument):
        self._role(documents, RoleName, "UpdateAssumeRolePolicy")["trust"] = json.loads(PolicyDocument)

    @api("write")
    def update_role(self, documents, RoleName, Description):
        self._role(documents, RoleName, "UpdateRole")["description"] = Description

    @api("write")
    def put_role_policy(self, documents, RoleName, PolicyName, PolicyDocument):
        self._role(documents, RoleName, "PutRolePolicy")["inline"][PolicyName] = json.loads(PolicyDocument)

    @api("write")
    def delete_role_policy(self, documents, RoleName, PolicyName):
        inline = self._role(documents, RoleName, "DeleteRolePolicy")["inline"]
        if PolicyName not in inline:
            raise client_error("NoSuchEntity", "DeleteRolePolicy")
        del inline[PolicyName]

    @api("write")
    def delete_role(self, documents, RoleName):
        if self._role(documents, RoleName, "DeleteRole")["inline"]:
            raise client_error("DeleteConflict", "DeleteRole")
        del documents["roles"][RoleName]


@pytest.fixture(name="account")
def account_fixture():
    return Account()


def at_once(victim, other, writer, victim_args, other_args):
    """``victim`` and ``other`` read the document at the same moment; ``victim`` writes, then ``other`` writes from its read during
    the victim's settle delay (dropping what the victim wrote), then the victim reads back. Returns both plans."""
    other.reads_now()
    other_planned = {}
    victim.meanwhile(lambda: other_planned.update(other.write(writer, other_args)))
    victim_planned = victim.write(writer, victim_args)
    assert other_planned, "the other run did not write during the victim's settle delay"
    return victim_planned, other_planned


def right_after(victim, other, writer, victim_args, other_args, operation):
    """As at_once, for documents whose first read-back does not wait (grants, a role whose trust did not change): ``other`` writes from
    its read right after the victim's ``operation`` call, then the victim goes on and reads back."""
    other.reads_now()
    other_planned = {}
    victim.after(operation, lambda: other_planned.update(other.write(writer, other_args)))
    victim_planned = victim.write(writer, victim_args)
    assert other_planned, f"the other run did not write after the victim's {operation}"
    return victim_planned, other_planned


# --- bucket policy statements (s3_bucket_policy_statement) -----------------------------------------


def bucket_statement(sid, principal):
    return {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal}, "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"],
            "Resource": f"arn:aws:s3:::{BUCKET}/*"}


THIRD_PARTY_READ = dict(bucket_statement("OtherTeamRead", THIRD_PARTY), Action="s3:GetObject")
STATEMENT_A = bucket_statement("ReplicationA", ROLE_A)
STATEMENT_B = bucket_statement("ReplicationB", ROLE_B)


def with_bucket_policy(account, *statements):
    account.documents["bucket_policies"][BUCKET] = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def bucket_policy_now(account):
    text = account.documents["bucket_policies"].get(BUCKET)
    return json.loads(text) if text else None


def bucket_sids(account):
    return [statement["Sid"] for statement in (bucket_policy_now(account) or {"Statement": []})["Statement"]]


def statements_args(*statements, state="present"):
    return {"bucket": BUCKET, "statements": list(statements), "state": state}


def test_bucket_policy_statements_written_at_once_both_stay(account):
    with_bucket_policy(account, THIRD_PARTY_READ)
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, bucket_policy.WRITER, statements_args(STATEMENT_A), statements_args(STATEMENT_B))
    assert bucket_sids(account) == ["OtherTeamRead", "ReplicationB", "ReplicationA"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)
    assert account.writes == [("A", "put_bucket_policy"), ("B", "put_bucket_policy"), ("A", "put_bucket_policy")]
    # What the victim reports is the policy it wrote last, the one in the bucket.
    assert planned_a["result"]["policy"] == bucket_policy_now(account)
    assert planned_a["result"]["statements"] == [STATEMENT_A]


@pytest.mark.parametrize("third_party", [[THIRD_PARTY_READ], []], ids=["third-party-statement", "nothing-else"])
def test_a_removal_is_not_undone_by_a_run_adding_at_the_same_time(account, third_party):
    with_bucket_policy(account, *third_party, STATEMENT_A)
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, bucket_policy.WRITER, statements_args({"Sid": "ReplicationA"}, state="absent"), statements_args(STATEMENT_B))
    assert bucket_sids(account) == [statement["Sid"] for statement in third_party] + ["ReplicationB"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)
    first_write = "put_bucket_policy" if third_party else "delete_bucket_policy"
    assert account.writes == [("A", first_write), ("B", "put_bucket_policy"), ("A", "put_bucket_policy")]


def test_an_addition_survives_a_run_removing_at_the_same_time(account):
    with_bucket_policy(account, THIRD_PARTY_READ, STATEMENT_B)
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, bucket_policy.WRITER, statements_args(STATEMENT_A), statements_args({"Sid": "ReplicationB"}, state="absent"))
    assert bucket_sids(account) == ["OtherTeamRead", "ReplicationA"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)


def test_a_document_replaced_after_every_write_fails_after_the_rounds_naming_it(account):
    with_bucket_policy(account, THIRD_PARTY_READ)
    a, other = account.run("A"), account.run("other")
    s3 = other.aws.client("s3")

    def replace(number):
        # Each time a different document (another run merging its own entries from its own read), never with A's statement.
        return lambda: s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Statement": [THIRD_PARTY_READ, bucket_statement(f"Other{number}", ROLE_B)]}))

    a.meanwhile(*(replace(number) for number in range(3)))
    with pytest.raises(AwsCallFailure) as caught:
        a.write(bucket_policy.WRITER, statements_args(STATEMENT_A), rounds=3)
    message = caught.value.message
    assert message.startswith(f"account {ACCOUNT}: s3://{BUCKET} (bucket policy): after 3 writes our entries are still not there")
    assert "another writer keeps replacing the document" in message and "replication_lock" in message
    assert account.writes_of("A") == ["put_bucket_policy"] * 3
    assert "ReplicationA" not in bucket_sids(account)


def test_a_stale_read_after_the_write_is_read_again_and_written_once(account):
    with_bucket_policy(account, THIRD_PARTY_READ)
    a = account.run("A")
    a.then_stale(reads=1)
    planned = a.write(bucket_policy.WRITER, statements_args(STATEMENT_A))
    assert planned["rounds"] == 1
    assert account.writes == [("A", "put_bucket_policy")]
    assert a.sleeps == [SETTLE, SETTLE]
    assert bucket_sids(account) == ["OtherTeamRead", "ReplicationA"]


def test_stale_reads_past_the_consistency_time_write_again(account):
    with_bucket_policy(account, THIRD_PARTY_READ)
    a = account.run("A")
    a.then_stale(reads=int(CONSISTENCY / SETTLE))
    planned = a.write(bucket_policy.WRITER, statements_args(STATEMENT_A))
    assert planned["rounds"] == 2
    assert account.writes_of("A") == ["put_bucket_policy"] * 2


# --- key-policy statements (kms_key_access, mode policy) ------------------------------------------


OWNER_STATEMENT = {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*",
                   "Resource": "*"}
THIRD_PARTY_DECRYPT = {"Sid": "OtherTeam", "Effect": "Allow", "Principal": {"AWS": THIRD_PARTY}, "Action": "kms:Decrypt", "Resource": "*"}


def with_key(account, *statements, grants=()):
    account.documents["keys"][KEY_ARN] = {"policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)}), "grants": list(grants)}


def key_policy_now(account):
    return json.loads(account.documents["keys"][KEY_ARN]["policy"])


def key_sids(account):
    return [statement["Sid"] for statement in key_policy_now(account)["Statement"]]


def key_statement_args(sid, principal, state="present"):
    return {"key_id": KEY_ARN, "sid": sid, "principals": [principal], "operations": ["Encrypt", "GenerateDataKey"], "state": state}


def test_key_policy_statements_written_at_once_both_stay_and_the_owner_keeps_control(account):
    with_key(account, OWNER_STATEMENT, THIRD_PARTY_DECRYPT)
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, key_access.WRITER, key_statement_args("ReplicaA", ROLE_A), key_statement_args("ReplicaB", ROLE_B))
    assert key_sids(account) == ["Enable IAM User Permissions", "OtherTeam", "ReplicaB", "ReplicaA"]
    assert kms_keys.has_owner_access(key_policy_now(account), ACCOUNT)
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)
    assert account.writes == [("A", "put_key_policy"), ("B", "put_key_policy"), ("A", "put_key_policy")]
    assert planned_a["result"]["policy"] == key_policy_now(account)


def test_a_key_policy_merged_again_still_refuses_to_touch_the_owner_statement(account):
    with_key(account, OWNER_STATEMENT, THIRD_PARTY_DECRYPT)
    a, console = account.run("A"), account.run("console")
    # During A's settle delay, someone rewrites the key policy by hand: the owner's administrative statement now carries A's Sid.
    owner_with_our_sid = dict(OWNER_STATEMENT, Sid="ReplicaA")
    a.meanwhile(lambda: console.aws.client("kms").put_key_policy(KeyId=KEY_ARN, PolicyName="default", Policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [owner_with_our_sid, THIRD_PARTY_DECRYPT]})))
    with pytest.raises(kms_keys.KmsKeyError, match="Sid ReplicaA is the key policy statement that gives account .* its administrative access"):
        a.write(key_access.WRITER, key_statement_args("ReplicaA", ROLE_A))
    assert account.writes_of("A") == ["put_key_policy"]
    assert key_policy_now(account)["Statement"] == [owner_with_our_sid, THIRD_PARTY_DECRYPT]


def test_a_key_statement_removal_is_not_undone_by_a_run_adding_at_the_same_time(account):
    ours = kms_keys.key_policy_statement("ReplicaA", [ROLE_A], ["Encrypt"])
    with_key(account, OWNER_STATEMENT, THIRD_PARTY_DECRYPT, ours)
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, key_access.WRITER, key_statement_args("ReplicaA", ROLE_A, state="absent"), key_statement_args("ReplicaB", ROLE_B))
    assert key_sids(account) == ["Enable IAM User Permissions", "OtherTeam", "ReplicaB"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)


# --- KMS grants (kms_key_access, mode grant) -------------------------------------------------------


THIRD_PARTY_GRANT = {"KeyId": KEY_ARN, "GrantId": "third-party", "Name": "other-team", "GranteePrincipal": "arn:aws:iam::444455556666:role/etl",
                     "Operations": ["Decrypt"]}


def grant_args(name, principal, state="present"):
    return {"key_id": KEY_ARN, "mode": "grant", "name": name, "principals": [principal], "operations": ["Encrypt"], "state": state}


def grants_now(account):
    return account.documents["keys"][KEY_ARN]["grants"]


def grant_names(account):
    return sorted(grant["Name"] for grant in grants_now(account))


def test_grants_created_at_once_both_stay(account):
    with_key(account, OWNER_STATEMENT, grants=[THIRD_PARTY_GRANT])
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = right_after(a, b, key_access.WRITER, grant_args("replication-a", ROLE_A), grant_args("replication-b", ROLE_B), "create_grant")
    assert grant_names(account) == ["other-team", "replication-a", "replication-b"]
    # Grants are separate objects: the other run's grant is no loss, nothing is written again, and the read-back does not wait.
    assert (planned_a["rounds"], planned_b["rounds"]) == (1, 1)
    assert account.writes_of("A") == ["create_grant"]
    assert a.sleeps == [] and b.sleeps == []


def test_a_grant_revoked_while_another_run_creates_its_own(account):
    ours = dict(THIRD_PARTY_GRANT, GrantId="old-a", Name="replication-a", GranteePrincipal=ROLE_A, Operations=["Encrypt"])
    with_key(account, OWNER_STATEMENT, grants=[THIRD_PARTY_GRANT, ours])
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = right_after(a, b, key_access.WRITER, grant_args("replication-a", ROLE_A, state="absent"), grant_args("replication-b", ROLE_B),
                                       "revoke_grant")
    assert grant_names(account) == ["other-team", "replication-b"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (1, 1)


def test_the_same_grant_created_by_two_runs_at_once_is_there_once_at_the_end(account):
    with_key(account, OWNER_STATEMENT, grants=[THIRD_PARTY_GRANT])
    a, b = account.run("A"), account.run("B")
    b.reads_now()
    planned_b = {}
    # Right after A's CreateGrant, B (which read no grant) creates its own, sees A's as a copy and revokes it; A then revokes B's.
    a.after("create_grant", lambda: planned_b.update(b.write(key_access.WRITER, grant_args("replication", ROLE_A))))
    planned_a = a.write(key_access.WRITER, grant_args("replication", ROLE_A))
    # No grant is left: A's read-back looks like a stale read (no grant, as before its write), so A reads again for
    # consistency_seconds, then creates it again.
    assert account.writes_of("A") == ["create_grant", "revoke_grant", "create_grant"]
    assert planned_a["rounds"] == 2 and planned_b["rounds"] == 1
    assert a.sleeps == [SETTLE] * (int(CONSISTENCY / SETTLE) + 1)
    assert grant_names(account) == ["other-team", "replication"]
    assert planned_a["result"]["grant"]["GrantId"] == [grant for grant in grants_now(account) if grant["Name"] == "replication"][0]["GrantId"]


# --- replication rules (s3_replication_rule with rules) ------------------------------------------


THIRD_PARTY_RULE = {"ID": "analytics-team-logs", "Priority": 10, "Status": "Enabled", "Filter": {"Prefix": "logs/"},
                    "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": "arn:aws:s3:::logs-archive-tgt"}}


def rule(rule_id, prefix, state="present"):
    return {"id": rule_id, "state": state, "filter": {"prefix": prefix}, "destination_bucket": f"{rule_id}-tgt", "destination_account": "211258069784",
            "destination_region": REGION}


def rules_args(*rules):
    return {"bucket": BUCKET, "role_arn": REPLICATION_ROLE, "rules": list(rules)}


def with_rules(account, *rules):
    account.documents["replication"][BUCKET] = {"Role": REPLICATION_ROLE, "Rules": [copy.deepcopy(existing) for existing in rules]}


def rules_now(account):
    return (account.documents["replication"].get(BUCKET) or {"Rules": []})["Rules"]


def test_replication_rules_written_at_once_all_stay(account):
    with_rules(account, THIRD_PARTY_RULE)
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, replication.WRITER, rules_args(rule("a-daily", "daily/"), rule("a-weekly", "weekly/")),
                                   rules_args(rule("b-all", "b/")))
    assert [existing["ID"] for existing in rules_now(account)] == ["analytics-team-logs", "b-all", "a-daily", "a-weekly"]
    priorities = [existing["Priority"] for existing in rules_now(account)]
    assert len(set(priorities)) == len(priorities), priorities
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)
    assert account.writes == [("A", "put_bucket_replication"), ("B", "put_bucket_replication"), ("A", "put_bucket_replication")]
    assert planned_a["result"]["configuration"] == account.documents["replication"][BUCKET]


def test_removing_the_last_rule_is_not_undone_by_a_run_adding_a_rule_at_the_same_time(account):
    a, b = account.run("A"), account.run("B")
    with_rules(account, replication.WRITER.plan(replication_params(rule("a-daily", "daily/")), no_configuration())["after"]["Rules"][0])
    planned_a, planned_b = at_once(a, b, replication.WRITER, rules_args(rule("a-daily", "daily/", state="absent")), rules_args(rule("b-all", "b/")))
    assert [existing["ID"] for existing in rules_now(account)] == ["b-all"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)
    assert account.writes == [("A", "delete_bucket_replication"), ("B", "put_bucket_replication"), ("A", "put_bucket_replication")]


def replication_params(*rules):
    return runner.validated(replication.WRITER, rules_args(*rules))


def no_configuration():
    return {"bucket": BUCKET, "configuration": None, "region_hints": {}, "account_id": ACCOUNT}


# --- the role's trust policy and inline policies (s3_replication_role) --------------------------


def service_trust(service):
    return {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}


S3_TRUST = service_trust("s3.amazonaws.com")
BATCH_TRUST = service_trust("batchoperations.s3.amazonaws.com")
THIRD_PARTY_TRUST = {"Sid": "AuditorsAssume", "Effect": "Allow", "Principal": {"AWS": THIRD_PARTY}, "Action": "sts:AssumeRole"}
THIRD_PARTY_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def inline_policy(bucket):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration"], "Resource": f"arn:aws:s3:::{bucket}"}]}


def role_args(trust, policy_name, state="present"):
    return {"name": ROLE_NAME, "trust_policy": {"Version": "2012-10-17", "Statement": [trust]}, "state": state,
            "inline_policies": [{"name": policy_name, "policy": inline_policy(policy_name)}]}


def with_role(account, *trust, inline=None):
    account.documents["roles"][ROLE_NAME] = {"path": "/", "description": "Replication", "trust": {"Version": "2012-10-17", "Statement": list(trust)},
                                             "inline": dict(inline or {})}


def role_now(account):
    return account.documents["roles"][ROLE_NAME]


def test_trust_and_inline_policies_written_at_once_all_stay(account):
    with_role(account, THIRD_PARTY_TRUST, inline={"other-team": THIRD_PARTY_POLICY})
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = at_once(a, b, role.WRITER, role_args(S3_TRUST, "replication-a"), role_args(BATCH_TRUST, "batch-b"))
    assert role_now(account)["trust"]["Statement"] == [THIRD_PARTY_TRUST, BATCH_TRUST, S3_TRUST]
    assert sorted(role_now(account)["inline"]) == ["batch-b", "other-team", "replication-a"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (2, 1)
    assert account.writes_of("A") == ["update_assume_role_policy", "put_role_policy", "update_assume_role_policy"]
    assert planned_a["result"]["role"]["trust_policy"] == role_now(account)["trust"]


def test_a_role_created_by_two_runs_at_once_keeps_both_trusts(account):
    a, b = account.run("A"), account.run("B")
    planned_a, planned_b = right_after(a, b, role.WRITER, role_args(S3_TRUST, "replication-a"), role_args(BATCH_TRUST, "batch-b"), "create_role")
    # B read no role: its CreateRole finds A's role, so B plans again on it and merges its trust into A's. A created the role: its
    # trust was not merged with anyone's, so its read-back does not wait.
    assert a.sleeps == []
    assert role_now(account)["trust"]["Statement"] == [S3_TRUST, BATCH_TRUST]
    assert sorted(role_now(account)["inline"]) == ["batch-b", "replication-a"]
    assert account.writes_of("B") == ["create_role", "update_assume_role_policy", "put_role_policy"]
    assert (planned_a["rounds"], planned_b["rounds"]) == (1, 1)


def test_a_teardown_that_read_the_role_before_another_run_added_a_policy_leaves_that_policy(account):
    with_role(account, S3_TRUST, inline={"replication-a": inline_policy("replication-a")})
    teardown, b = account.run("teardown"), account.run("B")
    teardown_args = {"name": ROLE_NAME, "state": "absent", "inline_policies": [{"name": "replication-a"}]}
    teardown.reads_now()

    def tear_down():
        # The teardown read a role with nothing else on it and deletes it: IAM refuses while B's policy is on it.
        with pytest.raises(AwsCallFailure, match=f"DeleteRole failed for IAM role {ROLE_NAME}"):
            teardown.write(role.WRITER, teardown_args)

    b.meanwhile(tear_down)
    planned_b = b.write(role.WRITER, role_args(BATCH_TRUST, "batch-b"))
    assert account.writes_of("teardown") == ["delete_role_policy", "delete_role"]
    assert role_now(account)["inline"] == {"batch-b": inline_policy("batch-b")}
    assert role_now(account)["trust"]["Statement"] == [S3_TRUST, BATCH_TRUST]
    assert planned_b["rounds"] == 1
