# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which documents with an AWS size quota the planned writes touch, for policy/quotas.quota_problems.

A write is ``{account, module, args, ...}`` (the planner's write shape). Only writes that leave a
document in place are counted: a removal makes a document smaller, never larger than its quota.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alert_topic
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket_policy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import key_access
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import replication
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import role

DOCUMENTS = {
    role.MODULE: lambda args: [(quotas.ROLE, args["name"])],
    bucket_policy.MODULE: lambda args: [(quotas.BUCKET_POLICY, args["bucket"])],
    replication.MODULE: lambda args: [(quotas.REPLICATION, args["bucket"])],
    key_access.MODULE: lambda args: [(quotas.KEY_POLICY, args["key_id"])] if args.get("mode", "policy") == "policy" else [],
    alert_topic.MODULE: lambda args: [(quotas.TOPIC_POLICY, args["topic_arn"])],
}


def touched_documents(writes):
    """``[(account key, kind, name)]`` of the documents ``writes`` add to, in the order first written, each once."""
    found = []
    for write in writes:
        args = write.get("args") or {}
        if write["module"] not in DOCUMENTS or args.get("state", "present") == "absent":
            continue
        for kind, name in DOCUMENTS[write["module"]](args):
            if (write["account"], kind, name) not in found:
                found.append((write["account"], kind, name))
    return found
