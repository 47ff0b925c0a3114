"""Makes ``ansible_collections.s3_crossaccount.replication`` importable for pytest.

The collection is linked under .build/collections (``make collection``), where make setup also
puts amazon.aws 11.4.0 (scripts/amazon_aws.sh). ``ansible_collections`` is a namespace package,
so .build/collections and the ``ansible`` package in site-packages merge, and .build/collections,
first on sys.path, wins: pytest's header names the amazon.aws the tests import.
"""

import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINK = os.path.join(ROOT, ".build", "collections", "ansible_collections", "s3_crossaccount", "replication")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)
sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))


def pytest_report_header():
    from ansible_collections.amazon.aws.plugins.module_utils import retries  # pylint: disable=import-outside-toplevel

    collection = os.path.dirname(os.path.dirname(os.path.dirname(retries.__file__)))
    with open(os.path.join(collection, "MANIFEST.json"), encoding="utf-8") as handle:
        version = json.load(handle)["collection_info"]["version"]
    return f"amazon.aws {version} from {collection}"
