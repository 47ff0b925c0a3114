# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reliability suites: their own two-account emulator, with tests/harness/fault_proxy.py in front.

    .venv/bin/python -m pytest -q tests/integration/reliability

Every playbook run talks to the proxy (AWS_ENDPOINT_URL and the config's endpoint_url point at
it). botocore's own retries are off (AWS_MAX_ATTEMPTS=1, retry_mode standard), so any fault
survived was survived by the collection's retries. Skips cleanly without moto or boto3.
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

for _path in (os.path.join(ROOT, "tests", "harness"), os.path.dirname(__file__)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import aws_harness  # noqa: E402  pylint: disable=wrong-import-position
import fault_proxy  # noqa: E402  pylint: disable=wrong-import-position

# The controller's own key pair (AWX style). Distinctive, so a test can grep output for it.
CONTROLLER_SECRET = "ReliabilityControllerSecret0123456789abcdEF"


@pytest.fixture(scope="session")
def harness():
    """Starts the emulator; yields its environment (also applied to os.environ for boto3)."""
    if shutil.which("ansible-playbook", path=BIN) is None:
        pytest.skip("ansible-playbook is not installed next to this Python")
    with aws_harness.running_in_this_process("reliability-harness-") as env:
        yield env


@pytest.fixture(scope="session")
def proxy(harness):
    """The fault proxy in front of moto, no faults until a test sets ``rate``."""
    instance = start_proxy(harness)
    try:
        yield instance
    finally:
        instance.stop()


def start_proxy(harness, **options):
    """A started FaultProxy in front of moto, with an AWS config file whose endpoint_url is the proxy."""
    instance = fault_proxy.FaultProxy(harness["HARNESS_ENDPOINT"], **options)
    instance.start()
    config = os.path.join(harness["HARNESS_DIR"], f"aws_config_proxy_{instance.endpoint.rsplit(':', 1)[1]}")
    with open(os.path.join(harness["HARNESS_DIR"], "aws_config"), encoding="utf-8") as handle:
        text = handle.read()
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(text.replace(harness["HARNESS_ENDPOINT"], instance.endpoint))
    instance.config_file = config
    return instance


@pytest.fixture()
def clean(harness, proxy):
    """A wiped emulator and a quiet proxy (rate 0, counters reset)."""
    return wipe(harness, proxy)


def wipe(harness, proxy):
    aws_harness.reset(harness["HARNESS_DIR"])
    proxy.reset_counters(rate=0.0)
    proxy.on_write = None
    proxy.user_agent = None
    proxy.kinds = fault_proxy.KINDS
    return harness


def playbook_env(proxy, extra=None):
    """The environment of an ansible-playbook run through the proxy, botocore retries off."""
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, ".build", "collections"),
        "PATH": BIN + os.pathsep + env.get("PATH", ""),
        "NO_COLOR": "1",
        "ANSIBLE_FORCE_COLOR": "false",
        "ANSIBLE_NOCOLOR": "true",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "AWS_ENDPOINT_URL": proxy.endpoint,
        "AWS_CONFIG_FILE": proxy.config_file,
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
    })
    env.update(extra or {})
    return env


def run_playbook(proxy, vars_path, *extra, env=None, name="replicate.yml", timeout=600, **popen):
    command = [os.path.join(BIN, "ansible-playbook"), os.path.join(ROOT, "playbooks", name), "-e", f"@{vars_path}"] + list(extra)
    return subprocess.run(command, env=playbook_env(proxy, env), cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout,
                          **popen)


def recap(output):
    """{ok, changed, failed, ...} of the PLAY RECAP, summed over its hosts (the pairs' and the accounts')."""
    totals = {}
    recap_lines = output.split("PLAY RECAP", 1)[-1].splitlines() if "PLAY RECAP" in output else []
    for line in recap_lines:
        if " : " in line and "changed=" in line:
            for pair in line.split(" : ", 1)[1].split():
                name, value = pair.split("=")
                totals[name] = totals.get(name, 0) + int(value)
    return totals
