#!/usr/bin/env bash
# The install path a user takes, end to end, on the two-account emulator:
#   1. ansible-galaxy collection build  -> the tarball holds the content and no development file;
#   2. ansible-galaxy collection install --offline into a fresh collections path that already holds
#      the amazon.aws of `make setup` (11.4.0, .build/collections): the dependency range in galaxy.yml
#      must accept it, and it must come first in `ansible-galaxy collection list`, ahead of the older
#      copy in the venv's `ansible` package;
#   3. Galaxy's importer imports the tarball without a warning, and the docsite's linter
#      (antsibull-docs lint-collection-docs --plugin-docs) finds nothing in the installed copy;
#   4. ansible-doc renders every module and role from the installed copy;
#   5. every playbook passes --syntax-check by FQCN, and
#      `ansible-playbook s3_crossaccount.replication.replicate -e @vars.yml` replicates the seed's
#      scenario, then changes nothing on a second run.
# The run happens in an empty directory with only the fresh collections path configured, so it
# uses neither the repository's tree nor .build/collections.
#
#   bash scripts/test_install.sh            # from the repository root (make test calls it)
#   KEEP=1 bash scripts/test_install.sh     # keep the work directory for inspection
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.venv/bin}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/s3_crossaccount-install.XXXXXX")
HARNESS_DIR=$WORK/harness
COLLECTIONS=$WORK/collections
INSTALLED=$COLLECTIONS/ansible_collections/s3_crossaccount/replication
FQCN=s3_crossaccount.replication

