# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from doctor_facts import DST
from doctor_facts import SRC
from doctor_facts import converged
from doctor_facts import diagnose
from doctor_facts import dst_bucket
from doctor_facts import src_bucket

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor import reporting
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import combine
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import finding
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import render
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.doctor.reporting import report


def found(status, side="source", check_id="x"):
    return finding(check_id, status, side, SRC if side == "source" else DST, "r", f"{check_id} is {status}", "do this")


def test_an_ok_finding_carries_no_fix():
    assert found("ok")["fix"] == "" and found("warn")["fix"] == "do this"


def test_the_headline_is_the_worst_problem_and_information_is_no_problem():
    assert report([])["status"] == "ok"
    assert report([found("ok"), found("info")])["status"] == "ok"
    assert report([found("info"), found("warn")])["status"] == "warn"
    result = report([found("fail"), found("warn"), found("ok")])
    assert result["status"] == "fail" and result["summary"] == {"ok": 1, "info": 0, "warn": 1, "fail": 1}


def test_worst():
    assert reporting.worst(["ok", "fail", "info", "warn"]) == "fail"


def test_report_and_render():
    facts = converged()
    dst_bucket(facts)["versioning"] = "Suspended"
    result = diagnose(facts)
    assert result["status"] == "fail" and result["summary"]["fail"] == 1
    text = render(result)
    assert text.splitlines()[0].startswith("Replication doctor: FAIL (1 fail")
    source_header, destination_header = text.index(f"== source account {SRC}"), text.index(f"== destination account {DST}")
    assert source_header < destination_header
    section = text[destination_header:]
    assert section.index("[FAIL] destination-versioning") < section.index("[OK  ]")
    assert "fix: enable versioning" in section
    assert "[OK" not in render(result, show_ok=False)


def test_information_renders_with_its_fix_and_keeps_the_headline_ok():
    facts = converged()
    src_bucket(facts)["has_objects"] = True
    result = diagnose(facts)
    text = render(result, show_ok=False)
    assert text.splitlines()[0] == "Replication doctor: OK (0 fail, 0 warn, 1 info, " + str(result["summary"]["ok"]) + " ok)"
    assert "[INFO] existing-objects (" in text and "fix: to copy them, run playbooks/backfill.yml" in text


def test_a_side_without_findings_to_show_has_no_section():
    text = render(report([found("ok", "source"), found("warn", "destination")]), show_ok=False)
    assert "== source account" not in text and f"== destination account {DST} ==" in text


def test_one_pair_keeps_its_shape():
    one_pair = report([found("warn")])
    combined = combine([("stats", one_pair)])
    assert combined["findings"] == one_pair["findings"] and "pairs" not in combined
    assert combined["report"] == render(one_pair)


def test_several_pairs_name_the_pair_in_every_finding_and_section():
    first, second = report([found("ok")]), report([found("fail", "destination")])
    combined = combine([("stats", first), ("logs", second)], show_ok=False)
    assert combined["status"] == "fail" and [f["pair"] for f in combined["findings"]] == ["stats", "logs"]
    assert combined["pairs"] == {"stats": first, "logs": second}
    assert combined["report"].startswith("Pair stats\n") and "\n\nPair logs\nReplication doctor: FAIL" in combined["report"]
