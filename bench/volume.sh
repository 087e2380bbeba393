#!/usr/bin/env bash
# Creating a 1 GiB Volume: time from `hyprctl apply` to Ready and the bytes allocated on the host
# (targets: < 100 ms, < 16 MiB). Also the same sparse file + mkfs.ext4 run by hand, as the
# reference for what the controller adds.
#
#   bench/volume.sh [N]        (N volumes, default 10; prints a markdown table)
#
# "apply -> Ready" includes hyprctl's own start (a JVM); "returned -> Ready" starts when
# hyprctl apply has returned (the object is stored) and is what hyprd itself takes: the
# reconcile, truncate + mkfs.ext4, rename, stat and the status write, plus up to one REST
# poll (every 2 ms, read from the REST gateway with hyprd's token). Needs a built tree and scripts/install-deps.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10}"
work="$(mktemp -d /tmp/hypr-bench.XXXXXX)"
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock"
export HYPR_REST_PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
export HYPR_METRICS_PORT=0
hyprd_pid=""
cleanup() {
  [[ -n "$hyprd_pid" ]] && kill "$hyprd_pid" 2>/dev/null && wait "$hyprd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/bin/hyprd" >"$work/hyprd.log" 2>&1 &
hyprd_pid=$!
for _ in $(seq 300); do "$root/bin/hyprctl" version >/dev/null 2>&1 && break; sleep 0.2; done

# N applies, each polled until Ready; one line per volume: "apply->Ready returned->Ready allocatedBytes".
python3 - "$n" "$root/bin/hyprctl" "$work" >"$work/results" <<'PY'
import json, subprocess, sys, time, urllib.request, os
n, hyprctl, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(1, n + 1):
    name = "bench%d" % i
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as f:
        f.write("apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata: {name: %s}\nspec: {sizeMiB: 1024}\n" % name)
    rest = "http://127.0.0.1:%s/apis/hypr.dev/v1alpha1/volumes/%s" % (os.environ["HYPR_REST_PORT"], name)
    t0 = time.time_ns()
    subprocess.run([hyprctl, "apply", "-f", path], check=True, stdout=subprocess.DEVNULL)
    t1 = time.time_ns()
    deadline = time.time() + 60
    while True:
        if time.time() > deadline:
            sys.exit("timed out waiting for volume/" + name)
        try:
            token = open(os.path.join(os.environ["HYPR_HOME"], "rest-token")).read().strip()
            req = urllib.request.Request(rest, headers={"Authorization": "Bearer " + token})
            o = json.load(urllib.request.urlopen(req, timeout=2))
            if any(c.get("type") == "Ready" and c.get("status") == "True" for c in o.get("status", {}).get("conditions", [])):
                now = time.time_ns()
                print("%.0f %.0f %d" % ((now - t0) / 1e6, (now - t1) / 1e6, o["status"]["allocatedBytes"]), flush=True)
                break
        except Exception:
            pass
        time.sleep(0.002)
PY

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }

# the same work by hand: a sparse file and the controller's mkfs.ext4 options
: >"$work/bare"
for i in $(seq "$n"); do
  b0=$(date +%s%N)
  truncate -s 1G "$work/bare.ext4"
  mkfs.ext4 -q -F -m 0 -E lazy_itable_init=1,lazy_journal_init=1,nodiscard "$work/bare.ext4"
  echo $(( ($(date +%s%N) - b0) / 1000000 )) >>"$work/bare"
  rm -f "$work/bare.ext4"
done

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mkfs: $(mkfs.ext4 -V 2>&1 | head -1)"
echo
echo "| 1 GiB volume, N = $n | median | min | max |"
echo "|---|---|---|---|"
row() { echo "| $1 | $(median <"$2") | $(sort -n "$2" | head -1) | $(sort -n "$2" | tail -1) |"; }
cut -d' ' -f1 "$work/results" >"$work/a"; cut -d' ' -f2 "$work/results" >"$work/r"; cut -d' ' -f3 "$work/results" >"$work/b"
row "apply -> Ready (ms, with hyprctl's start)" "$work/a"
row "**hyprctl returned -> Ready (ms, hyprd's part)**" "$work/r"
row "truncate + mkfs.ext4 by hand (ms)" "$work/bare"
row "**allocated on the host (bytes)**" "$work/b"

