# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What each playbook of the collection is to the planner: one object per playbook.

A :class:`Playbook` says what the playbook reads in each side's account, what it checks on the facts
read, which writes it plans, and what else its plan returns. Adding a playbook is adding one subclass
to :data:`PLAYBOOKS`; the stages (planner/stages.py) only call these methods.
"""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import two_way
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.canaries import verify_canaries
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.checks import backfill_problems
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.checks import replicate_problems
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.checks import teardown_problems
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.doctor_reads import doctor_entries
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.doctor_reads import more_reads
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.jobs import backfill_jobs
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.status_reads import status_reads
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.verdict import verdicts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.replicate import replicate_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.roles import backfill_writes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.teardown import teardown_notes
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.planner.writes.teardown import teardown_writes

ALL_ATTRIBUTES = ["versioning", "encryption", "object_ownership", "object_lock", "policy", "replication", "has_objects"]


class Playbook:
    """The defaults: reads nothing of the buckets, checks nothing, writes nothing, returns nothing more."""

    name = None
    # Per side it acts in, the bucket attributes its plan needs.
    reads = {}
    # With replication_alerts, it also reads the source bucket's notification configuration, the topic and the alarms.
    reads_alerts = False
    # The doctor also reads the Bucket Key settings of the keys.
    reads_bucket_keys = False
    # Its reads and writes run under replication_lock.
    locked = False
    # Its writes can grow documents: the planner predicts the state they leave and sizes it against AWS's quotas first.
    predicts = False
    # With two-way: the variable whose ``direction`` chooses the directions it acts in, and the default.
    direction_option = None
    default_direction = two_way.BOTH

    def directions(self, values):
        """The directions (forward, reverse) the playbook acts in for one host's variables."""
        return two_way.directions(values, self.direction_option, self.default_direction)

    def fact_problems(self, pair, read, sides):
        """The pair's problems found in the facts read (the pair is refused, nothing is written for it)."""
        return []

    def writes(self, pairs, read):
        """Every write the playbook needs, each kept only when its writer says it would change something."""
        return []

    def outputs(self, pairs, read, stage, writes, predicted):
        """What else the plan returns (jobs, canaries, the verdict, the doctor's inputs ...); ``predicted``: the facts as the
        writes leave them (when the playbook ``predicts``)."""
        return {}

    def notes(self, pairs, read):
        """What the run says besides its writes."""
        return []


class Replicate(Playbook):
    name = "replicate"
    reads = {"source": ["versioning", "encryption", "object_lock", "replication"],
             "destination": ["versioning", "encryption", "object_ownership", "object_lock", "policy"]}
    reads_alerts = True
    locked = True
    predicts = True

    def fact_problems(self, pair, read, sides):
        return replicate_problems(pair, read, sides)

    def writes(self, pairs, read):
        return replicate_writes(pairs, read)

    def outputs(self, pairs, read, stage, writes, predicted):
        return {"verdicts": verdicts(pairs, predicted)}


class Teardown(Playbook):
    name = "teardown"
    reads = {"source": ["replication"], "destination": ["policy"]}
    reads_alerts = True
    locked = True

    def fact_problems(self, pair, read, sides):
        return teardown_problems(pair, read)

    def writes(self, pairs, read):
        return teardown_writes(pairs, read)

    def notes(self, pairs, read):
        return teardown_notes(pairs, read)


class Backfill(Playbook):
    name = "backfill"
    reads = {"source": []}
    predicts = True
    direction_option = "replication_backfill"
    default_direction = two_way.FORWARD

    def fact_problems(self, pair, read, sides):
        return backfill_problems(pair, read)

    def writes(self, pairs, read):
        return backfill_writes(pairs, read)

    def outputs(self, pairs, read, stage, writes, predicted):
        return {"jobs": backfill_jobs(pairs, stage)}


class Verify(Playbook):
    name = "verify"
    reads = {"source": [], "destination": []}
    direction_option = "replication_verify"

    def outputs(self, pairs, read, stage, writes, predicted):
        return {"canaries": verify_canaries(pairs)}


class Doctor(Playbook):
    name = "doctor"
    reads = {"source": ALL_ATTRIBUTES + ["notification"], "destination": ALL_ATTRIBUTES}
    reads_alerts = True
    reads_bucket_keys = True

    def outputs(self, pairs, read, stage, writes, predicted):
        return {"reads": read, "more_reads": more_reads(pairs, read, stage), "diagnoses": doctor_entries(pairs)}


class Status(Doctor):
    name = "status"
    reads_bucket_keys = False

    def outputs(self, pairs, read, stage, writes, predicted):
        return dict(super().outputs(pairs, read, stage, writes, predicted), status_reads=status_reads(pairs, stage))


PLAYBOOKS = {playbook.name: playbook for playbook in (Replicate(), Teardown(), Backfill(), Verify(), Doctor(), Status())}
