#!/usr/bin/env bash
# VM boot latency through hyprd vs a bare QEMU boot of the same kernel, initramfs, rootfs and
# command line, for each guest kernel (hypr's minimal one when built, Debian's), in one run;
# idle host RSS per VM; optionally density (many idle VMs).
#
#   bench/vm-boot.sh [N]               N boots per kernel and kind (default 10); markdown tables
#   DENSITY=50 bench/vm-boot.sh [N]    then as many idle quickstart VMs as fit, up to 50
#   KERNELS="minimal debian" ...       which kernels (default: minimal when built, then debian)
#
# "hyprd" = `hyprctl apply` of the quickstart VM → its Ready condition True (Kestrel reported the
# workload started) and → its published HTTP port answering. "bare" = running the very QEMU
# command hyprd generated (vmm.cmd, re-pointed at a fresh directory) → the same port answering.
# Every wait is bounded and a failure says what did not happen (this script once hung 10 min on
# its first bare boot: an unbounded wait on a port QEMU never opened).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10}"
density="${DENSITY:-0}"
hyprctl="$root/bin/hyprctl"
work="$(mktemp -d /tmp/hypr-bench.XXXXXX)"
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock" HYPR_AOT="${HYPR_AOT:-0}"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
export HYPR_REST_PORT="$(free_port)"
export HYPR_METRICS_PORT=0
port="$(free_port)"
hyprd_pid=""
bare_pid=""

fail() { echo "vm-boot.sh: $*" >&2; exit 1; }
# run a command with a time limit; on timeout or error, fail naming it
bounded() { # $1 seconds, $2 what, rest: the command
  local s="$1" what="$2"; shift 2
  timeout "$s" "$@" >/dev/null 2>"$work/last.err" || fail "$what failed or took over ${s}s: $(tail -c 400 "$work/last.err")"
}
wait_gone() { # pid, seconds
  for _ in $(seq $(($2 * 20))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  fail "process $1 still alive after $2 s"
}
wait_port_free() {
  for _ in $(seq 200); do ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
  fail "port $1 still taken after 10 s"
}
delete_all_vms() {
  local names=()
  for d in "$HYPR_HOME"/runtime/vms/*/; do [[ -d "$d" ]] && names+=("$(basename "$d")"); done
  ((${#names[@]} == 0)) || timeout 180 "$hyprctl" delete vm "${names[@]}" --wait --timeout=170s --ignore-not-found >/dev/null 2>&1
}
stop_hyprd() {
  if [[ -n "$hyprd_pid" ]]; then
    delete_all_vms || true
    kill "$hyprd_pid" 2>/dev/null || true
    wait_gone "$hyprd_pid" 30 || true
    hyprd_pid=""
  fi
}
cleanup() {
  [[ -n "$bare_pid" ]] && kill -9 "$bare_pid" 2>/dev/null || true
  stop_hyprd || true
  for p in "$HYPR_HOME"/runtime/vms/*/vmm.pid; do [[ -f "$p" ]] && kill -9 "$(cat "$p")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start_hyprd() { # $1 kernel choice (hypr.kernel)
  rm -rf "$HYPR_HOME"
  HYPR_KERNEL="$1" "$root/bin/hyprd" >"$work/hyprd-$1.log" 2>&1 &
  hyprd_pid=$!
  for _ in $(seq 600); do
    "$hyprctl" version >/dev/null 2>&1 && return 0
    kill -0 "$hyprd_pid" 2>/dev/null || fail "hyprd exited at start: $(tail -5 "$work/hyprd-$1.log")"
    sleep 0.2
  done
  fail "hyprd did not answer within 120 s (log $work/hyprd-$1.log)"
}

vm_yaml() { # $1 name, $2 host port (0: none)
  cat <<YAML
apiVersion: hypr.dev/v1alpha1
kind: VM
metadata: {name: $1}
spec:
  rootfs: $root/guest/out/quickstart-rootfs.squashfs
  command: ["/bin/httpd", "-f", "-p", "80", "-h", "/www"]
  memoryMiB: 128
YAML
  [[ "$2" == 0 ]] || echo "  ports: [{hostIP: 127.0.0.1, hostPort: $2, guestPort: 80}]"
}

# Polls (every 5 ms, at most 120 s) until the VM is Ready and/or the port answers; prints ms since $1 (ns).
poll() { # $1 start ns, $2 vm name or "-", $3 port
  python3 - "$@" <<'PY'
import json, socket, sys, time, urllib.request, os
start, vm, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rest = "http://127.0.0.1:%s/apis/hypr.dev/v1alpha1/vms/%s" % (os.environ["HYPR_REST_PORT"], vm)
ready = http = None
deadline = time.time() + 120
while (ready is None and vm != "-") or http is None:
    if time.time() > deadline:
        sys.exit("vm-boot.sh: %s: not %s within 120 s" % (vm, "Ready" if ready is None and vm != "-" else "answering HTTP on port %d" % port))
    if ready is None and vm != "-":
        try:
            token = open(os.path.join(os.environ["HYPR_HOME"], "rest-token")).read().strip()
            req = urllib.request.Request(rest, headers={"Authorization": "Bearer " + token})
            o = json.load(urllib.request.urlopen(req, timeout=2))
            if any(c.get("type") == "Ready" and c.get("status") == "True" for c in o.get("status", {}).get("conditions", [])):
                ready = (time.time_ns() - start) / 1e6
        except Exception: pass
    if http is None:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1)
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            if s.recv(12).startswith(b"HTTP/1."): http = (time.time_ns() - start) / 1e6
            s.close()
        except Exception: pass
    time.sleep(0.005)
print("%s %.0f" % ("-" if ready is None else "%.0f" % ready, http))
PY
}

