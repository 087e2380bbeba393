#!/usr/bin/env bash
# Cluster benchmark, VM part: apply→Ready (phase Running) of N small VMs (quickstart image, 128 MiB,
# TCG where no KVM) on 3 nodes vs on 1 node, in the same harness as ClusterIT: three network
# namespaces on a switch namespace, a 3-member etcd (one member per namespace), three hyprd.
# "1 node": node-2 and node-3 cordoned, so the scheduler binds every VM to node-1; then the VMs
# are deleted, the nodes uncordoned, and the same VMs applied again. Needs root (ip netns).
# Prints a Markdown table for docs/benchmarks.md.
# Usage: bench/cluster-vms.sh [vms=12]   (after mvn -B package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-12}"
work="$(mktemp -d)"
id="hb$$"
nss=("$id-sw" "$id-1" "$id-2" "$id-3")
cleanup() {
  for ns in "${nss[@]}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
ms() { date +%s%3N; }
ctl() { HYPR_SOCKET="$work/node-1/hypr.sock" "$root/bin/hyprctl" "$@"; }

ip netns add "$id-sw"
ip -n "$id-sw" link add sw0 type bridge && ip -n "$id-sw" link set sw0 up
cluster=""
for i in 1 2 3; do
  ip netns add "$id-$i"
  ip -n "$id-$i" link set lo up
  ip -n "$id-$i" link add eth0 type veth peer name "p$i" netns "$id-sw"
  ip -n "$id-$i" addr add "10.213.0.$i/24" dev eth0 && ip -n "$id-$i" link set eth0 up
  ip -n "$id-sw" link set "p$i" master sw0 up
  cluster="${cluster:+$cluster,}e$i=http://10.213.0.$i:2380"
done
for i in 1 2 3; do
  ip netns exec "$id-$i" etcd --name "e$i" --data-dir "$work/e$i" \
    --listen-client-urls "http://10.213.0.$i:2379" --advertise-client-urls "http://10.213.0.$i:2379" \
    --listen-peer-urls "http://10.213.0.$i:2380" --initial-advertise-peer-urls "http://10.213.0.$i:2380" \
    --initial-cluster "$cluster" --initial-cluster-token "$id" >"$work/e$i.log" 2>&1 &
done
for i in 1 2 3; do
  until ip netns exec "$id-$i" etcdctl --endpoints="http://10.213.0.$i:2379" endpoint health >/dev/null 2>&1; do sleep 0.2; done
done
store="etcd://10.213.0.1:2379,10.213.0.2:2379,10.213.0.3:2379"
for i in 1 2 3; do
  mkdir -p "$work/node-$i"
  HYPR_HOME="$work/node-$i/home" HYPR_SOCKET="$work/node-$i/hypr.sock" HYPR_REST_PORT=18080 HYPR_METRICS_PORT=18081 \
    HYPR_STORE="$store" HYPR_NODE_NAME="node-$i" HYPR_NODE_ADDRESS="10.213.0.$i" HYPR_AOT=0 \
    ip netns exec "$id-$i" "$root/bin/hyprd" >"$work/node-$i/hyprd.log" 2>&1 &
done
for i in 1 2 3; do
  until HYPR_SOCKET="$work/node-$i/hypr.sock" "$root/bin/hyprctl" get nodes 2>/dev/null | grep -q "^node-$i *Ready"; do sleep 0.5; done
done

rootfs="$root/guest/out/quickstart-rootfs.squashfs"
for i in $(seq "$n"); do
  printf 'apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: b%d\nspec:\n  rootfs: %s\n  memoryMiB: 128\n  command: ["/bin/sleep", "3600"]\n---\n' "$i" "$rootfs"
done >"$work/vms.yaml"

per_node() {
  ctl get vms -o json | python3 -c 'import json,sys,collections; d=json.load(sys.stdin); items=d.get("items", d) if isinstance(d, dict) else d; c=collections.Counter(v["spec"].get("nodeName","?") for v in items); print(", ".join(f"{k}: {c[k]}" for k in sorted(c)))'
}
# apply_ready: ms from apply to all N Running
apply_ready() {
  local t0; t0=$(ms)
  ctl apply -f "$work/vms.yaml" >/dev/null
  until [ "$(ctl get vms 2>/dev/null | grep -c ' Running ' || true)" -ge "$n" ]; do sleep 0.5; done
  echo $(( $(ms) - t0 ))
}
ctl cordon node-2 >/dev/null && ctl cordon node-3 >/dev/null
one=$(apply_ready)
spread_one=$(per_node)
ctl delete -f "$work/vms.yaml" >/dev/null
until [ "$(ctl get vms 2>/dev/null | grep -c '^b' || true)" -eq 0 ]; do sleep 0.5; done
ctl uncordon node-2 >/dev/null && ctl uncordon node-3 >/dev/null
three=$(apply_ready)
spread_three=$(per_node)

cat <<TABLE
| measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -q -E 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ] && echo KVM || echo TCG) | 1 node (2 cordoned) | 3 nodes |
|---|---|---|
| \`apply -f\` of $n VMs → all Running | ${one} ms | ${three} ms |
| VMs per node | ${spread_one} | ${spread_three} |
TABLE
