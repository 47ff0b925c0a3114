# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness in real-AWS mode: AWS's document quotas and a new role invalid as a principal for
PRINCIPAL_DELAY seconds after CreateRole (tests/harness/aws_limits.py).

    .venv/bin/python -m pytest -q tests/integration/limits

Skips cleanly when moto (or boto3) is not installed.
"""

import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LINK = os.path.join(ROOT, ".build", "collections", "ansible_collections", "s3_crossaccount", "replication")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)
if os.path.join(ROOT, ".build", "collections") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))

pytest.importorskip("moto", reason="moto is needed for the two-account harness")
pytest.importorskip("boto3")

sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))
import aws_harness  # noqa: E402  pylint: disable=wrong-import-position

PRINCIPAL_DELAY = 3.0


@pytest.fixture(scope="session")
def real_harness():
    """The emulator in real-AWS mode; yields its environment (also applied to os.environ for boto3)."""
    with aws_harness.running_in_this_process("limits-harness-", real_aws=True, principal_delay=PRINCIPAL_DELAY) as env:
        yield env


@pytest.fixture()
def clean_real_harness(real_harness):
    aws_harness.reset(real_harness["HARNESS_DIR"])
    return real_harness
