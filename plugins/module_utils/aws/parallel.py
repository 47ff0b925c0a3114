# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Independent AWS calls of one module run, a bounded number at a time.

AWS answers in tens of milliseconds; a module that reads twenty buckets one call after another
spends its time waiting. Calls on different resources do not depend on each other, so they run
in a small thread pool; ``max_workers=1`` keeps them in order (tests with botocore's Stubber).
"""

from concurrent.futures import ThreadPoolExecutor

DEFAULT_MAX_WORKERS = 8


def run_all(function, items, max_workers=DEFAULT_MAX_WORKERS):
    """``[function(item) for item in items]``, computed concurrently; the first exception is raised after all finished."""
    items = list(items)
    if max_workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items))) as pool:
        futures = [pool.submit(function, item) for item in items]
    return [future.result() for future in futures]
