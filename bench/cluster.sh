#!/usr/bin/env bash
# Cluster benchmark, store part: write and get latency of hyprd's store on SQLite (default) and on
# etcd (HYPR_STORE=etcd://..., one local etcd member), as a user sees them through hyprctl, and the
# hyprctl-independent part (the difference between the two). Controllers are off: only the store works.
# Prints a Markdown table for docs/benchmarks.md.
# Then, as root, bench/cluster-vms.sh: apply→Ready of 12 VMs on 3 nodes vs 1 (network namespaces).
# Usage: bench/cluster.sh [writes=20] [gets=20] [vms=12]   (after mvn -B package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
writes="${1:-20}"
gets="${2:-20}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

etcd_port=$(free_port); peer_port=$(free_port)
etcd --name bench --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "bench=http://127.0.0.1:$peer_port" \
  >"$work/etcd.log" 2>&1 &
pids+=($!)
until etcdctl --endpoints="127.0.0.1:$etcd_port" endpoint health >/dev/null 2>&1; do sleep 0.1; done

# measure STORE: starts hyprd on that store, prints "write_med write_max get_med batch_ms"
measure() {
  local store="$1" dir="$work/$2"
  mkdir -p "$dir"
  local rest; rest=$(free_port)
  HYPR_HOME="$dir/home" HYPR_SOCKET="$dir/hypr.sock" HYPR_REST_PORT="$rest" HYPR_METRICS_PORT="$(free_port)" \
    HYPR_STORE="$store" HYPR_CONTROLLERS_ENABLED=false HYPR_NODE_REGISTER=true HYPR_NODE_NAME="bench-$2" "$root/bin/hyprd" >"$dir/hyprd.log" 2>&1 &
  pids+=($!)
  export HYPR_SOCKET="$dir/hypr.sock"
  until "$root/bin/hyprctl" get nodes >/dev/null 2>&1; do sleep 0.2; done
  local w=() g=()
  for i in $(seq "$writes"); do
    printf 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: w%d\nspec:\n  sizeMiB: %d\n' "$i" "$i" >"$dir/one.yaml"
    local t0; t0=$(ms); "$root/bin/hyprctl" apply -f "$dir/one.yaml" >/dev/null; w+=($(( $(ms) - t0 )))
  done
  for _ in $(seq "$gets"); do
    local t0; t0=$(ms); "$root/bin/hyprctl" get volume w1 >/dev/null; g+=($(( $(ms) - t0 )))
  done
  for i in $(seq 100); do
    printf 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: b%d\nspec:\n  sizeMiB: %d\n---\n' "$i" "$i"
  done >"$dir/batch.yaml"
  local t0; t0=$(ms); "$root/bin/hyprctl" apply -f "$dir/batch.yaml" >/dev/null; local batch=$(( $(ms) - t0 ))
  echo "$(printf '%s\n' "${w[@]}" | median) $(printf '%s\n' "${w[@]}" | sort -n | tail -1) $(printf '%s\n' "${g[@]}" | median) $batch"
}

read -r sw_med sw_max sg_med s_batch < <(measure "" sqlite)
read -r ew_med ew_max eg_med e_batch < <(measure "etcd://127.0.0.1:$etcd_port" etcd)

cat <<TABLE
| measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores | SQLite | etcd 3.4 (1 member, local) |
|---|---|---|
| \`hyprctl apply -f\` one object, wall (median / max of $writes) | ${sw_med} / ${sw_max} ms | ${ew_med} / ${ew_max} ms |
| \`hyprctl get volume NAME\`, wall (median of $gets) | ${sg_med} ms | ${eg_med} ms |
| \`hyprctl apply -f\` 100 objects (one transaction) | ${s_batch} ms | ${e_batch} ms |
TABLE
if [ "$(id -u)" = 0 ]; then
  echo
  "$root/bench/cluster-vms.sh" "${3:-12}"
fi
