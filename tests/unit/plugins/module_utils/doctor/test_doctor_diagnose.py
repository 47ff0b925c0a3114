# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy
import inspect

from doctor_facts import DST
from doctor_facts import MODEL
from doctor_facts import SPEC
from doctor_facts import SRC
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import not_ok
import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import access
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import documents
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import resources


def test_converged_setup_is_all_ok():
    result = diagnose(converged())
    assert not_ok(result) == {}
    assert result["status"] == "ok" and result["summary"]["fail"] == 0
    ids = {f["id"] for f in result["findings"]}
    for permission in MODEL["required_permissions"]:
        assert any(i.startswith(permission["id"] + ".") for i in ids), permission["id"]


def test_every_finding_has_the_contract_fields():
    for item in diagnose(converged())["findings"]:
        assert set(item) == {"id", "status", "side", "account", "resource", "message", "fix"}
        assert item["status"] in ("ok", "info", "warn", "fail") and item["side"] in ("source", "destination")
        assert item["account"] == (SRC if item["side"] == "source" else DST)


def test_bad_input():
    with pytest.raises(doctor.DoctorError, match="source"):
        doctor.diagnose({"source": {}}, SPEC)
    with pytest.raises(doctor.DoctorError, match="spec is invalid"):
        doctor.diagnose(converged(), dict(SPEC, source=dict(SPEC["source"], kms_key_arn="alias/x")))


def test_facts_are_not_modified():
    facts = converged()
    before = copy.deepcopy(facts)
    diagnose(facts)
    assert facts == before


def test_every_check_of_the_parts_runs_once():
    checks = [function for part in (resources, documents, access, alerts) for name, function in inspect.getmembers(part, inspect.isfunction)
              if name.startswith("check_") and function.__module__ == part.__name__]
    assert sorted(checks, key=repr) == sorted(doctor.CHECKS, key=repr)
    assert len(set(doctor.CHECKS)) == len(doctor.CHECKS)


def test_the_findings_follow_the_order_of_the_checks():
    ids = [f["id"] for f in diagnose(converged())["findings"]]
    assert ids[:2] == ["source-bucket", "destination-bucket"] and ids[-1] == "existing-objects"
    assert ids.index("replication-role-exists") < ids.index("trust-principal") < ids.index("assume-role.trust-policy") < ids.index("unknown-actions")


@pytest.mark.parametrize("name", ["diagnose", "render", "combine", "report", "finding", "unknown_action", "DoctorError",
                                  "OK", "INFO", "WARN", "FAIL", "STATUS_ORDER", "PROBLEMS", "SIDES"])
def test_the_package_keeps_the_api_of_the_module(name):
    assert hasattr(doctor, name)
