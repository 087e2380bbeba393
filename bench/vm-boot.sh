#!/usr/bin/env bash
# VM boot latency through hyprd against a bare QEMU boot of the same kernel, initramfs, rootfs and
# command line, for each guest kernel in ONE run; then host RSS and PSS per idle VM.
#
#   bench/vm-boot.sh [N]                 N boots per kernel and kind (default 10); markdown tables
#   KERNELS="minimal debian" ...         which kernels (hyprd's HYPR_KERNEL values, or a vmlinux
#                                        path); default: minimal when built, then debian
#
# "hyprd" = `hyprctl apply` of the quickstart VM (busybox httpd, 128 MiB, network: user, one
# published port; no health check, so Ready = Kestrel started the workload) → its Ready condition
# (REST gateway polled every 10 ms) and → its published port answering HTTP. "bare" = the very
# QEMU command hyprd generated (vmm.cmd, re-pointed at a fresh directory, the port forward on the
# command line) run by bench/bare-boot.py, which plays hyprd's side of the guest channel (sends
# the workload config hyprd wrote): launch → Kestrel's HELLO → workload STARTED → HTTP.
# hyprd's share = (VMM launch → Ready, hyprd's status.startedAt on the host clock) − (bare launch →
# STARTED), paired per iteration.
# Every wait is bounded and fails naming what did not happen; nothing is left running after
# success, failure or Ctrl-C (this script once hung 10 min on a bare boot that never answered).
set -euo pipefail
bench=vm-boot.sh
source "$(dirname "$0")/lib/hyprd.sh"
n="${1:-10}"
port="$(free_port)"

wait_port_free() {
  for _ in $(seq 400); do ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
  fail "port $1 still taken after 20 s"
}

# Polls until the VM is Ready (REST, every 50 ms: each GET costs hyprd CPU that a TCG guest booting
# on a few cores would miss) and its port answers HTTP (every 10 ms, as the bare boot); at most
# 120 s. Prints "ready_ms http_ms workloadStartedMs agentReadyMs launch_to_ready_ms": ms since $1
# (a monotonic-ns reading), status.boot's own figures, and status.startedAt (hyprd's clock when it
# launched the VMM) → Ready seen, on the host's wall clock.
poll() { # $1 start (ns, CLOCK_MONOTONIC), $2 vm name, $3 port
  python3 - "$@" <<'PY'
import datetime, json, os, socket, sys, time, urllib.request
start, vm, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
url = "http://127.0.0.1:%s/apis/hypr.dev/v1alpha1/vms/%s" % (os.environ["HYPR_REST_PORT"], vm)
token = open(os.path.join(os.environ["HYPR_HOME"], "rest-token")).read().strip()
since = lambda: (time.monotonic_ns() - start) / 1e6
ready = http = None
boot = {}
deadline = time.monotonic() + 120
next_rest = 0
while ready is None or http is None:
    if time.monotonic() > deadline:
        sys.exit("vm-boot.sh: %s: not %s within 120 s" % (vm, "Ready" if ready is None else "answering HTTP on port %d" % port))
    if ready is None and time.monotonic() >= next_rest:
        next_rest = time.monotonic() + 0.05
        try:
            req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
            st = json.load(urllib.request.urlopen(req, timeout=2)).get("status", {})
            if any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions", [])):
                ready, boot = since(), st.get("boot", {})
                launched = datetime.datetime.fromisoformat(st["startedAt"].replace("Z", "")[:26]).replace(tzinfo=datetime.timezone.utc)
                launch_to_ready = (time.time() - launched.timestamp()) * 1000
        except Exception:
            pass
    if http is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1."):
                    http = since()
        except Exception:
            pass
    time.sleep(0.01)
print("%.0f %.0f %s %s %.0f" % (ready, http, boot.get("workloadStartedMs", "-"), boot.get("agentReadyMs", "-"), launch_to_ready))
PY
}

