# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/awx/survey.json is a survey AWX accepts, and it answers exactly what the job template's
playbook (docs/awx/project/replicate.yml) reads; its defaults pass the playbook's own checks."""

import json
import os
import re
import sys

import pytest
import yaml

from conftest import ROOT

SURVEY = os.path.join(ROOT, "docs", "awx", "survey.json")
WRAPPER = os.path.join(ROOT, "docs", "awx", "project", "replicate.yml")
QUESTION_KEYS = {"question_name", "question_description", "required", "type", "variable", "min", "max", "default", "choices"}
TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}


@pytest.fixture(scope="module")
def survey():
    with open(SURVEY, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def wrapper():
    with open(WRAPPER, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def contract():
    """The playbooks' contract (plugins/module_utils/contract.py): the public variables with their defaults."""
    sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))
    from ansible_collections.s3_crossaccount.replication.plugins.module_utils.contract import SPEC  # pylint: disable=import-outside-toplevel

    return SPEC


def test_survey_has_the_shape_awx_accepts(survey):
    assert set(survey) == {"name", "description", "spec"}
    assert survey["name"] and isinstance(survey["spec"], list) and survey["spec"]
    variables = [question["variable"] for question in survey["spec"]]
    assert len(variables) == len(set(variables)), "a survey variable is asked twice"
    for question in survey["spec"]:
        assert set(question) == QUESTION_KEYS, question
        assert question["type"] in TYPES
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", question["variable"])
        assert question["question_name"] and question["question_description"]
        assert isinstance(question["required"], bool)
        if question["type"] in ("text", "textarea", "password"):
            assert isinstance(question["min"], int) and isinstance(question["max"], int) and 0 <= question["min"] <= question["max"]
            assert question["default"] == "" or question["min"] <= len(question["default"]) <= question["max"]
        if question["type"] in ("multiplechoice", "multiselect"):
            assert isinstance(question["choices"], list) and question["default"] in question["choices"]


def test_survey_asks_for_no_credential(survey):
    """Credentials come from the job's AWS credential; the survey never asks for keys or profiles."""
    for question in survey["spec"]:
        assert question["type"] != "password"
        assert not re.search(r"secret|access_key|token|profile|password", question["variable"])


def test_survey_answers_exactly_what_the_playbook_reads(survey, wrapper):
    (play,) = wrapper
    assert play["ansible.builtin.import_playbook"] == "s3_crossaccount.replication.replicate"
    read = set(re.findall(r"\{\{\s*([a-z_][a-z0-9_]*)", json.dumps(play["vars"])))
    asked = {question["variable"] for question in survey["spec"]}
    assert read == asked, f"read but not asked: {sorted(read - asked)}; asked but not read: {sorted(asked - read)}"


def test_survey_choices_and_limits_match_the_playbook_contract(survey, contract):
    questions = {question["variable"]: question for question in survey["spec"]}
    destination = contract["replication_destination"]["options"]
    assert questions["destination_key_access"]["choices"] == destination["key_access"]["choices"]
    assert questions["destination_key_access"]["default"] == destination["key_access"]["default"]
    assert questions["role_name"]["default"] == contract["replication_role_name"]["default"]
    for side in ("source", "destination"):
        assert (questions[f"{side}_account_id"]["min"], questions[f"{side}_account_id"]["max"]) == (12, 12)
        assert questions[f"{side}_role_arn"]["required"], "the AWX way assumes a role per side"


def test_default_rules_are_valid_replication_rules(survey, contract):
    (question,) = [question for question in survey["spec"] if question["variable"] == "rules_yaml"]
    rules = yaml.safe_load(question["default"])
    options = contract["replication_rules"]["options"]
    assert isinstance(rules, list) and rules
    for rule in rules:
        assert set(rule) <= set(options), f"unknown rule keys {set(rule) - set(options)}"
        assert rule["id"]
