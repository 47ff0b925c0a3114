# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wrappers' IAM declarations: one per API call they make, mapped to the right actions, and the
generated docs and example policies in step with them."""

import ast
import glob
import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import api_name
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import policy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import reach
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import usage

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))
AWS = os.path.join(ROOT, "plugins", "module_utils", "aws")
FILES = reach.parse_collection()
CALL_HELPERS = ("call", "paged")


def operations_in_code():
    """{wrapper: API operations its body calls} for every function of aws/*.py that calls AWS (call(), paged() or client.X())."""
    found = {}
    for path in glob.glob(os.path.join(AWS, "*.py")):
        module = os.path.basename(path)[:-3]
        if module == "calls":  # the helpers every wrapper calls through
            continue
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
            calls = set()
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALL_HELPERS:
                    calls.add(api_name(node.args[1].value))
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "client":
                    calls.add(api_name(node.func.attr))
            if calls:
                found[f"{module}.{function.name}"] = calls
    return found


def test_every_aws_call_of_a_wrapper_is_declared_and_nothing_else():
    in_code = operations_in_code()
    assert len(in_code) > 50
    for wrapper, calls in in_code.items():
        assert permissions.operations(wrapper) == calls, wrapper
    assert set(permissions.DECLARED) >= set(in_code)


@pytest.mark.parametrize("wrapper, operation, action", [
    ("s3.get_replication", "GetBucketReplication", "s3:GetReplicationConfiguration"),
    ("s3.put_encryption", "PutBucketEncryption", "s3:PutEncryptionConfiguration"),
    ("s3.head_bucket", "HeadBucket", "s3:ListBucket"),
    ("s3.delete_replication", "DeleteBucketReplication", "s3:PutReplicationConfiguration"),
    ("s3.object_lock_enabled", "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    ("s3.newest_versions", "ListObjectVersions", "s3:ListBucketVersions"),
    ("s3.get_notification", "GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
    ("s3control.create_job", "CreateJob", "s3:CreateJob"),
])
def test_api_operations_map_to_the_iam_actions_that_authorise_them(wrapper, operation, action):
    assert [need.actions for need in permissions.DECLARED[wrapper] if need.operation == operation] == [(action,)]


def test_who_am_i_needs_no_permission_and_passing_the_role_needs_pass_role():
    assert permissions.DECLARED["sts.caller_identity"] == [permissions.Need("GetCallerIdentity", (), permissions.ANY)]
    assert permissions.Need(None, ("iam:PassRole",), permissions.ROLE) in permissions.DECLARED["s3.put_replication"]


def test_an_unknown_resource_kind_is_refused():
    with pytest.raises(ValueError, match="resource must be one of"):
        permissions.needs("GetBucketTagging", "s3:GetBucketTagging", "buckets")


def _collection_modules(path, seen=None):
    """The s3_crossaccount.replication modules a playbook, task file or role runs, following its imports."""
    seen = seen if seen is not None else set()
    if path in seen or not os.path.exists(path):
        return set()
    seen.add(path)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    found = set(re.findall(r"s3_crossaccount\.replication\.(\w+):", text))
    for included in re.findall(r"import_(?:playbook|tasks): (\S+\.yml)", text):
        found |= _collection_modules(os.path.join(os.path.dirname(path), included), seen)
    for role in re.findall(r"(?:role|name): s3_crossaccount\.replication\.(\w+_account)", text):
        for tasks in glob.glob(os.path.join(ROOT, "roles", role, "tasks", "*.yml")):
            found |= _collection_modules(tasks, seen)
    return found - {"replication_plan", "aws"}


@pytest.mark.parametrize("playbook", sorted(usage.PLAYBOOKS))
def test_the_table_names_every_module_the_playbook_runs(playbook):
    assert _collection_modules(os.path.join(ROOT, "playbooks", f"{playbook}.yml")) == usage.modules_of(playbook)


def _example(**changes):
    with open(os.path.join(ROOT, "examples", "vars.yml"), encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    variables.update(changes)
    return variables


def _statement(document, sid):
    return next((statement for statement in document["Statement"] if statement["Sid"] == sid), None)


def test_the_seed_policies_are_narrowed_to_the_vars_files_resources():
    source = policy.deployer_policy(_example(), "source", FILES)
    destination = policy.deployer_policy(_example(), "destination", FILES)
    assert _statement(source, "Buckets")["Resource"] == "arn:aws:s3:::stats-data-src"
    assert "s3:PutReplicationConfiguration" in _statement(source, "Buckets")["Action"]
    assert _statement(source, "ReplicationRoles")["Resource"] == "arn:aws:iam::211258069784:role/s3-replication-role"
    assert _statement(source, "PassTheReplicationRoleToS3")["Condition"]["StringEquals"]["iam:PassedToService"][0] == "s3.amazonaws.com"
    assert _statement(destination, "Buckets")["Resource"] == "arn:aws:s3:::stats-data-tgt"
    assert _statement(destination, "Keys")["Resource"].startswith("arn:aws:kms:us-east-1:880161310235:key/")
    assert _statement(destination, "ReplicationRoles") is None and _statement(destination, "AlertTopic") is None
    for document in (source, destination):
        for statement in document["Statement"]:
            assert statement["Resource"] != "*" or statement["Sid"] == "NoResourceLevelPermissions"
            assert not any(action.endswith("*") for action in statement["Action"])


def test_features_of_the_vars_add_their_statements_on_their_resources():
    variables = _example(replication_alerts={"create_topic": "replication-alerts"}, replication_two_way=True,
                         replication_lock={"bucket": "ops-locks", "side": "destination"})
    source = policy.deployer_policy(variables, "source", FILES)
    destination = policy.deployer_policy(variables, "destination", FILES)
    assert _statement(source, "AlertTopic")["Resource"] == "arn:aws:sns:us-east-1:211258069784:replication-alerts"
    assert "sns:CreateTopic" in _statement(source, "AlertTopic")["Action"]
    assert _statement(source, "Alarms")["Resource"] == "arn:aws:cloudwatch:us-east-1:211258069784:alarm:s3-replication/stats-data-src/*"
    assert "s3:PutBucketPolicy" in _statement(source, "Buckets")["Action"]
    assert _statement(destination, "ReplicationRoles")["Resource"] == "arn:aws:iam::880161310235:role/s3-replication-role"
    assert "arn:aws:s3:::ops-locks/s3-crossaccount-replication/run.lock" in _statement(destination, "Objects")["Resource"]
    assert "arn:aws:s3:::ops-locks" not in str(source)


def test_a_dashboard_adds_its_own_statement_on_its_name_only_with_alerts_asking_for_it():
    variables = _example(replication_alerts={"create_topic": "replication-alerts", "dashboard": True})
    source = policy.deployer_policy(variables, "source", FILES)
    dashboards = _statement(source, "ReplicationDashboards")
    assert dashboards["Resource"] == "arn:aws:cloudwatch::211258069784:dashboard/s3-replication-stats-data-src"
    assert sorted(dashboards["Action"]) == ["cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard", "cloudwatch:PutDashboard"]
    named = policy.deployer_policy(_example(replication_alerts={"create_topic": "t", "dashboard": True, "dashboard_name": "ops"}), "source", FILES)
    assert _statement(named, "ReplicationDashboards")["Resource"] == "arn:aws:cloudwatch::211258069784:dashboard/ops"
    without = policy.deployer_policy(_example(replication_alerts={"create_topic": "replication-alerts"}), "source", FILES)
    assert "ReplicationDashboards" not in [statement["Sid"] for statement in without["Statement"]]


def test_the_generated_docs_and_examples_are_up_to_date():
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_permissions.py"), "--check"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
