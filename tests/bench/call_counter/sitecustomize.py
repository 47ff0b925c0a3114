# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts every AWS API call made by any Python process that imports botocore (tests and benchmarks only).

Put this directory first on PYTHONPATH and name a log file in AWS_CALL_LOG: every process started
with that environment (ansible-playbook, each module Ansible runs, boto3 scripts) appends one JSON
line per API call: ``{"service": "s3", "operation": "GetBucketVersioning", "pid": 123}``.
tests/bench/calls.py reads and summarises the log. Without AWS_CALL_LOG nothing is patched.

Nothing is imported up front: a meta-path finder patches botocore.client when a process imports it.
The hook wraps ``BaseClient._make_api_call``: one line per logical call as the caller sees it
(botocore's own retries of one call are not counted twice; a caller's retry decorator is). The
credential provider's own STS calls (profiles with role_arn) go through the same method and are
counted too.
"""

import importlib.abc
import importlib.machinery
import json
import os
import sys


def _patch(botocore_client, log_path):
    original = botocore_client.BaseClient._make_api_call
    if getattr(original, "__call_counter__", False):
        return

    def counted_make_api_call(self, operation_name, api_params):
        record = {"service": self.meta.service_model.service_name, "operation": operation_name, "pid": os.getpid()}
        # One short write per line with O_APPEND: lines from concurrent processes never interleave.
        descriptor = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (json.dumps(record) + "\n").encode("utf-8"))
        finally:
            os.close(descriptor)
        return original(self, operation_name, api_params)

    counted_make_api_call.__call_counter__ = True
    botocore_client.BaseClient._make_api_call = counted_make_api_call


class _PatchBotocoreClientOnImport(importlib.abc.MetaPathFinder):
    """Patches botocore.client when something imports it: processes that never use AWS pay nothing."""

    def __init__(self, log_path):
        self.log_path = log_path

    def find_spec(self, fullname, path, target=None):
        if fullname != "botocore.client":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        original_exec = spec.loader.exec_module
        log_path = self.log_path

        def exec_module(module):
            original_exec(module)
            _patch(module, log_path)

        spec.loader.exec_module = exec_module
        return spec


if os.environ.get("AWS_CALL_LOG"):
    sys.meta_path.insert(0, _PatchBotocoreClientOnImport(os.environ["AWS_CALL_LOG"]))
