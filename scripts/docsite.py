# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builds the collection's HTML documentation as the Ansible community does (make docsite):

1. ``antsibull-docs sphinx-init --use-current`` writes the Sphinx project into DEST;
2. ``antsibull-docs collection --use-current`` writes the module, plugin and role pages and copies
   the extra docs of docs/docsite/ (the guides of docs/ as scripts/docsite_guides.py converts them,
   and the playbooks' page of scripts/docsite_playbooks.py) into DEST/rst;
3. ``sphinx-build -W`` (warnings are errors) writes DEST/build/html.

The collection and amazon.aws come from .build/collections only (make setup). The machines have no
network: the references to docs.ansible.com that the generated pages make (the Ansible docs'
labels and the amazon.aws plugins' pages) resolve through an offline intersphinx inventory written
here.

    python scripts/docsite.py [DEST]        # default .build/docsite
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTION = "s3_crossaccount.replication"
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
# The labels of the Ansible documentation that antsibull-docs' pages refer to, and their pages.
ANSIBLE_LABELS = {
    "common_return_values": "reference_appendices/common_return_values.html#common-return-values",
    "ansible_configuration_settings": "reference_appendices/config.html#ansible-configuration-settings",
    "action_plugins": "plugins/action.html#action-plugins",
}
AMAZON_AWS_PLUGIN_TYPES = ("modules", "inventory", "lookup", "connection", "callback")
ENVVAR = re.compile(r":envvar:`([A-Z0-9_\\]+)`")


def environment():
    bin_dir = os.path.dirname(sys.executable)
    env = {name: value for name, value in os.environ.items() if not name.startswith("ANSIBLE_")}
    env.update(PATH=bin_dir + os.pathsep + env.get("PATH", ""), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_NOCOLOR="true")
    return env


def run(argv, env, cwd=None):
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return result


def amazon_aws_labels():
    """``{label: page}`` of every amazon.aws plugin the generated pages may link to (docs.ansible.com's names)."""
    plugins = os.path.join(COLLECTIONS, "ansible_collections", "amazon", "aws", "plugins")
    labels = {}
    for directory in AMAZON_AWS_PLUGIN_TYPES:
        kind = directory[:-1] if directory == "modules" else directory
        for path in glob.glob(os.path.join(plugins, directory, "*.py")):
            name = os.path.basename(path)[: -len(".py")]
            if name.startswith("_"):
                continue
            anchor = f"ansible-collections-amazon-aws-{name}-{kind}".replace("_", "-")
            labels[f"ansible_collections.amazon.aws.{name}_{kind}"] = f"collections/amazon/aws/{name}_{kind}.html#{anchor}"
    return labels


def ansible_envvars(rst):
    """``{variable: page}`` of the ansible-core configuration variables the generated pages name (``:envvar:`X```),
    e.g. the cache settings of an inventory plugin."""
    named = set()
    for path in glob.glob(os.path.join(rst, "**", "*.rst"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            named.update(name.replace("\\", "") for name in ENVVAR.findall(handle.read()))
    return {name: f"reference_appendices/config.html#envvar-{name}" for name in named if name.startswith("ANSIBLE_")}


def write_inventory(path, labels, envvars=None):
    """A Sphinx inventory (objects.inv, version 2) of ``{label: page}`` and ``{environment variable: page}``."""
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n# The remainder of this file is compressed using zlib.\n"
    body = "".join(f"{label} std:label -1 {page} -\n" for label, page in sorted(labels.items()))
    body += "".join(f"{name} std:envvar 1 {page} -\n" for name, page in sorted((envvars or {}).items()))
    with open(path, "wb") as handle:
        handle.write(header.encode() + zlib.compress(body.encode()))


def configure(dest):
    inventory = os.path.join(dest, "ansible_devel.inv")
    write_inventory(inventory, {**ANSIBLE_LABELS, **amazon_aws_labels()})
    extra = f"""
# Added by scripts/docsite.py: an offline build.
intersphinx_mapping = {{'ansible_devel': ({ANSIBLE_DOCS!r}, {inventory!r})}}
"""
    with open(os.path.join(dest, "conf.py"), "a", encoding="utf-8") as handle:
        handle.write(extra)
    return inventory


def build(dest):
    env = environment()
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest, mode=0o700)
    run(["antsibull-docs", "sphinx-init", "--use-current", "--fail-on-error", "--dest-dir", dest, "--project", COLLECTION,
         "--title", f"{COLLECTION} documentation", "--copyright", f"{COLLECTION} contributors", COLLECTION], env)
    inventory = configure(dest)
    rst = os.path.join(dest, "rst")
    os.chmod(rst, 0o700)
    run(["antsibull-docs", "--config-file", os.path.join(dest, "antsibull-docs.cfg"), "collection", "--use-current", "--fail-on-error",
         "--cleanup", "everything", "--dest-dir", rst, COLLECTION], env)
    write_inventory(inventory, {**ANSIBLE_LABELS, **amazon_aws_labels()}, ansible_envvars(rst))
    run(["sphinx-build", "-M", "html", rst, os.path.join(dest, "build"), "-c", dest, "-W", "--keep-going", "-q"], env)
    html = os.path.join(dest, "build", "html")
    pages = sorted(glob.glob(os.path.join(html, "**", "*.html"), recursive=True))
    print(f"docsite: {len(pages)} pages in {html}")
    return html


if __name__ == "__main__":
    build(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "docsite")))
