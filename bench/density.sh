#!/usr/bin/env bash
# How many idle quickstart VMs one host holds, and whether hyprd stays responsive with them.
#
#   bench/density.sh [MAX]          MAX VMs (default 50); checkpoints at 1, 10, 25, 50 and MAX
#   HYPR_KERNEL=debian|minimal|auto|PATH   the guest kernel (default auto, as hyprd)
#   IDLE_S=60                       the idle window per checkpoint
#   MIN_FREE_MIB=2048               stop adding VMs when the host's MemAvailable falls below this
#
# A throw-away hyprd (own home, socket, REST and metrics ports) boots the quickstart VM
# (examples/quickstart/web.yaml: busybox httpd, 128 MiB, network: user, its health check every
# 10 s) under names d1, d2, ... with an ephemeral host port each, in batches of 5 between
# checkpoints, each batch waited Ready. At each checkpoint of C VMs the C-th VM is applied alone:
#   apply → Ready      `hyprctl apply` of that VM → its Ready condition (REST polled every 20 ms)
#   get vm             wall time of `hyprctl get vm d1` as a shell sees it, median and p95 of 20
#   hyprd CPU / RSS    hyprd's CPU time over IDLE_S seconds of idling, as % of one core; its RSS
#   reconciles         reconcile calls in that window, from hyprd's own metrics
#   QEMU CPU           all VMs' CPU over the same window (% of one core), total RSS and PSS
#   exec               how many VMs answer `hyprctl exec VM -- true` (each bounded to 60 s)
# Where it stops before MAX, the table's last line says why. Everything is removed on exit.
set -euo pipefail
bench=density.sh
source "$(dirname "$0")/lib/hyprd.sh"
max="${1:-50}"
idle_s="${IDLE_S:-60}"
min_free="${MIN_FREE_MIB:-2048}"
kernel="${HYPR_KERNEL:-auto}"

reconciles() { # total reconcile calls so far, every controller
  python3 - <<'PY'
import os, urllib.request
text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % os.environ["HYPR_METRICS_PORT"], timeout=10).read().decode()
print(int(sum(float(l.rsplit(" ", 1)[1]) for l in text.splitlines() if l.startswith("hypr_reconcile_seconds_count"))))
PY
}
# Waits (polling the REST gateway every 20 ms, at most $2 s) until every named VM is Ready;
# prints ms since $1 (monotonic ns) when the last one was.
wait_ready() { # $1 start ns, $2 seconds, rest: names
  python3 - "$@" <<'PY'
import json, os, sys, time, urllib.request
start, limit, names = int(sys.argv[1]), float(sys.argv[2]), set(sys.argv[3:])
token = open(os.path.join(os.environ["HYPR_HOME"], "rest-token")).read().strip()
deadline = time.monotonic() + limit
while names:
    if time.monotonic() > deadline:
        sys.exit("density.sh: not Ready within %.0f s: %s" % (limit, " ".join(sorted(names))))
    for vm in sorted(names):
        url = "http://127.0.0.1:%s/apis/hypr.dev/v1alpha1/vms/%s" % (os.environ["HYPR_REST_PORT"], vm)
        try:
            req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
            st = json.load(urllib.request.urlopen(req, timeout=5)).get("status", {})
            if any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions", [])):
                names.discard(vm)
        except Exception:
            pass
    time.sleep(0.02)
print("%.0f" % ((time.monotonic_ns() - start) / 1e6))
PY
}
vmm_ticks() { local t=0 j; for ((j = 1; j <= count; j++)); do t=$((t + $(cpu_ticks "$(vmm_pid "d$j")"))); done; echo "$t"; }

