# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate suite: pairs found by the replication_pairs inventory on a two-account emulator of its own.

    .venv/bin/python -m pytest -q tests/integration/estate

Skips cleanly without moto or boto3.
"""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.path.dirname(sys.executable)
LINK = os.path.join(ROOT, ".build", "collections", "ansible_collections", "s3_crossaccount", "replication")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)

pytest.importorskip("moto", reason="moto is needed for the two-account harness")
pytest.importorskip("boto3")

_HARNESS_DIR = os.path.join(ROOT, "tests", "harness")
if _HARNESS_DIR not in sys.path:
    sys.path.insert(0, _HARNESS_DIR)

import aws_harness  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def harness():
    """Starts the emulator; yields its environment (also applied to os.environ for boto3 and the commands)."""
    if shutil.which("ansible-playbook", path=BIN) is None:
        pytest.skip("ansible-playbook is not installed next to this Python")
    with aws_harness.running_in_this_process("estate-harness-") as env:
        yield env


def ansible(command, *args, timeout=600):
    """Runs ansible-COMMAND with ARGS from the repository root against the harness; the CompletedProcess."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"), PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
               NO_COLOR="1", ANSIBLE_NOCOLOR="true", ANSIBLE_FORCE_COLOR="false", ANSIBLE_DEPRECATION_WARNINGS="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false", PYTHONWARNINGS="ignore")
    return subprocess.run([os.path.join(BIN, f"ansible-{command}")] + list(args), env=env, cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=timeout)


def recap(output):
    """{host: {ok, changed, failed, ...}} of the PLAY RECAP."""
    hosts = {}
    for line in output.split("PLAY RECAP", 1)[-1].splitlines() if "PLAY RECAP" in output else []:
        if " : " in line and "changed=" in line:
            host, counts = line.split(" : ", 1)
            hosts[host.strip()] = {name: int(value) for name, value in (pair.split("=") for pair in counts.split())}
    return hosts


def failure(output):
    """The failed tasks' lines and the recap of a playbook's output, for an assertion message."""
    lines = [line for line in output.splitlines() if line.startswith(("fatal:", "failed:")) or "FAILED!" in line]
    return "\n".join(lines[:10]) + "\n" + output.split("PLAY RECAP", 1)[-1][:3000]
