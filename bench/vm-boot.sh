#!/usr/bin/env bash
# VM boot latency through hyprd vs a bare QEMU boot of the same kernel, initramfs, rootfs and
# command line, in the same run, and idle host RSS per VM.
#
#   bench/vm-boot.sh [N]        (N boots of each, default 10; prints a markdown table)
#
# "hyprd" = `hyprctl apply` of a VM → its Ready condition True (Kestrel reported the workload
# started) and → its published HTTP port answering. "bare" = running the very QEMU command
# hyprd generated (vmm.cmd, re-pointed at a fresh directory) → the same HTTP port answering.
# The difference of the medians is the control plane's overhead (CLI start, apply, reconcile,
# runtime dir, launch, agent connect). Needs a built tree and scripts/install-deps.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10}"
work="$(mktemp -d /tmp/hypr-bench.XXXXXX)"
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock"
export HYPR_REST_PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
export HYPR_METRICS_PORT=0
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
hyprd_pid=""
cleanup() {
  for vm in bench idle1 idle2 idle3; do "$root/bin/hyprctl" delete vm "$vm" --wait --ignore-not-found >/dev/null 2>&1 || true; done
  [[ -n "$hyprd_pid" ]] && kill "$hyprd_pid" 2>/dev/null && wait "$hyprd_pid" 2>/dev/null || true
  [[ -f "$work/bare/vmm.pid" ]] && kill -9 "$(cat "$work/bare/vmm.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/bin/hyprd" >"$work/hyprd.log" 2>&1 &
hyprd_pid=$!
for _ in $(seq 300); do "$root/bin/hyprctl" version >/dev/null 2>&1 && break; sleep 0.2; done

vm_yaml() { # $1 name, $2 host port
  cat <<YAML
apiVersion: hypr.dev/v1alpha1
kind: VM
metadata: {name: $1}
spec:
  rootfs: $root/guest/out/quickstart-rootfs.squashfs
  command: ["/bin/httpd", "-f", "-p", "80", "-h", "/www"]
  memoryMiB: 128
  ports: [{hostIP: 127.0.0.1, hostPort: $2, guestPort: 80}]
YAML
}

# Polls (every 5 ms) until the VM is Ready and/or the port answers; prints ms since $1 (ns).
poll() { # $1 start ns, $2 vm name or "-", $3 port
  python3 - "$@" <<'PY'
import json, socket, sys, time, urllib.request, os
start, vm, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rest = "http://127.0.0.1:%s/apis/hypr.dev/v1alpha1/vms/%s" % (os.environ["HYPR_REST_PORT"], vm)
ready = http = None
deadline = time.time() + 120
while (ready is None and vm != "-") or http is None:
    if time.time() > deadline: sys.exit("timed out")
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

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }

: >"$work/ready"; : >"$work/http"; : >"$work/bare.ms"; : >"$work/applied"
for i in $(seq "$n"); do
  vm_yaml bench "$port" >"$work/vm.yaml"
  t0=$(date +%s%N)
  "$root/bin/hyprctl" apply -f "$work/vm.yaml" >/dev/null
  echo $(( ($(date +%s%N) - t0) / 1000000 )) >>"$work/applied"   # hyprctl's JVM start + the Apply call
  read -r r h < <(poll "$t0" bench "$port")
  echo "$r" >>"$work/ready"; echo "$h" >>"$work/http"
  cp "$HYPR_HOME/runtime/vms/bench/vmm.cmd" "$work/vmm.cmd"
  "$root/bin/hyprctl" delete vm bench --wait >/dev/null

  # the same QEMU command, in a fresh directory of its own
  rm -rf "$work/bare"; mkdir -p "$work/bare"
  # hyprd adds published ports live over QMP; the bare boot gets the same forward on its command line
  mapfile -t cmd < <(sed -e "s#$HYPR_HOME/runtime/vms/bench#$work/bare#g" \
    -e "s#^user,id=\([A-Za-z0-9_-]*\)\$#user,id=\1,hostfwd=tcp:127.0.0.1:$port-:80#" "$work/vmm.cmd")
  t0=$(date +%s%N)
  "${cmd[@]}" >/dev/null 2>&1
  read -r _ h < <(poll "$t0" - "$port")
  echo "$h" >>"$work/bare.ms"
  kill -9 "$(cat "$work/bare/vmm.pid")"; sleep 0.3
done

# idle RSS: three VMs left alone for 10 s
for i in 1 2 3; do vm_yaml "idle$i" 0 | sed '/ports:/d' >"$work/idle$i.yaml"; "$root/bin/hyprctl" apply -f "$work/idle$i.yaml" >/dev/null; done
for i in 1 2 3; do "$root/bin/hyprctl" wait vm "idle$i" --for=condition=Ready --timeout=120s >/dev/null; done
sleep 10
rss_kib=0
for i in 1 2 3; do
  pid="$(cat "$HYPR_HOME/runtime/vms/idle$i/vmm.pid")"
  rss_kib=$((rss_kib + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status")))
done
hyprd_rss=$(awk '/VmRSS/ {print $2}' "/proc/$hyprd_pid/status")

applied_med=$(median <"$work/applied"); ready_med=$(median <"$work/ready"); http_med=$(median <"$work/http"); bare_med=$(median <"$work/bare.ms")
accel=TCG; grep -qx 'kvm' "$work/vmm.cmd" && accel=KVM   # what hyprd chose, from its own command
# hyprd's share: from `hyprctl apply` returning (the object is stored) to HTTP, minus the bare
# boot of the same iteration; the median of these pairs, because on a shared machine boot times
# drift by seconds between iterations and a difference of medians would mostly measure that
over=$((http_med - bare_med))
daemon_over=$(paste "$work/http" "$work/applied" "$work/bare.ms" | awk '{print $1-$2-$3}' | median)
echo "| date | machine | accel | N | apply→Ready | apply→HTTP | bare QEMU→HTTP | overhead | of which \`hyprctl apply\` | hyprd overhead (paired median) | idle RSS/VM | hyprd RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '| %s | %s cores, %s | %s | %s | %s ms | %s ms | %s ms | %s ms (%s%%) | %s ms | %s ms | %s MiB | %s MiB |\n' \
  "$(date -u +%F)" "$(nproc)" "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$accel" "$n" \
  "$ready_med" "$http_med" "$bare_med" "$over" \
  "$(awk -v a="$http_med" -v b="$bare_med" 'BEGIN {printf "%.1f", (a-b)*100/b}')" "$applied_med" "$daemon_over" \
  "$((rss_kib / 3 / 1024))" "$((hyprd_rss / 1024))"
