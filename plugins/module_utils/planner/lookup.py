# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a pair's facts are: the account of each of its sides in the reads (the facts' own lookups are aws/facts.py's)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import bucket_facts  # noqa: F401  pylint: disable=unused-import
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.facts import key_facts  # noqa: F401  pylint: disable=unused-import


def facts_of(pair, read, side):
    """What was read in the account of the pair's ``side`` ({} when that side was not read: a role used alone)."""
    return read.get(pair[side]["account"]) or {}
