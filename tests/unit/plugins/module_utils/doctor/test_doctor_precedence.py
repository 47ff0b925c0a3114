# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3's rule precedence in the doctor: per destination, an object follows the highest-priority enabled rule that matches it.
FAIL exactly where S3 would not replicate; a rule that never applies is a warning."""

from doctor_facts import DST
from doctor_facts import DST_KEY
from doctor_facts import add_rule
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import dst_bucket
from doctor_facts import not_ok
from doctor_facts import one
from doctor_facts import other_team_rule
from doctor_facts import rule
from doctor_facts import the_rule
from doctor_facts import view


def console_rule(**changes):
    """The blog post's console rule: every object, no SSE-KMS selection, no replica key."""
    found = rule(ID="replicate-all", Priority=1, Filter={}, Destination={"Bucket": "arn:aws:s3:::stats-data-tgt", "Account": DST,
                                                                         "AccessControlTranslation": {"Owner": "Destination"}})
    del found["SourceSelectionCriteria"]
    found.update(changes)
    return found


def test_a_console_rule_our_higher_rule_shadows_is_a_warning_with_both_fixes_not_a_failure():
    facts = converged()
    the_rule(facts)["Priority"] = 2
    add_rule(facts, console_rule())
    result = diagnose(facts)
    assert not_ok(result) == {"rules.shadowed": "warn"}, [f for f in result["findings"] if f["status"] != "ok"]
    shadowed = one(result, "rules.shadowed")
    assert shadowed["message"].startswith("rule replicate-all (priority 1, every object) never applies: rule all-objects (priority 2)")
    assert "state: absent" in shadowed["fix"] and "id: replicate-all" in shadowed["fix"]
    assert one(result, "sse-kms-selection")["status"] == "ok" and one(result, "replica-key")["status"] == "ok"


def test_the_console_rule_at_the_higher_priority_still_fails():
    facts = converged()
    add_rule(facts, console_rule(Priority=2))
    found = not_ok(diagnose(facts))
    assert found["sse-kms-selection"] == "fail" and found["replica-key"] == "fail" and found["rules.shadowed"] == "warn"


def test_another_teams_higher_rule_taking_some_of_our_objects_fails_naming_it_its_priority_and_the_objects():
    facts = converged()
    add_rule(facts, console_rule(ID="reports-team", Priority=5, Filter={"Prefix": "reports/"}))
    result = diagnose(facts)
    selection = one(result, "sse-kms-selection")
    assert selection["status"] == "fail"
    assert selection["message"].startswith("rule reports-team: SourceSelectionCriteria.SseKmsEncryptedObjects is not Enabled")
    assert "at priority 5 it takes objects under 'reports/' from rule all-objects (priority 1)" in selection["message"]
    assert "rules.shadowed" not in not_ok(result), "our rule still governs every object outside reports/"


def test_another_teams_higher_rule_taking_every_object_fails_and_our_rule_is_named_shadowed():
    facts = converged()
    add_rule(facts, console_rule(ID="everything", Priority=3))
    result = diagnose(facts)
    assert "takes every object from rule all-objects (priority 1)" in one(result, "replica-key")["message"]
    shadowed = one(result, "rules.shadowed")
    assert shadowed["message"].startswith("rule all-objects (priority 1, every object) never applies: rule everything (priority 3)")
    assert "give rule all-objects a priority above 3" in shadowed["fix"]


def test_a_shadowed_rule_that_would_be_refused_is_still_reported_by_the_admission_check():
    facts = converged()
    the_rule(facts)["Priority"] = 2
    add_rule(facts, console_rule(Destination=dict(console_rule()["Destination"], EncryptionConfiguration={"ReplicaKmsKeyID": DST_KEY})))
    found = not_ok(diagnose(facts))
    assert found == {"rules.shadowed": "warn", "rules.s3-admission": "fail"}


def test_a_shadowed_rule_leaves_ownership_and_the_replica_key_to_the_rule_s3_applies():
    facts = converged()
    the_rule(facts)["Priority"] = 2
    other_key = DST_KEY.replace("0987dcba", "aaaaaaaa")
    first = console_rule(Destination={"Bucket": "arn:aws:s3:::stats-data-tgt", "EncryptionConfiguration": {"ReplicaKmsKeyID": other_key}},
                         SourceSelectionCriteria={"SseKmsEncryptedObjects": {"Status": "Enabled"}})
    facts["source"]["buckets"]["stats-data-src"]["replication"]["Rules"].insert(0, first)
    dst_bucket(facts)["object_ownership"] = "BucketOwnerPreferred"
    doctor_view = view(facts)
    assert doctor_view.replica_key_arn == DST_KEY
    assert not_ok(diagnose(facts)) == {"rules.shadowed": "warn"}


def test_rules_to_another_destination_neither_shadow_nor_take():
    facts = converged()
    add_rule(facts, other_team_rule(Priority=10, Filter={}))
    result = diagnose(facts)
    assert not_ok(result) == {} and "rules.shadowed" not in {f["id"] for f in result["findings"]}


def test_two_of_our_rules_one_shadowing_the_other_name_our_own_variables_in_the_fix():
    facts = converged()
    add_rule(facts, rule(ID="reports", Priority=0, Filter={"Prefix": "reports/"}))
    result = diagnose(facts, rule_ids=("all-objects", "reports"))
    assert not_ok(result) == {"rules.shadowed": "warn"}
    assert one(result, "rules.shadowed")["fix"] == (
        "give rule reports a priority above 1 (replication_rules priority), or narrow or remove rule all-objects in replication_rules")
