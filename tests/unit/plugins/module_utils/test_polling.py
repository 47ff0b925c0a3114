# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.polling import poll_until


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_poll_until_stops_when_done():
    clock = FakeClock()
    values = iter(["PENDING", "PENDING", "COMPLETED"])
    value, waited, timed_out = poll_until(lambda: next(values), lambda v: v == "COMPLETED", 60, 5, clock.sleep, clock)
    assert (value, waited, timed_out) == ("COMPLETED", 10.0, False)
    assert clock.sleeps == [5, 5]


def test_poll_until_gives_up_at_the_timeout_without_oversleeping():
    clock = FakeClock()
    value, waited, timed_out = poll_until(lambda: "PENDING", lambda v: False, 12, 5, clock.sleep, clock)
    assert (value, waited, timed_out) == ("PENDING", 12.0, True)
    assert clock.sleeps == [5, 5, 2]


def test_poll_until_with_zero_timeout_reads_once():
    clock = FakeClock()
    reads = []
    poll_until(lambda: reads.append(1), lambda v: False, 0, 5, clock.sleep, clock)
    assert reads == [1] and clock.sleeps == []
