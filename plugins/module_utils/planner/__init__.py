# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planner: from every pair's public variables to the exact writes in each AWS account (docs/architecture.md).

Callers import this package; its files are private, one concern each:

* ``stages``: the two stages, :func:`plan_pairs` and :func:`plan_writes`;
* ``playbooks``: one object per playbook (what it reads, checks, writes and returns);
* ``contract`` (the vars.yml contract), ``pairs`` (pairs and defaults), ``validation`` (what the
  variables and pairs of one run must satisfy), ``spec`` (the policy model's input, the user's words);
* ``accounts`` (accounts, their reads and worker hosts, the run lock), ``credentials``;
* ``lookup`` and ``checks`` (what the facts read say about a pair);
* ``writes/`` (the writes of each document, per playbook), ``verdict`` (the state a run leaves, judged),
  ``doctor_reads``, ``status_reads``, ``jobs``, ``canaries`` (what other playbooks get).
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.accounts import WORKER_GROUP  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.playbooks import ALL_ATTRIBUTES  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.playbooks import PLAYBOOKS  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.spec import user_words  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.stages import plan_pairs  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.stages import plan_writes  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.verdict import predicted_facts  # noqa: F401
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.verdict import verdicts  # noqa: F401
