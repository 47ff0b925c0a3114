# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's "Use it on your accounts" commands, run exactly as written in a fresh copy of the
tree (no .build, no vars.yml), against the two-account emulator.

The one step a user does by hand, filling in vars.yml after `cp examples/vars.yml vars.yml`, is
done by the seed (the emulator's accounts, buckets and key ARNs). Every command must succeed and
print no warning; the preview changes nothing in the accounts, the apply sets replication up, the
doctor finds nothing broken. (The installed collection's `ansible-playbook
s3_crossaccount.replication.replicate` is run by scripts/test_install.sh.)
"""

import os
import re
import subprocess
import sys

import boto3
import pytest

from conftest import HARNESS, ROOT, clean_environment, run

README = os.path.join(ROOT, "README.md")
FILL_IN_VARS = "cp examples/vars.yml vars.yml"
SEED = "python tests/harness/seed_demo.py --vars examples/vars.yml --out vars.yml > /dev/null"
PREVIEW = "--check"
# After the preview: what the source bucket's replication configuration holds (nothing yet).
PROBE = ("python -c \"import boto3; s3 = boto3.Session(profile_name='prod').client('s3'); "
         "print('replication rules:', [r['ID'] for r in s3.get_bucket_replication(Bucket='stats-data-src')['ReplicationConfiguration']['Rules']])\" "
         "2>/dev/null || echo 'replication rules: none'")
WARNING = re.compile(r"^\[(DEPRECATION )?WARNING\]|^\S*WARNING\S*:", re.MULTILINE)


def readme_commands():
    """The first bash block of the README's "Use it on your accounts" section, one command per line."""
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Use it on your accounts", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_block_is_the_one_described():
    commands = readme_commands()
    assert commands[0].startswith("make setup") and FILL_IN_VARS in commands[1], commands
    assert [c.split("#")[0].split() for c in commands[2:]] == [
        ["ansible-playbook", "playbooks/replicate.yml", "-e", "@vars.yml", "--check", "--diff"],
        ["ansible-playbook", "playbooks/replicate.yml", "-e", "@vars.yml"],
        ["ansible-playbook", "playbooks/doctor.yml", "-e", "@vars.yml"],
    ]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the tree as a fresh clone has it; the venv is linked in (make setup then only checks it)."""
    work = tmp_path_factory.mktemp("newcomer")
    where = work / "replication"
    where.mkdir()
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "--null", "-T", "-", "-cf", str(work / "tree.tar")], cwd=ROOT, input=files, check=True)
    subprocess.run(["tar", "-xf", str(work / "tree.tar"), "-C", str(where)], check=True)
    os.symlink(os.path.join(ROOT, ".venv"), where / ".venv")
    return where


def _run_as_written(checkout, harness):
    """Each README command in one shell, stopping at the first failure; returns each command's output."""
    script = ["set -e", "exec 2>&1"]
    for index, command in enumerate(readme_commands()):
        script.append(f"echo '@@ {index} {command}'")
        script.append(command)
        if FILL_IN_VARS in command:
            script.append(SEED)
        if PREVIEW in command.split("#")[0].split():
            script.append(PROBE)
    env = clean_environment(**harness)
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=checkout, env=env, capture_output=True, text=True, check=False)
    outputs = re.split(r"^@@ \d+ .*$", result.stdout, flags=re.MULTILINE)[1:]
    return result, outputs


def _replication_rule_ids(harness, monkeypatch):
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"):
        monkeypatch.setenv(name, harness[name])
    s3 = boto3.Session(profile_name="prod").client("s3")
    return [rule["ID"] for rule in s3.get_bucket_replication(Bucket="stats-data-src")["ReplicationConfiguration"]["Rules"]]


@pytest.fixture(name="fresh_accounts")
def fresh_accounts_fixture(harness):
    """The emulator's accounts as a newcomer's, with nothing set up yet; forgotten again afterwards
    (the session's harness is shared with the other ecosystem tests)."""
    reset = [sys.executable, HARNESS, "reset", "--dir", harness["HARNESS_DIR"]]
    run(reset)
    yield harness
    run(reset)


def test_the_readme_commands_work_as_written(checkout, fresh_accounts, monkeypatch):
    harness = fresh_accounts
    result, outputs = _run_as_written(checkout, harness)
    commands = readme_commands()
    assert result.returncode == 0 and len(outputs) == len(commands), f"{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    for command, output in zip(commands, outputs):
        assert not WARNING.search(output), f"{command} printed a warning:\n{output[-3000:]}"
    preview, apply, doctor = outputs[2:]
    assert "--- before" in preview and "+++ after" in preview and "replication rules: none" in preview
    assert re.search(r"changed=[1-9]", apply) and "Replication doctor: OK" in doctor
    assert _replication_rule_ids(harness, monkeypatch) == ["all-objects"]
