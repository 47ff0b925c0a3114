# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The public variables' contract: one set of defaults, readable problems, the roles mapped onto it."""

import os

import pytest
import yaml

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import contract
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import model as policy_model

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SRC_KEY = "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DST_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"
SOURCE = {"account_id": "211258069784", "bucket": "stats-data-src", "kms_key_arn": SRC_KEY, "region": "us-east-1", "profile": "prod"}
DESTINATION = {"account_id": "880161310235", "bucket": "stats-data-tgt", "kms_key_arn": DST_KEY, "region": "us-east-1", "profile": "analytics"}


def valid():
    return {"replication_source": dict(SOURCE), "replication_destination": dict(DESTINATION)}


def test_every_default_is_applied_once():
    values, problems = contract.validate(valid())
    assert problems == []
    assert values["replication_rules"] == [{"id": "all-objects", "state": "present", "status": "enabled", "priority": None, "filter": None,
                                            "delete_marker_replication": False, "replica_modifications": False, "existing_object_replication": False,
                                            "storage_class": None, "replication_time_control": False, "metrics": None}]
    assert values["replication_destination"]["create_bucket"] is True
    assert values["replication_destination"]["key_access"] == "policy"
    assert values["replication_owner_override"] is True


def test_validating_twice_gives_the_same_defaults():
    first, _warnings = contract.validate(valid())
    second, _warnings = contract.validate(valid())
    assert first == second


@pytest.mark.parametrize("change, fragments", [
    (lambda v: v["replication_source"].update(acount_id="1"), ["replication_source.acount_id", "did you mean account_id?"]),
    (lambda v: v["replication_destination"].pop("kms_key_arn"), ["replication_destination", "kms_key_arn"]),
    (lambda v: v["replication_source"].update(role_arn="arn:aws:iam::211258069784:role/x"), ["replication_source", "profile|role_arn", "mutually exclusive"]),
    (lambda v: v.update(replication_partition="aws-xx"), ["replication_partition", "aws-xx"]),
    (lambda v: v.update(replication_rules=[{"id": "a", "storage_class": "CHEAP"}]), ["replication_rules", "storage_class", "CHEAP"]),
    (lambda v: v.update(replication_destinations=[dict(DESTINATION)]), ["replication_destination", "replication_destinations", "not both"]),
    (lambda v: v.pop("replication_destination"), ["replication_destination", "replication_destinations"]),
])
def test_problems_name_the_variable_and_the_fix(change, fragments):
    variables = valid()
    change(variables)
    _values, problems = contract.validate(variables)
    text = " | ".join(problems)
    assert all(fragment in text for fragment in fragments), text


def test_fan_out_refuses_replication_rules_and_an_empty_list():
    variables = {"replication_source": SOURCE, "replication_destinations": [DESTINATION], "replication_rules": []}
    assert any("replication_destinations[].rules" in problem for problem in contract.validate(variables)[1])
    variables = {"replication_source": SOURCE, "replication_destinations": []}
    assert any("empty" in problem for problem in contract.validate(variables)[1])


def test_unknown_variables_of_our_prefixes_are_refused_with_the_closest_name():
    problems = contract.unknown_variables(["replication_rule", "doctor_show_ok", "ansible_connection", "replication_sourc", "status_whatever_xyz"])
    assert problems[0].startswith("replication_rule is not a variable") and "did you mean replication_rules?" in problems[0]
    assert "did you mean replication_source?" in problems[1]
    assert problems[2].startswith("status_whatever_xyz is not a variable")
    assert len(problems) == 3


def test_the_policy_model_takes_its_defaults_from_the_contract():
    assert policy_model.TOP_LEVEL_DEFAULTS == contract.MODEL_DEFAULTS
    assert contract.MODEL_DEFAULTS["owner_override"] is contract.SPEC["replication_owner_override"]["default"] is True


def _role_options(role, entry=None):
    """The options of one entry point, or of all of them."""
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    options = {}
    for name, spec in specs.items():
        if entry in (None, name):
            options.update(spec["options"])
    return options


