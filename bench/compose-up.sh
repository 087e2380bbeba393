#!/usr/bin/env bash
# `hyprctl compose up -d` of a 5-service stack to every service Ready, against the slowest single
# VM's apply→Ready in the same run (the Stack controller's own cost is the difference), and the
# compose translator over the whole corpus (time per file).
#
#   bench/compose-up.sh [RUNS] [CORPUS_DIR]   (default 5 runs, ../shared/compose-corpus/awesome)
#
# Prints every run and the median of the runs. Every wait is bounded (registry 30 s, hyprd 5 min,
# 5/5 Ready 10 min, down 5 min); whatever happens, hyprd and the registry are stopped and the work
# directory removed.
#
# Stack: 5 independent services (busybox httpd, 128 MiB) from an image in a docker-registry on
# 127.0.0.1, pulled once before timing. "stack" = compose up -d started → Stack status
# servicesReady 5/5. "slowest VM" = max over the 5 VMs of (Ready condition's lastTransitionTime −
# the VM's creationTimestamp), i.e. what the VM controller took once the Stack controller had
# created it. Needs root (the stack network is a bridge), a built tree and scripts/install-deps.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
corpus="${2:-$root/../shared/compose-corpus/awesome}"
work="$(mktemp -d /tmp/hypr-bench-compose.XXXXXX)"
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock" HYPR_METRICS_PORT=0 HYPR_AOT=0
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
export HYPR_REST_PORT="$(free_port)"
reg_port="$(free_port)"
hyprctl="$root/bin/hyprctl"
hyprd_pid="" reg_pid=""
cleanup() {
  (cd "$work/project" 2>/dev/null && "$hyprctl" compose down -v >/dev/null 2>&1) || true
  [[ -n "$hyprd_pid" ]] && kill "$hyprd_pid" 2>/dev/null && timeout 60 tail --pid="$hyprd_pid" -f /dev/null || true
  [[ -n "$reg_pid" ]] && kill "$reg_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "## translating the corpus ($(ls "$corpus"/*.y*ml | wc -l) files, in one JVM)"
java -cp "$root/hyprctl/target/lib/*" "$root/bench/ComposeCorpusTiming.java" "$corpus" 20 | tee "$work/corpus.txt" | tail -1

mkdir -p "$work/registry/storage" "$work/image" "$work/project"
cat >"$work/registry/config.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry/storage}}
http: {addr: 127.0.0.1:$reg_port}
YAML
docker-registry serve "$work/registry/config.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
(cd "$work/image" && umoci init --layout app && umoci new --image app:v1 \
  && umoci config --image app:v1 --architecture amd64 --config.env PATH=/bin:/sbin:/usr/bin:/usr/sbin --config.cmd /bin/sh \
  && umoci unpack --image app:v1 b >/dev/null && unsquashfs -q -f -d b/rootfs "$root/guest/out/quickstart-rootfs.squashfs" >/dev/null \
  && umoci repack --image app:v1 b && rm -rf b)
# await CHECK WHAT SECONDS: polls CHECK (a command) until it succeeds, or fails the benchmark
await() {
  local deadline=$(( $(date +%s) + $3 ))
  until eval "$1" >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || { echo "timed out after $3 s waiting for $2" >&2; exit 1; }
    sleep 0.2
  done
}
await "curl -sf http://127.0.0.1:$reg_port/v2/" "the registry" 30
skopeo copy -q --dest-tls-verify=false "oci:$work/image/app:v1" "docker://127.0.0.1:$reg_port/bench/app:v1"
image="127.0.0.1:$reg_port/bench/app:v1"

"$root/bin/hyprd" >"$work/hyprd.log" 2>&1 &
hyprd_pid=$!
await "kill -0 $hyprd_pid && \"$hyprctl\" version" "hyprd to answer" 300
kill -0 "$hyprd_pid" || { echo "hyprd exited:" >&2; tail -5 "$work/hyprd.log" >&2; exit 1; }
"$hyprctl" images pull "$image" --progress plain >/dev/null

{
  echo "services:"
  for s in a b c d e; do
    printf '  %s:\n    image: %s\n    command: ["/bin/httpd", "-f", "-p", "80", "-h", "/www"]\n    deploy: {resources: {limits: {memory: 128M}}}\n' "$s" "$image"
  done
} >"$work/project/compose.yaml"

# A VM's creationTimestamp → its Ready condition's lastTransitionTime, in ms (JSON on stdin).
vm_ready_ms() {
  python3 -c '
import json, sys, datetime as d
o = json.load(sys.stdin)
t = lambda s: d.datetime.fromisoformat(s.replace("Z", "+00:00"))
ready = next(c for c in o["status"]["conditions"] if c["type"] == "Ready")
print(round((t(ready["lastTransitionTime"]) - t(o["metadata"]["creationTimestamp"])).total_seconds() * 1000))'
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2)}'; }
echo "## compose up -d → 5/5 Ready"
echo "| run | stack: up -d → 5/5 Ready (ms) | slowest VM apply→Ready (ms) | difference (ms) |"
echo "|---|---|---|---|"
cd "$work/project"
stacks=() slowests=() diffs=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$hyprctl" compose up -d >/dev/null
  "$hyprctl" wait stack/project --for=jsonpath='{.status.servicesReady}'=5/5 --timeout=10m >/dev/null
  stack_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  slowest=0
  for s in a b c d e; do
    vm="project-$s-1"
    ms=$("$hyprctl" get vm "$vm" -o json | vm_ready_ms)
    (( ms > slowest )) && slowest=$ms
  done
  echo "| $i | $stack_ms | $slowest | $(( stack_ms - slowest )) |"
  stacks+=("$stack_ms") slowests+=("$slowest") diffs+=("$(( stack_ms - slowest ))")
  timeout 300 "$hyprctl" compose down >/dev/null
done
echo "| **median of $runs** | **$(median "${stacks[@]}")** | **$(median "${slowests[@]}")** | **$(median "${diffs[@]}")** |"
