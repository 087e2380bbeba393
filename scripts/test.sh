#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12, builds everything and runs every test:
# unit tests (*Test) and integration tests (*IT) against real hyprd, QEMU, SQLite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
exec mvn -B -ntp verify "$@"
