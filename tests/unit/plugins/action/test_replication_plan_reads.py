# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A read that failed reaches the verdict with its reason, never as "no answer"."""

from ansible_collections.s3_crossaccount.replication.plugins.action.replication_plan import _failure_text


def test_a_failed_read_keeps_the_modules_message():
    assert _failure_text({"failed": True, "msg": "could not sign in: The config profile (prod) could not be found. Fix: ..."}).startswith(
        "could not sign in: The config profile (prod)")


def test_a_module_that_crashed_is_told_by_the_last_line_of_its_traceback():
    crashed = {"failed": True, "msg": "MODULE FAILURE", "exception": "Traceback (most recent call last):\n  File x\n"
               "botocore.exceptions.ProfileNotFound: The config profile (prod) could not be found\n"}
    assert _failure_text(crashed) == "the module failed: botocore.exceptions.ProfileNotFound: The config profile (prod) could not be found"
    assert _failure_text({"failed": True, "msg": "MODULE FAILURE", "module_stderr": "Killed\n"}) == "the module failed: Killed"


def test_nothing_at_all_says_how_to_see_more():
    assert "-vvv" in _failure_text({"failed": True})
