"""The harness leaves the calling shell's credentials out in eval mode too, and says why the emulator did not start."""

import importlib.util
import os
import subprocess

HARNESS = os.path.join(os.path.dirname(__file__), "..", "..", "harness", "aws_harness.py")
SPEC = importlib.util.spec_from_file_location("aws_harness", HARNESS)
aws_harness = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(aws_harness)


def test_eval_mode_unsets_the_shells_credential_variables_before_it_exports_its_own():
    lines = aws_harness.shell_lines({"AWS_CONFIG_FILE": "/tmp/h/aws config"}).splitlines()
    assert "unset AWS_PROFILE" in lines and "unset AWS_ACCESS_KEY_ID" in lines and "unset AWS_SESSION_TOKEN" in lines
    assert lines[-1] == "export AWS_CONFIG_FILE='/tmp/h/aws config'"
    shell = subprocess.run(["bash", "-c", 'eval "$1"; echo "${AWS_PROFILE-unset} $AWS_CONFIG_FILE"', "_", "\n".join(lines)],
                           env=dict(os.environ, AWS_PROFILE="prod", AWS_ACCESS_KEY_ID="AKIAEXAMPLE"), capture_output=True, text=True, check=True)
    assert shell.stdout.strip() == "unset /tmp/h/aws config"


def test_the_cause_of_a_server_that_died_is_the_last_line_of_its_log(tmp_path):
    log = tmp_path / "moto.log"
    log.write_text("Traceback (most recent call last):\n  File x\nbotocore.exceptions.ProfileNotFound: The config profile (nope) could not be found\n\n")
    assert aws_harness.last_line(str(log)) == "botocore.exceptions.ProfileNotFound: The config profile (nope) could not be found"
    log.write_text("")
    assert aws_harness.last_line(str(log)) == "it wrote nothing"
