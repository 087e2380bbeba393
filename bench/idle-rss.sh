#!/usr/bin/env bash
# Host memory of one idle quickstart VM: starts hyprd inside a throw-away network namespace (so
# the quickstart's port 8080 never meets another hyprd), applies examples/quickstart/, waits for
# Ready, lets the VM idle, and prints the QEMU process's RSS split (anonymous = guest RAM,
# translation cache and QEMU's heap; file = QEMU's binary and libraries, shared by every VM;
# shmem = memfd guest RAM) and its PSS, plus apply->Ready and status.boot.
#   bench/idle-rss.sh [idle-seconds]        (default 30)
# Environment passes through to hyprd: HYPR_KERNEL=minimal|debian|auto, HYPR_KSM=1, ...
# Needs root (ip netns), a built tree (mvn package) and the guest artifacts (scripts/install-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
idle="${1:-30}"
work="$(mktemp -d /tmp/hypr-idle-rss.XXXXXX)"
ns="hypr-rss-$$"
hyprd_pid=""
cleanup() {
  if [[ -n "$hyprd_pid" ]]; then
    HYPR_SOCKET="$work/hypr.sock" "$root/bin/hyprctl" delete vm web --wait --timeout=60s >/dev/null 2>&1 || true
    kill "$hyprd_pid" 2>/dev/null || true
    wait "$hyprd_pid" 2>/dev/null || true
  fi
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "idle-rss: $*" >&2; [[ -f "$work/hyprd.log" ]] && tail -n 20 "$work/hyprd.log" >&2; exit 1; }

ip netns add "$ns"
ip -n "$ns" link set lo up
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock" HYPR_AOT="${HYPR_AOT:-0}"
ip netns exec "$ns" "$root/bin/hyprd" >"$work/hyprd.log" 2>&1 &
hyprd_pid=$!
hyprctl() { "$root/bin/hyprctl" "$@"; }
for _ in $(seq 900); do hyprctl version >/dev/null 2>&1 && break; kill -0 "$hyprd_pid" 2>/dev/null || fail "hyprd exited"; sleep 0.2; done
hyprctl version >/dev/null 2>&1 || fail "hyprd did not answer within 180 s"

t0=$(date +%s%N)
hyprctl apply -f "$root/examples/quickstart/" >/dev/null
hyprctl wait vm/web --for=condition=Ready --timeout=300s >/dev/null || fail "vm/web not Ready within 300 s"
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
status="$(hyprctl get vm web -o json)"
pid="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["pid"])' <<<"$status")"
[[ -d "/proc/$pid" ]] || fail "QEMU pid $pid not running"

# Pss: file pages (QEMU's binary and libraries) shared by all VMs count once, split between them
sample() {
  awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$pid/status"
  awk '/^Pss:/ {printf "Pss: %d MiB", $2/1024}' "/proc/$pid/smaps_rollup"
}
echo "after Ready:        $(sample)"
sleep "$idle" # an idle VM: nothing to await, the measurement is what the host holds after this long
echo "idle ${idle}s:          $(sample)"
STATUS="$status" python3 - "$ready_ms" <<'PY'
import json, os, sys
s = json.loads(os.environ["STATUS"])["status"]
print(f"kernel {s.get('kernel')}  apply->Ready {sys.argv[1]} ms  boot {json.dumps(s.get('boot'))}")
PY
