#!/usr/bin/env bash
# Puts the amazon.aws collection of an `ansible` community package into a collections path:
#
#   bash scripts/amazon_aws.sh ansible==14.5.0 .build/collections     # amazon.aws 11.4.0
#
# Galaxy is not reachable from these machines, only PyPI: the collection comes from the `ansible`
# package's wheel, of which only ansible_collections/amazon/aws/ is extracted. The wheel is
# downloaded once into .build/wheels (--no-deps, and for Python 3.12 because `ansible` 13 and
# later require it: the wheel is pure Python, only its install would need 3.12). A rerun with the
# collection already in place does nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
package=$1 target=$2
version=${package#ansible==}
wheels=$ROOT/.build/wheels
manifest=$target/ansible_collections/amazon/aws/MANIFEST.json

if [ -f "$manifest" ] && grep -q "\"package_version\": \"$version\"" "$target/.amazon_aws_from" 2> /dev/null; then
    exit 0
fi
mkdir -p "$wheels" "$target"
if ! ls "$wheels"/ansible-"$version"-*.whl > /dev/null 2>&1; then
    "${PYTHON:-python3}" -m pip download -qq --disable-pip-version-check --no-deps --python-version 3.12 \
        --only-binary=:all: --dest "$wheels" "$package"
fi
"${PYTHON:-python3}" - "$wheels" "$version" "$target" <<'PY'
import glob, json, os, shutil, sys, zipfile
wheels, version, target = sys.argv[1:]
(wheel,) = glob.glob(os.path.join(wheels, f"ansible-{version}-*.whl"))
prefix = "ansible_collections/amazon/aws/"
shutil.rmtree(os.path.join(target, prefix), ignore_errors=True)
with zipfile.ZipFile(wheel) as archive:
    members = [name for name in archive.namelist() if name.startswith(prefix)]
    archive.extractall(target, members)
with open(os.path.join(target, prefix, "MANIFEST.json"), encoding="utf-8") as handle:
    collection_version = json.load(handle)["collection_info"]["version"]
with open(os.path.join(target, ".amazon_aws_from"), "w", encoding="utf-8") as handle:
    json.dump({"package_version": version, "amazon_aws": collection_version}, handle)
print(f"amazon.aws {collection_version} from {os.path.basename(wheel)} into {target} ({len(members)} files)")
PY
