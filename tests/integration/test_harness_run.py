"""A harness run starts the emulator whatever AWS_PROFILE the calling shell has, hands the command none of
the shell's credential variables, and removes the /tmp/aws-harness-* directory it made."""

import glob
import os
import subprocess
import sys

HARNESS = os.path.join(os.path.dirname(__file__), "..", "harness", "aws_harness.py")


def test_run_starts_despite_a_missing_profile_in_the_shell_and_removes_its_directory(tmp_path):
    env = dict(os.environ, AWS_PROFILE="no-such-profile", TMPDIR=str(tmp_path))
    command = [sys.executable, HARNESS, "run", "--", sys.executable, "-c", "import os; print(os.environ.get('AWS_PROFILE'), os.environ['HARNESS_DIR'])"]
    answer = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert answer.returncode == 0, answer.stderr
    profile, state_dir = answer.stdout.split()
    assert profile == "None" and state_dir.startswith(str(tmp_path))
    assert not glob.glob(str(tmp_path / "aws-harness-*"))
