#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12, builds everything and runs every test:
# unit tests (*Test) and integration tests (*IT) against real hyprd, QEMU, SQLite.
# Run as root (a fresh Debian has no sudo); as another user it re-runs itself through sudo.
set -euo pipefail
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "$0: run as root (sudo is not installed)" >&2; exit 1; }
  exec sudo --preserve-env=PATH,JAVA_HOME,HYPR_HOME,HYPR_SOCKET,HYPR_MINIMAL_KERNEL "$0" "$@"
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# builds the minimal guest kernel in the foreground (HYPR_MINIMAL_KERNEL=build, the default), so
# every VM test boots that one kernel; BootTimeIT fails when it is missing
scripts/install-deps.sh
exec mvn -B -ntp verify "$@"
