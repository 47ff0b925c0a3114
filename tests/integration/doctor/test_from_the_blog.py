# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A setup made by hand from the seed blog post (tests/harness/seed_blog.py), taken over by playbooks/replicate.yml
(docs/from-the-blog.md): the run converges, its rule all-objects at priority 2 governs every object, and the console rule
replicate-all it shadows is a warning, not a failure; the doctor agrees; every statement it did not write stays; removing
the console rule with ``state: absent``, the fix the warning gives, takes the warning away.

    .venv/bin/python -m pytest -q tests/integration/doctor/test_from_the_blog.py
"""

import json
import sys

import pytest
import yaml

import doctor_estate as de

sys.path.insert(0, de.HARNESS_DIR)
import seed_blog  # noqa: E402  pylint: disable=wrong-import-position
from show_state import session  # noqa: E402  pylint: disable=wrong-import-position


def _verdict_lines(stdout, status):
    """The verdict's lines of one status, as the run prints them before any write."""
    return [line.strip().strip('",') for line in stdout.splitlines() if line.strip().startswith(f'"{status.upper()} ')]


class Blog:
    """The seeded setup: the vars file, both sides, and the first replicate.yml run over it."""

    def __init__(self, workdir, vars_path, run):
        self.workdir, self.vars_path, self.run = workdir, vars_path, run
        with open(vars_path, encoding="utf-8") as handle:
            self.variables = yaml.safe_load(handle)
        self.source, self.destination = self.variables["replication_source"], self.variables["replication_destination"]

    def rules(self):
        configuration = session(self.source).client("s3").get_bucket_replication(Bucket=self.source["bucket"])["ReplicationConfiguration"]
        return {rule["ID"]: rule for rule in configuration["Rules"]}

    def bucket_sids(self):
        policy = session(self.destination).client("s3").get_bucket_policy(Bucket=self.destination["bucket"])["Policy"]
        return [statement.get("Sid") for statement in json.loads(policy)["Statement"]]

    def key_sids(self):
        kms = session(self.destination).client("kms")
        policy = kms.get_key_policy(KeyId=self.destination["kms_key_arn"], PolicyName="default")["Policy"]
        return [statement.get("Sid") for statement in json.loads(policy)["Statement"]]

    def doctor(self):
        return de.run_doctor(self.workdir, self.vars_path)


@pytest.fixture(scope="module")
def blog(harness, tmp_path_factory):
    """The blog's setup seeded by hand, then replicate.yml run over it."""
    workdir = tmp_path_factory.mktemp("from-the-blog")
    vars_path = str(workdir / "vars.yml")
    de.seed_vars(harness, "seed_blog.py", vars_path)
    return Blog(workdir, vars_path, de.run_playbook("replicate.yml", "-e", f"@{vars_path}"))


def test_replicate_converges_and_warns_that_the_console_rule_is_shadowed(blog):
    assert blog.run.returncode == 0, blog.run.stdout[-4000:]
    assert _verdict_lines(blog.run.stdout, "fail") == []
    (shadowed,) = [line for line in _verdict_lines(blog.run.stdout, "warn") if line.startswith("WARN rules.shadowed")]
    assert "rule replicate-all (priority 1, every object) never applies: rule all-objects (priority 2)" in shadowed
    assert "state: absent" in shadowed


def test_our_rule_takes_the_next_priority_and_the_console_rule_is_left_as_it_was(blog):
    rules = blog.rules()
    ours, console = rules["all-objects"], rules[seed_blog.RULE_ID]
    assert ours["Priority"] == 2 and ours["SourceSelectionCriteria"]["SseKmsEncryptedObjects"]["Status"] == "Enabled"
    assert ours["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] == blog.destination["kms_key_arn"]
    assert console == seed_blog.console_rule(blog.destination)


def test_the_doctor_finds_no_failure_and_names_the_shadowed_rule(blog):
    run, report = blog.doctor()
    assert run.returncode == 0, run.stdout[-3000:]
    assert report["summary"]["fail"] == 0, [f for f in report["findings"] if f["status"] == "fail"]
    (shadowed,) = [f for f in report["findings"] if f["id"] == "rules.shadowed"]
    assert shadowed["status"] == "warn" and "rule replicate-all" in shadowed["message"]
    assert "[WARN] rules.shadowed (stats-data-src): rule replicate-all" in run.stdout


def test_every_statement_the_run_did_not_write_stays(blog):
    sids = blog.bucket_sids()
    assert set(seed_blog.BLOG_BUCKET_SIDS) | {seed_blog.OTHER_TEAM_SIDS["bucket"]} <= set(sids)
    assert {seed_blog.BLOG_KEY_SID, seed_blog.OTHER_TEAM_SIDS["key"]} <= set(blog.key_sids())
    inline = session(blog.source).client("iam").list_role_policies(RoleName="s3-replication-role")["PolicyNames"]
    assert seed_blog.BLOG_ROLE_POLICY in inline and len(inline) == 2


def test_removing_the_console_rule_as_the_warning_says_leaves_no_warning_about_rules(blog):
    variables = dict(blog.variables, replication_rules=blog.variables["replication_rules"] + [{"id": seed_blog.RULE_ID, "state": "absent"}])
    removed = str(blog.workdir / "removed.yml")
    with open(removed, "w", encoding="utf-8") as handle:
        yaml.safe_dump(variables, handle)
    run = de.run_playbook("replicate.yml", "-e", f"@{removed}")
    assert run.returncode == 0, run.stdout[-3000:]
    assert list(blog.rules()) == ["all-objects"]
    assert not [line for line in _verdict_lines(run.stdout, "warn") if line.startswith("WARN rules.")]
