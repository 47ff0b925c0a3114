# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Summarises an AWS call log written by tests/bench/call_counter (one JSON line per API call).

    python tests/bench/calls.py CALLS.jsonl      # reads / writes / auth, then each operation

Reads are Get*, List*, Describe* and Head* operations; ``auth`` are the STS calls that only obtain
or check credentials (AssumeRole, GetCallerIdentity: the harness's profiles assume a role in each
module process); everything else writes.
"""

import collections
import json
import sys

READ_PREFIXES = ("Get", "List", "Describe", "Head")
AUTH_OPERATIONS = {("sts", "AssumeRole"), ("sts", "GetCallerIdentity"), ("sts", "AssumeRoleWithWebIdentity"), ("sts", "GetSessionToken")}


def kind(service, operation):
    if (service, operation) in AUTH_OPERATIONS:
        return "auth"
    return "read" if operation.startswith(READ_PREFIXES) else "write"


def load(path):
    """Counter of (service, operation) for the log at ``path`` (missing file: no calls)."""
    calls = collections.Counter()
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    calls[(record["service"], record["operation"])] += 1
    except FileNotFoundError:
        pass
    return calls


def processes(path):
    """How many processes made AWS calls in the log at ``path`` (module processes: the controller makes none)."""
    pids = set()
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    pids.add(json.loads(line)["pid"])
    except FileNotFoundError:
        pass
    return len(pids)


def totals(calls):
    """{"read": n, "write": n, "auth": n} for a Counter from load()."""
    summary = {"read": 0, "write": 0, "auth": 0}
    for (service, operation), count in calls.items():
        summary[kind(service, operation)] += count
    return summary


def operation_lines(calls):
    return [f"  {kind(service, operation):5} {count:5}  {service}:{operation}" for (service, operation), count in sorted(calls.items())]


def main(argv):
    for path in argv[1:]:
        calls = load(path)
        summary = totals(calls)
        print(f"{path}: {summary['read']} reads, {summary['write']} writes, {summary['auth']} auth")
        print("\n".join(operation_lines(calls)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
