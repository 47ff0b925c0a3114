# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What each playbook runs in each account, and so which IAM actions the deploying credentials need there.

A playbook runs components (a module, or one writer of s3_replication_apply) in the source and the
destination account, some only with a feature of vars.yml. The actions of a component are those
its code can reach (deployer/reach), as the wrappers declare them (aws/permissions): nothing is
listed by hand but which component runs where. tests/unit checks this table against the
playbooks' YAML.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import cloudwatch
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import iam
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import kms
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import permissions
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3control
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import reach

# Importing the wrappers fills permissions.DECLARED with their @needs.
WRAPPER_MODULES = (cloudwatch, iam, kms, s3, s3control, sns, sts)
REQUIRED = "required"
ALERTS = "alerts"
LOCK = "lock"
TWO_WAY = "two-way"
FEATURES = (ALERTS, LOCK, TWO_WAY)
SIDES = ("source", "destination")

_MODULES = f"{reach.PACKAGE}.modules"
_WRITERS = f"{reach.PACKAGE}.module_utils.writers"
WRITE_MODULE = "s3_replication_apply"
# component -> (the module a playbook calls, the code it runs)
COMPONENTS = {
    "read": ("s3_replication_info", [f"{_MODULES}.s3_replication_info"]),
    "lock": ("s3_replication_lock", [f"{_MODULES}.s3_replication_lock"]),
    "canary": ("s3_replication_canary", [f"{_MODULES}.s3_replication_canary"]),
    "backfill": ("s3_batch_replication_job", [f"{_MODULES}.s3_batch_replication_job"]),
    "status": ("s3_replication_status_info", [f"{_MODULES}.s3_replication_status_info"]),
}
for _writer in ("bucket", "bucket_policy", "key_access", "replication", "role", "notification", "alert_topic", "alarms", "dashboard"):
    COMPONENTS[f"writer {_writer}"] = (WRITE_MODULE, [f"{_WRITERS}.{_writer}", f"{_WRITERS}.runner"])

_ALERT_WRITERS = [("writer notification", ALERTS), ("writer alert_topic", ALERTS), ("writer alarms", ALERTS), ("writer dashboard", ALERTS)]
_SETUP = {
    "source": [("read", REQUIRED), ("writer bucket", REQUIRED), ("writer role", REQUIRED), ("writer replication", REQUIRED),
               ("writer key_access", REQUIRED), ("lock", LOCK)] + _ALERT_WRITERS,
    "destination": [("read", REQUIRED), ("writer bucket", REQUIRED), ("writer bucket_policy", REQUIRED), ("writer key_access", REQUIRED),
                    ("lock", LOCK)],
}
# With replication_two_way each account is also the other direction's other side, on its own resources.
for _side, _other in (("source", "destination"), ("destination", "source")):
    _SETUP[_side] = _SETUP[_side] + [(component, TWO_WAY) for component, feature in _SETUP[_other]
                                     if feature == REQUIRED and (component, REQUIRED) not in _SETUP[_side]]

PLAYBOOKS = {
    "replicate": _SETUP,
    "teardown": _SETUP,
    "doctor": {"source": [("read", REQUIRED)], "destination": [("read", REQUIRED)]},
    "status": {"source": [("read", REQUIRED), ("status", REQUIRED)], "destination": [("read", REQUIRED)]},
    "verify": {"source": [("read", REQUIRED), ("canary", REQUIRED)], "destination": [("read", REQUIRED), ("canary", REQUIRED)]},
    "backfill": {"source": [("read", REQUIRED), ("writer role", REQUIRED), ("backfill", REQUIRED)], "destination": [("read", REQUIRED)]},
}
# Reads and writes that exist only for replication_alerts, whichever component makes them.
ALERT_WRAPPERS = ("s3.get_notification", "s3.put_notification")


def modules_of(playbook):
    """The collection's modules ``playbook`` calls, by this table."""
    return {COMPONENTS[component][0] for side in SIDES for component, _feature in PLAYBOOKS[playbook][side]}


def _feature_of(wrapper, need, component_feature):
    if component_feature == REQUIRED and (need.resource in (permissions.TOPIC, permissions.ALARM, permissions.DASHBOARD) or wrapper in ALERT_WRAPPERS):
        return ALERTS
    return component_feature


def needs_of(playbook, side, files, declared=None):
    """[(feature, wrapper, Need)] of ``playbook`` in the ``side`` account, every wrapper its components can reach."""
    declared = permissions.DECLARED if declared is None else declared
    found = []
    for component, feature in PLAYBOOKS[playbook][side]:
        entries = [(module, None) for module in COMPONENTS[component][1]]
        for wrapper in sorted(reach.reached_wrappers(files, entries, declared)):
            found += [(_feature_of(wrapper, need, feature), wrapper, need) for need in declared[wrapper]]
    return found


def actions_by_feature(playbook, side, files, declared=None):
    """{feature: {action: sorted resource kinds}} of ``playbook`` in ``side``; an action required is not repeated as optional."""
    table = {}
    for feature, _wrapper, need in needs_of(playbook, side, files, declared):
        for action in need.actions:
            table.setdefault(feature, {}).setdefault(action, set()).add(need.resource)
    required = set(table.get(REQUIRED, {}))
    result = {}
    for feature, actions in table.items():
        kept = {action: sorted(kinds) for action, kinds in actions.items() if feature == REQUIRED or action not in required}
        if kept:
            result[feature] = kept
    return result
