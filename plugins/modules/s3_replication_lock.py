#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_replication_lock
short_description: Take or release a run lock held in an S3 object, so that runs writing the same documents take turns
version_added: 0.2.0
description:
  - O(state=present) creates the lock object O(key) in O(bucket) only if it does not exist (C(PutObject) with
    C(If-None-Match), the way Terraform's S3 backend locks its state). While another run holds it, the module waits up to
    O(wait_seconds), reading it every O(poll_seconds); a lock older than O(timeout_seconds) by S3's clock is taken over
    (C(If-Match) on its ETag, so two runs never both take it over) with a warning naming its holder.
  - O(state=absent) deletes the lock only while it is the one this run wrote (C(If-Match) on O(etag)); a lock another run
    took over is left to it, with a warning.
  - C(playbooks/replicate.yml) and C(playbooks/teardown.yml) take it around their reads and writes when
    C(replication_lock) is set (docs/vars.md, docs/guarantees.md).
  - In check mode no lock is taken or released.
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
options:
  bucket:
    description: The bucket that holds the lock object (versioned or not), in the account of the credentials.
    type: str
    required: true
  key:
    description: The lock object's key; every run that must take turns names the same bucket and key.
    type: str
    default: s3-crossaccount-replication/run.lock
  state:
    description: V(present) takes the lock, V(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  owner:
    description: Who takes the lock (a run id, the controller and user); written into the lock, shown to the runs that wait.
    type: str
  etag:
    description: With O(state=absent), the ETag O(state=present) returned; the lock is deleted only while it is still this one.
    type: str
  timeout_seconds:
    description: A lock older than this is stale (its run died) and is taken over.
    type: int
    default: 900
  wait_seconds:
    description: How long to wait for a lock another run holds before failing.
    type: int
    default: 600
  poll_seconds:
    description: Seconds between two tries while waiting.
    type: float
    default: 5
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: In check mode no lock is taken or released.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details: The lock object is the run's, not configuration to preview.
  idempotent:
    description: When run twice in a row outside check mode, the second run reports no change.
    support: none
    details: Taking a lock is a write each time (the lock is released at the end of the run).
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
"""

EXAMPLES = r"""
- name: Take the run lock (wait up to 10 minutes for another run)
  s3_crossaccount.replication.s3_replication_lock:
    profile: analytics
    bucket: shared-ops
    key: locks/stats-data-tgt.lock
    owner: "run {{ run_id }} on {{ inventory_hostname }}"
  register: lock

- name: Release it
  s3_crossaccount.replication.s3_replication_lock:
    profile: analytics
    bucket: shared-ops
    key: locks/stats-data-tgt.lock
    state: absent
    etag: "{{ lock.etag }}"
"""

RETURN = r"""
etag:
  description: With O(state=present), the ETag of the lock this run wrote (give it to O(state=absent)).
  returned: when state is present and not in check mode
  type: str
  sample: '"0cc175b9c0f1b6a831c399e269772661"'
took_over_from:
  description: The holder and age of a stale lock that was taken over, or null.
  returned: when state is present
  type: dict
  sample: {"owner": "run 5b1f... on aws-880161310235-us-east-1", "age_seconds": 1250}
waited_seconds:
  description: How long the run waited for another run's lock.
  returned: when state is present
  type: float
released:
  description: With O(state=absent), whether the lock was deleted (false when another run had taken it over).
  returned: when state is absent
  type: bool
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import run_lock
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.modules import AnsibleS3CrossAccountModule
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.runner import end_module


def run(module, client):
    params = module.params
    if module.check_mode:
        return {"changed": False, "msg": "check mode takes no lock"}
    if params["state"] == "present":
        if not params["owner"]:
            raise Refused("owner is required with state=present: name the run that takes the lock")
        taken = run_lock.acquire(client, params["bucket"], params["key"], params["owner"], params["timeout_seconds"], params["wait_seconds"],
                                 params["poll_seconds"])
        return dict(taken, changed=True, warnings=run_lock.takeover_warnings(params["bucket"], params["key"], taken, params["timeout_seconds"]))
    if not params["etag"]:
        raise Refused("etag is required with state=absent: give the etag that state=present returned")
    released = run_lock.release(client, params["bucket"], params["key"], params["etag"])
    return {"changed": released["released"], "released": released["released"], "warnings": [released["reason"]] if released["reason"] else []}


def main():
    module = AnsibleS3CrossAccountModule(
        argument_spec=dict(
            bucket=dict(type="str", required=True),
            key=dict(type="str", default="s3-crossaccount-replication/run.lock", no_log=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            owner=dict(type="str"),
            etag=dict(type="str"),
            timeout_seconds=dict(type="int", default=900),
            wait_seconds=dict(type="int", default=600),
            poll_seconds=dict(type="float", default=5),
        ),
        supports_check_mode=True,
    )
    end_module(module, lambda: run(module, module.aws_client("s3")))


if __name__ == "__main__":
    main()
