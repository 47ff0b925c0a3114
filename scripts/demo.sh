#!/usr/bin/env bash
# make demo: the seed's scenario on the two-account emulator, start to finish.
# Runs inside the harness (`aws_harness.py run -- bash scripts/demo.sh`) from the repository root:
#   1. seed the "existing estate": source bucket with SSE-KMS objects, a key in each account;
#   2. run playbooks/replicate.yml with examples/vars.yml (real key ARNs substituted);
#   3. print what is now set up in each account;
#   4. run the playbook again: it must change nothing.
set -euo pipefail

DEMO_DIR=.build/demo
VARS="$DEMO_DIR/vars.yml"
mkdir -p "$DEMO_DIR"

# Short Ansible output: changed and failed tasks only, no skipped ones, no noise.
export ANSIBLE_DISPLAY_OK_HOSTS=false
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false
export ANSIBLE_DEPRECATION_WARNINGS=false
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_NOCOLOR=true

banner() {
    printf '\n##### %s #####\n' "$1"
}

# Runs the playbook, keeps its output in $DEMO_DIR/$1.log, prints its PLAY RECAP line and wall time.
run_playbook() {
    local name=$1 started ended
    started=$(date +%s%N)
    ansible-playbook playbooks/replicate.yml -e "@$VARS" 2>&1 | tee "$DEMO_DIR/$name.log"
    ended=$(date +%s%N)
    printf '%s: %s (%d.%d s)\n' "$name" "$(grep -A1 '^PLAY RECAP' "$DEMO_DIR/$name.log" | tail -n 1 | tr -s ' ')" \
        $(( (ended - started) / 1000000000 )) $(( (ended - started) / 100000000 % 10 )) | tee -a "$DEMO_DIR/summary.txt"
}

changed_count() {
    grep -A1 '^PLAY RECAP' "$DEMO_DIR/$1.log" | tail -n 1 | sed -n 's/.*changed=\([0-9]*\).*/\1/p'
}

: > "$DEMO_DIR/summary.txt"

banner "Seeding the existing estate (source bucket with SSE-KMS objects, a key in each account)"
python tests/harness/seed_demo.py --vars examples/vars.yml --out "$VARS"
echo "vars: $VARS (examples/vars.yml with the real key ARNs)"

banner "First run: ansible-playbook playbooks/replicate.yml -e @$VARS"
run_playbook first-run

banner "What is set up in each account"
python tests/harness/show_state.py "$VARS"

banner "Second run: the same playbook again must change nothing"
run_playbook second-run

banner "Summary"
cat "$DEMO_DIR/summary.txt"
if [ "$(changed_count second-run)" != "0" ]; then
    echo "FAILED: the second run changed something; see $DEMO_DIR/second-run.log" >&2
    exit 1
fi
echo "The second run changed nothing: the setup is idempotent."