# ---- 256 MiB sequential write + fsync: in the guest on a volume and on a virtiofs share, and on
# the host's filesystem (the one both live on), each guest time as a ratio to the host's in this
# run. Kestrel does not mount volumes yet on every branch, so the bench mounts it by exec.
# BENCH_WRITES runs each (default 3; the median is reported). Guest times come from
# /proc/uptime inside the guest (10 ms ticks), so hyprctl's JVM start is not counted.
writes="${BENCH_WRITES:-3}"
rootfs="$root/guest/out/quickstart-rootfs.squashfs"
mkdir -p "$work/share"
cat >"$work/write-vm.yaml" <<Y
apiVersion: hypr.dev/v1alpha1
kind: Volume
metadata: {name: writes}
spec: {sizeMiB: 1024}
---
apiVersion: hypr.dev/v1alpha1
kind: VM
metadata: {name: writer}
spec:
  rootfs: $rootfs
  command: ["/bin/sh", "-c", "exec sleep 100000"]
  memoryMiB: 256
  network: none
  volumes:
  - {name: vol, volumeRef: writes, mountPath: /vol}
  - {name: share, hostPath: $work/share, mountPath: /share}
Y
"$root/bin/hyprctl" apply -f "$work/write-vm.yaml" >/dev/null
"$root/bin/hyprctl" wait vm/writer --for=condition=Ready --timeout=300s >/dev/null
gexec() { "$root/bin/hyprctl" exec writer -- sh -c "$1"; }
gexec 'mountpoint -q /vol 2>/dev/null || grep -q " /vol " /proc/mounts || { d=$(for b in /sys/block/vd*; do [ "$(cat $b/serial 2>/dev/null)" = hypr-writes ] && basename $b; done); mkdir -p /vol && mount -t ext4 /dev/$d /vol; }'
# seconds (two decimals) for one dd inside the guest, from /proc/uptime around it
guest_write() {
  gexec "rm -f $1/f; sync; a=\$(cut -d' ' -f1 /proc/uptime); busybox dd if=/dev/zero of=$1/f bs=1M count=256 conv=fsync 2>/dev/null; b=\$(cut -d' ' -f1 /proc/uptime); rm -f $1/f; echo \"\$a \$b\" | awk '{printf \"%.2f\n\", \$2 - \$1}'"
}
host_write() {
  rm -f "$work/share/host"; sync
  local t0; t0=$(date +%s%N)
  dd if=/dev/zero of="$work/share/host" bs=1M count=256 conv=fsync 2>/dev/null
  awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN {printf "%.2f\n", ns / 1e9}'
  rm -f "$work/share/host"
}
: >"$work/w-host"; : >"$work/w-vol"; : >"$work/w-share"
for _ in $(seq "$writes"); do
  host_write >>"$work/w-host"
  guest_write /vol >>"$work/w-vol"
  guest_write /share >>"$work/w-share"
done
medianf() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
h=$(medianf <"$work/w-host"); v=$(medianf <"$work/w-vol"); s=$(medianf <"$work/w-share")
echo
echo "accelerator: $(sed -n '/^-accel$/{n;p}' "$HYPR_HOME/runtime/vms/writer/vmm.cmd"), host fs: $(df -T "$work" | awk 'NR==2 {print $2}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| 256 MiB dd + fsync, median of $writes | seconds | MiB/s | ratio to host |"
echo "|---|---|---|---|"
rowf() { awk -v n="$1" -v t="$2" -v h="$h" 'BEGIN {printf "| %s | %.2f | %.0f | %.2f |\n", n, t, 256 / t, t / h}'; }
rowf "host filesystem" "$h"
rowf "guest, on a volume (virtio-blk, ext4)" "$v"
rowf "guest, on a virtiofs share" "$s"
echo "(all runs, seconds: host $(tr '\n' ' ' <"$work/w-host")/ volume $(tr '\n' ' ' <"$work/w-vol")/ share $(tr '\n' ' ' <"$work/w-share"))"
"$root/bin/hyprctl" delete vm writer --wait --timeout=120s >/dev/null
"$root/bin/hyprctl" delete volume writes --wait --timeout=60s >/dev/null
