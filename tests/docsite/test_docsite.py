# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docsite (make docsite) as a reader gets it: built by antsibull-docs and Sphinx with warnings
as errors, a page for every plugin and role of the collection and for every guide, and the index and
the s3_replication_rule page opened in a real browser (Debian's chromium, headless), whose DOM must
show the options table and the links to the guides. Screenshots stay in .build/docsite/screenshots/.

    .venv/bin/python -m pytest -q tests/docsite        # make docsite-test (part of make test)
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import docsite  # noqa: E402  pylint: disable=wrong-import-position

COLLECTION = "s3_crossaccount.replication"
DEST = os.path.join(ROOT, ".build", "docsite")
PAGES = os.path.join(DEST, "build", "html", "collections", "s3_crossaccount", "replication")
SCREENSHOTS = os.path.join(DEST, "screenshots")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def html():
    return docsite.build(DEST)


def chromium(*args):
    """Runs headless chromium with a fresh profile; returns its standard output."""
    browser = shutil.which("chromium")
    assert browser, "chromium is missing: make system-tools installs it"
    with tempfile.TemporaryDirectory(prefix="docsite-chromium-") as profile:
        result = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                                timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def rendered(page, screenshot):
    """The DOM of a page as chromium renders it; a screenshot of it into .build/docsite/screenshots/."""
    url = "file://" + page
    os.makedirs(SCREENSHOTS, exist_ok=True)
    chromium("--window-size=1280,1600", f"--screenshot={os.path.join(SCREENSHOTS, screenshot)}", url)
    assert os.path.getsize(os.path.join(SCREENSHOTS, screenshot)) > 10_000
    return chromium("--dump-dom", url)


def documented(plugin_type):
    """The collection's plugins of one type, as ansible-doc lists them."""
    env = docsite.environment()
    listed = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "-t", plugin_type, "--list", "--json", COLLECTION],
                            env=env, capture_output=True, text=True, check=True)
    return sorted(name.rsplit(".", 1)[1] for name in json.loads(listed.stdout) if name.startswith(COLLECTION + "."))


@pytest.mark.parametrize("plugin_type", ["module", "filter", "inventory", "lookup", "test"])
def test_every_plugin_has_its_page(html, plugin_type):
    names = documented(plugin_type)
    missing = [name for name in names if not os.path.exists(os.path.join(PAGES, f"{name}_{plugin_type}.html"))]
    assert not missing, f"{plugin_type} plugins without a page: {missing}"
    if plugin_type == "module":
        assert "s3_replication_rule" in names and "kms_key_access" in names
    if plugin_type == "filter":
        assert "replication_policies" in names


def test_every_role_and_every_guide_has_its_page(html):
    roles = os.listdir(os.path.join(ROOT, "roles"))
    assert roles and all(os.path.exists(os.path.join(PAGES, f"{role}_role.html")) for role in roles)
    extra_docs = [os.path.basename(path)[: -len(".rst")] for path in glob.glob(os.path.join(ROOT, "docs", "docsite", "rst", "*.rst"))]
    assert {"overview", "scenario", "vars", "playbooks"} <= set(extra_docs)
    missing = [page for page in extra_docs if not os.path.exists(os.path.join(PAGES, "docsite", f"{page}.html"))]
    assert not missing


def test_the_browser_shows_the_collection_index_with_links_to_the_guides_and_modules(html):
    dom = rendered(os.path.join(PAGES, "index.html"), "index.png")
    assert "S3_Crossaccount.Replication" in dom or "s3_crossaccount.replication" in dom.lower()
    assert re.search(r'<a class="reference internal" href="docsite/scenario\.html">', dom), "no link to the scenario guide"
    assert 'href="s3_replication_rule_module.html' in dom
    assert 'href="source_account_role.html' in dom


def test_the_browser_shows_the_rule_module_with_its_options_table_and_a_guide_link(html):
    dom = rendered(os.path.join(PAGES, "s3_replication_rule_module.html"), "s3_replication_rule_module.png")
    table = re.search(r'<table class="[^"]*ansible-option-table[^"]*".*?</table>', dom, flags=re.S)
    assert table, "no options table"
    for option in ("bucket", "rules", "destination_bucket", "replica_kms_key_arn"):
        assert f'id="parameter-{option}"' in table.group(0), f"option {option} is not in the options table"
    guide_link = re.search(r'<a class="reference internal" href="docsite/s3-rules\.html#[^"]*">(.*?)</a>', dom, flags=re.S)
    assert guide_link and "What S3 accepts" in guide_link.group(1), "no link to the S3 rules guide in See Also"


def test_a_guide_renders_its_tables_and_links_to_another_guide(html):
    dom = rendered(os.path.join(PAGES, "docsite", "troubleshooting.html"), "troubleshooting.png")
    assert "AssumeRoleNotPermitted" in dom and "<table" in dom
    assert 'href="doctor.html#' in dom
