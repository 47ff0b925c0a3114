# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from doctor_facts import DST
from doctor_facts import DST_KEY
from doctor_facts import MODEL
from doctor_facts import SPEC
from doctor_facts import SRC_KEY
from doctor_facts import add_rule
from doctor_facts import converged
from doctor_facts import dst_bucket
from doctor_facts import role
from doctor_facts import rule
from doctor_facts import src_bucket
from doctor_facts import the_rule
from doctor_facts import view
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import DoctorError
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import accounts_view
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import key_in
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.view import rule_prefix


def test_bad_input_names_what_is_wrong():
    with pytest.raises(DoctorError, match="source"):
        accounts_view({"source": {}}, SPEC)
    with pytest.raises(DoctorError, match="spec is invalid"):
        accounts_view(converged(), dict(SPEC, source=dict(SPEC["source"], kms_key_arn="alias/x")))


def test_the_converged_setup_as_the_checks_see_it():
    doctor_view = view()
    assert doctor_view.role_arn == MODEL["role_arn"] and doctor_view.role_ready()
    assert doctor_view.destination_arn == "arn:aws:s3:::stats-data-tgt"
    assert [r["ID"] for r in doctor_view.enabled_rules] == ["all-objects"]
    assert doctor_view.source_key["reference"] == SRC_KEY and doctor_view.replica_key["reference"] == DST_KEY
    assert doctor_view.existing("destination")["name"] == "stats-data-tgt" and doctor_view.account("destination") == DST


def test_only_rules_towards_the_destination_count():
    facts = converged()
    add_rule(facts, rule(ID="elsewhere", Destination={"Bucket": "arn:aws:s3:::other"}))
    add_rule(facts, rule(ID="off", Status="Disabled"))
    doctor_view = view(facts)
    assert [r["ID"] for r in doctor_view.rules] == ["all-objects", "off"]
    assert [r["ID"] for r in doctor_view.enabled_rules] == ["all-objects"]


def test_the_buckets_bucket_key_settings_win_over_the_spec():
    facts = converged()
    src_bucket(facts)["encryption"]["bucket_key_enabled"] = True
    dst_bucket(facts)["encryption"] = {"algorithm": "AES256"}
    effective = view(facts).effective_spec
    assert effective["source"]["bucket_key_enabled"] is True
    assert effective["destination"]["bucket_key_enabled"] is SPEC["destination"]["bucket_key_enabled"]


def test_the_rules_owner_override_and_the_sources_object_lock_win_over_the_spec():
    facts = converged()
    the_rule(facts)["Destination"].pop("AccessControlTranslation")
    src_bucket(facts)["object_lock"] = True
    effective = view(facts).effective_spec
    assert effective["owner_override"] is False and effective["object_lock"] is True
    src_bucket(facts)["replication"] = None
    assert view(facts).effective_spec["owner_override"] is SPEC["owner_override"]


def test_the_rules_replica_key_wins_only_in_the_destination_account_and_region():
    facts = converged()
    same_place = DST_KEY.replace("0987dcba", "aaaaaaaa")
    the_rule(facts)["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] = same_place
    assert view(facts).replica_key_arn == same_place
    the_rule(facts)["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] = same_place.replace("us-east-1", "eu-west-1")
    assert view(facts).replica_key_arn == DST_KEY


def test_a_key_is_found_by_the_reference_read_or_by_its_arn():
    facts = converged()
    facts["destination"]["keys"] = {"alias/replicas": dict(facts["destination"]["keys"][DST_KEY], reference="alias/replicas")}
    assert view(facts).replica_key["reference"] == "alias/replicas"
    facts["destination"]["keys"] = {}
    assert view(facts).replica_key is None


def test_role_policies_are_labelled_inline_and_managed():
    facts = converged()
    role(facts)["managed_policies"] = [{"arn": "arn:aws:iam::aws:policy/Guardrail", "document": {"Statement": []}}]
    assert sorted(view(facts).role_policies()) == ["inline policy " + MODEL["role_policy_name"], "managed policy arn:aws:iam::aws:policy/Guardrail"]
    facts["source"]["roles"] = {}
    doctor_view = view(facts)
    assert doctor_view.role_policies() == {} and not doctor_view.role_ready()


def test_sample_objects_sit_under_the_first_enabled_rule_with_a_prefix():
    facts = converged()
    add_rule(facts, rule(ID="reports", Priority=2, Filter={"Prefix": "reports/"}))
    assert view(facts).sample_object("arn:aws:s3:::stats-data-src") == "arn:aws:s3:::stats-data-src/reports/doctor-sample-object"
    assert view().sample_object("arn:aws:s3:::b") == "arn:aws:s3:::b/doctor-sample-object"


@pytest.mark.parametrize("rule_filter, expected", [
    ({"Filter": {"Prefix": "a/"}}, "a/"),
    ({"Filter": {"And": {"Prefix": "b/", "Tags": []}}}, "b/"),
    ({"Prefix": "legacy/"}, "legacy/"),
    ({"Filter": {"Tag": {"Key": "k", "Value": "v"}}}, ""),
])
def test_rule_prefix(rule_filter, expected):
    assert rule_prefix(rule_filter) == expected


def test_key_in_compares_account_and_region_and_refuses_what_is_no_key_arn():
    side = {"account_id": DST, "region": "us-east-1"}
    assert key_in(DST_KEY, side)
    assert not key_in(DST_KEY.replace("us-east-1", "eu-west-1"), side)
    assert not key_in(SRC_KEY, side)
    assert not key_in("alias/replicas", side)
