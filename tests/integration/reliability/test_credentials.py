# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials that do not work end the run with why and the fix: the account side, the profile or role,
botocore's own reason and what to do, before any write.

moto accepts any key and lets anyone assume any role, so the two refusals it cannot make (a key
AWS does not know, a role whose trust refuses the caller) come from a stand-in STS endpoint
(AWS_ENDPOINT_URL_STS) that answers every request with the error AWS sends.
"""

import http.server
import os
import threading

import pytest
import yaml

import estate
from conftest import run_playbook
from conftest import wipe

SOURCE_ROLE = f"arn:aws:iam::{estate.SOURCE}:role/deployer"
INVALID_KEY = ("InvalidClientTokenId", "The security token included in the request is invalid.")
ASSUME_REFUSED = ("AccessDenied", f"User: arn:aws:iam::123456789012:user/harness is not authorized to perform: sts:AssumeRole on resource: {SOURCE_ROLE}")


class RefusingSts:
    """An STS endpoint on the loopback that answers every request with one error, as AWS's query protocol does."""

    def __init__(self, code, message):
        body = (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code>'
                f"<Message>{message}</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>").encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # pylint: disable=invalid-name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(403)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # pylint: disable=redefined-builtin
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def seeded(harness, proxy, tmp_path_factory):
    wipe(harness, proxy)
    return estate.seed(str(tmp_path_factory.mktemp("credentials")), foreign=False)


def _refused(proxy, vars_path, env=None):
    """The failure text of a --check run that must stop before any write."""
    writes_before = proxy.writes()
    run = run_playbook(proxy, vars_path, "--check", env=env, timeout=300)
    assert run.returncode != 0, run.stdout[-3000:]
    assert proxy.writes() == writes_before
    assert "no answer" not in run.stdout and "failed_when_suppressed_exception" not in run.stdout
    return run.stdout


def _with(vars_path, change, tmp_path):
    with open(vars_path, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    change(variables)
    path = str(tmp_path / "vars.yml")
    estate.write_vars(path, variables)
    return path


def test_a_missing_aws_config_file_names_it_and_aws_configure(proxy, seeded, tmp_path):
    missing = str(tmp_path / "no-such-dir" / "config")
    output = _refused(proxy, seeded[0], env={"AWS_CONFIG_FILE": missing})
    assert "replication_source: could not read account 211258069784 with profile 'prod'" in output
    assert "The config profile (prod) could not be found" in output
    assert f"{missing} does not exist" in output and "`aws configure --profile prod`" in output
    assert "replication_destination" in output and "`aws configure --profile analytics`" in output


def test_a_misspelt_profile_lists_the_profiles_there_are(proxy, seeded, tmp_path):
    vars_path = _with(seeded[0], lambda v: v["replication_destination"].update(profile="analytic"), tmp_path)
    output = _refused(proxy, vars_path)
    assert "replication_destination: could not read account 880161310235 with profile 'analytic'" in output
    assert "The config profile (analytic) could not be found" in output
    assert "correct the profile's name" in output and "analytics, " in output
    assert "replication_source: could not read" not in output


def test_invalid_credentials_say_the_key_is_wrong_and_how_to_replace_it(proxy, seeded):
    sts = RefusingSts(*INVALID_KEY)
    try:
        output = _refused(proxy, seeded[0], env={"AWS_ENDPOINT_URL_STS": sts.endpoint})
    finally:
        sts.stop()
    assert "replication_source: could not read account 211258069784 with profile 'prod'" in output
    assert "The security token included in the request is invalid. Fix: the access key of profile 'prod' is wrong" in output
    assert "`aws configure --profile prod`" in output


def test_a_role_that_cannot_be_assumed_names_its_trust_policy(proxy, seeded, tmp_path):
    def use_role(variables):
        variables["replication_source"].pop("profile")
        variables["replication_source"]["role_arn"] = SOURCE_ROLE

    vars_path = _with(seeded[0], use_role, tmp_path)
    sts = RefusingSts(*ASSUME_REFUSED)
    try:
        output = _refused(proxy, vars_path, env={"AWS_ENDPOINT_URL_STS": sts.endpoint, "AWS_PROFILE": "harness"})
    finally:
        sts.stop()
    assert f"replication_source: could not read account 211258069784 with role_arn {SOURCE_ROLE}" in output
    assert "is not authorized to perform: sts:AssumeRole" in output
    assert "the role's trust policy must allow it sts:AssumeRole" in output
    assert os.environ.get("AWS_ENDPOINT_URL_STS") is None
