# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How replication is doing now (playbooks/status.yml, docs/monitoring.md): what to read, and the verdict.

Reads (module s3_replication_status_info, in the source account and region): per rule, the CloudWatch
replication metrics of the last hours in one GetMetricData call (:func:`metric_queries`); per source
bucket, a bounded sample of the newest object versions and their ``x-amz-replication-status``
(:func:`newest`). Then, for each pair (:func:`pair_status`): one row per rule (failed operations,
pending operations and bytes, the highest latency, the sample's statuses), the doctor's verdict on
the configuration, and the problems, each naming the rule and what to do. :func:`render` makes the
table; the playbook fails when a problem fails (or warns, with status_fail_on_warn).
"""

import datetime

from ansible_collections.s3_crossaccount.replication.plugins.module_utils import doctor
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import alerts as replication_alerts
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features import dashboard as replication_dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.replication_metrics import METRICS
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.replication_metrics import NAMESPACE
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.features.replication_metrics import dimensions as metric_dimensions

STATUSES = ("COMPLETED", "PENDING", "FAILED", "REPLICA", "NONE")
FAIL = doctor.FAIL
WARN = doctor.WARN
DEFAULT_PENDING_SECONDS = 3600
BACKFILL = ("fix the cause first (the failure reason is in the alert's replicationEventData.failureReason; playbooks/doctor.yml checks the setup; "
            "docs/troubleshooting.md#by-s3-replication-failure-reason), then replicate the FAILED objects again with playbooks/backfill.yml and "
            "replication_backfill.replication_statuses: [FAILED] (docs/backfill.md)")


def period_seconds(hours):
    """One datapoint per 5 minutes up to a day, per hour beyond (CloudWatch keeps 5-minute data for 63 days)."""
    return 300 if hours <= 24 else 3600


def rule_key(rule):
    return f"{rule['source_bucket']}|{rule['destination_bucket']}|{rule['rule_id']}"


def metric_queries(rules, hours):
    """GetMetricData queries for every metric of every rule; the id of each is ``m<rule index>_<metric index>``."""
    queries = []
    for rule_index, rule in enumerate(rules):
        dimensions = metric_dimensions(rule["source_bucket"], rule["destination_bucket"], rule["rule_id"])
        for metric_index, (_name, metric, statistic, _how) in enumerate(METRICS):
            queries.append({"Id": f"m{rule_index}_{metric_index}", "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": NAMESPACE, "MetricName": metric, "Dimensions": dimensions}, "Period": period_seconds(hours), "Stat": statistic}})
    return queries


def metric_summary(rules, points):
    """{rule key: {failed_operations, pending_operations, pending_bytes, latency_seconds, datapoints}} from GetMetricData's answer
    (``points``: {query id: [(timestamp, value)] newest first}); a metric without data is None."""
    summary = {}
    for rule_index, rule in enumerate(rules):
        values, datapoints = {}, 0
        for metric_index, (name, _metric, _statistic, how) in enumerate(METRICS):
            found = points.get(f"m{rule_index}_{metric_index}") or []
            datapoints += len(found)
            numbers = [value for _stamp, value in found]
            if not numbers:
                values[name] = None
            elif how == "sum":
                values[name] = sum(numbers)
            elif how == "max":
                values[name] = max(numbers)
            else:
                values[name] = max(found)[1]
        summary[rule_key(rule)] = dict(values, datapoints=datapoints)
    return summary


def newest(versions, size):
    """The ``size`` newest versions (by LastModified) among those listed."""
    return sorted(versions, key=lambda version: version["last_modified"], reverse=True)[:size]


def _parse_time(text):
    return datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _rule_prefix(rule):
    return (rule.get("filter") or {}).get("prefix") or ""


def _objects_of(rule, objects):
    return [item for item in objects if str(item["key"]).startswith(_rule_prefix(rule))]


def _counts(objects):
    counts = {status: 0 for status in STATUSES}
    for item in objects:
        counts[item.get("replication_status") or "NONE"] += 1
    return counts


def _configured(configuration, rule_id):
    return next((rule for rule in (configuration or {}).get("Rules") or [] if rule.get("ID") == rule_id), None)


def rule_row(pair, rule, metrics, sample, configuration):
    """One row of the table: the rule's metrics over the window and the statuses of its sampled objects."""
    key = rule_key({"source_bucket": pair["source"]["bucket"], "destination_bucket": pair["destination"]["bucket"], "rule_id": rule["id"]})
    objects = _objects_of(rule, (sample or {}).get("objects") or [])
    configured = _configured(configuration, rule["id"])
    return dict(metrics.get(key) or {name: None for name, _m, _s, _h in METRICS}, rule_id=rule["id"],
                metrics_enabled=replication_alerts.metrics_enabled(configured),
                in_configuration=configured is not None, sample=_counts(objects),
                failed_keys=[item["key"] for item in objects if item.get("replication_status") == "FAILED"],
                pending=[item for item in objects if item.get("replication_status") == "PENDING"])


def row_problems(row, hours, max_latency, now, pending_seconds):
    """(status, text) of one rule's row: what failed, what lags, what cannot be watched, each with what to do."""
    rule, found = row["rule_id"], []
    if row["failed_operations"]:
        found.append((FAIL, f"rule {rule}: {row['failed_operations']:g} operations failed to replicate in the last {hours} h "
                            f"(OperationsFailedReplication); {BACKFILL}"))
    if row["failed_keys"]:
        keys = ", ".join(row["failed_keys"][:5]) + (" ..." if len(row["failed_keys"]) > 5 else "")
        found.append((FAIL, f"rule {rule}: {len(row['failed_keys'])} of the newest objects are FAILED ({keys}); {BACKFILL}"))
    if max_latency and row["latency_seconds"] is not None and row["latency_seconds"] > max_latency:
        found.append((FAIL, f"rule {rule}: replication latency reached {row['latency_seconds']:g} s, above {max_latency} s "
                            "(status_max_latency_seconds): S3 is behind; look at OperationsPendingReplication and the destination's throttling, "
                            "or raise the limit"))
    late = [item["key"] for item in row["pending"] if (now - _parse_time(item["last_modified"])).total_seconds() > pending_seconds]
    if late:
        found.append((WARN, f"rule {rule}: {len(late)} objects are still PENDING more than {pending_seconds} s after they were written "
                            f"({', '.join(late[:5])}): they replicate late or will fail; run playbooks/status.yml again later"))
    if row["in_configuration"] and not row["metrics_enabled"]:
        found.append((WARN, f"rule {rule} has no replication metrics, so CloudWatch has no data and nobody is alerted when it fails: set "
                            "replication_alerts (or metrics: true on the rule) and run playbooks/replicate.yml"))
    return found


def doctor_problems(diagnosis):
    """The doctor's failures and warnings as the status report names them."""
    return [(item["status"], f"doctor {item['id']} ({item['resource']}): {item['message']}" + (f"; fix: {item['fix']}" if item.get("fix") else ""))
            for item in diagnosis["findings"] if item["status"] in doctor.PROBLEMS]


def pair_status(pair, facts, metrics, samples, diagnosis, now):
    """The status of one pair: its rows, the sample, the doctor's verdict and the problems ({status, text})."""
    options = pair["playbook_options"]
    hours = options["status_hours"]
    max_latency = options["status_max_latency_seconds"] or ((options.get("replication_alerts") or {}).get("alarm_latency_seconds"))
    source_bucket = ((facts["source"].get("buckets") or {}).get(pair["source"]["bucket"]) or {})
    sample = samples.get(pair["source"]["bucket"]) or {}
    rows = [rule_row(pair, rule, metrics, sample, source_bucket.get("replication")) for rule in pair["rules"] if rule["state"] != "absent"]
    found = [problem for row in rows for problem in row_problems(row, hours, max_latency, now, max_latency or DEFAULT_PENDING_SECONDS)]
    found += doctor_problems(diagnosis)
    problems = [{"status": status, "text": text} for status, text in found]
    worst = FAIL if any(p["status"] == FAIL for p in problems) else (WARN if problems else doctor.OK)
    return {"pair": pair["name"], "source_bucket": pair["source"]["bucket"], "destination_bucket": pair["destination"]["bucket"],
            "source_account": pair["source"]["account_id"], "hours": hours, "status": worst,
            "rules": [{name: value for name, value in row.items() if name != "pending"} for row in rows],
            "sample": {"prefix": sample.get("prefix", ""), "scanned": sample.get("scanned", 0), "checked": len(sample.get("objects") or []),
                       "counts": _counts(sample.get("objects") or [])},
            "doctor": {"status": diagnosis["status"], "summary": diagnosis["summary"]}, "dashboard": dashboard_link(pair), "problems": problems}


def dashboard_link(pair):
    """The console link of the dashboard replication_alerts asked for (None without one)."""
    asked = (pair.get("alerts") or {}).get("dashboard")
    if not asked:
        return None
    return replication_dashboard.console_url(asked["name"], pair["source"]["region"])


def exit_failed(report, fail_on_warn):
    return any(p["status"] == FAIL or (fail_on_warn and p["status"] == WARN) for pair in report["pairs"] for p in pair["problems"])


def _number(value, unit=""):
    if value is None:
        return "-"
    return f"{value:g}{unit}"


def _bytes(value):
    if value is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024.0
    return "-"


COLUMNS = ("RULE", "METRICS", "FAILED OPS", "PENDING OPS", "PENDING BYTES", "MAX LATENCY", "SAMPLE C/P/F/none")


def _cells(row):
    sample = row["sample"]
    return (row["rule_id"], "on" if row["metrics_enabled"] else ("off" if row["in_configuration"] else "no rule"), _number(row["failed_operations"]),
            _number(row["pending_operations"]), _bytes(row["pending_bytes"]), _number(row["latency_seconds"], " s"),
            f"{sample['COMPLETED']}/{sample['PENDING']}/{sample['FAILED']}/{sample['NONE']}")


def render(report):
    """The report as a readable table per pair, then its problems."""
    lines = []
    for pair in report["pairs"]:
        lines.append(f"Replication status of pair {pair['pair']}: {pair['status'].upper()} - s3://{pair['source_bucket']} -> "
                     f"s3://{pair['destination_bucket']} (account {pair['source_account']}, last {pair['hours']} h)")
        table = [COLUMNS] + [_cells(row) for row in pair["rules"]]
        widths = [max(len(str(line[column])) for line in table) for column in range(len(COLUMNS))]
        lines += ["  " + "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip() for line in table]
        sample = pair["sample"]
        lines.append(f"  sample: the {sample['checked']} newest of {sample['scanned']} versions listed under '{sample['prefix']}': "
                     + ", ".join(f"{count} {status}" for status, count in sample["counts"].items() if count) if sample["checked"] else
                     "  sample: no object version found")
        lines.append(f"  doctor: {pair['doctor']['status'].upper()} ({', '.join(f'{n} {s}' for s, n in pair['doctor']['summary'].items())})")
        if pair.get("dashboard"):
            lines.append(f"  dashboard: {pair['dashboard']}")
        lines += [f"  {problem['status'].upper()} {problem['text']}" for problem in pair["problems"]]
        lines.append("")
    return "\n".join(lines).rstrip()


def combine(pairs, fail_on_warn):
    report = {"pairs": pairs}
    report.update(failed=exit_failed(report, fail_on_warn), report=render(report),
                  problems=[f"pair {pair['pair']}: {problem['text']}" for pair in pairs for problem in pair["problems"]
                            if problem["status"] == FAIL or (fail_on_warn and problem["status"] == WARN)])
    return report


def host_status(planned, host, results, now):
    """The report of ``host``'s pairs from the status plan, the accounts' reads and the s3_replication_status_info ``results``
    (loop results of every worker, each with ``item.key``, the account)."""
    by_account = {(result.get("item") or {}).get("key"): result for result in results if not result.get("skipped")}
    pairs = {pair["name"]: pair for pair in planned["pairs"] if pair["host"] == host}
    statuses = []
    for entry in doctor.planned_pairs(planned, host):
        pair = pairs[entry["pair"]]
        read = by_account.get(pair["source"]["account"]) or {}
        if read.get("failed") or "metrics" not in read:
            reason = read.get("msg") or "its status read did not run (see the task that failed above)"
            raise ValueError(f"pair {pair['name']}: the status of account {pair['source']['account_id']} could not be read: {reason}")
        diagnosis = doctor.diagnose_pair(entry)
        statuses.append(pair_status(pair, entry["facts"], read["metrics"], read["samples"], diagnosis, now))
    fail_on_warn = any(pair["playbook_options"]["status_fail_on_warn"] for pair in pairs.values())
    return combine(statuses, fail_on_warn)
