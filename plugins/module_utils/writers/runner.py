# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How every write of this collection runs, whether one module does it or the planner asks for it.

A *writer* is the logic of one write module, a :class:`writers.base.Writer` (its interface is
written there). ``run_write`` is the one sequence (read, plan, write unless check mode), ``needed`` answers the
planner's question "would this write change anything?" with the same ``plan`` on facts,
``run_module`` is the ``main()`` of every write module, and ``end_module`` the common ending of every
module of the collection (warnings, the diff in diff mode only, refusals and AWS failures). A write
refused because IAM has not yet propagated a new role is tried again (writers/propagation.py).
"""

import random
import threading
import time

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws import sts as aws_sts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import Refused
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import RunFailed
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import fail_with
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import propagation
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import UNKNOWN
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.base import WriteRefused

REFUSALS = (Refused,)


class Aws:
    """The clients and the caller's account for the writers of one module run."""

    def __init__(self, module=None, clients=None, account_id=None, partition=None, region=None):
        self._module = module
        self._clients = dict(clients or {})
        self._identity = {"account_id": account_id, "partition": partition} if account_id else None
        self._lock = threading.Lock()
        self.region = region if region is not None else getattr(module, "region", None)

    def client(self, service, extra_codes=()):
        if service in self._clients:
            return self._clients[service]
        return self._module.aws_client(service, extra_codes=extra_codes)

    def _caller(self):
        with self._lock:
            if self._identity is None:
                self._identity = aws_sts.caller_identity(self.client("sts"))
            return self._identity

    @property
    def account_id(self):
        return self._caller()["account_id"]

    @property
    def partition(self):
        return self._caller()["partition"] or "aws"


def validated(writer, args):
    """The writer's options with its module's defaults applied; WriteRefused names what is wrong."""
    result = ArgumentSpecValidator(writer.ARGUMENT_SPEC, mutually_exclusive=writer.MUTUALLY_EXCLUSIVE,
                                   required_if=writer.REQUIRED_IF).validate(dict(args))
    if result.error_messages:
        raise WriteRefused(f"{writer.MODULE}: " + "; ".join(result.error_messages))
    return result.validated_parameters


# A document merged with other writers' entries is read back after a short, jittered settle delay; when
# another writer overwrote it in between, the entries are merged again from the fresh read and written
# again, at most MERGE_ROUNDS times. A read still showing the document as it was before our write is a
# stale read (S3 and IAM are eventually consistent): it is read again, up to CONSISTENCY_SECONDS.
SETTLE_SECONDS = 0.3
MERGE_ROUNDS = 4
CONSISTENCY_SECONDS = 20.0
STALE_POLL_SECONDS = 1.0


class Verification:
    """How a write makes sure its entries are really there: settle delay, rounds, and the sleep and clock (tests drive them)."""

    def __init__(self, settle_seconds=None, rounds=None, consistency_seconds=None, sleep=None, clock=None, jitter=None, propagation_seconds=None):
        # The module's constants are read here, not when the class is defined, so that setting them (runner.SETTLE_SECONDS = 0) takes effect.
        self.settle_seconds = SETTLE_SECONDS if settle_seconds is None else settle_seconds
        self.rounds = MERGE_ROUNDS if rounds is None else rounds
        self.consistency_seconds = CONSISTENCY_SECONDS if consistency_seconds is None else consistency_seconds
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic
        self.jitter = jitter or random.random
        self.propagation_seconds = propagation.PROPAGATION_SECONDS if propagation_seconds is None else propagation_seconds

    def settle(self):
        if self.settle_seconds > 0:
            self.sleep(self.settle_seconds * (1 + self.jitter()))

    def wait_for_consistency(self):
        self.sleep(STALE_POLL_SECONDS)


def run_write(writer, aws, params, check_mode, pending=False, verification=None):
    """Reads, plans and (unless in check mode) writes; returns the plan with ``result`` updated by the write.

    ``pending``: in check mode, the resource is one an earlier (skipped) write of this run creates, so the
    writer's ``pending_state`` stands for the read. A writer that merges (``MERGED``) then makes sure its
    entries are there (see Verification); its plan gets ``rounds``, the number of writes it took.
    """
    verification = verification or Verification()
    state = writer.pending_state(aws, params) if pending and check_mode else writer.read_state(aws, params)
    planned = writer.plan(params, state)
    if not planned["changed"] or check_mode:
        return planned
    planned["result"].update(_apply(writer, aws, params, planned, verification))
    if writer.MERGED:
        planned["rounds"] = _ensure_entries(writer, aws, params, state, planned, verification)
    return planned