def _role_defaults(role):
    with open(os.path.join(ROOT, "roles", role, "defaults", "main.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


ROLE_TO_CONTRACT = {
    "source_account": {"role_name": "replication_role_name", "role_path": "replication_role_path", "owner_override": "replication_owner_override",
                       "replicate_unencrypted_objects": "replication_replicate_unencrypted_objects", "object_lock": "replication_object_lock",
                       "trust_source_account_condition": "replication_trust_source_account_condition", "partition": "replication_partition",
                       "replace_role": "replication_replace_role", "rules": "replication_rules"},
}
ROLE_TO_CONTRACT["destination_account"] = {
    option: variable for option, variable in ROLE_TO_CONTRACT["source_account"].items() if option not in ("replace_role", "rules")
}


@pytest.mark.parametrize("role", sorted(ROLE_TO_CONTRACT))
def test_the_roles_defaults_are_the_contracts(role):
    options, defaults = _role_options(role), _role_defaults(role)
    for option, variable in ROLE_TO_CONTRACT[role].items():
        name = f"{role}_{option}"
        assert options[name].get("default") == contract.SPEC[variable]["default"] == defaults[name], name
        assert options[name]["type"] == contract.SPEC[variable]["type"], name
        assert options[name].get("choices") == contract.SPEC[variable].get("choices"), name


def test_the_destination_roles_settings_are_the_contracts():
    options, defaults = _role_options("destination_account"), _role_defaults("destination_account")
    for option in contract.DESTINATION_SETTINGS:
        name = f"destination_account_{option}"
        expected = contract.DESTINATION_OPTIONS[option]
        assert options[name].get("default") == expected["default"] == defaults[name], name
        assert options[name].get("choices") == expected.get("choices"), name


def test_the_rule_options_of_the_source_role_are_the_contracts():
    rule_options = _role_options("source_account", "rules")["source_account_rules"]["options"]
    assert sorted(rule_options) == sorted(contract.RULE_OPTIONS)
    for name, option in rule_options.items():
        assert option.get("default") == contract.RULE_OPTIONS[name].get("default"), name


def test_a_role_maps_onto_the_contract():
    mapped = contract.from_role(
        "source_account",
        {
            "source_account_account_id": "211258069784",
            "source_account_bucket": "stats-data-src",
            "source_account_kms_key_arn": SRC_KEY,
            "source_account_region": "us-east-1",
            "source_account_destination": {key: DESTINATION[key] for key in contract.SIDE_KEYS},
            "source_account_rules": [{"id": "r"}],
            "source_account_destinations": [],
            "source_account_owner_override": False,
            "unrelated": 1,
        },
    )
    assert mapped["replication_source"]["bucket"] == "stats-data-src"
    assert mapped["replication_rules"] == [{"id": "r"}] and mapped["replication_owner_override"] is False
    assert "replication_destinations" not in mapped
    assert contract.validate(mapped)[1] == []
    fan_out = contract.from_role(
        "source_account", {"source_account_account_id": "211258069784", "source_account_destinations": [DESTINATION], "source_account_rules": [{"id": "r"}]}
    )
    assert fan_out["replication_destinations"][0]["rules"] == [{"id": "r"}]


def test_a_roles_messages_name_the_roles_variables():
    message = "replication_destination.kms_key_arn 'alias/x': use a key ARN; replication_source.bucket b; replication_role_name: bad; replication_rules"
    assert contract.role_words("destination_account", message) == (
        "destination_account_kms_key_arn 'alias/x': use a key ARN; destination_account_source.bucket b; destination_account_role_name: bad; "
        "destination_account_rules"
    )
    assert (
        contract.role_words("source_account", "replication_destinations[1].bucket and replication_source.region")
        == "source_account_destinations[1].bucket and source_account_region"
    )


def test_two_way_is_off_unless_asked_and_its_variables_are_known():
    values, problems = contract.validate(valid())
    assert problems == []
    assert values["replication_two_way"] is False and values["replication_reverse_role_name"] is None
    assert values["replication_source"]["key_access"] == "policy"
    problems = contract.unknown_variables(["replication_two_ways", "replication_reverse_role"])
    assert "did you mean replication_two_way?" in problems[1] and "did you mean replication_reverse_role_name?" in problems[0]
    variables = dict(valid(), replication_backfill={"report_bucket": "r", "directon": "both"})
    assert "did you mean direction?" in " ".join(contract.validate(variables)[1])


@pytest.mark.parametrize("extra, fragment", [
    ({"replication_verify": {"direction": "both"}}, "replication_verify.direction is both, but replication_two_way is false"),
    ({"replication_backfill": {"report_bucket": "r", "direction": "reverse"}}, "replication_backfill.direction is reverse, but replication_two_way is false"),
    ({"replication_two_way": True, "replication_backfill": {"report_bucket": "r", "direction": "reverse"}},
     "replication_backfill.reverse_report_bucket is required with direction reverse"),
])
def test_directions_need_two_way_and_a_reverse_report_bucket(extra, fragment):
    _values, problems = contract.validate(dict(valid(), **extra))
    assert any(fragment in problem for problem in problems), problems


def test_a_forward_direction_is_fine_without_two_way():
    _values, problems = contract.validate(dict(valid(), replication_verify={"direction": "forward"}, replication_backfill={"report_bucket": "r"}))
    assert problems == []


def test_alerts_are_refused_with_two_way_naming_both_variables():
    _values, problems = contract.validate(dict(valid(), replication_two_way=True, replication_alerts={"create_topic": "replication-alerts"}))
    assert len(problems) == 1 and "replication_alerts with replication_two_way is refused" in problems[0] and "playbooks/status.yml" in problems[0]


# --- replication_alerts and status_* ----------------------------------------------------------------------


TOPIC = "arn:aws:sns:us-east-1:211258069784:replication-alerts"


@pytest.mark.parametrize("alerts, fragments", [
    ({}, ["replication_alerts needs exactly one of topic_arn", "create_topic"]),
    ({"topic_arn": TOPIC, "create_topic": "x"}, ["exactly one of topic_arn"]),
    ({"topic_arn": "arn:aws:sqs:us-east-1:211258069784:q"}, ["replication_alerts.topic_arn", "not an SNS topic ARN"]),
    ({"topic_arn": TOPIC.replace("us-east-1", "eu-west-1")}, ["region eu-west-1", "bucket's region us-east-1"]),
    ({"topic_arn": TOPIC.replace("211258069784", "444455556666")}, ["account 444455556666", "replication_source's credentials"]),
    ({"create_topic": "alerts.fifo"}, ["replication_alerts.create_topic", "FIFO"]),
    ({"create_topic": "a", "subscriptions": [{"protocol": "email", "endpoint": "ops"}]}, ["replication_alerts.subscriptions", "not an e-mail address"]),
    ({"create_topic": "a", "subscriptions": [{"protocol": "pigeon", "endpoint": "x"}]}, ["protocol", "pigeon"]),
    ({"create_topic": "a", "alarm_latency_seconds": 0}, ["alarm_latency_seconds must be a positive number"]),
    ({"create_topic": "a", "topic": "x"}, ["replication_alerts.topic is not a known option", "did you mean topic_arn?"]),
])
def test_alert_problems_name_the_variable_and_the_fix(alerts, fragments):
    _values, problems = contract.validate(dict(valid(), replication_alerts=alerts))
    text = " | ".join(problems)
    assert all(fragment in text for fragment in fragments), text


def test_alerts_refuse_a_rule_without_metrics_by_its_place():
    variables = dict(valid(), replication_alerts={"create_topic": "a"}, replication_rules=[{"id": "a"}, {"id": "b", "metrics": False}])
    _values, problems = contract.validate(variables)
    assert problems == [problems[0]] and problems[0].startswith("replication_rules[1].metrics is false, but replication_alerts needs")
    fan_out = {"replication_source": dict(SOURCE), "replication_alerts": {"create_topic": "a"},
               "replication_destinations": [dict(DESTINATION, rules=[{"id": "a", "metrics": False}])]}
    assert contract.validate(fan_out)[1][0].startswith("replication_destinations[0].rules[0].metrics is false")


def test_valid_alerts_get_their_defaults():
    values, problems = contract.validate(dict(valid(), replication_alerts={"topic_arn": TOPIC}))
    assert problems == [] and values["replication_alerts"] == {"topic_arn": TOPIC, "create_topic": None, "subscriptions": [], "alarm_latency_seconds": None,
                                                               "dashboard": False, "dashboard_name": None, "dashboard_runbook_url": None}


@pytest.mark.parametrize("variables, fragment", [
    ({"status_hours": 0}, "status_hours is 0: give a number from 1 to 336"),
    ({"status_sample_size": 2000}, "status_sample_size is 2000"),
    ({"status_sample_size": 50, "status_sample_scan": 10}, "status_sample_scan (10) is smaller than status_sample_size (50)"),
])
def test_status_limits_are_checked(variables, fragment):
    _values, problems = contract.validate(dict(valid(), **variables))
    assert any(fragment in problem for problem in problems), problems


MISSPELT = [("replication_alert", "replication_alerts"), ("status_hour", "status_hours"), ("status_report", "status_report_path")]


@pytest.mark.parametrize("name, suggestion", MISSPELT)
def test_misspelt_alert_and_status_variables_get_the_closest_name(name, suggestion):
    assert f"did you mean {suggestion}?" in contract.unknown_variables([name])[0]
