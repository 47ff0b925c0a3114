# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's findings and its report: statuses, one finding, the summary, the readable text."""

OK = "ok"
# Nothing is wrong, but there is something to do (e.g. copy the objects older than the rule): it does not
# lower the headline, which stays OK on a healthy setup.
INFO = "info"
WARN = "warn"
FAIL = "fail"
STATUS_ORDER = {OK: 0, INFO: 1, WARN: 2, FAIL: 3}
PROBLEMS = (WARN, FAIL)
SIDES = ("source", "destination")


def finding(check_id, status, side, account, resource, message, fix=""):
    return {"id": check_id, "status": status, "side": side, "account": account, "resource": resource, "message": message, "fix": fix if status != OK else ""}


def worst(statuses):
    """The most severe of ``statuses``."""
    return max(statuses, key=STATUS_ORDER.get)


def report(findings):
    summary = {status: sum(1 for f in findings if f["status"] == status) for status in STATUS_ORDER}
    headline = worst([f["status"] for f in findings if f["status"] in PROBLEMS] or [OK])
    return {"status": headline, "summary": summary, "findings": findings}


def render(result, show_ok=True):
    """The findings as text, grouped by account (source first), failures first within each."""
    lines = []
    summary = result.get("summary", {})
    counts = ", ".join(f"{summary.get(status, 0)} {status}" for status in (FAIL, WARN, INFO, OK))
    lines.append(f"Replication doctor: {result.get('status', OK).upper()} ({counts})")
    for side in SIDES:
        side_findings = [f for f in result.get("findings", []) if f["side"] == side and (show_ok or f["status"] != OK)]
        if not side_findings:
            continue
        account = side_findings[0]["account"]
        lines.append("")
        lines.append(f"== {side} account {account} ==")
        for item in sorted(side_findings, key=lambda f: -STATUS_ORDER[f["status"]]):
            lines.append(f"[{item['status'].upper():4}] {item['id']} ({item['resource']}): {item['message']}")
            if item["fix"]:
                lines.append(f"       fix: {item['fix']}")
    return "\n".join(lines)


def combine(results, show_ok=True):
    """One diagnosis of several pairs ``[(pair name, diagnosis)]``: one pair keeps its own shape; several add
    ``pairs`` and name the pair in every finding; ``report`` has one section per pair."""
    if len(results) == 1:
        result = dict(results[0][1])
        result["report"] = render(result, show_ok=show_ok)
        return result
    findings = [dict(found, pair=name) for name, result in results for found in result["findings"]]
    combined = report(findings)
    combined["pairs"] = dict(results)
    combined["report"] = "\n\n".join(f"Pair {name}\n" + render(result, show_ok=show_ok) for name, result in results)
    return combined