def _apply(writer, aws, params, planned, verification):
    """The writer's writes, tried again while IAM has not propagated a new principal (writers/propagation.py)."""
    return propagation.apply_while_propagating(lambda: writer.apply(aws, params, planned), planned, verification) or {}


def _ensure_entries(writer, aws, params, before, written, verification):
    """Reads the document back until our entries show; merges and writes again when another writer overwrote them.

    The first read-back waits the settle delay only when another writer could have lost our entries in the
    merge (``writer.settles``: not for grants, which are objects of their own, or a role whose trust did not
    change); after a conflict every read-back waits it.
    """
    rounds, attempt_started, stale = 1, verification.clock(), False
    settles = writer.settles(params, written)
    while True:
        if stale:
            verification.wait_for_consistency()
        elif settles or rounds > 1:
            verification.settle()
        fresh_state = writer.read_state(aws, params)
        fresh = writer.plan(params, fresh_state)
        if not fresh["changed"]:
            return rounds
        stale = writer.document(fresh_state) == writer.document(before)
        if stale and verification.clock() - attempt_started < verification.consistency_seconds:
            continue
        if rounds >= verification.rounds:
            raise AwsCallFailure(
                f"{written['diff']['before_header']}: after {rounds} writes our entries are still not there ("
                + ("S3 or IAM still shows the document as it was before our write" if stale else "another writer keeps replacing the document")
                + "): rerun, and give runs that share documents a replication_lock so that they take turns (docs/guarantees.md)"
            )
        fresh["result"].update(_apply(writer, aws, params, fresh, verification))
        # What the module reports is what it wrote last (the merged document, the grant ids of this write), not the overwritten first write.
        written["result"] = fresh["result"]
        rounds, before, attempt_started = rounds + 1, fresh_state, verification.clock()


def needed(writer, args, facts):
    """Whether the write would change anything, judged by the writer's own plan on ``facts``.

    True also when it cannot be ruled out (facts that do not tell, or a refusal the module will report).
    """
    try:
        params = validated(writer, args)
        state = writer.state_from_facts(facts, params)
        if state is UNKNOWN:
            return True
        return bool(writer.plan(params, state)["changed"])
    except REFUSALS:
        return True


def outcome(planned):
    """What a module returns for a plan: changed, the writer's result, its diff and warnings (end_module shows or drops them)."""
    return dict(planned["result"], changed=planned["changed"], diff=planned["diff"], warnings=planned["warnings"])


def run_module(writer, module_class, **module_options):
    """The ``main()`` of a write module: options, one run_write, the common ending."""
    module = module_class(
        argument_spec=writer.ARGUMENT_SPEC,
        supports_check_mode=True,
        mutually_exclusive=writer.MUTUALLY_EXCLUSIVE,
        required_if=writer.REQUIRED_IF,
        **module_options,
    )
    end_module(module, lambda: outcome(run_write(writer, Aws(module), module.params, module.check_mode)))


def end_module(module, act):
    """The ending of every module: ``act()`` does the work and returns the result (with ``changed``, and ``diff``
    and ``warnings`` when it has them); refusals (REFUSALS) and AWS failures fail the task."""
    try:
        result = act()
    except RunFailed as failed:
        module.fail_json(msg=failed.message, **_shown(module, failed.result))
    except REFUSALS as error:
        module.fail_json(msg=str(error), **_problems(error))
    except AwsCallFailure as failure:
        fail_with(module, failure)
    module.exit_json(**_shown(module, result))


def _shown(module, result):
    """The result as the task returns it: warnings through module.warn, the diff in diff mode only."""
    returned = dict(result)
    for warning in returned.pop("warnings", ()):
        module.warn(warning)
    diff = returned.pop("diff", None)
    if module._diff and diff is not None:
        returned["diff"] = diff
    return returned


def _problems(error):
    problems = getattr(error, "problems", None)
    return {"problems": problems} if problems else {}
