# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX way, through AWX's engine: ansible-runner runs the job template's playbook
(docs/awx/project/replicate.yml) with the survey's answers (docs/awx/survey.json) as extra vars,
the "Amazon Web Services" credential's key pair as the only credentials (environment variables,
an empty AWS config: no profile exists) and a role_arn assumed per side.

Check job (--check --diff) writes nothing; run job replicates; a second run changes nothing; no
assumed-role credential reaches the job's output or events.
"""

import json
import os
import shutil
import subprocess
import sys

import boto3
import pytest
import yaml

from conftest import BIN, ROOT, clean_environment, run

sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))  # aws_harness, seed_estate
import aws_harness  # noqa: E402  pylint: disable=wrong-import-position

pytest.importorskip("ansible_runner", reason="ansible-runner (AWX's engine) is in requirements-dev.txt")

SURVEY = os.path.join(ROOT, "docs", "awx", "survey.json")
PROJECT = os.path.join(ROOT, "docs", "awx", "project")
# moto's session tokens all start with this; none may reach the job's output.
SESSION_TOKEN_PREFIX = "FQoGZXIvYXdzEBYaD"
CONTROLLER_KEY = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


HARNESS_VARIABLES = ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL")


@pytest.fixture(scope="module", autouse=True)
def harness_environment(harness):
    """This process's boto3 (the test's own reads) talks to this module's harness, whatever another
    suite's session harness of the same pytest run left in os.environ; restored afterwards."""
    with aws_harness.environment({name: harness[name] for name in HARNESS_VARIABLES}):
        yield


def harness_s3(profile):
    """An S3 client of the test itself (a profile of the harness), to read state."""
    return boto3.Session(profile_name=profile, region_name="us-east-1").client("s3")