cleanup() {
    "$BIN/python" "$ROOT/tests/harness/aws_harness.py" stop --dir "$HARNESS_DIR" || true
    if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

fail() {
    echo "test_install: FAILED: $*" >&2
    exit 1
}

step() {
    printf '\n== %s\n' "$*"
}

# The amazon.aws every target runs against (Makefile: AMAZON_AWS_FROM), and its version.
AMAZON_AWS=$ROOT/.build/collections/ansible_collections/amazon/aws
[ -f "$AMAZON_AWS/MANIFEST.json" ] || fail "$AMAZON_AWS is missing: run make setup"
amazon_aws_version() {
    "$BIN/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["collection_info"]["version"])' "$1/MANIFEST.json"
}

# Nothing from the calling shell may point Ansible at the repository.
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS ANSIBLE_ROLES_PATH ANSIBLE_CONFIG ANSIBLE_LIBRARY \
    ANSIBLE_MODULE_UTILS ANSIBLE_FILTER_PLUGINS
export PATH="$BIN:$PATH" ANSIBLE_NOCOLOR=true NO_COLOR=1 ANSIBLE_DEPRECATION_WARNINGS=false ANSIBLE_LOCALHOST_WARNING=false \
    ANSIBLE_INVENTORY_UNPARSED_WARNING=false

step "build, from a copy of the tree with the files users and tools leave in a checkout"
TREE="$WORK/tree"
mkdir -p "$TREE"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$TREE"
USER_FILES=(vars.yml my-vars.yml doctor.json status.json ansible-navigator.log ansible-navigator.yml site.retry
            "playbooks/replicate-artifact-2026-12-01T10:00:00.000000+00:00.json" inventory/pairs.yml
            .ruff_cache/CACHEDIR.TAG .mypy_cache/CACHEDIR.TAG .tox/log.txt ruff-0.17.6-py3-none-any.whl)
for path in "${USER_FILES[@]}"; do
    mkdir -p "$TREE/$(dirname "$path")"
    echo "replication_source: {profile: prod}  # a user's file" > "$TREE/$path"
done
ansible-galaxy collection build --output-path "$WORK" "$TREE" >/dev/null
TARBALL=$(ls "$WORK"/s3_crossaccount-replication-*.tar.gz)
tar -tzf "$TARBALL" | sed 's#/$##' | sort > "$WORK/contents.txt"
echo "$(basename "$TARBALL"): $(wc -l < "$WORK/contents.txt") entries"

step "tarball holds none of the users' and tools' files"
for path in "${USER_FILES[@]}" ansible.cfg inventory/localhost.yml; do
    if grep -qxF "$path" "$WORK/contents.txt"; then
        fail "the tarball ships $path, a user's or a tool's file; add it to build_ignore in galaxy.yml"
    fi
done
echo "none: ${USER_FILES[*]}"

step "tarball holds no development file"
DEV_FILES='^(tests|extensions|scripts|ee|\.venv|\.build|\.config|\.ci|\.cache|\.git|\.github|\.hypothesis|\.pytest_cache|\.ansible|changelogs/fragments)(/|$)|^(Makefile|requirements-dev\.txt|\.ansible-lint|\.gitignore)$|__pycache__|\.pyc$|\.tar\.gz$'
if grep -E "$DEV_FILES" "$WORK/contents.txt"; then
    fail "the tarball ships the development files above; add them to build_ignore in galaxy.yml"
fi
echo "none"

step "tarball holds every content file"
missing=0
while IFS= read -r path; do
    if ! grep -qxF "$path" "$WORK/contents.txt"; then
        echo "missing: $path" >&2
        missing=1
    fi
done < <(cd "$ROOT" && find plugins roles playbooks meta docs examples -type f ! -name '*.pyc' ! -path '*/__pycache__/*' ! -path 'docs/awx/project/*' | sort;
         printf '%s\n' MANIFEST.json FILES.json README.md LICENSE requirements.txt bindep.txt changelogs/changelog.yaml)
[ "$missing" = 0 ] || fail "content files are missing from the tarball; check build_ignore in galaxy.yml"
echo "all present"

step "Galaxy's importer imports the tarball without a warning"
(cd "$WORK" && "$BIN/python" -m galaxy_importer.main "$TARBALL" > "$WORK/importer.log" 2>&1) || { tail -n 20 "$WORK/importer.log"; fail "galaxy-importer"; }
if grep -E '^(WARNING|ERROR)' "$WORK/importer.log"; then
    fail "galaxy-importer reports the lines above"
fi
tail -n 1 "$WORK/importer.log"

step "install into a fresh collections path that holds amazon.aws $(amazon_aws_version "$AMAZON_AWS")"
cd "$WORK"
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
mkdir -p "$COLLECTIONS/ansible_collections/amazon"
cp -r "$AMAZON_AWS" "$COLLECTIONS/ansible_collections/amazon/aws"
ansible-galaxy collection install --offline -p "$COLLECTIONS" "$TARBALL" | tail -n 2
if [ ! -f "$INSTALLED/MANIFEST.json" ] || [ -L "$INSTALLED" ]; then
    fail "$INSTALLED is not an installed copy"
fi
listed=$(ansible-galaxy collection list "$FQCN" --format json)
"$BIN/python" - "$listed" "$COLLECTIONS" <<'PY' || fail "ansible-galaxy collection list does not show the fresh install"
import json, sys
paths = json.loads(sys.argv[1])
found = [path for path, collections in paths.items() if "s3_crossaccount.replication" in collections]
assert found == [sys.argv[2] + "/ansible_collections"], found
print("listed from", found[0])
PY
listed=$(ansible-galaxy collection list amazon.aws --format json)
"$BIN/python" - "$listed" "$COLLECTIONS" "$(amazon_aws_version "$AMAZON_AWS")" <<'PY' || fail "ansible-galaxy collection list does not show amazon.aws in the fresh path"
import json, sys
listed, collections, version = json.loads(sys.argv[1]), sys.argv[2] + "/ansible_collections", sys.argv[3]
copies = [(path, found["amazon.aws"]["version"]) for path, found in listed.items() if "amazon.aws" in found]
assert (collections, version) in copies, copies
print("amazon.aws listed:", copies)
PY
# The list is ordered by path, not by precedence: what counts is the copy Ansible loads (ANSIBLE_COLLECTIONS_PATH first).
ansible-doc -t module amazon.aws.s3_bucket > "$WORK/amazon-doc.txt" 2>/dev/null || fail "ansible-doc -t module amazon.aws.s3_bucket"
grep -q "$COLLECTIONS/ansible_collections/amazon/aws/plugins/modules/s3_bucket.py" "$WORK/amazon-doc.txt" \
    || fail "Ansible does not load amazon.aws from the fresh path: $(head -n 1 "$WORK/amazon-doc.txt")"
echo "amazon.aws loaded from $COLLECTIONS (version $(amazon_aws_version "$AMAZON_AWS"))"

step "the docsite's linter finds nothing: antsibull-docs lint-collection-docs --plugin-docs"
# antsibull-docs copies the collection and its dependencies; it copies only the git-tracked files
# of a collection that lies inside a git work tree (as .build/collections does), so both are
# copied into a tree of their own first, and the venv's collections are kept out of its search
# (which copy it takes would otherwise depend on how the two paths sort).
LINT=$WORK/docs-lint/ansible_collections
mkdir -p "$LINT/s3_crossaccount"
cp -r "$INSTALLED" "$LINT/s3_crossaccount/replication"
mkdir -p "$LINT/amazon"
cp -r "$AMAZON_AWS" "$LINT/amazon/aws"
(cd "$WORK" && ANSIBLE_COLLECTIONS_PATH="$WORK/docs-lint" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false antsibull-docs lint-collection-docs --plugin-docs "$LINT/s3_crossaccount/replication" \
    > "$WORK/docs-lint.log" 2>&1) || { cat "$WORK/docs-lint.log"; fail "antsibull-docs lint-collection-docs"; }
if [ -s "$WORK/docs-lint.log" ]; then
    cat "$WORK/docs-lint.log"
    fail "antsibull-docs lint-collection-docs reports the lines above"
fi
echo "no finding"

step "ansible-doc renders every module, inventory plugin and role of the installed copy"
modules=0
for path in "$INSTALLED"/plugins/modules/*.py; do
    module=$(basename "$path" .py)
    ansible-doc -t module "$FQCN.$module" > "$WORK/doc.txt" || fail "ansible-doc -t module $FQCN.$module"
    grep -q "$path" "$WORK/doc.txt" || fail "$FQCN.$module not documented from $INSTALLED"
    modules=$((modules + 1))
done
roles=0
for path in "$INSTALLED"/roles/*/; do
    role=$(basename "$path")
    ansible-doc -t role "$FQCN.$role" > /dev/null || fail "ansible-doc -t role $FQCN.$role"
    roles=$((roles + 1))
done
inventories=0
for path in "$INSTALLED"/plugins/inventory/*.py; do
    inventory=$(basename "$path" .py)
    ansible-doc -t inventory "$FQCN.$inventory" > /dev/null || fail "ansible-doc -t inventory $FQCN.$inventory"
    inventories=$((inventories + 1))
done
echo "modules: $modules, inventory plugins: $inventories, roles: $roles"

step "every playbook by FQCN: --syntax-check"
for path in "$INSTALLED"/playbooks/*.yml; do
    playbook=$(basename "$path" .yml)
    # Without an inventory the accounts' group is empty: its warning goes to the log, shown on failure only.
    ansible-playbook --syntax-check "$FQCN.$playbook" > "$WORK/syntax.log" 2>&1 || { cat "$WORK/syntax.log"; fail "ansible-playbook --syntax-check $FQCN.$playbook"; }
    echo "$FQCN.$playbook: ok"
done

step "replicate by FQCN against the two-account emulator"
eval "$("$BIN/python" "$ROOT/tests/harness/aws_harness.py" start --dir "$HARNESS_DIR")"
"$BIN/python" "$ROOT/tests/harness/seed_demo.py" --vars "$ROOT/examples/vars.yml" --out "$WORK/vars.yml" > /dev/null

# The recap of every host (the accounts' hosts and the pairs'), summed: "ok=N changed=N failed=N".
recap() {
    awk '/^PLAY RECAP/ {on = 1; next} on && / : ok=/ {for (i = 1; i <= NF; i++) {split($i, kv, "="); if (kv[1] ~ /^(ok|changed|failed)$/) sum[kv[1]] += kv[2]}}
         END {printf "ok=%d changed=%d failed=%d\n", sum["ok"], sum["changed"], sum["failed"]}' "$1"
}

ansible-playbook "$FQCN.replicate" -e @vars.yml > "$WORK/first-run.log" 2>&1 || { tail -n 40 "$WORK/first-run.log"; fail "first run"; }
echo "first run: $(recap "$WORK/first-run.log")"
grep -q "failed=0" <<< "$(recap "$WORK/first-run.log")" || fail "first run failed"
ansible-playbook "$FQCN.replicate" -e @vars.yml > "$WORK/second-run.log" 2>&1 || { tail -n 40 "$WORK/second-run.log"; fail "second run"; }
echo "second run: $(recap "$WORK/second-run.log")"
grep -q " changed=0 " <<< "$(recap "$WORK/second-run.log")" || fail "the second run changed something (not idempotent)"

"$BIN/python" - "$WORK/vars.yml" <<'PY' || fail "the replication configuration is not in the source bucket"
import sys
import boto3
import yaml
with open(sys.argv[1], encoding="utf-8") as handle:
    spec = yaml.safe_load(handle)
source = boto3.Session(profile_name=spec["replication_source"]["profile"])
rules = source.client("s3").get_bucket_replication(Bucket=spec["replication_source"]["bucket"])["ReplicationConfiguration"]["Rules"]
destination = rules[0]["Destination"]
assert [rule["ID"] for rule in rules] == ["all-objects"], rules
assert destination["Bucket"] == "arn:aws:s3:::" + spec["replication_destination"]["bucket"], destination
assert destination["EncryptionConfiguration"]["ReplicaKmsKeyID"] == spec["replication_destination"]["kms_key_arn"], destination
print("source bucket replicates", [rule["ID"] for rule in rules], "into", destination["Bucket"])
PY

printf '\ntest_install: the built collection installs, documents itself and replicates by FQCN\n'
