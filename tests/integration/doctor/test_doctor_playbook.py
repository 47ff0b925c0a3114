# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/doctor.yml end to end: the seed's estate converged by playbooks/replicate.yml (with failure alerts, so that
failure-alerts is ok) is diagnosed without failure or warning; one break makes the run fail and lands in the JSON
report; both the profile and the role_arn (AWX) ways of reaching an account work."""

import pytest
import yaml

import doctor_estate as de


@pytest.fixture(scope="module")
def converged_vars(harness, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("doctor-playbook")
    vars_path = str(workdir / "vars.yml")
    de.seed_vars(harness, "seed_demo.py", vars_path)
    with open(vars_path, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    variables["replication_alerts"] = {"create_topic": "replication-alerts"}
    with open(vars_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(variables, handle)
    converge = de.run_playbook("replicate.yml", "-e", f"@{vars_path}")
    assert converge.returncode == 0, converge.stdout[-3000:]
    return workdir, vars_path


def _failing(report):
    return {f["id"] for f in report["findings"] if f["status"] == "fail"}


def test_replicate_then_doctor_finds_nothing_broken(converged_vars):
    workdir, vars_path = converged_vars
    run, report = de.run_doctor(workdir, vars_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert report["summary"]["fail"] == 0 and _failing(report) == set()
    assert report["status"] == "ok" and report["summary"]["warn"] == 0
    assert {f["id"] for f in report["findings"] if f["status"] == "info"} == {"existing-objects"}
    assert [f["status"] for f in report["findings"] if f["id"] == "failure-alerts"] == ["ok"]
    assert "== source account 211258069784 ==" in run.stdout and "Replication doctor: OK" in run.stdout
    assert "[INFO] existing-objects" in run.stdout and "run playbooks/backfill.yml" in run.stdout


def test_fail_on_warn(converged_vars):
    workdir, vars_path = converged_vars
    healthy, _report = de.run_doctor(workdir, vars_path, "-e", "doctor_fail_on_warn=true")
    assert healthy.returncode == 0, healthy.stdout[-3000:]
    with open(vars_path, encoding="utf-8") as handle:
        source = yaml.safe_load(handle)["replication_source"]
    s3 = de.client(de.SOURCE, "s3")
    encryption = s3.get_bucket_encryption(Bucket=source["bucket"])["ServerSideEncryptionConfiguration"]
    s3.put_bucket_encryption(Bucket=source["bucket"],
                             ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    try:
        run, report = de.run_doctor(workdir, vars_path, "-e", "doctor_fail_on_warn=true")
    finally:
        s3.put_bucket_encryption(Bucket=source["bucket"], ServerSideEncryptionConfiguration=encryption)
    assert run.returncode != 0 and "[WARN]" in run.stdout
    assert report["summary"]["fail"] == 0 and report["summary"]["warn"] >= 1


def test_role_arn_instead_of_profiles(converged_vars):
    """AWX style: no profiles, each account reached by a role assumed from the ambient credentials."""
    workdir, vars_path = converged_vars
    with open(vars_path, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    for side in ("replication_source", "replication_destination"):
        account = variables[side]["account_id"]
        del variables[side]["profile"]
        variables[side]["role_arn"] = f"arn:aws:iam::{account}:role/harness-admin"
    awx_vars = str(workdir / "awx-vars.yml")
    with open(awx_vars, "w", encoding="utf-8") as handle:
        yaml.safe_dump(variables, handle)
    run, report = de.run_doctor(workdir, awx_vars, "-e", "doctor_show_ok=false")
    assert run.returncode == 0, run.stdout[-3000:]
    assert _failing(report) == set() and "[OK" not in run.stdout


def test_a_broken_prerequisite_fails_the_run(converged_vars):
    workdir, vars_path = converged_vars
    with open(vars_path, encoding="utf-8") as handle:
        destination = yaml.safe_load(handle)["replication_destination"]
    s3 = de.client(de.DESTINATION, "s3")
    s3.put_bucket_versioning(Bucket=destination["bucket"], VersioningConfiguration={"Status": "Suspended"})
    try:
        run, report = de.run_doctor(workdir, vars_path)
    finally:
        s3.put_bucket_versioning(Bucket=destination["bucket"], VersioningConfiguration={"Status": "Enabled"})
    assert run.returncode != 0
    assert _failing(report) == {"destination-versioning"}
    assert "[FAIL] destination-versioning" in run.stdout and "put-bucket-versioning" in run.stdout
