#!/usr/bin/env bash
# One GitOps Sync pass over 1,000 unchanged objects (target: <= 1 s, nothing written to the store).
# Runs controller/src/test/java/dev/hypr/controller/sync/SyncPassBench.java through Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -pl controller -am test -Dtest=SyncPassBench -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
cat controller/target/sync-pass-bench.txt
