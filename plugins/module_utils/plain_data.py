# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Plain Python data from whatever a template hands a filter.

Since ansible-core 2.19 a filter receives lazy, tagged containers: copying one (``copy.deepcopy`` in
the policy code) copies the templating context behind it, which costs seconds per call. Filters
convert their input once with :func:`plain` and the pure logic only ever sees dicts, lists, str,
int, float, bool and None.
"""

from collections.abc import Mapping
from collections.abc import Set


def plain(value):
    """``value`` rebuilt from plain dicts, lists and scalars (tuples and sets become lists)."""
    if isinstance(value, Mapping):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, Set)):
        return [plain(item) for item in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