@pytest.fixture(scope="module")
def seeded(harness, tmp_path_factory):
    """The seed's estate; returns the demo vars with the real key ARNs."""
    out = tmp_path_factory.mktemp("seed") / "vars.yml"
    env = clean_environment(**harness)
    run([sys.executable, os.path.join(ROOT, "tests", "harness", "seed_demo.py"), "--vars", "examples/vars.yml", "--out", str(out)], env=env)
    with open(out, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def answers(seeded, harness):
    """The survey answered as an operator would: defaults kept, accounts, buckets, keys and roles filled in."""
    with open(SURVEY, encoding="utf-8") as handle:
        spec = json.load(handle)["spec"]
    source, destination = seeded["replication_source"], seeded["replication_destination"]
    given = {
        "source_account_id": harness["HARNESS_SOURCE_ACCOUNT"],
        "source_bucket": source["bucket"],
        "source_kms_key_arn": source["kms_key_arn"],
        "source_role_arn": f"arn:aws:iam::{harness['HARNESS_SOURCE_ACCOUNT']}:role/deployer",
        "destination_account_id": harness["HARNESS_DESTINATION_ACCOUNT"],
        "destination_bucket": destination["bucket"],
        "destination_kms_key_arn": destination["kms_key_arn"],
        "destination_role_arn": f"arn:aws:iam::{harness['HARNESS_DESTINATION_ACCOUNT']}:role/deployer",
    }
    result = {question["variable"]: given.get(question["variable"], question["default"]) for question in spec}
    for question in spec:
        value = result[question["variable"]]
        assert value != "" or not question["required"], f"survey question {question['variable']} needs an answer"
        if question["type"] in ("text", "textarea"):
            assert question["min"] <= len(value) <= question["max"], f"{question['variable']}: {value!r} outside the survey's length limits"
        if question["type"] == "multiplechoice":
            assert value in question["choices"]
    return result


@pytest.fixture(scope="module")
def private_data_dir(tmp_path_factory, answers, harness, installed_collections):
    """An ansible-runner private data directory laid out as AWX lays out a job's."""
    root = tmp_path_factory.mktemp("awx-job")
    shutil.copytree(PROJECT, root / "project")
    (root / "inventory").mkdir()
    (root / "inventory" / "hosts").write_text(f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n", encoding="utf-8")
    (root / "env").mkdir()
    empty_config = root / "empty_aws_config"
    empty_config.write_text("", encoding="utf-8")
    envvars = dict(
        CONTROLLER_KEY,
        AWS_CONFIG_FILE=str(empty_config),
        AWS_SHARED_CREDENTIALS_FILE=str(empty_config),
        AWS_ENDPOINT_URL=harness["AWS_ENDPOINT_URL"],
        AWS_EC2_METADATA_DISABLED="true",
        ANSIBLE_COLLECTIONS_PATH=str(installed_collections),
        ANSIBLE_NOCOLOR="true",
    )
    (root / "env" / "envvars").write_text(yaml.safe_dump(envvars), encoding="utf-8")
    (root / "env" / "extravars").write_text(yaml.safe_dump(answers), encoding="utf-8")
    return root


def run_job(private_data_dir, ident, cmdline=""):
    """Runs the job as AWX's engine does; returns (status, rc, stats, stdout, artifacts dir, events)."""
    cmdline_file = private_data_dir / "env" / "cmdline"
    if cmdline:
        cmdline_file.write_text(cmdline, encoding="utf-8")
    elif cmdline_file.exists():
        cmdline_file.unlink()
    subprocess.run(
        [os.path.join(BIN, "ansible-runner"), "run", str(private_data_dir), "-p", "replicate.yml", "--ident", ident],
        env=clean_environment(),
        capture_output=True,
        check=False,
        cwd=str(private_data_dir),
        timeout=600,
    )
    artifacts = private_data_dir / "artifacts" / ident
    status = (artifacts / "status").read_text(encoding="utf-8").strip()
    rc = int((artifacts / "rc").read_text(encoding="utf-8").strip())
    stdout = (artifacts / "stdout").read_text(encoding="utf-8")
    events = [json.loads(path.read_text(encoding="utf-8")) for path in (artifacts / "job_events").glob("*.json")]
    stats = [event["event_data"] for event in events if event.get("event") == "playbook_on_stats"]
    assert len(stats) == 1, f"no playbook_on_stats event in {artifacts}\n{stdout[-4000:]}"
    return status, rc, stats[0], stdout, artifacts, events


def role_assumptions(events):
    """The successful role assumptions: items of the preflight's sts_assume_role loop (one per side; no_log hides the rest)."""
    return [
        event
        for event in events
        if event.get("event") == "runner_item_on_ok" and event["event_data"].get("task_action") == "amazon.aws.sts_assume_role"
    ]


def assert_successful(status, rc, stats, stdout):
    assert (status, rc) == ("successful", 0), stdout[-6000:]
    assert not stats.get("failures") and not stats.get("dark"), stats


def assert_no_credentials(artifacts):
    for path in artifacts.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert SESSION_TOKEN_PREFIX not in text, f"an assumed-role session token is in {path}"
            assert "sts_creds" not in text, f"assumed-role credentials are in {path}"


def replication_configuration(s3, bucket):
    try:
        return s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError":
            return None
        raise


def bucket_exists(s3, bucket):
    try:
        s3.head_bucket(Bucket=bucket)
        return True
    except s3.exceptions.ClientError:
        return False


def test_awx_job_check_then_run_then_idempotent(private_data_dir, answers, harness):
    source_s3 = harness_s3("src")
    destination_s3 = harness_s3("dst")

    status, rc, stats, stdout, artifacts, events = run_job(private_data_dir, "check", cmdline="--check --diff")
    assert_successful(status, rc, stats, stdout)
    assert sum(stats["changed"].values()) > 0, "the check job previews no change on fresh accounts"
    assert replication_configuration(source_s3, answers["source_bucket"]) is None, "the check job wrote a replication configuration"
    assert not bucket_exists(destination_s3, answers["destination_bucket"]), "the check job created the destination bucket"
    assert_no_credentials(artifacts)

    status, rc, stats, stdout, artifacts, events = run_job(private_data_dir, "run")
    assert_successful(status, rc, stats, stdout)
    assert sum(stats["changed"].values()) > 0
    assert_no_credentials(artifacts)
    assert len(role_assumptions(events)) == 2, "the job did not assume a role per side"

    configuration = replication_configuration(source_s3, answers["source_bucket"])
    assert configuration is not None, "the run job wrote no replication configuration"
    assert configuration["Role"] == f"arn:aws:iam::{answers['source_account_id']}:role/{answers['role_name']}"
    (rule,) = configuration["Rules"]
    assert rule["ID"] == "all-objects"
    assert rule["Destination"]["Bucket"] == f"arn:aws:s3:::{answers['destination_bucket']}"
    assert rule["Destination"]["Account"] == answers["destination_account_id"]
    assert rule["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] == answers["destination_kms_key_arn"]
    assert rule["SourceSelectionCriteria"]["SseKmsEncryptedObjects"]["Status"] == "Enabled"
    assert rule["DeleteMarkerReplication"]["Status"] == "Enabled"
    assert rule["Destination"]["ReplicationTime"]["Status"] == "Enabled"
    assert bucket_exists(destination_s3, answers["destination_bucket"])

    status, rc, stats, stdout, artifacts, events = run_job(private_data_dir, "rerun")
    assert_successful(status, rc, stats, stdout)
    assert sum(stats["changed"].values()) == 0, f"the second job changed {stats['changed']}\n{stdout[-6000:]}"
    assert_no_credentials(artifacts)


def test_awx_job_refuses_a_role_in_another_account(private_data_dir, answers, harness):
    """A survey answer whose role lands in another account stops in the preflight, before any write."""
    wrong = dict(answers, destination_role_arn=f"arn:aws:iam::{harness['HARNESS_THIRD_ACCOUNT']}:role/deployer")
    extravars = private_data_dir / "env" / "extravars"
    saved = extravars.read_text(encoding="utf-8")
    extravars.write_text(yaml.safe_dump(wrong), encoding="utf-8")
    try:
        status, rc, stats, stdout, _artifacts, _events = run_job(private_data_dir, "wrong-account")
    finally:
        extravars.write_text(saved, encoding="utf-8")
    assert status == "failed" and rc != 0
    assert sum(stats["changed"].values()) == 0
    flat = " ".join(stdout.split())
    assert f"act in account {harness['HARNESS_THIRD_ACCOUNT']}" in flat, stdout[-4000:]
    assert f"but account_id is {answers['destination_account_id']}" in flat


@pytest.fixture(scope="module")
def estate_job(tmp_path_factory, harness, installed_collections):
    """A job of the estate job template: its inventory the project's replication_pairs source, three tagged buckets."""
    import seed_estate  # noqa: E402  pylint: disable=import-outside-toplevel

    seeded = seed_estate.seed(3, str(tmp_path_factory.mktemp("estate-seed")), prefix="awx-estate", others=True)
    root = tmp_path_factory.mktemp("awx-estate-job")
    shutil.copytree(PROJECT, root / "project")
    source = root / "project" / "inventories" / "estate.replication_pairs.yml"
    with open(source, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    inventory["destination"].update(bucket="awx-estate-central", kms_key_arn=seeded["destination_key"])
    source.write_text(yaml.safe_dump(inventory), encoding="utf-8")
    (root / "env").mkdir()
    empty_config = root / "empty_aws_config"
    empty_config.write_text("", encoding="utf-8")
    envvars = dict(CONTROLLER_KEY, AWS_CONFIG_FILE=str(empty_config), AWS_SHARED_CREDENTIALS_FILE=str(empty_config),
                   AWS_ENDPOINT_URL=harness["AWS_ENDPOINT_URL"], AWS_EC2_METADATA_DISABLED="true",
                   ANSIBLE_COLLECTIONS_PATH=str(installed_collections), ANSIBLE_NOCOLOR="true", ANSIBLE_INVENTORY_UNPARSED_FAILED="true")
    (root / "env" / "envvars").write_text(yaml.safe_dump(envvars), encoding="utf-8")
    return root, source, seeded, envvars


def test_awx_estate_inventory_source_from_the_project_drives_the_job(estate_job):
    """The inventory update (ansible-inventory on the project's file, the credential's key pair only) finds the tagged
    buckets; the job of estate.yml with that inventory replicates each into the central bucket (a rerun writing nothing is
    tests/integration/estate's)."""
    import ansible_runner  # noqa: E402  pylint: disable=import-outside-toplevel

    root, source, seeded, envvars = estate_job
    with aws_harness.environment({"PATH": BIN + os.pathsep + os.environ.get("PATH", "")}):
        listed, errors = ansible_runner.get_inventory(action="list", inventories=[str(source)], response_format="json", envvars=envvars,
                                                      private_data_dir=str(root / "inventory-update"), quiet=True)
    assert sorted(listed["replication_pairs"]["hosts"]) == seeded["tagged"], errors
    flat = " ".join(errors.split())
    assert "bucket awx-estate-aes matches but is left out" in flat and "bucket awx-estate-aws-managed matches but is left out" in flat

    subprocess.run([os.path.join(BIN, "ansible-runner"), "run", str(root), "-p", "estate.yml", "--inventory", str(source), "--ident", "estate"],
                   env=clean_environment(), capture_output=True, check=False, cwd=str(root), timeout=600)
    artifacts = root / "artifacts" / "estate"
    stdout = (artifacts / "stdout").read_text(encoding="utf-8")
    assert (artifacts / "status").read_text(encoding="utf-8").strip() == "successful", stdout[-6000:]
    assert_no_credentials(artifacts)
    assert len(role_assumptions([json.loads(path.read_text(encoding="utf-8")) for path in (artifacts / "job_events").glob("*.json")])) == 2
    source_s3 = harness_s3("src")
    for bucket in seeded["tagged"]:
        (rule,) = replication_configuration(source_s3, bucket)["Rules"]
        assert rule["Destination"]["Bucket"] == "arn:aws:s3:::awx-estate-central"
    for bucket in seeded["others"]:
        assert replication_configuration(source_s3, bucket) is None, bucket
