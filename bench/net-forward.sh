#!/usr/bin/env bash
# Throughput of a TCP connection forwarded by hyprd's proxy (100 MB) against the same transfer
# direct, and connection set-up latency through each; loopback only. Results go to
# docs/benchmarks.md "## Networking" by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl controller -am verify -Dtest=none -Dit.test=ProxyBenchIT \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false 2>&1 | grep -o 'net-forward:.*'
