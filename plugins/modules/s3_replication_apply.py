#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_apply
short_description: Run several of this collection's writes in one account, in one module run
version_added: 0.2.0
description:
  - Each item of O(writes) is one call of a write module of this collection (O(writes[].module) with its options
    O(writes[].args)), run exactly as that module runs it (read the current state, merge, write unless in check mode).
  - C(playbooks/replicate.yml) plans every write of an account from one read (the planner decides which are needed) and
    hands them to this module, so an account costs one module run per phase however many pairs it serves.
  - The writes of one call must concern different documents (buckets, policies, keys, roles); they run in parallel
    (O(max_concurrency)). Every write runs even when another fails; the module then fails naming each failure.
  - Credentials and region are the module's (amazon.aws options or C(module_defaults)); every write acts in that account.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  writes:
    description: The writes, each a module call.
    type: list
    elements: dict
    required: true
    suboptions:
      module:
        description: The write module whose operation this is (V(kms_key_grant) is another name of V(kms_key_access)).
        type: str
        required: true
        choices: [kms_key_access, s3_bucket_notification_entry, s3_bucket_policy_statement, s3_replication_alarm, s3_replication_alert_topic,
                  s3_replication_bucket, s3_replication_dashboard, s3_replication_role, s3_replication_rule, kms_key_grant]
      args:
        description: The module's options (as for a task of that module; credentials and region are this module's).
        type: dict
        required: true
      group:
        description:
          - Writes of one group run one after the other, in the order given (for example a bucket before its policy);
            the groups run in parallel. Default is a group of its own.
        type: str
      pending:
        description:
          - The resource is created by an earlier write of the same run. In check mode that write did not happen, so this
            one shows its change from nothing instead of reading a resource that does not exist yet.
        type: bool
        default: false
  account_id:
    description:
      - The account the credentials act in, when the caller knows it (the planner does); saves a call to
        sts:GetCallerIdentity. It names the account in every diff.
    type: str
  max_concurrency:
    description: How many groups of writes run at the same time (threads); V(1) runs every write one after the other, in order.
    type: int
    default: 8
  settle_seconds:
    description:
      - Every write reads its document back. After writing a document other writers merge into (a bucket policy, a key
        policy, a replication configuration, a role's trust policy), it first waits this long, with up to as much again of
        random jitter; when another writer replaced the document in between, it merges again from the fresh read and writes again.
      - Grants and inline role policies are read back at once (no other writer's grant or policy replaces them).
      - V(0) reads back at once (the playbooks do so when C(replication_lock) makes their runs take turns).
    type: float
    default: 0.3
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - s3_crossaccount.replication.attributes
"""

EXAMPLES = r"""
- name: Make the destination bucket ready and merge the role's bucket-policy statements, in one module run
  s3_crossaccount.replication.s3_replication_apply:
    profile: analytics
    region: us-east-1
    writes:
      - module: s3_replication_bucket
        args:
          name: stats-data-tgt
          create: true
          versioning: true
          encryption: {kms_key_arn: "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"}
          object_ownership: BucketOwnerEnforced
      - module: kms_key_access
        args:
          key_id: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
          statements:
            - sid: S3ReplDestinationKey0a2d85d446
              principals: [arn:aws:iam::211258069784:role/s3-replication-role]
              operations: [kms:Encrypt]
"""

RETURN = r"""
writes:
  description: One entry per write, in the order of O(writes), with what that module returns.
  returned: always
  type: list
  elements: dict
  sample:
    - module: s3_replication_bucket
      resource: "account 880161310235: s3://stats-data-tgt (bucket settings)"
      changed: true
      bucket: {name: stats-data-tgt, exists: true, region: us-east-1, versioning: Enabled}
failed_writes:
  description: The writes that failed (resource and message); the module fails when there is one.
  returned: on failure
  type: list
  elements: dict
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import arns
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import error_text
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.parallel import run_all
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import REFUSALS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import SETTLE_SECONDS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import Aws
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import RunFailed
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import Verification
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import run_write
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import validated
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import ALIASES
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import writer_of


def run_one(aws, item, check_mode, verification=None):
    """One write, as its module runs it: ``(returned, diff, warnings, failure)``."""
    writer = writer_of(item["module"])
    label = f"{item['module']} {resource_of(item['args'])}"
    try:
        planned = run_write(writer, aws, validated(writer, item["args"]), check_mode, item["pending"], verification)
    except REFUSALS as error:
        return {"module": item["module"], "resource": label, "changed": False}, None, [], f"{label}: {error}"
    except AwsCallFailure as failure:
        detail = f" ({error_text(failure.error)})" if failure.error is not None else ""
        return {"module": item["module"], "resource": label, "changed": False}, None, [], f"{label}: {failure.message}{detail}"
    returned = dict(planned["result"], module=item["module"], resource=planned["diff"]["before_header"], changed=planned["changed"])
    return returned, planned["diff"] if planned["changed"] else None, planned["warnings"], None


def resource_of(args):
    """What a write is about, for its messages: the bucket, role, key, topic, or the alarms' names."""
    alarms = ", ".join(str(alarm.get("name")) for alarm in args.get("alarms") or [] if isinstance(alarm, dict)) or None
    return args.get("name") or args.get("bucket") or args.get("key_id") or args.get("topic_arn") or alarms


def in_groups(writes):
    """``[[(index, write)]]``: one group per ``group`` name (or per write without one), each in the given order."""
    groups = {}
    for index, item in enumerate(writes):
        groups.setdefault(item.get("group") or f"#{index}", []).append((index, item))
    return list(groups.values())


def _partition(module):
    """The partition of the module's region (with a given account_id; GetCallerIdentity tells it otherwise)."""
    return arns.partition_of_region(module.region or "")


def apply_writes(module):
    """Every write, groups in parallel; RunFailed names each failed write after all have run."""
    aws = Aws(module, account_id=module.params["account_id"], partition=_partition(module))
    groups = in_groups(module.params["writes"])
    verification = Verification(settle_seconds=max(0.0, module.params["settle_seconds"]))
    done = run_all(lambda group: [(index, run_one(aws, item, module.check_mode, verification)) for index, item in group], groups,
                   max(1, module.params["max_concurrency"]))
    outcomes = [outcome for _index, outcome in sorted((pair for group in done for pair in group), key=lambda pair: pair[0])]
    results = [returned for returned, _diff, _warnings, _failure in outcomes]
    returned = {
        "changed": any(result["changed"] for result in results),
        "writes": results,
        "diff": [diff for _returned, diff, _warnings, _failure in outcomes if diff],
        "warnings": [warning for _returned, _diff, warnings, _failure in outcomes for warning in warnings],
    }
    failures = [failure for _returned, _diff, _warnings, failure in outcomes if failure]
    if failures:
        raise RunFailed(" | ".join(failures), dict(returned, failed_writes=failures))
    return returned


def main():
    module = AnsibleS3CrossAccountModule(
        argument_spec=dict(
            writes=dict(type="list", elements="dict", required=True, options=dict(
                module=dict(type="str", required=True, choices=sorted(WRITERS) + sorted(ALIASES)),
                args=dict(type="dict", required=True),
                pending=dict(type="bool", default=False),
                group=dict(type="str"),
            )),
            account_id=dict(type="str"),
            settle_seconds=dict(type="float", default=SETTLE_SECONDS),
            max_concurrency=dict(type="int", default=8),
        ),
        supports_check_mode=True,
    )
    end_module(module, lambda: apply_writes(module))


if __name__ == "__main__":
    main()
