# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: playbooks/replicate.yml against tests/bench/baseline.yml on the moto harness.

    python tests/bench/bench.py [--pairs 1,10,20] [--rounds 1] [--forks 20] [--out .build/bench]
                                [--profile] [--only ours|baseline|inventory] [--inventory-buckets 200]

For each pair count: a fresh emulator seeded with that many pairs in two accounts, each pair its
own source bucket and role, the destination buckets sharing one destination key
(tests/harness/seed_pairs.py --shared-destination-key), then a fresh converge and a no-op rerun of
each playbook, with the same inventory (one host per pair), the same forks and the same
environment. Every AWS call of every process is counted by operation (tests/bench/call_counter),
and every process that calls AWS is a module process (the planner runs on the controller and
calls none). Wall times are noisy on a shared machine, so the table reports ratios measured in
the same run (ours / baseline, and N pairs / 1 pair), each the median over ``--rounds`` (baseline
and ours alternate in a round).
Then the replication_pairs inventory (ansible-inventory --list) over ``--inventory-buckets`` tagged
buckets (tests/harness/seed_estate.py, four more that it must leave out): its wall time and its API
calls by operation (0 skips it; ``--only inventory`` measures it alone).
Run outside the harness, it starts one (tests/harness/aws_harness.py run) and runs itself inside.
``--profile`` adds ansible.posix.profile_tasks to every run; logs are in OUT/.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import calls  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOKS = {"baseline": os.path.join(HERE, "baseline.yml"), "ours": os.path.join(REPO, "playbooks", "replicate.yml")}
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def reset_emulator():
    request = urllib.request.Request(f"{os.environ['HARNESS_ENDPOINT']}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass


def seed(pairs, inventory):
    subprocess.run([sys.executable, os.path.join(REPO, "tests", "harness", "seed_pairs.py"), "--pairs", str(pairs), "--inventory", inventory,
                    "--shared-destination-key"], check=True, stdout=subprocess.DEVNULL)


def playbook_environment(call_log, profile):
    env = dict(os.environ)
    env.update(
        AWS_CALL_LOG=call_log,
        PYTHONPATH=os.pathsep.join([os.path.join(HERE, "call_counter")] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])),
        ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
        ANSIBLE_NOCOLOR="true",
        ANSIBLE_DEPRECATION_WARNINGS="false",
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
    )
    if profile:
        env["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.posix.profile_tasks"
    return env


def run_playbook(name, inventory, forks, log_prefix, profile):
    call_log = log_prefix + ".calls.jsonl"
    if os.path.exists(call_log):
        os.remove(call_log)
    command = ["ansible-playbook", "-i", inventory, "-f", str(forks), PLAYBOOKS[name]]
    started = time.monotonic()
    result = subprocess.run(command, env=playbook_environment(call_log, profile), cwd=REPO, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    with open(log_prefix + ".log", "w", encoding="utf-8") as handle:
        handle.write(result.stdout + result.stderr)
    recap = RECAP.findall(result.stdout)
    if result.returncode != 0 or not recap:
        raise SystemExit(f"{name} failed (rc {result.returncode}); see {log_prefix}.log\n" + result.stdout[-3000:] + result.stderr[-2000:])
    operations = calls.load(call_log)
    return {
        "seconds": elapsed,
        "processes": calls.processes(call_log),
        "changed": sum(int(row[2]) for row in recap),
        "failed": sum(int(row[4]) for row in recap),
        "calls": totals_by_kind(operations),
        "operations": {f"{service}:{operation}": count for (service, operation), count in sorted(operations.items())},
    }


def measure_inventory(buckets, out):
    """The replication_pairs inventory over ``buckets`` tagged buckets: {seconds, hosts, calls, operations}."""
    reset_emulator()
    estate_dir = os.path.join(out, "estate")
    seeded = subprocess.run([sys.executable, os.path.join(REPO, "tests", "harness", "seed_estate.py"), "--tagged", str(buckets), "--out", estate_dir,
                             "--prefix", "bench-estate", "--others"], check=True, capture_output=True, text=True)
    inventory = json.loads(seeded.stdout)["inventories"]["fan-in"]
    call_log = os.path.join(out, "inventory.calls.jsonl")
    if os.path.exists(call_log):
        os.remove(call_log)
    started = time.monotonic()
    result = subprocess.run(["ansible-inventory", "-i", inventory, "--list"], env=playbook_environment(call_log, False), cwd=REPO, capture_output=True,
                            text=True, check=False)
    elapsed = time.monotonic() - started
    with open(os.path.join(out, "inventory.log"), "w", encoding="utf-8") as handle:
        handle.write(result.stdout + result.stderr)
    hosts = json.loads(result.stdout or "{}").get("replication_pairs", {}).get("hosts", []) if result.returncode == 0 else []
    if len(hosts) != buckets:
        raise SystemExit(f"the inventory found {len(hosts)} pairs of {buckets} (rc {result.returncode}); see {out}/inventory.log\n" + result.stderr[-3000:])
    operations = calls.load(call_log)
    return {"buckets": buckets, "seconds": elapsed, "hosts": len(hosts), "calls": totals_by_kind(operations),
            "operations": {f"{service}:{operation}": count for (service, operation), count in sorted(operations.items())}}


def inventory_lines(measured):
    counted = measured["calls"]
    lines = [f"Inventory s3_crossaccount.replication.replication_pairs (ansible-inventory --list): {measured['buckets']} tagged buckets + 4 left out, "
             f"{measured['hosts']} pairs in {measured['seconds']:.1f} s; calls {counted['read']} reads / {counted['write']} writes / {counted['auth']} auth"]
    for key, count in measured["operations"].items():
        service, operation = key.split(":", 1)
        lines.append(f"  {calls.kind(service, operation):5} {count:5}  {key}")
    return lines


def totals_by_kind(operations):
    return calls.totals(operations)


def measure(pairs, name, forks, out, profile, round_number):
    inventory = os.path.join(out, f"pairs-{pairs}.yml")
    reset_emulator()
    seed(pairs, inventory)
    prefix = os.path.join(out, f"{name}-{pairs}-r{round_number}")
    fresh = run_playbook(name, inventory, forks, prefix + "-fresh", profile)
    rerun = run_playbook(name, inventory, forks, prefix + "-rerun", profile)
    # The baseline writes the shared destination key's policy whole, so its pairs overwrite each other on every run.
    if rerun["changed"] and name == "ours":
        raise SystemExit(f"{name} with {pairs} pairs: the rerun changed {rerun['changed']} tasks; see {prefix}-rerun.log")
    return {"fresh": fresh, "rerun": rerun}


def median_result(results):
    """The run with the median wall time (its calls and counts come along)."""
    ordered = sorted(results, key=lambda result: result["seconds"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_seconds"] = [round(result["seconds"], 2) for result in results]
    chosen["seconds"] = statistics.median(result["seconds"] for result in results)
    return chosen


def calls_text(result):
    counted = result["calls"]
    return f"{result['processes']}p {counted['read']}/{counted['write']}/{counted['auth']}"


def table(results, pair_counts, names):
    lines = []
    header = f"{'pairs':>5} {'run':6} " + " ".join(f"{name + ' s':>11} {name + ' proc r/w/auth':>22}" for name in names)
    if len(names) == 2:
        header += f" {'ours/baseline':>13}"
    lines.append(header)
    lines.append("-" * len(header))
    for pairs in pair_counts:
        for run in ("fresh", "rerun"):
            row = f"{pairs:>5} {run:6} "
            row += " ".join(f"{results[name][pairs][run]['seconds']:>11.1f} {calls_text(results[name][pairs][run]):>22}" for name in names)
            if len(names) == 2:
                row += f" {results['ours'][pairs][run]['seconds'] / results['baseline'][pairs][run]['seconds']:>13.2f}"
            lines.append(row)
    return lines


def scaling_lines(results, pair_counts, names):
    lines = []
    smallest = pair_counts[0]
    for name in names:
        for run in ("fresh", "rerun"):
            ratios = [f"{pairs}/{smallest}: {results[name][pairs][run]['seconds'] / results[name][smallest][run]['seconds']:.2f}x" for pairs in pair_counts[1:]]
            if ratios:
                lines.append(f"{name} {run}: wall time " + ", ".join(ratios))
    return lines


def target_lines(results, pair_counts):
    """The targets of issue 12 (the planner in Python, the account as the unit of work)."""
    if "ours" not in results or "baseline" not in results or 1 not in pair_counts:
        return []
    ours, baseline = results["ours"], results["baseline"]
    largest = pair_counts[-1]
    checks = [
        (f"converged rerun, {pairs} pairs: module processes == accounts (2)", ours[pairs]["rerun"]["processes"], 2, "==") for pairs in pair_counts
    ]
    checks += [(f"converged rerun, {pairs} pairs: writes == 0", ours[pairs]["rerun"]["calls"]["write"], 0, "==") for pairs in pair_counts]
    checks += [
        ("fresh converge, 1 pair: ours/baseline <= 0.8", ours[1]["fresh"]["seconds"] / baseline[1]["fresh"]["seconds"], 0.8, "<="),
    ]
    if largest != 1:
        checks += [
            (f"converged rerun, {largest} pairs / 1 pair <= 1.5", ours[largest]["rerun"]["seconds"] / ours[1]["rerun"]["seconds"], 1.5, "<="),
            (f"converged rerun, {largest} pairs: ours/baseline <= 0.3", ours[largest]["rerun"]["seconds"] / baseline[largest]["rerun"]["seconds"], 0.3, "<="),
            (f"fresh converge, {largest} pairs: ours/baseline <= 0.6", ours[largest]["fresh"]["seconds"] / baseline[largest]["fresh"]["seconds"], 0.6, "<="),
        ]
    lines = []
    for label, value, limit, relation in checks:
        met = value == limit if relation == "==" else value <= limit
        shown = f"{value:.2f}" if isinstance(value, float) else f"{value}"
        lines.append(f"  {'met   ' if met else 'MISSED'}  {label}: {shown}")
    return lines


def operations_lines(results, pairs, names):
    lines = []
    for run in ("fresh", "rerun"):
        keys = sorted(set().union(*(results[name][pairs][run]["operations"] for name in names)))
        lines.append(f"{pairs} pair(s), {run}: calls by operation (" + " | ".join(names) + ")")
        for key in keys:
            service, operation = key.split(":", 1)
            counts = " ".join(f"{results[name][pairs][run]['operations'].get(key, 0):>5}" for name in names)
            lines.append(f"  {calls.kind(service, operation):5} {counts}  {key}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", default="1,10,20", help="comma-separated pair counts (default 1,10,20)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat each measurement; the median is reported")
    parser.add_argument("--forks", type=int, default=20, help="ansible-playbook --forks for both playbooks")
    parser.add_argument("--out", default=os.path.join(REPO, ".build", "bench"), help="logs, inventories, call logs, results.json")
    parser.add_argument("--profile", action="store_true", help="time every task (ansible.posix.profile_tasks) into the logs")
    parser.add_argument("--only", choices=sorted(PLAYBOOKS) + ["inventory"], help="measure one playbook only, or the inventory only")
    parser.add_argument("--inventory-buckets", type=int, default=200, help="tagged buckets of the inventory's timing (0: skip it)")
    args = parser.parse_args(argv)

    if "HARNESS_ENDPOINT" not in os.environ:
        harness = [sys.executable, os.path.join(REPO, "tests", "harness", "aws_harness.py"), "run", "--"]
        return subprocess.call(harness + [sys.executable, os.path.abspath(__file__)] + (sys.argv[1:] if argv is None else argv))

    os.makedirs(args.out, exist_ok=True)
    inventory = measure_inventory(args.inventory_buckets, args.out) if args.inventory_buckets else None
    if args.only == "inventory":
        print("\n".join(inventory_lines(inventory)) if inventory else "nothing measured: --inventory-buckets is 0")
        return 0
    pair_counts = sorted({int(value) for value in args.pairs.split(",")})
    names = [args.only] if args.only else ["baseline", "ours"]
    runs = {name: {pairs: [] for pairs in pair_counts} for name in names}
    for round_number in range(1, args.rounds + 1):
        for pairs in pair_counts:
            for name in names:
                print(f"round {round_number}: {name}, {pairs} pair(s) ...", flush=True)
                runs[name][pairs].append(measure(pairs, name, min(args.forks, max(pairs, 1)), args.out, args.profile, round_number))
    results = {
        name: {pairs: {run: median_result([measured[run] for measured in runs[name][pairs]]) for run in ("fresh", "rerun")} for pairs in pair_counts}
        for name in names
    }
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)

    report = [
        f"Benchmark: {', '.join(names)}; pairs {args.pairs}; forks min(pairs, {args.forks}); {args.rounds} round(s), median wall time",
        "calls: module processes (p: processes that called AWS) and AWS API calls counted in every process (reads/writes/auth = STS credential calls)",
        "",
    ]
    report += table(results, pair_counts, names) + [""] + scaling_lines(results, pair_counts, names)
    targets = target_lines(results, pair_counts)
    if targets:
        report += ["", "Targets (issue 12):"] + targets
    for pairs in pair_counts:
        report += [""] + operations_lines(results, pairs, names)
    if inventory:
        report += [""] + inventory_lines(inventory)
    text = "\n".join(report)
    with open(os.path.join(args.out, "report.txt"), "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
