# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a pair's facts are: the account of each of its sides in the reads (lookups inside an account's facts are aws/facts.py's)."""


def facts_of(pair, read, side):
    """What was read in the account of the pair's ``side`` ({} when that side was not read: a role used alone)."""
    return read.get(pair[side]["account"]) or {}
