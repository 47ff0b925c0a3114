# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""PRIVATE. The interface every writer implements: the logic of one write module.

A writer (one per file of writers/, registered in writers/registry.py) extends :class:`Writer`:

* ``MODULE`` and ``ARGUMENT_SPEC`` (and ``MUTUALLY_EXCLUSIVE``, ``REQUIRED_IF``): the module's options;
* :meth:`Writer.read_state`: the current state, read with aws/facts (the shape ``s3_replication_info``
  returns), and :meth:`Writer.state_from_facts` the same state taken from facts already read (``UNKNOWN``
  when they do not tell);
* :meth:`Writer.plan`: pure, returns a :func:`make_plan` dict (changed, before, after, diff, result);
* :meth:`Writer.apply`: the AWS writes of a changed plan;
* :meth:`Writer.applied`: what the plan leaves in the facts (the planner predicts the state a run leaves
  with it, without a read), and :meth:`Writer.quota_documents`: which documents with an AWS size quota
  it adds to (the planner sizes them in that state before the first write).

A writer that merges its entries into a document other writers write too (``MERGED``) also says how to
compare that document (:meth:`Writer.document`) and whether a read-back must wait for other writers
(:meth:`Writer.settles`); writers/runner.py reads it back until the entries show.
"""

import abc

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused

UNKNOWN = object()


class WriteRefused(Refused):
    """Input or state a writer refuses before writing; the message names the input and the fix."""


def make_plan(changed, before, after, header, result=None, note=None, warnings=(), **details):
    """A writer's plan. ``header`` names the account and resource; ``details`` are the writer's own (what to write)."""
    return dict(
        details,
        changed=changed,
        before=before,
        after=after,
        diff={"before_header": header, "after_header": f"{header} ({note})" if note else header, "before": before or {}, "after": after or {}},
        result=dict(result or {}),
        warnings=list(warnings),
    )


def resource_header(account_id, resource):
    """The one form of every diff header: ``account ACCOUNT: RESOURCE``."""
    return f"account {account_id}: {resource}" if account_id else resource


class Writer(abc.ABC):
    """One write module's logic; the defaults are those of a writer that owns its resource alone."""

    MODULE = None
    ARGUMENT_SPEC = {}
    MUTUALLY_EXCLUSIVE = None
    REQUIRED_IF = None
    # The writer merges entries into a document that other writers (other runs, other teams) write too.
    MERGED = False

    @abc.abstractmethod
    def read_state(self, aws, params):
        """The current state, read in the account."""

    def pending_state(self, aws, params):
        """In check mode, the state of a resource that an earlier (skipped) write of this run creates."""
        return self.read_state(aws, params)

    @abc.abstractmethod
    def state_from_facts(self, account_facts, params):
        """The current state from facts already read, or ``UNKNOWN`` when they do not tell."""

    @abc.abstractmethod
    def plan(self, params, state):
        """Pure: the :func:`make_plan` of the change from ``state`` to what ``params`` ask for."""

    @abc.abstractmethod
    def apply(self, aws, params, planned):
        """The AWS writes of a changed plan; returns what to add to the plan's result."""

    @abc.abstractmethod
    def applied(self, account_facts, params, planned):
        """Updates ``account_facts`` (in place) to what the plan leaves, as ``s3_replication_info`` would read it."""

    def document(self, state):
        """A merged writer's document as read, comparable (a stale read is told from another writer's by it)."""
        return None

    def settles(self, params, planned):
        """Whether the read-back of a merged document waits the settle delay (another writer may have lost our entries)."""
        return True

    def quota_documents(self, args):
        """The documents with an AWS size quota (policy/quotas.py) this write adds to: ``[(kind, name)]``; a removal adds to none."""
        return []
