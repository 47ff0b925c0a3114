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
from email.utils import parsedate_to_datetime

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws_calls import call
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

PRECONDITION_FAILED = ("PreconditionFailed", "412")
NO_SUCH_KEY = ("NoSuchKey", "404", "NotFound")
# S3 answers 409 ConditionalRequestConflict when two conditional writes of one key race.
CONFLICT = ("ConditionalRequestConflict", "409")


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


def put_if_absent(client, bucket, key, body):
    """The new lock's ETag, or None when the object already exists."""
    answer = call(client, "put_object", _where(bucket, key), PRECONDITION_FAILED + CONFLICT, Bucket=bucket, Key=key, Body=body.encode("utf-8"),
                  IfNoneMatch="*", ContentType="application/json")
    return None if answer is None else answer.get("ETag")


def put_if_unchanged(client, bucket, key, body, etag):
    """Replaces the object only while its ETag is ``etag``; the new ETag, or None when it changed meanwhile."""
    answer = call(client, "put_object", _where(bucket, key), PRECONDITION_FAILED + CONFLICT + NO_SUCH_KEY, Bucket=bucket, Key=key,
                  Body=body.encode("utf-8"), IfMatch=etag, ContentType="application/json")
    return None if answer is None else answer.get("ETag")


def read(client, bucket, key):
    """{body, etag, last_modified, server_time} of the lock object, or None when there is none."""
    answer = call(client, "get_object", _where(bucket, key), NO_SUCH_KEY, Bucket=bucket, Key=key)
    if answer is None:
        return None
    date = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    return {"body": answer["Body"].read().decode("utf-8", "replace"), "etag": answer["ETag"], "last_modified": answer["LastModified"],
            "server_time": parsedate_to_datetime(date) if date else None}


def delete_if_unchanged(client, bucket, key, etag):
    """Deletes the object only while its ETag is ``etag``: True when it is gone, False when it changed (another run holds it now)."""
    try:
        call(client, "delete_object", _where(bucket, key), NO_SUCH_KEY, Bucket=bucket, Key=key, IfMatch=etag)
    except AwsCallFailure as failure:
        if failure.code in PRECONDITION_FAILED:
            return False
        raise
    return True


def acquire(client, bucket, key, owner, timeout_seconds, wait_seconds, poll_seconds=5.0, clock=time.monotonic, sleep=time.sleep, now=None):
    """Takes the lock, waiting up to ``wait_seconds`` for another run's; returns {etag, took_over_from, waited_seconds}."""
    started = clock()
    body = lock_body(owner, now or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), timeout_seconds)
    while True:
        etag = put_if_absent(client, bucket, key, body)
        if etag:
            return {"etag": etag, "took_over_from": None, "waited_seconds": round(clock() - started, 1)}
        current = read(client, bucket, key)
        if current is not None and is_stale(current, timeout_seconds):
            etag = put_if_unchanged(client, bucket, key, body, current["etag"])
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
    if delete_if_unchanged(client, bucket, key, etag):
        return {"released": True, "reason": None}
    return {"released": False, "reason": f"{_where(bucket, key)} is no longer ours (another run took it over after our timeout): left to it"}
