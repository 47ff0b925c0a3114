import json
from unittest.mock import MagicMock

import botocore
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import policy_documents
from ansible_collections.s3_crossaccount.replication.plugins.modules import s3_bucket_policy_statement as module_code

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


def client_error(code):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, "GetBucketPolicy")


def s3_client(*statements, missing=None):
    client = MagicMock()
    if missing:
        client.get_bucket_policy.side_effect = client_error(missing)
    else:
        client.get_bucket_policy.return_value = {"Policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}
    return client


def written(client):
    kwargs = client.put_bucket_policy.call_args.kwargs
    assert kwargs["Bucket"] == BUCKET
    return json.loads(kwargs["Policy"])


def test_statements_go_into_a_bucket_without_a_policy():
    client = s3_client(missing="NoSuchBucketPolicy")
    result = module_code.ensure_statements(client, False, BUCKET, [OBJECTS, VERSIONING], "present")
    assert result["changed"] is True
    assert written(client) == {"Version": "2012-10-17", "Statement": [OBJECTS, VERSIONING]}
    assert result["statements"] == [OBJECTS, VERSIONING]
    assert result["diff"]["before"] == {}


def test_foreign_statements_survive():
    client = s3_client(FOREIGN)
    module_code.ensure_statements(client, False, BUCKET, [OBJECTS], "present")
    assert written(client)["Statement"] == [FOREIGN, OBJECTS]


def test_check_mode_writes_nothing():
    client = s3_client(FOREIGN)
    result = module_code.ensure_statements(client, True, BUCKET, [OBJECTS], "present")
    assert result["changed"] is True
    assert result["policy"]["Statement"] == [FOREIGN, OBJECTS]
    client.put_bucket_policy.assert_not_called()


def test_statements_as_s3_rewrote_them_are_unchanged():
    rewritten = dict(OBJECTS, Principal={"AWS": [ROLE]}, Action=["s3:ReplicateDelete", "s3:ReplicateObject"], Resource=[OBJECTS["Resource"]])
    client = s3_client(FOREIGN, rewritten)
    result = module_code.ensure_statements(client, False, BUCKET, [OBJECTS], "present")
    assert result["changed"] is False
    client.put_bucket_policy.assert_not_called()


def test_account_id_principal_matches_the_root_arn_s3_returns():
    ours = dict(OBJECTS, Principal={"AWS": "211258069784"})
    client = s3_client(dict(OBJECTS, Principal={"AWS": "arn:aws:iam::211258069784:root"}))
    assert module_code.ensure_statements(client, False, BUCKET, [ours], "present")["changed"] is False


def test_a_changed_statement_is_replaced():
    client = s3_client(dict(OBJECTS, Action="s3:ReplicateObject"), FOREIGN)
    module_code.ensure_statements(client, False, BUCKET, [OBJECTS], "present")
    assert written(client)["Statement"] == [OBJECTS, FOREIGN]


def test_absent_removes_only_our_sids():
    client = s3_client(FOREIGN, OBJECTS, VERSIONING)
    result = module_code.ensure_statements(client, False, BUCKET, [{"Sid": "ReplicationObjects"}, {"Sid": "ReplicationVersioning"}], "absent")
    assert result["changed"] is True
    assert written(client)["Statement"] == [FOREIGN]
    assert result["statements"] == []
    client.delete_bucket_policy.assert_not_called()


def test_absent_deletes_the_policy_when_nothing_is_left():
    client = s3_client(OBJECTS)
    result = module_code.ensure_statements(client, False, BUCKET, [{"Sid": "ReplicationObjects"}], "absent")
    assert result["changed"] is True and result["policy"] is None
    client.delete_bucket_policy.assert_called_once_with(aws_retry=True, Bucket=BUCKET)
    client.put_bucket_policy.assert_not_called()


def test_absent_in_check_mode_deletes_nothing():
    client = s3_client(OBJECTS)
    assert module_code.ensure_statements(client, True, BUCKET, [{"Sid": "ReplicationObjects"}], "absent")["changed"] is True
    client.delete_bucket_policy.assert_not_called()


@pytest.mark.parametrize("current", [(), (FOREIGN,)])
def test_absent_without_our_sids_changes_nothing(current):
    client = s3_client(*current) if current else s3_client(missing="NoSuchBucketPolicy")
    assert module_code.ensure_statements(client, False, BUCKET, [{"Sid": "ReplicationObjects"}], "absent")["changed"] is False
    client.put_bucket_policy.assert_not_called()
    client.delete_bucket_policy.assert_not_called()


def test_a_missing_bucket_is_named():
    with pytest.raises(AwsCallFailure, match="bucket: stats-data-tgt does not exist"):
        module_code.ensure_statements(s3_client(missing="NoSuchBucket"), False, BUCKET, [OBJECTS], "present")


def test_other_read_errors_fail():
    with pytest.raises(AwsCallFailure, match="Failed to read"):
        module_code.ensure_statements(s3_client(missing="AccessDenied"), False, BUCKET, [OBJECTS], "present")


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
    with pytest.raises(policy_documents.PolicyDocumentError, match=words):
        module_code.wanted_sids(statements, state)


def test_absent_reads_only_the_sids():
    assert module_code.wanted_sids([{"Sid": "A"}, {"Sid": "B", "Effect": "whatever"}], "absent") == ["A", "B"]


class FakeModule:
    def __init__(self, module_params):
        self.params = module_params
        self.check_mode = False
        self.clients_made = 0

    def client(self, service, retry_decorator=None):
        self.clients_made += 1
        return s3_client(missing="NoSuchBucketPolicy")


@pytest.mark.parametrize(
    "module_params, error",
    [
        ({"bucket": "Bad_Bucket", "statements": [OBJECTS], "state": "present"}, ValueError),
        ({"bucket": BUCKET, "statements": [{"Sid": "NoEffect"}], "state": "present"}, policy_documents.PolicyDocumentError),
    ],
)
def test_bad_input_fails_before_any_client_is_made(module_params, error):
    module = FakeModule(module_params)
    with pytest.raises(error):
        module_code.run(module)
    assert module.clients_made == 0


def test_run_accepts_a_bucket_arn():
    result = module_code.run(FakeModule({"bucket": f"arn:aws:s3:::{BUCKET}", "statements": [OBJECTS], "state": "present"}))
    assert result["changed"] is True
