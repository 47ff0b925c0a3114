# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the fan-in (many sources into one central bucket and key) on the harness in real-AWS mode.

    python tests/bench/fan_in.py [--scenarios shared-30,own-60] [--principal-delay 0] [--forks 20]
                                 [--out .build/bench-fan-in]

A scenario is ``shared-N`` (N source buckets in the source account sharing the default
``replication_role_name``) or ``own-N`` (N source buckets, each its own role); every pair replicates
into the central bucket PREFIX-central and its one key in the destination account
(tests/harness/seed_pairs.py --fan-in --shared-destination-key). For each: a fresh emulator, a fresh
run of playbooks/replicate.yml and a rerun, timed; then every shared document as the accounts hold
it, sized the way AWS counts it (plugins/module_utils/policy/quotas.py) against its quota.

The harness refuses what AWS refuses (tests/harness/aws_limits.py), so a fan-in whose documents do
not fit fails the way it would on AWS: the run's rc, its AWS error and what was left are reported.
That is a result, not a failure of this script (exit 0); only a broken seed or harness exits 1.
Run outside the harness, it starts one in real-AWS mode (tests/harness/aws_harness.py run --real-aws)
and runs itself inside. Not part of ``make test``.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, ".build", "collections"))

import bench  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy import quotas  # noqa: E402  pylint: disable=wrong-import-position

PREFIX = "fanin"
CENTRAL = f"{PREFIX}-central"
SHARED_ROLE = "s3-replication-role"
AWS_ERROR = re.compile(r"(LimitExceeded|PolicyTooLarge|MalformedPolicy\w*|LimitExceededException|InvalidRequest|InvalidParameter)\W[^\"\n]{0,160}")
SCENARIO = re.compile(r"^(shared|own)-(\d+)$")


def parse_scenarios(text):
    scenarios = []
    for item in text.split(","):
        match = SCENARIO.match(item.strip())
        if not match:
            raise SystemExit(f"--scenarios: {item!r} is not shared-N or own-N (for example shared-30,own-60)")
        scenarios.append((match.group(1), int(match.group(2))))
    return scenarios


def seed(kind, pairs, inventory):
    command = [sys.executable, os.path.join(REPO, "tests", "harness", "seed_pairs.py"), "--pairs", str(pairs), "--inventory", inventory,
               "--prefix", PREFIX, "--fan-in", "--shared-destination-key"] + (["--shared-role"] if kind == "shared" else [])
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=os.path.join(REPO, "tests", "harness"))


def run_playbook(inventory, forks, log_path):
    """{seconds, rc, changed, failed, errors}: one run of replicate.yml, never raising on its failure."""
    command = ["ansible-playbook", "-i", inventory, "-f", str(forks), bench.PLAYBOOKS["ours"]]
    started = time.monotonic()
    result = subprocess.run(command, env=bench.playbook_environment(log_path + ".calls.jsonl", False), cwd=REPO, capture_output=True, text=True,
                            check=False)
    seconds = time.monotonic() - started
    with open(log_path, "w", encoding="utf-8") as handle:
        handle.write(result.stdout + result.stderr)
    recap = bench.RECAP.findall(result.stdout)
    errors = sorted({match.group(0).strip().rstrip(")") for match in AWS_ERROR.finditer(result.stdout)})
    return {"seconds": seconds, "rc": result.returncode, "changed": sum(int(row[2]) for row in recap), "failed": sum(int(row[4]) for row in recap),
            "errors": errors}


def _client(profile, service):
    return boto3.Session(profile_name=profile, region_name="us-east-1").client(service)


def role_sizes(iam, name):
    """{inline, trust, inline_policies, managed}: the role as IAM counts it, or None when it does not exist."""
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except iam.exceptions.NoSuchEntityException:
        return None
    inline = {policy: iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
              for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]}
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    return {"inline": quotas.role_inline_size({"inline_policies": inline}), "inline_policies": len(inline),
            "trust": quotas.iam_size(role["AssumeRolePolicyDocument"]), "managed": len(attached)}


def bucket_policy(s3, bucket):
    try:
        return json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except s3.exceptions.ClientError:
        return None


def key_policy(kms, alias):
    key = kms.describe_key(KeyId=f"alias/{alias}")["KeyMetadata"]["Arn"]
    return json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])