median() { sort -n | awk '{a[NR]=$1} END {if (!NR) {print "-"; exit} m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
vmm_pid() { cat "$HYPR_HOME/runtime/vms/$1/vmm.pid"; }
# RSS of an idle VMM once it stops moving (< 1 % change over 3 s), at most 60 s
settled_rss() {
  local pid="$1" prev=0 cur stable=0
  for _ in $(seq 60); do
    cur=$(rss_kib "$pid")
    if (( prev > 0 && (cur - prev) * 100 < prev && (prev - cur) * 100 < prev )); then stable=$((stable + 1)); else stable=0; fi
    ((stable >= 3)) && break
    prev=$cur; sleep 1
  done
  echo "$cur"
}

kernels="${KERNELS:-}"
if [[ -z "$kernels" ]]; then
  [[ -f "$root/kernel/out-minimal/vmlinux" ]] && kernels="minimal"
  kernels="$kernels debian"
fi

rows=()
for k in $kernels; do
  start_hyprd "$k"
  : >"$work/ready"; : >"$work/http"; : >"$work/bare.ms"; : >"$work/applied"
  kname="?"
  for i in $(seq "$n"); do
    wait_port_free "$port"
    vm_yaml bench "$port" >"$work/vm.yaml"
    t0=$(date +%s%N)
    bounded 60 "hyprctl apply" "$hyprctl" apply -f "$work/vm.yaml"
    echo $(( ($(date +%s%N) - t0) / 1000000 )) >>"$work/applied"   # hyprctl's JVM start + the Apply call
    read -r r h < <(poll "$t0" bench "$port") || fail "boot $i ($k kernel) through hyprd did not complete"
    echo "$r" >>"$work/ready"; echo "$h" >>"$work/http"
    [[ "$i" == 1 ]] && kname="$(timeout 30 "$hyprctl" get vm bench -o json 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin).get("status", {}).get("kernel", "?"))' || echo "?")"
    cp "$HYPR_HOME/runtime/vms/bench/vmm.cmd" "$work/vmm.cmd"
    bounded 120 "hyprctl delete vm bench" "$hyprctl" delete vm bench --wait --timeout=110s
    wait_port_free "$port"

    # the same QEMU command, in a fresh directory of its own
    rm -rf "$work/bare"; mkdir -p "$work/bare"
    # hyprd adds published ports live over QMP; the bare boot gets the same forward on its command line
    mapfile -t cmd < <(sed -e "s#$HYPR_HOME/runtime/vms/bench#$work/bare#g" \
      -e "s#^user,id=\([A-Za-z0-9_-]*\)\$#user,id=\1,hostfwd=tcp:127.0.0.1:$port-:80#" "$work/vmm.cmd")
    t0=$(date +%s%N)
    bounded 60 "bare QEMU start" "${cmd[@]}"   # -daemonize: returns once the VM is set up
    bare_pid="$(cat "$work/bare/vmm.pid")"
    read -r _ h < <(poll "$t0" - "$port") || fail "bare QEMU boot $i ($k kernel) never answered HTTP (console: $(tail -c 300 "$work/bare/console.log" 2>/dev/null))"
    echo "$h" >>"$work/bare.ms"
    kill -9 "$bare_pid"; wait_gone "$bare_pid" 10; bare_pid=""
  done

  # idle RSS: three VMs, each measured once its RSS stops moving
  for i in 1 2 3; do vm_yaml "idle$i" 0 >"$work/idle$i.yaml"; bounded 60 "apply idle$i" "$hyprctl" apply -f "$work/idle$i.yaml"; done
  for i in 1 2 3; do bounded 200 "idle$i Ready" "$hyprctl" wait vm "idle$i" --for=condition=Ready --timeout=180s; done
  total=0
  for i in 1 2 3; do total=$((total + $(settled_rss "$(vmm_pid "idle$i")"))); done
  hyprd_rss=$(rss_kib "$hyprd_pid")
  accel=TCG; grep -qx 'kvm' "$work/vmm.cmd" && accel=KVM
  applied_med=$(median <"$work/applied"); ready_med=$(median <"$work/ready"); http_med=$(median <"$work/http"); bare_med=$(median <"$work/bare.ms")
  # hyprd's share: from `hyprctl apply` returning (the object is stored) to HTTP, minus the bare
  # boot of the same iteration; the median of these pairs (boot times drift between iterations)
  daemon_over=$(paste "$work/http" "$work/applied" "$work/bare.ms" | awk '{print $1-$2-$3}' | median)
  rows+=("$(printf '| %s | %s | %s | %s ms | %s ms | %s ms | %s ms | %s ms (%s%%) | %s MiB | %s MiB |' \
    "$kname" "$accel" "$n" "$ready_med" "$http_med" "$bare_med" "$applied_med" "$daemon_over" \
    "$(awk -v o="$daemon_over" -v b="$bare_med" 'BEGIN {printf "%.1f", o*100/b}')" "$((total / 3 / 1024))" "$((hyprd_rss / 1024))")")
  if [[ "$k" == "${kernels##* }" && "$density" -gt 0 ]]; then break; fi   # keep the last hyprd for density
  stop_hyprd
done

echo "$(date -u '+%F %H:%M') UTC, $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| kernel | accel | N | apply→Ready | apply→HTTP | bare QEMU→HTTP | \`hyprctl apply\` | hyprd's share (paired median) | idle RSS/VM | hyprd RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

((density > 0)) || exit 0
# Density: idle quickstart VMs added one at a time (each waited Ready) on the last kernel's hyprd;
# at 1, 10, 25, 50 (and where it stops): `hyprctl get vm` latency, one apply→Ready, hyprd RSS and
# CPU over 10 s idle, and whether every VM answers exec.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
delete_all_vms || fail "could not delete the idle VMs before the density run"
add_vm() { # $1 name; applies it and waits Ready
  vm_yaml "$1" 0 >"$work/d.yaml"
  bounded 60 "apply $1" "$hyprctl" apply -f "$work/d.yaml"
  bounded 200 "$1 Ready" "$hyprctl" wait vm "$1" --for=condition=Ready --timeout=180s
}
echo
echo "| VMs | \`get vm\` median of 5 | apply→Ready of the last | hyprd RSS | hyprd CPU idle | answer exec | QEMU RSS total | MemAvailable | load |"
echo "|---|---|---|---|---|---|---|---|---|"
count=0
for target in 1 10 25 50 "$density"; do
  ((target <= density && target > count)) || continue
  while ((count < target - 1)); do
    (($(awk '/MemAvailable/ {print $2}' /proc/meminfo) > 1048576)) || { echo "stopped at $count VMs: under 1 GiB of host memory left"; exit 0; }
    count=$((count + 1)); add_vm "d$count"
  done
  count=$((count + 1))
  t0=$(date +%s%N); add_vm "d$count"; one=$(( ($(date +%s%N) - t0) / 1000000 ))
  : >"$work/get.ms"
  for _ in 1 2 3 4 5; do
    t0=$(date +%s%N); bounded 60 "hyprctl get vm" "$hyprctl" get vm d1; echo $(( ($(date +%s%N) - t0) / 1000000 )) >>"$work/get.ms"
  done
  c0=$(cpu_ticks "$hyprd_pid"); sleep 10; c1=$(cpu_ticks "$hyprd_pid")   # a measuring interval, not a wait
  answered=0
  for ((j = 1; j <= count; j++)); do timeout 60 "$hyprctl" exec "d$j" -- true >/dev/null 2>&1 && answered=$((answered + 1)); done
  qemu_total=0
  for ((j = 1; j <= count; j++)); do qemu_total=$((qemu_total + $(rss_kib "$(vmm_pid "d$j")"))); done
  printf '| %s | %s ms | %s ms | %s MiB | %s %% | %s/%s | %s MiB | %s MiB | %s |\n' "$count" "$(median <"$work/get.ms")" "$one" \
    "$(($(rss_kib "$hyprd_pid") / 1024))" "$(( (c1 - c0) * 100 / $(getconf CLK_TCK) / 10 ))" "$answered" "$count" \
    "$((qemu_total / 1024))" "$(($(awk '/MemAvailable/ {print $2}' /proc/meminfo) / 1024))" "$(cut -d' ' -f1 /proc/loadavg)"
done
