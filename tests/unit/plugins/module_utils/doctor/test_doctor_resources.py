# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from doctor_facts import DST
from doctor_facts import DST_KEY
from doctor_facts import SRC
from doctor_facts import SRC_KEY
from doctor_facts import THRESHOLD_WITHOUT_RTC
from doctor_facts import add_rule
from doctor_facts import break_and_expect
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import dst_bucket
from doctor_facts import not_ok
from doctor_facts import one
from doctor_facts import other_team_rule
from doctor_facts import role
from doctor_facts import src_bucket
from doctor_facts import the_rule
from doctor_facts import view

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import resources

BREAKS = {
    "source bucket missing": (lambda f: src_bucket(f).update(exists=False), {"source-bucket": "fail"}),
    "destination bucket missing": (lambda f: dst_bucket(f).update(exists=False), {"destination-bucket": "fail"}),
    "source versioning suspended": (lambda f: src_bucket(f).update(versioning="Suspended"), {"source-versioning": "fail"}),
    "destination never versioned": (lambda f: dst_bucket(f).update(versioning="Disabled"), {"destination-versioning": "fail"}),
    "no configuration": (lambda f: src_bucket(f).update(replication=None), {"replication-configuration": "fail"}),
    "another role": (lambda f: src_bucket(f)["replication"].update(Role=f"arn:aws:iam::{SRC}:role/x"), {"replication-role": "fail"}),
    "rule disabled": (lambda f: the_rule(f).update(Status="Disabled"), {"replication-rules": "fail"}),
    "rule elsewhere": (lambda f: the_rule(f)["Destination"].update(Bucket="arn:aws:s3:::other"), {"replication-rules": "fail"}),
    "no sse-kms selection": (lambda f: the_rule(f).pop("SourceSelectionCriteria"), {"sse-kms-selection": "fail"}),
    "no replica key": (lambda f: the_rule(f)["Destination"].pop("EncryptionConfiguration"), {"replica-key": "fail"}),
    "replica key as id": (
        lambda f: the_rule(f)["Destination"]["EncryptionConfiguration"].update(ReplicaKmsKeyID="0987dcba-09fe-87dc-65ba-ab0987654321"),
        {"replica-key-arn": "fail"},
    ),
    "replica key as alias": (
        lambda f: the_rule(f)["Destination"]["EncryptionConfiguration"].update(ReplicaKmsKeyID="alias/replicas"),
        {"replica-key-arn": "fail"},
    ),
    "replica key of another region": (
        lambda f: the_rule(f)["Destination"]["EncryptionConfiguration"].update(ReplicaKmsKeyID=DST_KEY.replace("us-east-1", "eu-west-1")),
        {"replica-key-arn": "fail"},
    ),
    "rtc without metrics": (
        lambda f: the_rule(f)["Destination"].update(ReplicationTime={"Status": "Enabled", "Time": {"Minutes": 15}}),
        {"replication-time-control": "fail"},
    ),
    "owner override without account": (lambda f: the_rule(f)["Destination"].pop("Account"), {"ownership": "fail"}),
    "owner override to another account": (lambda f: the_rule(f)["Destination"].update(Account="444455556666"), {"ownership": "fail"}),
    "replica key disabled": (
        lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeyState="Disabled"),
        {"replica-key-state": "fail"},
    ),
    "replica key pending deletion": (
        lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeyState="PendingDeletion"),
        {"replica-key-state": "fail"},
    ),
    "replica key asymmetric": (lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeySpec="RSA_2048"), {"replica-key-state": "fail"}),
    "replica key aws-managed": (lambda f: f["destination"]["keys"][DST_KEY]["metadata"].update(KeyManager="AWS"), {"replica-key-state": "fail"}),
    "replica key gone": (lambda f: f["destination"]["keys"][DST_KEY].update(exists=False, metadata=None, policy=None), {"replica-key-state": "fail"}),
    "source key disabled": (lambda f: f["source"]["keys"][SRC_KEY]["metadata"].update(KeyState="Disabled"), {"source-key-state": "fail"}),
    "role missing": (lambda f: role(f).update(exists=False), {"replication-role-exists": "fail"}),
    "source objects": (lambda f: src_bucket(f).update(has_objects=True), {"existing-objects": "info"}),
    # S3's admission rules (docs/s3-rules.md) over every rule of the configuration read
    "another team's rule with a threshold and no RTC": (
        lambda f: add_rule(f, other_team_rule(Destination=THRESHOLD_WITHOUT_RTC)),
        {"rules.s3-admission": "fail"},
    ),
    "our rule with a threshold and no RTC": (
        lambda f: the_rule(f)["Destination"].update(Metrics={"Status": "Enabled", "EventThreshold": {"Minutes": 15}}),
        {"replication-time-control": "fail"},
    ),
    "duplicate priorities": (lambda f: add_rule(f, other_team_rule(Priority=1)), {"rules.s3-admission": "fail"}),
    "delete markers with a tag filter": (
        lambda f: the_rule(f).update(Filter={"Tag": {"Key": "team", "Value": "stats"}}, DeleteMarkerReplication={"Status": "Enabled"}),
        {"rules.s3-admission": "fail"},
    ),
    "v1 rule beside v2 rules": (
        lambda f: add_rule(f, {"ID": "old", "Prefix": "old/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::old-tgt"}}),
        {"rules.s3-admission": "fail"},
    ),
    "existing object replication": (lambda f: the_rule(f).update(ExistingObjectReplication={"Status": "Enabled"}), {"rules.s3-admission": "warn"}),
    "object lock on the source only": (
        lambda f: src_bucket(f).update(object_lock=True),
        {"rules.s3-admission": "fail", "source-objects.identity": "fail"},
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_break_fails_exactly_its_finding(name):
    breaker, expected = BREAKS[name]
    break_and_expect(breaker, expected)


def test_disabled_key_names_the_failure_code():
    facts = converged()
    facts["destination"]["keys"][DST_KEY]["metadata"]["KeyState"] = "Disabled"
    assert "DstKmsKeyInvalidState" in one(diagnose(facts), "replica-key-state")["message"]


def test_named_rule_missing():
    result = diagnose(converged(), rule_ids=["all-objects", "reports"])
    assert "rule reports does not exist" in one(result, "replication-rules")["message"]


def test_ownership_warns_when_replicas_keep_the_source_owner():
    facts = converged()
    the_rule(facts)["Destination"].pop("AccessControlTranslation")
    dst_bucket(facts)["object_ownership"] = "BucketOwnerPreferred"
    assert not_ok(diagnose(facts)) == {"ownership": "warn"}


def test_replica_key_other_than_configured_is_used_and_warned():
    facts = converged()
    other = DST_KEY.replace("0987dcba", "aaaaaaaa")
    the_rule(facts)["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] = other
    result = diagnose(facts)
    assert not_ok(result)["replica-key"] == "warn"
    assert one(result, "replica-key-state")["resource"] == other


def test_encryption_warnings():
    facts = converged()
    dst_bucket(facts)["encryption"] = {"algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False}
    src_bucket(facts)["encryption"]["kms_key_arn"] = SRC_KEY.replace("1234abcd", "bbbbbbbb")
    found = not_ok(diagnose(facts))
    assert found["destination-encryption"] == "warn" and found["source-encryption"] == "warn"


def test_read_errors_warn():
    facts = converged()
    src_bucket(facts).update(versioning=None, errors={"versioning": "AccessDenied: no"})
    facts["destination"]["keys"][DST_KEY].update(exists=None, metadata=None, policy=None, errors={"metadata": "AccessDenied: no"})
    found = not_ok(diagnose(facts))
    assert found["source-versioning"] == "warn"
    assert found["replica-key-state"] == "warn"


def test_objects_older_than_the_rule_are_information_pointing_to_backfill():
    facts = converged()
    src_bucket(facts)["has_objects"] = True
    result = diagnose(facts)
    assert result["status"] == "ok" and result["summary"]["info"] == 1 and result["summary"]["warn"] == 0
    dst_bucket(facts)["versioning"] = "Suspended"
    assert diagnose(facts)["status"] == "fail"


def test_admission_finding_names_the_rule_and_s3s_error():
    facts = converged()
    add_rule(facts, other_team_rule(Destination=THRESHOLD_WITHOUT_RTC))
    item = one(diagnose(facts), "rules.s3-admission")
    assert item["message"].startswith("rule analytics-team-logs: metrics_event_threshold_minutes is set but replication_time_control is false")
    assert "Metrics cannot contain an event threshold" in item["message"]
    assert "docs/s3-rules.md" in item["fix"]


def test_admission_finding_is_ok_on_the_converged_setup_and_absent_without_configuration():
    assert one(diagnose(converged()), "rules.s3-admission")["status"] == "ok"
    facts = converged()
    src_bucket(facts).update(replication=None)
    assert not [f for f in diagnose(facts)["findings"] if f["id"] == "rules.s3-admission"]


# --- each check on its own -----------------------------------------------------------------------


def test_a_bucket_that_could_not_be_read_warns_and_names_the_account():
    facts = converged()
    dst_bucket(facts).update(exists=None, errors={"exists": "AccessDenied: no"})
    found = {f["id"]: f for f in resources.check_buckets(view(facts))}
    assert found["source-bucket"]["status"] == "ok"
    assert found["destination-bucket"]["status"] == "warn" and DST in found["destination-bucket"]["fix"]


def test_checks_of_a_missing_bucket_say_nothing_about_its_settings():
    facts = converged()
    dst_bucket(facts).update(exists=False)
    doctor_view = view(facts)
    assert [f["side"] for f in resources.check_versioning(doctor_view)] == ["source"]
    assert [f["side"] for f in resources.check_encryption(doctor_view)] == ["source"]
    assert resources.check_ownership(doctor_view) == []


def test_default_encryption_with_the_key_id_instead_of_the_arn_is_the_configured_key():
    facts = converged()
    src_bucket(facts)["encryption"]["kms_key_arn"] = "1234abcd-12ab-34cd-56ef-1234567890ab"
    source = [f for f in resources.check_encryption(view(facts)) if f["side"] == "source"]
    assert [f["status"] for f in source] == ["ok"] and "without S3 Bucket Keys" in source[0]["message"]


def test_per_rule_findings_name_each_failing_rule_and_stay_silent_without_enabled_rules():
    facts = converged()
    second = dict(the_rule(facts), ID="reports", Priority=2)
    second.pop("SourceSelectionCriteria")
    add_rule(facts, second)
    (found,) = resources.check_sse_kms_selection(view(facts, rule_ids=["all-objects", "reports"]))
    assert found["status"] == "fail" and found["message"].startswith("rule reports: ")
    the_rule(facts)["Status"] = "Disabled"
    second["Status"] = "Disabled"
    assert resources.check_sse_kms_selection(view(facts)) == []


def test_a_key_in_another_region_than_its_bucket_fails_its_state():
    facts = converged()
    other = SRC_KEY.replace("us-east-1", "eu-west-1")
    facts["source"]["keys"][SRC_KEY]["metadata"]["Arn"] = other
    source_state, _replica_state = resources.check_keys(view(facts))
    assert source_state["status"] == "fail" and "region eu-west-1, not the source bucket's region us-east-1" in source_state["message"]


def test_a_key_that_was_not_read_warns():
    facts = converged()
    del facts["destination"]["keys"][DST_KEY]
    _source_state, replica_state = resources.check_keys(view(facts))
    assert replica_state["status"] == "warn" and "the key was not read" in replica_state["message"]


def test_a_role_that_could_not_be_read_warns():
    facts = converged()
    role(facts).update(exists=None, errors={"role": "AccessDenied: no"})
    (found,) = resources.check_role(view(facts))
    assert found["status"] == "warn" and "iam:GetRole" in found["fix"]


def test_the_existing_objects_check_needs_the_source_bucket():
    facts = converged()
    src_bucket(facts).update(exists=False, has_objects=True)
    assert resources.check_existing_objects(view(facts)) == []
