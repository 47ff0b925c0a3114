# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every integration suite: the collection's modules record each AWS call they make (S3_CROSSACCOUNT_CALL_LOG,
plugins/module_utils/aws/call_log.py), and test_operations_covered.py, run last, checks the record against
the IAM actions the wrappers declare."""

import os
import sys
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINK = os.path.join(ROOT, ".build", "collections", "ansible_collections", "s3_crossaccount", "replication")
if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)
if os.path.join(ROOT, ".build", "collections") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))

COVERAGE_TEST = "test_operations_covered.py"
VARIABLE = "S3_CROSSACCOUNT_CALL_LOG"

if not os.environ.get(VARIABLE):
    _descriptor, _path = tempfile.mkstemp(prefix="aws-calls-", suffix=".jsonl")
    os.close(_descriptor)
    os.environ[VARIABLE] = _path
    OWN_LOG = _path
else:
    OWN_LOG = None


def pytest_collection_modifyitems(items):
    """The coverage test reads what every other test recorded: it runs last."""
    items.sort(key=lambda item: os.path.basename(str(item.fspath)) == COVERAGE_TEST)


def pytest_terminal_summary(terminalreporter, config):
    """The coverage test's count, in every run's summary."""
    if getattr(config, "operations_summary", None):
        terminalreporter.write_line(config.operations_summary)


def pytest_unconfigure(config):  # pylint: disable=unused-argument
    if OWN_LOG:
        try:
            os.remove(OWN_LOG)
        except FileNotFoundError:
            pass


@pytest.fixture(scope="session")
def call_log():
    return os.environ[VARIABLE]
