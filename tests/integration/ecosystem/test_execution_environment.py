# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ee/execution-environment.yml: `ansible-builder create` writes a build context that installs
this collection (the tarball from this tree), ansible-core and ansible-runner; the context's own
introspection step, run over the collection as the galaxy stage installs it, yields the
collection's Python requirements and bindep lines. No container engine is needed.
"""

import json
import os
import re
import sys
import tarfile

import pytest
import yaml

from conftest import BIN, ROOT, clean_environment, run

pytest.importorskip("ansible_builder", reason="ansible-builder is in requirements-dev.txt")

EE_DIR = os.path.join(ROOT, "ee")
TARBALL_NAME = "s3_crossaccount-replication.tar.gz"


def requirement_lines(path):
    """Requirement lines of a requirements/bindep file; introspection writes none when there are none."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [line.split("#")[0].strip() for line in handle if line.split("#")[0].strip()]


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """Runs ee/prepare.sh create: the tarball from this tree, then ansible-builder create."""
    out = tmp_path_factory.mktemp("ee") / "context"
    run(["bash", os.path.join(EE_DIR, "prepare.sh"), "create", "-c", str(out), "--output-filename", "Containerfile"], env=clean_environment(BIN=BIN))
    return out


def test_definition_is_version_3_with_ansible_core_and_runner(galaxy):
    with open(os.path.join(EE_DIR, "execution-environment.yml"), encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    assert definition["version"] == 3
    dependencies = definition["dependencies"]
    assert dependencies["ansible_core"]["package_pip"].startswith("ansible-core>=2.17")
    assert dependencies["ansible_runner"]["package_pip"].startswith("ansible-runner")
    collections = {entry["name"]: entry for entry in dependencies["galaxy"]["collections"]}
    assert collections[f"collection/{TARBALL_NAME}"]["type"] == "file"
    assert collections["amazon.aws"]["version"] == galaxy["dependencies"]["amazon.aws"], "the EE's amazon.aws range differs from galaxy.yml"


def test_containerfile_installs_the_collection_core_and_runner(context):
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    assert "COPY _build /build" in containerfile
    assert re.search(r"ansible-galaxy collection install .*-r requirements\.yml", containerfile)
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.17,<2.20 ansible-runner>=2.4,<2.5"' in containerfile
    assert "introspect.py introspect" in containerfile, "the builder stage does not gather the collections' requirements"
    assert "install-from-bindep" in containerfile, "the final stage does not install the system requirements"
    with open(context / "_build" / "requirements.yml", encoding="utf-8") as handle:
        galaxy_requirements = yaml.safe_load(handle)
    names = [entry["name"] for entry in galaxy_requirements["collections"]]
    assert f"collection/{TARBALL_NAME}" in names and "amazon.aws" in names


def test_context_tarball_is_this_tree_without_dev_files(context, galaxy):
    with tarfile.open(context / "_build" / "collection" / TARBALL_NAME) as archive:
        manifest = json.load(archive.extractfile("MANIFEST.json"))
        members = archive.getnames()
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == (galaxy["namespace"], galaxy["name"], galaxy["version"])
    assert info["dependencies"] == galaxy["dependencies"]
    assert "meta/execution-environment.yml" in members and "requirements.txt" in members and "bindep.txt" in members
    assert not [name for name in members if name.split("/")[0] in ("tests", "extensions", "scripts", "ee", ".venv", ".build")]


def test_introspection_finds_the_collection_python_and_system_requirements(context, tmp_path):
    """What the builder stage runs, over the collection as the galaxy stage installs it."""
    collections = tmp_path / "collections"
    run(
        [os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "--no-deps", "-p", str(collections),
         str(context / "_build" / "collection" / TARBALL_NAME)],
        env=clean_environment(ANSIBLE_COLLECTIONS_PATH=str(collections)),
    )
    pip_out, bindep_out = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    run([sys.executable, str(context / "_build" / "scripts" / "introspect.py"), "introspect", str(collections),
         f"--write-pip={pip_out}", f"--write-bindep={bindep_out}"])
    python_requirements = requirement_lines(pip_out)
    system_requirements = requirement_lines(bindep_out)
    for line in requirement_lines(os.path.join(ROOT, "requirements.txt")):
        assert any(found.startswith(line) for found in python_requirements), f"{line} is not in the EE's Python requirements {python_requirements}"
    for line in requirement_lines(os.path.join(ROOT, "bindep.txt")):
        assert any(found.startswith(line) for found in system_requirements), f"{line} is not in the EE's system requirements {system_requirements}"
    # introspection names the collection each line comes from
    attributed = pip_out.read_text(encoding="utf-8").splitlines() + (bindep_out.read_text(encoding="utf-8").splitlines() if system_requirements else [])
    assert attributed and all(line.endswith("# from collection s3_crossaccount.replication") for line in attributed if line.strip()), attributed