echo "$bench: hyprd with HYPR_KERNEL=$kernel, up to $max VMs" >&2
start_hyprd "$kernel"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
free_before="$(mem_available_mib)"
rows=()
count=0
stopped=""
add_batch() { # up to $1 more VMs in one apply, waited Ready
  local upto=$1 names=() j
  : >"$work/batch.yaml"
  for ((j = count + 1; j <= upto; j++)); do vm_yaml "d$j" auto health >>"$work/batch.yaml"; echo "---" >>"$work/batch.yaml"; names+=("d$j"); done
  bounded 120 "apply ${names[*]}" "$hyprctl" apply -f "$work/batch.yaml"
  wait_ready "$(now_ns)" 600 "${names[@]}" >/dev/null || return 1
  count=$upto
}
for target in 1 10 25 50 "$max"; do
  ((target <= max && target > count)) || continue
  while ((count < target - 1)); do
    if (($(mem_available_mib) < min_free)); then stopped="host MemAvailable $(mem_available_mib) MiB < $min_free MiB"; break 2; fi
    add_batch $((count + 5 < target - 1 ? count + 5 : target - 1)) || { stopped="VMs d$((count + 1))… not Ready within 600 s"; break 2; }
    echo "$bench: $count VMs Ready" >&2
  done
  if (($(mem_available_mib) < min_free)); then stopped="host MemAvailable $(mem_available_mib) MiB < $min_free MiB"; break; fi
  # the checkpoint's own VM, timed alone
  vm_yaml "d$target" auto health >"$work/one.yaml"
  t0=$(now_ns)
  bounded 120 "apply d$target" "$hyprctl" apply -f "$work/one.yaml"
  applied=$(( ($(now_ns) - t0) / 1000000 ))
  ready=$(wait_ready "$t0" 600 "d$target") || { stopped="d$target not Ready within 600 s"; break; }
  count=$target
  echo "$bench: checkpoint $count VMs (apply $applied ms, Ready $ready ms); measuring" >&2

  : >"$work/get.ms"
  for _ in $(seq 20); do
    t0=$(now_ns); bounded 60 "hyprctl get vm d1" "$hyprctl" get vm d1; echo $(( ($(now_ns) - t0) / 1000000 )) >>"$work/get.ms"
  done

  # the idle window: nothing but hyprd's own loops (resync, health results, forwards) and the guests
  r0=$(reconciles); h0=$(cpu_ticks "$hyprd_pid"); q0=$(vmm_ticks); w0=$(now_ns)
  sleep "$idle_s"   # the measuring interval itself, not a wait for a condition
  r1=$(reconciles); h1=$(cpu_ticks "$hyprd_pid"); q1=$(vmm_ticks); w1=$(now_ns)
  secs=$(awk -v a="$w0" -v b="$w1" 'BEGIN {print (b - a) / 1e9}')
  pct() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v s="$secs" 'BEGIN {printf "%.1f", t * 100 / hz / s}'; }
  hyprd_cpu=$(pct $((h1 - h0))); vmm_cpu=$(pct $((q1 - q0)))

  answered=0; t0=$(now_ns)
  for ((j = 1; j <= count; j++)); do
    timeout -k 5 60 "$hyprctl" exec "d$j" -- true >/dev/null 2>&1 && answered=$((answered + 1))
  done
  exec_s=$(( ($(now_ns) - t0) / 1000000000 ))
  rss=0; pss=0
  for ((j = 1; j <= count; j++)); do
    pid=$(vmm_pid "d$j"); rss=$((rss + $(status_kib "$pid" VmRSS))); pss=$((pss + $(pss_kib "$pid")))
  done
  rows+=("$(printf '| %s | %s / %s ms | %s ms (apply %s ms) | %s MiB | %s %% | %s | %s %% | %s / %s MiB (%s / %s per VM) | %s MiB | %s/%s (%s s) | %s |' \
    "$count" "$(median <"$work/get.ms")" "$(p95 <"$work/get.ms")" "$ready" "$applied" \
    "$(($(status_kib "$hyprd_pid" VmRSS) / 1024))" "$hyprd_cpu" "$((r1 - r0))" "$vmm_cpu" \
    "$((rss / 1024))" "$((pss / 1024))" "$((rss / 1024 / count))" "$((pss / 1024 / count))" \
    "$(mem_available_mib)" "$answered" "$count" "$exec_s" "$(cut -d' ' -f1 /proc/loadavg)")")
  printf '%s\n' "${rows[-1]}" >&2
done

echo "$(machine_line); HYPR_KERNEL=$kernel; load average $load_before → $(cut -d' ' -f1-3 /proc/loadavg); MemAvailable before $free_before MiB"
echo
echo "| VMs | \`hyprctl get vm\` median / p95 of 20 | apply → Ready of one more VM | hyprd RSS | hyprd CPU, ${idle_s} s idle | reconciles in it | all QEMU CPU | QEMU RSS / PSS total | MemAvailable | answer exec | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if [[ -n "$stopped" ]]; then
  echo; echo "Stopped at $count VMs: $stopped."
else
  echo; echo "Reached $count VMs."
fi
