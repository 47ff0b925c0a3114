# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes docs/permissions.md and the example deployer policies from the AWS call wrappers' @needs declarations.

    python scripts/gen_permissions.py                                  # rewrite docs/permissions.md and examples/deployer-policy-*.json
    python scripts/gen_permissions.py --check                          # exit 1 when they are stale (make test)
    python scripts/gen_permissions.py --vars vars.yml --side source    # print the policy of one account of your vars.yml
"""

import argparse
import json
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))

# pylint: disable=wrong-import-position
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import markdown  # noqa: E402
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import policy  # noqa: E402
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import reach  # noqa: E402
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.deployer import usage  # noqa: E402

EXAMPLE_VARS = os.path.join(ROOT, "examples", "vars.yml")
PAGE = os.path.join(ROOT, "docs", "permissions.md")


def policy_text(variables, side, files):
    return json.dumps(policy.deployer_policy(variables, side, files), indent=2) + "\n"


def generated(files):
    """{path: text} of every generated file."""
    with open(EXAMPLE_VARS, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    outputs = {PAGE: markdown.permissions_page(files)}
    for side in usage.SIDES:
        outputs[os.path.join(ROOT, "examples", f"deployer-policy-{side}.json")] = policy_text(variables, side, files)
    return outputs


def stale(outputs):
    """The generated files whose text on disk differs."""
    found = []
    for path, text in outputs.items():
        try:
            with open(path, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        if current != text:
            found.append(os.path.relpath(path, ROOT))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 when the generated files are stale")
    parser.add_argument("--vars", help="print the deployer policy of this vars file (with --side) instead")
    parser.add_argument("--side", choices=usage.SIDES, default="source")
    args = parser.parse_args(argv)
    files = reach.parse_collection()
    if args.vars:
        with open(args.vars, encoding="utf-8") as handle:
            sys.stdout.write(policy_text(yaml.safe_load(handle), args.side, files))
        return 0
    outputs = generated(files)
    if args.check:
        found = stale(outputs)
        if found:
            print(f"stale: {', '.join(found)}: run `python scripts/gen_permissions.py` (make docs) and commit the result")
            return 1
        print("docs/permissions.md and examples/deployer-policy-*.json are up to date")
        return 0
    for path, text in outputs.items():
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(os.path.relpath(path, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