def document_rows(kind, pairs):
    """[(document, size, quota id, detail)] of every shared document as the accounts hold it after the run."""
    iam, s3, kms = _client("src", "iam"), _client("dst", "s3"), _client("dst", "kms")
    rows = []
    names = [SHARED_ROLE] if kind == "shared" else [f"{PREFIX}-replication-role-{number:02d}" for number in range(1, pairs + 1)]
    roles = {name: role_sizes(iam, name) for name in names}
    existing = {name: sizes for name, sizes in roles.items() if sizes}
    if existing:
        largest = max(existing, key=lambda name: existing[name]["inline"])
        label = f"role {largest}" if kind == "shared" else f"largest of {len(existing)} roles ({largest})"
        rows.append((f"{label}: inline policies", existing[largest]["inline"], "role-inline-policies",
                     f"{existing[largest]['inline_policies']} inline policies"))
        rows.append((f"{label}: trust policy", existing[largest]["trust"], "trust-policy", ""))
    policy = bucket_policy(s3, CENTRAL)
    rows.append((f"bucket policy of {CENTRAL}", quotas.document_bytes(policy) if policy else 0, "bucket-policy",
                 f"{len(policy['Statement']) if policy else 0} statements"))
    key = key_policy(kms, f"{PREFIX}-dst-destination")
    rows.append(("central key policy", quotas.document_bytes(key), "key-policy", f"{len(key['Statement'])} statements"))
    return rows, len(existing)


def measure(kind, pairs, forks, out):
    bench.reset_emulator()
    inventory = os.path.join(out, f"{kind}-{pairs}.yml")
    seed(kind, pairs, inventory)
    prefix = os.path.join(out, f"{kind}-{pairs}")
    fresh = run_playbook(inventory, min(forks, pairs), prefix + "-fresh.log")
    rerun = run_playbook(inventory, min(forks, pairs), prefix + "-rerun.log")
    rows, roles = document_rows(kind, pairs)
    return {"kind": kind, "pairs": pairs, "fresh": fresh, "rerun": rerun, "documents": rows, "roles": roles}


def run_line(name, run):
    verdict = "ok" if run["rc"] == 0 else f"FAILED rc={run['rc']}"
    errors = f"; AWS said: {' | '.join(run['errors'])}" if run["errors"] else ""
    return f"  {name:6} {run['seconds']:7.1f} s  {verdict}, changed={run['changed']} failed={run['failed']}{errors}"


def report_lines(result):
    title = "sharing one role" if result["kind"] == "shared" else "each its own role"
    lines = [f"{result['pairs']} sources {title}, into {CENTRAL} and its one key ({result['roles']} role(s) exist after the runs)",
             run_line("fresh", result["fresh"]), run_line("rerun", result["rerun"])]
    for document, size, quota_id, detail in result["documents"]:
        quota = quotas.QUOTA[quota_id]
        mark = "OVER " if size > quota.limit else "     "
        lines.append(f"  {mark}{document}: {size:,} / {quota.limit:,} {quota.counting} ({100 * size / quota.limit:.0f}%)" + (f", {detail}" if detail else ""))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default="shared-30,own-60", help="comma-separated shared-N / own-N (default shared-30,own-60)")
    parser.add_argument("--principal-delay", type=float, default=0.0, help="seconds a new role is an invalid principal (started harness only)")
    parser.add_argument("--forks", type=int, default=20, help="ansible-playbook --forks (at most the pairs)")
    parser.add_argument("--out", default=os.path.join(REPO, ".build", "bench-fan-in"), help="logs, inventories, results.json, report.txt")
    args = parser.parse_args(argv)
    scenarios = parse_scenarios(args.scenarios)

    if "HARNESS_ENDPOINT" not in os.environ:
        harness = [sys.executable, os.path.join(REPO, "tests", "harness", "aws_harness.py"), "run", "--real-aws", "--principal-delay",
                   str(args.principal_delay), "--"]
        return subprocess.call(harness + [sys.executable, os.path.abspath(__file__)] + (sys.argv[1:] if argv is None else argv))
    if os.environ.get("HARNESS_REAL_AWS") != "1":
        raise SystemExit("the harness at HARNESS_ENDPOINT is not in real-AWS mode: start it with aws_harness.py start --real-aws, or run this outside it")

    os.makedirs(args.out, exist_ok=True)
    results = []
    for kind, pairs in scenarios:
        print(f"{kind}-{pairs} ...", flush=True)
        results.append(measure(kind, pairs, args.forks, args.out))
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    report = [f"Fan-in benchmark on the harness in real-AWS mode (principal delay {os.environ.get('HARNESS_PRINCIPAL_DELAY', '0')} s); "
              "documents as the accounts hold them after the rerun, sized as AWS counts", ""]
    for result in results:
        report += report_lines(result) + [""]
    text = "\n".join(report)
    with open(os.path.join(args.out, "report.txt"), "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
