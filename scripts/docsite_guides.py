# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes the docsite's guide pages, docs/docsite/rst/NAME.rst, from the Markdown guides docs/NAME.md.

The guides are written once, in Markdown (read on the repository host); antsibull-docs takes extra
docs in reStructuredText only (docs/docsite/rst/, listed in docs/docsite/extra-docs.yml), so each
guide is converted with pandoc (the pypandoc-binary package) and its links are rewritten on the way:
a link to another guide (``doctor.md#anchor``) becomes a ``:ref:`` to that page's label or heading
label, a link to another file of the repository a link to that file on the repository host
(galaxy.yml's ``repository``). docs/index.md becomes the page ``overview``.

    python scripts/docsite_guides.py            # rewrite docs/docsite/rst/*.rst (but playbooks.rst)
    python scripts/docsite_guides.py --check    # exit 1 when one is stale (make test)
"""

import argparse
import difflib
import glob
import json
import os
import posixpath
import re
import sys

import pypandoc
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")
PAGES = os.path.join(DOCS, "docsite", "rst")
LABEL_PREFIX = "ansible_collections.s3_crossaccount.replication.docsite."
PAGE_OF_GUIDE = {"index": "overview"}
LABEL_BEFORE_TITLE = re.compile(r"^(\.\. _[^\n]+:)\n(?=[^\n.])", re.M)


def page_name(guide):
    return PAGE_OF_GUIDE.get(guide, guide)


def label(page, anchor=None):
    return LABEL_PREFIX + page + (f".{anchor}" if anchor else "")


def plain_text(inlines):
    """The text of pandoc inlines, without markup (a :ref: title takes no markup)."""
    parts = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind == "Code":
            parts.append(content[1])
        elif isinstance(content, list) and content and isinstance(content[-1], list):
            parts.append(plain_text(content[-1]))
    return "".join(parts)


def raw_rst(text, block=False):
    return {"t": "RawBlock" if block else "RawInline", "c": ["rst", text]}


def rst_ref_title(text):
    return text.replace("<", "\\<").replace("`", "'")


class LinkRewriter:
    """Rewrites the links and labels the headings of one guide's pandoc AST."""

    def __init__(self, guides, repository, page):
        self.guides, self.repository, self.page = guides, repository, page

    def link(self, inline):
        _attributes, text, (target, _title) = inline["c"]
        if ":" in target.split("/")[0] or target.startswith("#"):
            if target.startswith("#"):
                return raw_rst(f":ref:`{rst_ref_title(plain_text(text))} <{label(self.page, target[1:])}>`")
            return inline
        path, _separator, anchor = target.partition("#")
        guide = posixpath.normpath(path)
        if guide.endswith(".md") and guide[: -len(".md")] in self.guides:
            return raw_rst(f":ref:`{rst_ref_title(plain_text(text))} <{label(page_name(guide[: -len('.md')]), anchor or None)}>`")
        repository_path = posixpath.normpath(posixpath.join("docs", path))
        if repository_path.startswith("..") or not os.path.exists(os.path.join(ROOT, repository_path)):
            raise SystemExit(f"docs/{self.page}.md: the link {target} leads to no file of the repository")
        inline["c"][2][0] = f"{self.repository}/blob/main/{repository_path}"
        return inline

    def walk(self, value):
        if isinstance(value, list):
            result = []
            for item in value:
                if isinstance(item, dict) and item.get("t") == "Header":
                    identifier = item["c"][1][0]
                    result.append(raw_rst(f".. _{label(self.page, identifier)}:", block=True))
                    item["c"][1][0] = ""
                result.append(self.walk(item))
            return result
        if isinstance(value, dict):
            if value.get("t") == "Strong" and len(value["c"]) == 1 and value["c"][0]["t"] == "Code":
                return value["c"][0]  # RST nests no markup: **``x``** would show its backquotes
            if value.get("t") == "Link":
                value = self.link(value)
                if value.get("t") == "RawInline":
                    return value
            return {key: self.walk(item) for key, item in value.items()}
        return value


def page(guide, guides, repository):
    """The RST page of docs/GUIDE.md."""
    name = page_name(guide)
    with open(os.path.join(DOCS, f"{guide}.md"), encoding="utf-8") as handle:
        ast = json.loads(pypandoc.convert_text(handle.read(), "json", format="gfm"))
    blocks = LinkRewriter(guides, repository, name).walk(ast["blocks"])
    # The page's own label, before its title (the first heading's label stays for links to its anchor).
    ast["blocks"] = [raw_rst(f".. _{label(name)}:", block=True)] + blocks
    body = pypandoc.convert_text(json.dumps(ast), "rst", format="json", extra_args=["--wrap=none"])
    body = LABEL_BEFORE_TITLE.sub("\\1\n\n", body)  # pandoc sets a heading right under the raw label
    header = f"..\n  Generated by scripts/docsite_guides.py from docs/{guide}.md; do not edit.\n\n"
    return header + body.rstrip("\n") + "\n"


def pages():
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        repository = yaml.safe_load(handle)["repository"]
    guides = sorted(os.path.basename(path)[: -len(".md")] for path in glob.glob(os.path.join(DOCS, "*.md")))
    return {f"{page_name(guide)}.rst": page(guide, guides, repository) for guide in guides}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 when a page of docs/docsite/rst/ is stale")
    args = parser.parse_args(argv)
    generated = pages()
    if not args.check:
        for file_name, text in generated.items():
            with open(os.path.join(PAGES, file_name), "w", encoding="utf-8") as handle:
                handle.write(text)
        print(f"{len(generated)} pages in {PAGES}")
        return 0
    stale = []
    for file_name, text in generated.items():
        path = os.path.join(PAGES, file_name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if current != text:
            stale.append(file_name)
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True), f"{file_name} (checked in)", "(from docs/)"))
    if stale:
        print(f"stale: {', '.join(stale)}; run `python scripts/docsite_guides.py` and commit the result")
        return 1
    print("docs/docsite/rst/ guides are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
