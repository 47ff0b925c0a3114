# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which documents with an AWS size quota the planned writes touch, for policy/quotas.quota_problems.

A write is ``{account, module, args, ...}`` (the planner's write shape). Only writes that leave a
document in place are counted: a removal makes a document smaller, never larger than its quota.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS


def touched_documents(writes):
    """``[(account key, kind, name)]`` of the documents ``writes`` add to (each writer's ``quota_documents``), in the order first
    written, each once."""
    found = []
    for write in writes:
        for kind, name in WRITERS[write["module"]].quota_documents(write.get("args") or {}):
            if (write["account"], kind, name) not in found:
                found.append((write["account"], kind, name))
    return found
