#!/usr/bin/env bash
# Compatibility: the collection against older ansible-core releases and the older amazon.aws it
# still declares (9.x, 10.x), each in its own venv under .build/compat/ (the main .venv runs
# ansible-core 2.19 with amazon.aws 11.4.0 in make test):
#   - the unit tests (tests/unit) with that ansible-core and amazon.aws;
#   - ansible-doc of every module, filter and role; --syntax-check of every playbook.
# amazon.aws comes from the `ansible` community package wheel (Galaxy is not used): only its
# ansible_collections/amazon/aws directory is extracted (scripts/amazon_aws.sh).
#
#   bash scripts/test_compat.sh                  # every line of MATRIX below (opt-in: make compat)
#   bash scripts/test_compat.sh 2.17             # one ansible-core series
#
# First run about 3-4 minutes (downloads); later runs reuse the venvs (about 1 minute each).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
COMPAT=$ROOT/.build/compat
# ansible-core series | community package that ships the amazon.aws to pair with it
MATRIX=(
    "2.17 ansible==11.13.0"
    "2.18 ansible==11.13.0"
    "2.19 ansible==12.3.0"
)
COLLECTION=s3_crossaccount.replication

only=${1:-}
failed=0

run_series() {
    local series=$1 package=$2
    local venv=$COMPAT/core-$series collections=$COMPAT/collections-${package#ansible==}
    echo "== ansible-core $series with amazon.aws from $package"
    if [ ! -x "$venv/bin/ansible-doc" ]; then
        "$PYTHON" -m venv "$venv"
        "$venv/bin/pip" install --quiet "ansible-core==$series.*" -r "$ROOT/requirements.txt" pytest pytest-xdist hypothesis \
            "parliament==1.6.4" "moto[server]==5.2.5" pyyaml
    fi
    PYTHON="$COMPAT/pip-tools/bin/python" bash "$ROOT/scripts/amazon_aws.sh" "$package" "$collections"
    mkdir -p "$collections/ansible_collections/s3_crossaccount"
    ln -sfn "$ROOT" "$collections/ansible_collections/s3_crossaccount/replication"

    local env=(env -u ANSIBLE_ROLES_PATH -u ANSIBLE_CONFIG PATH="$venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$collections"
        PYTHONPATH="$collections" ANSIBLE_NOCOLOR=true ANSIBLE_DEPRECATION_WARNINGS=false)
    "${env[@]}" ansible --version | sed -n 1p
    "${env[@]}" ansible-galaxy collection list amazon.aws 2>/dev/null | grep amazon.aws

    local status=0
    if ! "${env[@]}" "$venv/bin/python" -m pytest -q -p no:cacheprovider -n 2 "$ROOT/tests/unit" > "$venv/unit.log" 2>&1; then
        grep -E '^(FAILED|ERROR) |^E  ' "$venv/unit.log" | head -n 40
        status=1
    fi
    echo "unit tests: $(tail -n 1 "$venv/unit.log")"

    local path name
    for path in "$ROOT"/plugins/modules/*.py; do
        name=$(basename "$path" .py)
        "${env[@]}" ansible-doc -t module "$COLLECTION.$name" > /dev/null || { echo "ansible-doc -t module $COLLECTION.$name failed"; return 1; }
    done
    for path in "$ROOT"/plugins/filter/*.py; do
        name=$(basename "$path" .py)
        "${env[@]}" ansible-doc -t filter "$COLLECTION.$name" > /dev/null || { echo "ansible-doc -t filter $COLLECTION.$name failed"; return 1; }
    done
    for path in "$ROOT"/plugins/inventory/*.py; do
        name=$(basename "$path" .py)
        "${env[@]}" ansible-doc -t inventory "$COLLECTION.$name" > /dev/null || { echo "ansible-doc -t inventory $COLLECTION.$name failed"; return 1; }
    done
    for path in "$ROOT"/roles/*/; do
        name=$(basename "$path")
        "${env[@]}" ansible-doc -t role "$COLLECTION.$name" > /dev/null || { echo "ansible-doc -t role $COLLECTION.$name failed"; return 1; }
    done
    for path in "$ROOT"/playbooks/*.yml; do
        "${env[@]}" ansible-playbook --syntax-check "$path" > /dev/null || { echo "--syntax-check playbooks/$(basename "$path") failed"; return 1; }
    done
    echo "ansible-doc (modules, filters, inventory plugins, roles) and --syntax-check (playbooks): pass"
    return "$status"
}

mkdir -p "$COMPAT"
[ -x "$COMPAT/pip-tools/bin/pip" ] || "$PYTHON" -m venv "$COMPAT/pip-tools"
for line in "${MATRIX[@]}"; do
    read -r series package <<< "$line"
    if [ -n "$only" ] && [ "$only" != "$series" ]; then
        continue
    fi
    run_series "$series" "$package" || { echo "FAILED: ansible-core $series"; failed=1; }
done
exit "$failed"
