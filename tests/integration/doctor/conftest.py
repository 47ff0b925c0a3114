# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The doctor's harness tests: their own two-account emulator, started once per session.

    .venv/bin/python -m pytest -q tests/integration/doctor

Skips cleanly when moto (or boto3) is not installed.
"""

import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HARNESS = os.path.join(ROOT, "tests", "harness", "aws_harness.py")
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

sys.path.insert(0, os.path.dirname(__file__))
import doctor_estate  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def harness():
    """Starts the emulator; yields its environment (also applied to os.environ for boto3)."""
    with aws_harness.running_in_this_process("doctor-harness-") as env:
        yield env


@pytest.fixture()
def clean_harness(harness):
    subprocess.run([sys.executable, HARNESS, "reset", "--dir", harness["HARNESS_DIR"]], check=True)
    doctor_estate.forget_clients()
    return harness
