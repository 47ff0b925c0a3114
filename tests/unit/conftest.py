"""Makes ``ansible_collections.s3_crossaccount.replication`` importable for pytest.

The collection is linked under .build/collections (``make collection``); amazon.aws comes
from the ``ansible`` package in site-packages. ``ansible_collections`` is a namespace
package, so both roots merge.
"""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINK = os.path.join(ROOT, ".build", "collections", "ansible_collections", "s3_crossaccount", "replication")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)
sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))
