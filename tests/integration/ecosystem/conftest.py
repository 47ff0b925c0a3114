# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ecosystem tests: the collection as Galaxy, ansible-builder, AWX (ansible-runner),
ansible-doc and antsibull-changelog see it.

    .venv/bin/python -m pytest -q tests/integration/ecosystem

Everything runs from a tarball built from this tree and installed into a fresh collections
path, never from .build/collections. The AWX test starts its own two-account emulator.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.path.dirname(sys.executable)
HARNESS = os.path.join(ROOT, "tests", "harness", "aws_harness.py")
COLLECTION = "s3_crossaccount.replication"


def run(argv, **kwargs):
    """Runs argv, failing with its output when it exits non-zero."""
    kwargs.setdefault("cwd", ROOT)
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{' '.join(argv)} exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def clean_environment(**extra):
    """The calling environment without anything that points Ansible or AWS elsewhere."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ANSIBLE_", "AWS_", "HARNESS_", "MOLECULE_")) and name != "PYTHONPATH"
    }
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env["ANSIBLE_NOCOLOR"] = "true"
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def galaxy():
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="session")
def tarball(tmp_path_factory):
    """The collection tarball built from this tree."""
    out = tmp_path_factory.mktemp("build")
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(out), ROOT], env=clean_environment())
    (built,) = out.glob("s3_crossaccount-replication-*.tar.gz")
    return built


@pytest.fixture(scope="session")
def installed_collections(tmp_path_factory, tarball):
    """A fresh collections path holding the amazon.aws of make setup (11.4.0, .build/collections) and the
    tarball, installed offline: its dependency is met by that amazon.aws, listed ahead of the ansible package's."""
    path = tmp_path_factory.mktemp("collections")
    shutil.copytree(os.path.join(ROOT, ".build", "collections", "ansible_collections", "amazon", "aws"),
                    path / "ansible_collections" / "amazon" / "aws")
    env = clean_environment(ANSIBLE_COLLECTIONS_PATH=str(path))
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "-p", str(path), str(tarball)], env=env)
    assert (path / "ansible_collections" / "s3_crossaccount" / "replication" / "MANIFEST.json").is_file()
    return path


@pytest.fixture(scope="session")
def harness():
    """A two-account emulator of our own (aws_harness.py start/stop --dir); yields its environment."""
    pytest.importorskip("moto", reason="moto is needed for the two-account harness")
    state_dir = tempfile.mkdtemp(prefix="ecosystem-harness-")
    run([sys.executable, HARNESS, "start", "--dir", state_dir])
    try:
        with open(os.path.join(state_dir, "env.json"), encoding="utf-8") as handle:
            yield json.load(handle)
    finally:
        run([sys.executable, HARNESS, "stop", "--dir", state_dir])