# RSS of an idle VMM once it stops moving (< 1 % change for 3 s running), at most 60 s
settled_rss() {
  local pid="$1" prev=0 cur=0 stable=0
  for _ in $(seq 60); do
    cur=$(status_kib "$pid" VmRSS)
    if ((prev > 0 && (cur - prev) * 100 < prev && (prev - cur) * 100 < prev)); then stable=$((stable + 1)); else stable=0; fi
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

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
boot_rows=(); mem_rows=()
for k in $kernels; do
  echo "vm-boot.sh: kernel $k: $n boots through hyprd and $n bare" >&2
  start_hyprd "$k"
  : >"$work/pairs"
  kname="?"
  for i in $(seq "$n"); do
    wait_port_free "$port"
    vm_yaml bench "$port" >"$work/vm.yaml"
    t0=$(now_ns)
    bounded 60 "hyprctl apply" "$hyprctl" apply -f "$work/vm.yaml"
    applied=$(( ($(now_ns) - t0) / 1000000 ))   # hyprctl's JVM start + the Apply call
    poll "$t0" bench "$port" >"$work/poll" || fail "boot $i ($k kernel) through hyprd did not complete (hyprd log: $(tail -3 "$work/hyprd.log"))"
    read -r ready http started agent launch_ready <"$work/poll"
    if [[ "$i" == 1 ]]; then
      bounded 30 "hyprctl get vm bench" "$hyprctl" get vm bench -o json
      kname="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("status", {}).get("kernel", "?"))' "$work/last.out")"
    fi
    rm -rf "$work/bare"; mkdir -p "$work/bare"
    cp "$HYPR_HOME/runtime/vms/bench/workload.cfg" "$work/bare/workload.cfg"
    # hyprd adds published ports live over QMP; the bare boot gets the same forward on its command line
    sed -e "s#$HYPR_HOME/runtime/vms/bench#$work/bare#g" \
      -e "s#^user,id=\([A-Za-z0-9_-]*\)\$#user,id=\1,hostfwd=tcp:127.0.0.1:$port-:80#" \
      "$HYPR_HOME/runtime/vms/bench/vmm.cmd" >"$work/bare/cmd"
    bounded 180 "hyprctl delete vm bench" "$hyprctl" delete vm bench --wait --timeout=170s
    wait_port_free "$port"
    timeout -k 5 150 python3 "$root/bench/bare-boot.py" "$work/bare/cmd" "$work/bare/workload.cfg" "$port" 120 >"$work/bare.out" \
      || fail "bare QEMU boot $i ($k kernel) did not complete"
    read -r b_kestrel b_started b_http <"$work/bare.out"
    # applied ready http (hyprd) | kestrel started http (bare) | status.boot: workloadStartedMs agentReadyMs | launch → Ready
    echo "$applied $ready $http $b_kestrel $b_started $b_http $started $agent $launch_ready" >>"$work/pairs"
    echo "vm-boot.sh: $k $i/$n: hyprd apply $applied ms, Ready $ready ms, HTTP $http ms (VMM launch → workload started $started ms, → Ready $launch_ready ms); bare Kestrel $b_kestrel ms, started $b_started ms, HTTP $b_http ms" >&2
  done
  col() { awk -v c="$1" '{print $c}' "$work/pairs" | median; }
  # hyprd's share: VMM launch → Ready (hyprd's clock) minus the bare launch → STARTED, paired.
  # Not from `hyprctl apply` returning: on a loaded box the CLI's JVM returns seconds after hyprd
  # stored the object and launched the VMM.
  share=$(awk '{print $9 - $5}' "$work/pairs" | median)
  daemon=$(awk '{print $2 - $1}' "$work/pairs" | median)
  accel=TCG; grep -q '^kvm' "$work/bare/cmd" && accel=KVM
  # hyprd's own code after the launch: workload STARTED → Ready written and seen (status.boot's clock)
  path=$(awk '$7 != "-" {print $9 - $7}' "$work/pairs" | median)
  boot_rows+=("$(printf '| %s | %s | %s | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms (%s %%) | %s ms |' \
    "$kname" "$accel" "$n" "$(col 1)" "$(col 2)" "$daemon" "$(col 3)" "$(col 7)" "$(col 4)" "$(col 5)" "$(col 6)" "$share" \
    "$(awk -v s="$share" -v d="$(col 9)" 'BEGIN {printf "%.0f", s * 100 / d}')" "$path")")

  # idle memory: three VMs without ports, each measured once its RSS stops moving
  for i in 1 2 3; do vm_yaml "idle$i" 0 >"$work/idle$i.yaml"; bounded 60 "apply idle$i" "$hyprctl" apply -f "$work/idle$i.yaml"; done
  for i in 1 2 3; do bounded 200 "idle$i Ready" "$hyprctl" wait vm "idle$i" --for=condition=Ready --timeout=180s; done
  rss=0; pss=0
  for i in 1 2 3; do
    pid=$(vmm_pid "idle$i"); rss=$((rss + $(settled_rss "$pid")))
  done
  for i in 1 2 3; do pss=$((pss + $(pss_kib "$(vmm_pid "idle$i")"))); done
  mem_rows+=("$(printf '| %s | %s MiB | %s MiB | %s MiB |' "$kname" "$((rss / 3 / 1024))" "$((pss / 3 / 1024))" \
    "$(($(status_kib "$hyprd_pid" VmRSS) / 1024))")")
  stop_hyprd
done

echo "$(machine_line); load average $load_before → $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| kernel | accel | N | \`hyprctl apply\` | apply → Ready | hyprctl returned → Ready | apply → HTTP | hyprd: VMM launch → workload started (status.boot) | bare → Kestrel | bare → workload started | bare → HTTP | hyprd's share: launch → Ready − bare launch → started (paired median, % of launch → Ready) | STARTED → Ready seen |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${boot_rows[@]}"
echo
echo "| kernel | idle RSS per VM (QEMU, 3 VMs) | PSS per VM | hyprd RSS with 3 VMs |"
echo "|---|---|---|---|"
printf '%s\n' "${mem_rows[@]}"
