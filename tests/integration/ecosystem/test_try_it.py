# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/try-it.md's commands, run as written in a fresh copy of the tree by a shell that has an
AWS_PROFILE of its own (which the emulator has no profile for): every playbook succeeds, the
preview changes nothing, the teardown leaves no rule, and the emulator is stopped at the end."""

import os
import re
import subprocess

from conftest import ROOT, clean_environment
from test_newcomer import checkout  # noqa: F401  pylint: disable=unused-import

TRY_IT = os.path.join(ROOT, "docs", "try-it.md")
# The subshell is the user's; the rest runs as written (make setup only links the collection: the copy links the venv).
NOT_RUN = ("bash ", "exit ")


def try_it_commands():
    with open(TRY_IT, encoding="utf-8") as handle:
        block = handle.read().split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_block_starts_seeds_runs_every_playbook_and_stops():
    commands = [command.split("#")[0].split() for command in try_it_commands() if not command.startswith(NOT_RUN)]
    assert commands[0][:2] == ["make", "setup"] and commands[1][:4] == ["eval", '"$(python', "tests/harness/aws_harness.py", "start"]
    assert commands[-1][2] == "stop"
    assert [command[1] for command in commands if command[0] == "ansible-playbook"] == [
        "playbooks/replicate.yml", "playbooks/replicate.yml", "playbooks/doctor.yml", "playbooks/status.yml", "playbooks/teardown.yml"]


def test_the_try_it_commands_work_as_written(checkout):  # pylint: disable=redefined-outer-name
    script = ["set -e", "exec 2>&1"]
    for index, command in enumerate(try_it_commands()):
        if not command.startswith(NOT_RUN):
            script += [f"echo '@@ {index} {command}'", command]
    script.append("echo \"AWS_PROFILE=${AWS_PROFILE-unset}\"")
    env = clean_environment(AWS_PROFILE="someone-elses-profile")
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=checkout, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert result.returncode == 0, result.stdout[-5000:]
    outputs = dict(zip(re.findall(r"^@@ \d+ (.*)$", result.stdout, flags=re.MULTILINE), re.split(r"^@@ \d+ .*$", result.stdout, flags=re.MULTILINE)[1:]))
    preview = next(output for command, output in outputs.items() if "--check" in command)
    assert "--- before" in preview and not re.search(r"failed=[1-9]", preview)
    assert "Replication doctor: OK" in next(output for command, output in outputs.items() if "doctor.yml" in command)
    assert re.search(r"changed=[1-9]", next(output for command, output in outputs.items() if "teardown.yml" in command))
    assert result.stdout.rstrip().endswith("AWS_PROFILE=unset")
    with open(os.path.join(checkout, ".build", "try-it", "moto.log"), encoding="utf-8") as handle:
        assert handle.read()
    assert not os.path.exists(os.path.join(checkout, ".build", "try-it", "env.json"))
