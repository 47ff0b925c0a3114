# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run lock against a fake S3 that keeps conditional-write semantics (If-None-Match, If-Match) and a clock the test drives."""

import datetime
import io
import json

import pytest
from botocore.exceptions import ClientError

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import s3 as aws_s3
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import run_lock

EPOCH = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def client_error(code, status):
    return ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "op")


class Clock:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self):
        return self.seconds

    def sleep(self, seconds):
        self.seconds += seconds

    def now(self):
        return EPOCH + datetime.timedelta(seconds=self.seconds)


class FakeS3:
    """One object store with S3's conditional writes; ``aws_retry`` is accepted like the retrying wrapper's."""

    def __init__(self, clock):
        self.clock = clock
        self.objects = {}
        self.writes = 0

    def _etag(self):
        self.writes += 1
        return f'"etag-{self.writes}"'

    def put_object(self, aws_retry=True, Bucket=None, Key=None, Body=b"", IfNoneMatch=None, IfMatch=None, ContentType=None):
        current = self.objects.get((Bucket, Key))
        if IfNoneMatch == "*" and current is not None:
            raise client_error("PreconditionFailed", 412)
        if IfMatch is not None and (current is None or current["etag"] != IfMatch):
            raise client_error("PreconditionFailed" if current else "NoSuchKey", 412 if current else 404)
        self.objects[(Bucket, Key)] = {"body": Body, "etag": self._etag(), "modified": self.clock.now()}
        return {"ETag": self.objects[(Bucket, Key)]["etag"]}

    def get_object(self, aws_retry=True, Bucket=None, Key=None):
        current = self.objects.get((Bucket, Key))
        if current is None:
            raise client_error("NoSuchKey", 404)
        date = self.clock.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
        return {"Body": io.BytesIO(current["body"]), "ETag": current["etag"], "LastModified": current["modified"],
                "ResponseMetadata": {"HTTPHeaders": {"date": date}}}

    def delete_object(self, aws_retry=True, Bucket=None, Key=None, IfMatch=None):
        current = self.objects.get((Bucket, Key))
        if current is None:
            raise client_error("NoSuchKey", 404)
        if IfMatch is not None and current["etag"] != IfMatch:
            raise client_error("PreconditionFailed", 412)
        del self.objects[(Bucket, Key)]
        return {}


@pytest.fixture(name="clock")
def clock_fixture():
    return Clock()


@pytest.fixture(name="s3")
def s3_fixture(clock):
    return FakeS3(clock)


def take(s3, clock, owner, timeout=900, wait=60):
    return run_lock.acquire(s3, "ops", "run.lock", owner, timeout, wait, poll_seconds=5, clock=clock, sleep=clock.sleep)


def test_a_free_lock_is_taken_at_once_and_names_its_owner(s3, clock):
    taken = take(s3, clock, "run A")
    assert taken["took_over_from"] is None and taken["waited_seconds"] == 0
    assert json.loads(s3.objects[("ops", "run.lock")]["body"])["owner"] == "run A"


def test_a_held_lock_makes_the_other_run_wait_then_fail_naming_the_holder(s3, clock):
    take(s3, clock, "run A")
    with pytest.raises(run_lock.LockBusy, match="held by run A since 60 seconds"):
        take(s3, clock, "run B", wait=60)
    assert json.loads(s3.objects[("ops", "run.lock")]["body"])["owner"] == "run A"


def test_a_lock_released_while_waiting_is_taken(s3, clock):
    first = take(s3, clock, "run A")
    releases = {"at": 10}

    def sleep(seconds):
        clock.sleep(seconds)
        if clock.seconds >= releases["at"] and ("ops", "run.lock") in s3.objects:
            run_lock.release(s3, "ops", "run.lock", first["etag"])

    taken = run_lock.acquire(s3, "ops", "run.lock", "run B", 900, 60, poll_seconds=5, clock=clock, sleep=sleep)
    assert taken["waited_seconds"] == 10 and taken["took_over_from"] is None


def test_a_stale_lock_is_taken_over_with_its_holder_named(s3, clock):
    take(s3, clock, "run A", timeout=100)
    clock.sleep(101)
    taken = take(s3, clock, "run B", timeout=100)
    assert taken["took_over_from"] == {"owner": "run A", "age_seconds": 101}
    assert json.loads(s3.objects[("ops", "run.lock")]["body"])["owner"] == "run B"


def test_two_runs_taking_over_one_stale_lock_cannot_both_win(s3, clock):
    take(s3, clock, "run A", timeout=100)
    clock.sleep(200)
    stale = aws_s3.get_object(s3, "ops", "run.lock")
    body_b, body_c = run_lock.lock_body("run B", "t", 100), run_lock.lock_body("run C", "t", 100)
    assert aws_s3.put_object_if_unchanged(s3, "ops", "run.lock", body_b, stale["etag"])
    assert aws_s3.put_object_if_unchanged(s3, "ops", "run.lock", body_c, stale["etag"]) is None
    assert json.loads(s3.objects[("ops", "run.lock")]["body"])["owner"] == "run B"


def test_release_deletes_only_our_lock(s3, clock):
    first = take(s3, clock, "run A", timeout=100)
    clock.sleep(150)
    take(s3, clock, "run B", timeout=100)
    released = run_lock.release(s3, "ops", "run.lock", first["etag"])
    assert released["released"] is False and "no longer ours" in released["reason"]
    assert json.loads(s3.objects[("ops", "run.lock")]["body"])["owner"] == "run B"


def test_release_of_a_lock_already_gone_is_fine(s3, clock):
    first = take(s3, clock, "run A")
    del s3.objects[("ops", "run.lock")]
    assert run_lock.release(s3, "ops", "run.lock", first["etag"]) == {"released": True, "reason": None}


def test_the_age_is_measured_by_s3s_clock():
    current = {"last_modified": EPOCH, "server_time": EPOCH + datetime.timedelta(seconds=30)}
    assert run_lock.age_seconds(current) == 30
    assert run_lock.is_stale(current, 29) and not run_lock.is_stale(current, 30)


def test_a_takeover_is_warned_about_with_the_stale_holder():
    taken = {"etag": '"e"', "took_over_from": {"owner": "run A", "age_seconds": 1000}, "waited_seconds": 0}
    assert run_lock.takeover_warnings("ops", "run.lock", taken, 900) == [
        "took over the stale run lock s3://ops/run.lock of run A (1000 seconds old, timeout 900)"]
    assert run_lock.takeover_warnings("ops", "run.lock", dict(taken, took_over_from=None), 900) == []
