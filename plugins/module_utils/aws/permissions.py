# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IAM actions each AWS call wrapper needs, declared on the wrapper itself.

    @needs("GetBucketReplication", "s3:GetReplicationConfiguration", BUCKET)
    def get_replication(client, bucket, owner=None): ...

One ``@needs`` per API operation the wrapper calls (``actions``: the IAM actions that operation is
authorised by, none for sts:GetCallerIdentity), on the kind of ``resource`` it acts on; an
``operation`` of None declares a permission AWS checks without a call of its own (iam:PassRole
when S3 is given the replication role, kms:GenerateDataKey when S3 encrypts with the key).
:data:`DECLARED` (``"s3.get_replication"`` -> its needs) is what docs/permissions.md, the example
deployer policies and the test of the operations the integration suite makes are built from.
"""

from collections import namedtuple

BUCKET = "bucket"
OBJECTS = "objects"
ROLE = "role"
KEY = "key"
TOPIC = "topic"
ALARM = "alarm"
DASHBOARD = "dashboard"
JOB = "job"
MANAGED_POLICY = "managed-policy"
ANY = "any"
RESOURCES = (BUCKET, OBJECTS, ROLE, KEY, TOPIC, ALARM, DASHBOARD, JOB, MANAGED_POLICY, ANY)

Need = namedtuple("Need", "operation actions resource")
DECLARED = {}


def wrapper_name(module_name, function_name):
    """``s3.get_replication`` for ``...module_utils.aws.s3`` and ``get_replication``."""
    return f"{module_name.rsplit('.', 1)[-1]}.{function_name}"


def needs(operation, actions, resource):
    """Declares that the decorated wrapper calls ``operation``, which needs ``actions`` (one or a tuple) on ``resource``."""
    if resource not in RESOURCES:
        raise ValueError(f"resource must be one of {', '.join(RESOURCES)}, not {resource}")
    need = Need(operation, (actions,) if isinstance(actions, str) else tuple(actions), resource)

    def declare(function):
        DECLARED.setdefault(wrapper_name(function.__module__, function.__name__), []).insert(0, need)
        return function

    return declare


def operations(wrapper):
    """The API operations ``wrapper`` (``s3.get_replication``) is declared to call."""
    return {need.operation for need in DECLARED.get(wrapper, ()) if need.operation}
