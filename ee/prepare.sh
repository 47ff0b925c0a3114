#!/usr/bin/env bash
# Builds this tree's collection tarball where ee/execution-environment.yml expects it,
# ee/collection/s3_crossaccount-replication.tar.gz (a fixed name: the EE's galaxy requirements
# name the file), then, with arguments, runs ansible-builder with them:
#
#   bash ee/prepare.sh                                   # the tarball only
#   bash ee/prepare.sh create -c .build/ee/context       # + the build context (no container engine)
#   bash ee/prepare.sh build -t s3-crossaccount-replication-ee   # + the image (podman or docker)
set -euo pipefail

EE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$EE_DIR")
BIN=${BIN:-$ROOT/.venv/bin}
OUT=$EE_DIR/collection
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN/ansible-galaxy" collection build --output-path "$WORK" "$ROOT" > /dev/null
mkdir -p "$OUT"
mv "$WORK"/s3_crossaccount-replication-*.tar.gz "$OUT/s3_crossaccount-replication.tar.gz"
echo "$OUT/s3_crossaccount-replication.tar.gz"

if [ "$#" -gt 0 ]; then
    "$BIN/ansible-builder" "$@" -f "$EE_DIR/execution-environment.yml"
fi
