# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run's verdict knows which rule S3 applies: over a console rule its own rule shadows, the run warns instead of failing;
another team's higher rule taking our objects without SSE-KMS still fails it. Facts in s3_replication_info's shape."""

from test_replication_plan import DST
from test_replication_plan import ROLE
from test_replication_plan import SRC_ACCOUNT
from test_replication_plan import fresh_estate
from test_replication_plan import one_pair
from test_replication_plan import plan_run


def console_rule(**changes):
    """A rule made in the S3 console: every object to the destination, no SSE-KMS selection, no replica key."""
    found = {"ID": "replicate-all", "Priority": 1, "Status": "Enabled", "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
             "Destination": {"Bucket": "arn:aws:s3:::dst-data", "Account": DST, "AccessControlTranslation": {"Owner": "Destination"}}}
    found.update(changes)
    return found


def estate_with(*rules):
    read = fresh_estate()
    read[SRC_ACCOUNT]["buckets"]["src-data"]["replication"] = {"Role": ROLE, "Rules": list(rules)}
    return read


def test_a_console_rule_our_rule_shadows_is_a_warning_of_the_verdict_not_a_failure():
    _stage, plan = plan_run(one_pair(), estate_with(console_rule()))
    verdict = plan["verdicts"]["localhost"]
    assert verdict["fail"] == []
    (shadowed,) = [line for line in verdict["warn"] if line.startswith("WARN rules.shadowed")]
    assert "rule replicate-all (priority 1, every object) never applies: rule all-objects (priority 2)" in shadowed


def test_another_teams_higher_rule_taking_our_objects_without_sse_kms_still_fails_the_verdict():
    ours_below = one_pair(replication_rules=[{"id": "all-objects", "priority": 1}])
    _stage, plan = plan_run(ours_below, estate_with(console_rule(ID="reports-team", Priority=7, Filter={"Prefix": "reports/"})))
    failures = plan["verdicts"]["localhost"]["fail"]
    (selection,) = [line for line in failures if line.startswith("FAIL sse-kms-selection")]
    assert "rule reports-team: SourceSelectionCriteria.SseKmsEncryptedObjects is not Enabled" in selection
    assert "at priority 7 it takes objects under 'reports/' from rule all-objects (priority 1)" in selection
    assert not [line for line in plan["verdicts"]["localhost"]["warn"] if line.startswith("WARN rules.shadowed")]


def test_by_default_our_rule_takes_the_next_priority_and_shadows_a_narrower_rule_to_the_same_destination():
    _stage, plan = plan_run(one_pair(), estate_with(console_rule(ID="reports-team", Priority=7, Filter={"Prefix": "reports/"})))
    verdict = plan["verdicts"]["localhost"]
    assert verdict["fail"] == []
    assert any(line.startswith("WARN rules.shadowed") and "rule reports-team (priority 7, objects under 'reports/') never applies" in line
               for line in verdict["warn"])
