# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documentation: the docsite's pages made from the guides and the playbooks
(docs/docsite/rst/) match their sources, every guide is in docs/docsite/extra-docs.yml, every
relative link resolves (anchors too), docs/index.md lists every page, troubleshooting covers every
failure reason the doctor maps, and the changelog fragments pass antsibull-changelog lint.
tests/docsite builds the docsite itself and opens it in a browser."""

import glob
import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import BIN, ROOT, clean_environment

DOCS = os.path.join(ROOT, "docs")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FAILURE_REASON = re.compile(r"`((?:Src|Dst|AssumeRole)[A-Za-z]+)`")


def markdown_files():
    files = [os.path.join(ROOT, "README.md")] + glob.glob(os.path.join(DOCS, "**", "*.md"), recursive=True)
    files += glob.glob(os.path.join(ROOT, "roles", "*", "README.md"))
    return sorted(files)


def github_anchors(path):
    """The anchors GitHub gives the headings of a Markdown file, plus explicit <a id> anchors."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    text_outside_code = re.sub(r"```.*?```", "", text, flags=re.S)
    anchors = set(re.findall(r'<a id="([^"]+)"', text))
    for heading in re.findall(r"^#+\s+(.*)$", text_outside_code, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def table_failure_reasons(path, heading):
    """Failure reasons in the first column of the table under heading."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    section = text.split(heading, 1)[1]
    section = re.split(r"^#", section, maxsplit=1, flags=re.M)[0]
    reasons = set()
    for line in section.splitlines():
        if line.startswith("|"):
            reasons.update(FAILURE_REASON.findall(line.split("|")[1]))
    return reasons


@pytest.mark.parametrize("script", ["docsite_guides.py", "docsite_playbooks.py"])
def test_docsite_pages_are_made_from_the_current_guides_and_playbooks(script):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", script), "--check"], capture_output=True, text=True,
                            env=clean_environment(), check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def test_extra_docs_list_every_page_of_the_docsite_once():
    with open(os.path.join(DOCS, "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        listed = [entry for section in yaml.safe_load(handle)["sections"] for entry in section["toctree"]]
    pages = sorted(os.path.basename(path)[: -len(".rst")] for path in glob.glob(os.path.join(DOCS, "docsite", "rst", "*.rst")))
    guides = {os.path.basename(path)[: -len(".md")] for path in glob.glob(os.path.join(DOCS, "*.md"))}
    assert sorted(listed) == pages
    assert {"overview" if guide == "index" else guide for guide in guides} | {"playbooks"} == set(pages)


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: os.path.relpath(path, ROOT))
def test_relative_links_resolve(path):
    with open(path, encoding="utf-8") as handle:
        text = re.sub(r"```.*?```", "", handle.read(), flags=re.S)
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _separator, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(resolved):
            broken.append(f"{target}: no such file")
        elif anchor and resolved.endswith(".md") and anchor not in github_anchors(resolved):
            broken.append(f"{target}: no such anchor")
    assert not broken, broken


def test_index_lists_every_page():
    with open(os.path.join(DOCS, "index.md"), encoding="utf-8") as handle:
        linked = set(LINK.findall(handle.read()))
    pages = {os.path.basename(path) for path in glob.glob(os.path.join(DOCS, "*.md"))} - {"index.md"}
    assert pages <= linked, f"docs/index.md does not link {sorted(pages - linked)}"


def test_troubleshooting_covers_every_failure_reason_of_the_doctor():
    doctor = table_failure_reasons(os.path.join(DOCS, "doctor.md"), "## Troubleshooting by replication failure reason")
    troubleshooting = table_failure_reasons(os.path.join(DOCS, "troubleshooting.md"), "## By S3 replication failure reason")
    assert len(doctor) >= 10
    assert doctor == troubleshooting, f"only in doctor.md: {sorted(doctor - troubleshooting)}; only in troubleshooting.md: {sorted(troubleshooting - doctor)}"


def test_changelog_fragments_lint_clean():
    antsibull_changelog = os.path.join(BIN, "antsibull-changelog")
    for argv in ([antsibull_changelog, "lint"], [antsibull_changelog, "lint-changelog-yaml", "changelogs/changelog.yaml"]):
        result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=clean_environment(), check=False)
        assert result.returncode == 0 and not result.stdout.strip(), f"{' '.join(argv[1:])}: {result.stdout}{result.stderr}"
