# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A run lock in S3, the way Terraform's S3 backend locks its state: an object created only if absent.

Taking the lock is ``PutObject`` with ``If-None-Match: *``: S3 answers 412 PreconditionFailed when the
object exists, so of several runs exactly one creates it. A lock older than its timeout (by S3's own
clock: the object's LastModified against the Date of the answer, so controllers' clocks do not
matter) is taken over with ``If-Match`` on the stale object's ETag, so two runs taking over the same
stale lock cannot both win. Releasing deletes the object with ``If-Match`` on the ETag the run wrote,
so a run never deletes a lock another run holds (after a takeover). ``clock`` and ``sleep`` are
parameters so that tests drive time.
"""

import datetime
import json
import time

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused


class LockBusy(Refused):
    """The lock stayed held by another run for longer than the caller waits."""


def lock_body(owner, acquired_at, timeout_seconds):
    return json.dumps({"owner": owner, "acquired_at": acquired_at, "timeout_seconds": timeout_seconds}, sort_keys=True)


def holder(current):
    """Who holds the lock, from the object's body (an unreadable body is still a lock: its holder is unknown)."""
    try:
        return json.loads(current["body"]).get("owner") or "an unknown run"
    except (ValueError, TypeError, AttributeError):
        return "an unknown run"


def _utc(moment):
    return moment.replace(tzinfo=datetime.timezone.utc) if moment.tzinfo is None else moment


def age_seconds(current):
    """How old the lock object is by S3's clock: the answer's Date minus the object's LastModified."""
    modified = _utc(current["last_modified"])
    now = _utc(current.get("server_time") or modified)
    return max(0.0, (now - modified).total_seconds())


def is_stale(current, timeout_seconds):
    return age_seconds(current) > timeout_seconds


def _where(bucket, key):
    return f"run lock s3://{bucket}/{key}"


def acquire(client, bucket, key, owner, timeout_seconds, wait_seconds, poll_seconds=5.0, clock=time.monotonic, sleep=time.sleep, now=None):
    """Takes the lock, waiting up to ``wait_seconds`` for another run's; returns {etag, took_over_from, waited_seconds}."""
    started = clock()
    body = lock_body(owner, now or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), timeout_seconds)
    while True:
        etag = aws_s3.put_object_if_absent(client, bucket, key, body)
        if etag:
            return {"etag": etag, "took_over_from": None, "waited_seconds": round(clock() - started, 1)}
        current = aws_s3.get_object(client, bucket, key)
        if current is not None and is_stale(current, timeout_seconds):
            etag = aws_s3.put_object_if_unchanged(client, bucket, key, body, current["etag"])
            if etag:
                return {"etag": etag, "took_over_from": {"owner": holder(current), "age_seconds": round(age_seconds(current))},
                        "waited_seconds": round(clock() - started, 1)}
        if current is not None and clock() - started >= wait_seconds:
            raise LockBusy(
                f"{_where(bucket, key)} is held by {holder(current)} since {round(age_seconds(current))} seconds (timeout {timeout_seconds}): "
                f"another run that writes the same accounts is in progress; wait for it and rerun, raise replication_lock.wait_seconds, or, "
                f"if that run died, the lock is taken over once it is older than replication_lock.timeout_seconds"
            )
        if current is not None:
            sleep(poll_seconds)


def takeover_warnings(bucket, key, taken, timeout_seconds):
    """The warning of an acquire that took over a stale lock (none otherwise)."""
    stale = taken["took_over_from"]
    if not stale:
        return []
    return [f"took over the stale run lock s3://{bucket}/{key} of {stale['owner']} ({stale['age_seconds']} seconds old, timeout {timeout_seconds})"]


def release(client, bucket, key, etag):
    """Deletes our lock; {released, reason}. A lock another run took over (its ETag changed) is left to it."""
    if aws_s3.delete_object_if_unchanged(client, bucket, key, etag):
        return {"released": True, "reason": None}
    return {"released": False, "reason": f"{_where(bucket, key)} is no longer ours (another run took it over after our timeout): left to it"}
