# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: logs each completed task and SIGKILLs the run after the Nth one."""

import json
import os
import signal

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: kill_after_task
type: aggregate
short_description: SIGKILLs ansible-playbook after the Nth completed (not skipped) task
description:
  - Counts tasks that completed on the host (ok or changed; skipped and failed ones do not count).
  - With E(RELIABILITY_KILL_AFTER_TASK)=N it kills the whole process group with SIGKILL right after task N.
  - With E(RELIABILITY_TASK_LOG) it appends one JSON line per completed task (n, name, changed).
requirements:
  - enable in the configuration (ANSIBLE_CALLBACKS_ENABLED=kill_after_task)
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "kill_after_task"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.completed = 0
        self.limit = int(os.environ.get("RELIABILITY_KILL_AFTER_TASK") or 0)
        self.log_path = os.environ.get("RELIABILITY_TASK_LOG")

    def v2_runner_on_ok(self, result):
        self.completed += 1
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"n": self.completed, "name": result.task_name, "changed": bool(result._result.get("changed"))}) + "\n")
        if self.limit and self.completed >= self.limit:
            os.killpg(os.getpgrp(), signal.SIGKILL)
