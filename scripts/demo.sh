#!/usr/bin/env bash
# make demo: the seed's scenario on the two-account emulator, start to finish.
# Runs inside the harness (`aws_harness.py run -- bash scripts/demo.sh`) from the repository root:
#   1. seed the "existing estate": source bucket with SSE-KMS objects, a key in each account;
#   2. run playbooks/replicate.yml with examples/vars.yml (real key ARNs substituted);
#   3. print what is now set up in each account;
#   4. run the playbook again: it must change nothing;
#   5. say what the rule does not do: the objects seeded before it are not replicated by it (the
#      doctor's existing-objects finding, word for word) and how to copy them (backfill).
# DEMO_VARS picks the example (default examples/vars.yml; examples/two-way.yml replicates both ways):
#   DEMO_VARS=examples/two-way.yml make demo
set -euo pipefail

DEMO_DIR=.build/demo
EXAMPLE=${DEMO_VARS:-examples/vars.yml}
VARS="$DEMO_DIR/vars.yml"
mkdir -p "$DEMO_DIR"

# The output a real run prints (ansible.cfg of the checkout: the collection and the controller's
# inventory), without colour so that it reads well in a log.
export ANSIBLE_NOCOLOR=true

banner() {
    printf '\n##### %s #####\n' "$1"
}

# Runs the playbook, keeps its output in $DEMO_DIR/$1.log, prints its changed and failed tasks and wall time.
run_playbook() {
    local name=$1 started ended
    started=$(date +%s%N)
    ansible-playbook playbooks/replicate.yml -e "@$VARS" 2>&1 | tee "$DEMO_DIR/$name.log"
    ended=$(date +%s%N)
    printf '%s: changed=%s failed=%s, over every host of the recap (%d.%d s)\n' "$name" "$(recap_total "$name" changed)" "$(recap_total "$name" failed)" \
        $(( (ended - started) / 1000000000 )) $(( (ended - started) / 100000000 % 10 )) | tee -a "$DEMO_DIR/summary.txt"
}

# The sum of one PLAY RECAP counter over its hosts (the controller's and one per AWS account).
recap_total() {
    sed -n '/^PLAY RECAP/,$p' "$DEMO_DIR/$1.log" | grep -o " $2=[0-9]*" | awk -F= '{ total += $2 } END { print total + 0 }'
}

: > "$DEMO_DIR/summary.txt"

banner "Seeding the existing estate (source bucket with SSE-KMS objects, a key in each account)"
python tests/harness/seed_demo.py --vars "$EXAMPLE" --out "$VARS"
echo "vars: $VARS ($EXAMPLE with the real key ARNs)"

banner "First run: ansible-playbook playbooks/replicate.yml -e @$VARS"
run_playbook first-run

banner "What is set up in each account"
python tests/harness/show_state.py "$VARS"

banner "Second run: the same playbook again must change nothing"
run_playbook second-run

banner "Summary"
cat "$DEMO_DIR/summary.txt"
if [ "$(recap_total second-run changed)" != "0" ]; then
    echo "FAILED: the second run changed something; see $DEMO_DIR/second-run.log" >&2
    exit 1
fi
echo "The second run changed nothing: the setup is idempotent."

banner "The objects that were there before the rule"
ansible-playbook playbooks/doctor.yml -e "@$VARS" -e doctor_report_path="$PWD/$DEMO_DIR/doctor.json" > "$DEMO_DIR/doctor.log" 2>&1 || true
python - "$DEMO_DIR/doctor.json" <<'PYTHON'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as handle:
        findings = json.load(handle)["findings"]
except (OSError, ValueError, KeyError):
    sys.exit("the doctor wrote no report; see .build/demo/doctor.log")
for finding in findings:
    if finding["id"] == "existing-objects":
        print(f"{finding['resource']}: {finding['message']}.")
        if finding["fix"]:
            print(f"Fix: {finding['fix']}.")
PYTHON
