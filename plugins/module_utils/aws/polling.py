# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiting for AWS to reach a state: the read, the clock and the sleep are functions, so tests drive time without waiting."""


def poll_until(read, done, timeout, interval, sleep, clock):
    """Calls ``read()`` until ``done(value)`` or ``timeout`` seconds passed; returns (value, waited seconds, timed_out)."""
    start = clock()
    value = read()
    while not done(value):
        waited = clock() - start
        if waited >= timeout:
            return value, round(waited, 1), True
        sleep(min(interval, max(timeout - waited, 0)))
        value = read()
    return value, round(clock() - start, 1), False
