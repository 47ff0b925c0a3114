#!/usr/bin/env bash
# The system programs `make test` needs beyond Python, from Debian's packages, installed only
# when missing (a rerun installs nothing):
#   - shellcheck, so that `ansible-test sanity` runs its shellcheck test instead of skipping it;
#   - chromium, the headless browser that opens the built docsite (tests/docsite/).
# Needs root (CI and the developers' machines run as root); `apt-get update` only before an install.
set -euo pipefail

declare -A PROGRAM_OF=([shellcheck]=shellcheck [chromium]=chromium)
missing=()
for package in "${!PROGRAM_OF[@]}"; do
    command -v "${PROGRAM_OF[$package]}" > /dev/null || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install_system_tools: ${missing[*]} missing; install them (Debian: apt-get install ${missing[*]}) or run as root" >&2
    exit 1
fi
echo "install_system_tools: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
