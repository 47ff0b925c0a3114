# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The least-privilege identity policy of the deploying credentials in one account of a vars.yml.

Every action every playbook needs in that account (deployer/usage), with the features vars.yml
turns on (replication_alerts, replication_lock, replication_two_way), each on the resources of the
vars file: its bucket, its objects, its key, the replication role, the alert topic and alarms.
Actions IAM cannot narrow to a resource (s3:CreateJob, s3:ListJobs, cloudwatch:GetMetricData)
are on ``*``; sts:GetCallerIdentity needs no permission.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import usage
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard

LOCK_KEY = contract.LOCK_OPTIONS["key"]["default"]
LOCK_SIDE = contract.LOCK_OPTIONS["side"]["default"]
PASSED_TO = ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"]
SIDS = {permissions.BUCKET: "Buckets", permissions.OBJECTS: "Objects", permissions.ROLE: "ReplicationRoles", permissions.KEY: "Keys",
        permissions.TOPIC: "AlertTopic", permissions.ALARM: "Alarms", permissions.DASHBOARD: "ReplicationDashboards", permissions.JOB: "BatchReplicationJobs",
        permissions.MANAGED_POLICY: "ManagedPoliciesOfTheRoles", permissions.ANY: "NoResourceLevelPermissions"}


def features_of(variables, side):
    """The optional features vars.yml turns on in the account of ``side``."""
    lock = variables.get("replication_lock") or {}
    found = set()
    if variables.get("replication_alerts") and side == "source":
        found.add(usage.ALERTS)
    if lock and lock.get("side", LOCK_SIDE) == side:
        found.add(usage.LOCK)
    if variables.get("replication_two_way"):
        found.add(usage.TWO_WAY)
    return found


def resources(kind, variables, side):
    """The ARNs of ``kind`` (aws/permissions' resource kinds) in the account of ``side`` for ``variables``; [] when it has none."""
    block = variables[f"replication_{side}"]
    account, region, partition = block["account_id"], block["region"], variables.get("replication_partition", "aws")
    two_way = bool(variables.get("replication_two_way"))
    lock = variables.get("replication_lock") or {}
    role_name = variables.get("replication_role_name", contract.DEFAULT_ROLE_NAME)
    if side == "destination":
        role_name = variables.get("replication_reverse_role_name") or role_name
    topic = (variables.get("replication_alerts") or {}).get("topic_arn") or (
        arns.topic_arn(account, region, variables["replication_alerts"]["create_topic"], partition) if variables.get("replication_alerts") else None)
    has_lock = usage.LOCK in features_of(variables, side)
    found = {
        permissions.BUCKET: [arns.bucket_arn(block["bucket"], partition)] + ([arns.bucket_arn(lock["bucket"], partition)] if has_lock else []),
        permissions.OBJECTS: [f"{arns.bucket_arn(block['bucket'], partition)}/*"]
        + ([f"{arns.bucket_arn(lock['bucket'], partition)}/{lock.get('key', LOCK_KEY)}"] if has_lock else []),
        permissions.ROLE: [arns.role_arn(account, role_name, variables.get("replication_role_path", "/"), partition)]
        if side == "source" or two_way else [],
        permissions.KEY: [block["kms_key_arn"]],
        permissions.TOPIC: [topic] if topic and side == "source" else [],
        permissions.ALARM: [alerts.alarm_arn_pattern(block["bucket"], account, region, partition)] if side == "source" or two_way else [],
        permissions.DASHBOARD: _dashboards(variables, block, account, partition) if side == "source" or two_way else [],
        permissions.JOB: [f"arn:{partition}:s3:{region}:{account}:job/*"],
        permissions.MANAGED_POLICY: [f"arn:{partition}:iam::aws:policy/*", f"arn:{partition}:iam::{account}:policy/*"]
        if side == "source" or two_way else [],
        permissions.ANY: ["*"],
    }
    return found[kind]


def _dashboards(variables, block, account, partition):
    """The dashboard replication_alerts asks for in this side's account, by its name."""
    wanted = variables.get("replication_alerts") or {}
    if not wanted.get("dashboard"):
        return []
    return [dashboard.dashboard_arn(account, wanted.get("dashboard_name") or dashboard.default_name(block["bucket"]), partition)]


def deployer_policy(variables, side, files, declared=None):
    """The identity policy (a dict) of the credentials of ``side`` for every playbook of the collection, as ``variables`` configure it."""
    wanted = {usage.REQUIRED} | features_of(variables, side)
    actions = {}
    for playbook in usage.PLAYBOOKS:
        for feature, _wrapper, need in usage.needs_of(playbook, side, files, declared):
            if feature in wanted:
                actions.setdefault(need.resource, set()).update(need.actions)
    statements = []
    for kind in permissions.RESOURCES:
        arns_of_kind = resources(kind, variables, side)
        granted = sorted(actions.get(kind, set()) - {"iam:PassRole"})
        if granted and arns_of_kind:
            statements.append({"Sid": SIDS[kind], "Effect": "Allow", "Action": granted, "Resource": _one_or_list(arns_of_kind)})
        if kind == permissions.ROLE and "iam:PassRole" in actions.get(kind, set()) and arns_of_kind:
            statements.append({"Sid": "PassTheReplicationRoleToS3", "Effect": "Allow", "Action": "iam:PassRole", "Resource": _one_or_list(arns_of_kind),
                               "Condition": {"StringEquals": {"iam:PassedToService": PASSED_TO}}})
    return {"Version": "2012-10-17", "Statement": statements}


def _one_or_list(values):
    return values[0] if len(values) == 1 else values
