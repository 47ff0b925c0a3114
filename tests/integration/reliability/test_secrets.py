# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No credential appears in the output of playbooks/replicate.yml, even at -vvv: neither the
controller's secret key nor any secret key or session token STS issued during the run (the fault
proxy reads them from the AssumeRole answers)."""

import estate
from conftest import CONTROLLER_SECRET
from conftest import run_playbook
from conftest import wipe


def test_no_credential_in_verbose_output(harness, proxy, tmp_path):
    wipe(harness, proxy)
    vars_path, _variables = estate.seed(tmp_path, credentials="role_arn")
    run = run_playbook(proxy, vars_path, "-vvv", env={"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": CONTROLLER_SECRET})
    output = run.stdout + run.stderr
    assert run.returncode == 0, run.stdout[-4000:]
    issued = set(proxy.issued_secrets)
    assert len(issued) >= 4, f"expected the secret key and session token of both assumed roles, saw {len(issued)}"
    assert CONTROLLER_SECRET not in output
    leaked = sorted(secret[:8] + "..." for secret in issued if secret in output)
    assert leaked == [], f"credentials printed: {leaked}"
