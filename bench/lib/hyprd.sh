# Shared by the VM benches (sourced): a throw-away hyprd with its own home, socket and ports,
# bounded waits that fail naming what did not happen, and a cleanup that leaves no hyprd or QEMU
# behind on success, failure, Ctrl-C or TERM. The sourcing script sets `bench` (its name for
# messages) and may set `extra_cleanup` (a function run first).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
hyprctl="$root/bin/hyprctl"
work="$(mktemp -d /tmp/hypr-bench.XXXXXX)"
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock" HYPR_AOT="${HYPR_AOT:-0}"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
export HYPR_REST_PORT="$(free_port)" HYPR_METRICS_PORT="$(free_port)"
hyprd_pid=""

fail() { echo "$bench: $*" >&2; exit 1; }
# runs a command with a time limit (stdout in $work/last.out); on timeout or error, fails naming it
bounded() { # $1 seconds, $2 what, rest: the command
  local s="$1" what="$2"; shift 2
  timeout -k 5 "$s" "$@" >"$work/last.out" 2>"$work/last.err" || fail "$what failed or took over ${s}s: $(tail -c 400 "$work/last.err")"
}
wait_gone() { # pid, seconds
  for _ in $(seq $(($2 * 20))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  return 1
}
now_ns() { python3 -c 'import time; print(time.monotonic_ns())'; }
median() { sort -n | awk '$1 != "-" {a[++k]=$1} END {if (!k) {print "-"; exit} m=(k%2)?a[(k+1)/2]:(a[k/2]+a[k/2+1])/2; printf "%.0f", m}'; }
p95() { sort -n | awk '$1 != "-" {a[++k]=$1} END {if (!k) {print "-"; exit} i=int(k*0.95+0.999); if (i>k) i=k; print a[i]}'; }
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
pss_kib() { awk '$1 == "Pss:" {print $2}' "/proc/$1/smaps_rollup"; }
vmm_pid() { cat "$HYPR_HOME/runtime/vms/$1/vmm.pid"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime
mem_available_mib() { echo $(($(awk '/MemAvailable/ {print $2}' /proc/meminfo) / 1024)); }
machine_line() {
  echo "$(date -u '+%F %H:%M') UTC; $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024)) MiB"
}

kill_vmms() { # every QEMU this run started, by the pid files under this run's directory
  local p
  for p in "$work"/home/runtime/vms/*/vmm.pid "$work"/bare/vmm.pid; do
    [[ -f "$p" ]] && kill -9 "$(cat "$p")" 2>/dev/null || true
  done
}
vm_names() { local d; for d in "$HYPR_HOME"/runtime/vms/*/; do [[ -d "$d" ]] && basename "$d"; done; }
stop_hyprd() {
  [[ -n "$hyprd_pid" ]] || return 0
  local names
  mapfile -t names < <(vm_names)
  ((${#names[@]} == 0)) || timeout -k 5 300 "$hyprctl" delete vm "${names[@]}" --wait --timeout=290s --ignore-not-found >/dev/null 2>&1 || true
  kill "$hyprd_pid" 2>/dev/null || true
  wait_gone "$hyprd_pid" 30 || kill -9 "$hyprd_pid" 2>/dev/null || true
  hyprd_pid=""
  kill_vmms
}
cleanup() {
  trap - EXIT INT TERM
  if declare -F extra_cleanup >/dev/null; then extra_cleanup || true; fi
  stop_hyprd || true
  kill_vmms
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "$bench: interrupted" >&2; exit 130' INT
trap 'echo "$bench: terminated" >&2; exit 143' TERM

start_hyprd() { # $1 kernel choice (HYPR_KERNEL)
  rm -rf "$HYPR_HOME"
  HYPR_KERNEL="$1" "$root/bin/hyprd" >"$work/hyprd.log" 2>&1 &
  hyprd_pid=$!
  for _ in $(seq 900); do
    timeout -k 5 30 "$hyprctl" version >/dev/null 2>&1 && return 0
    kill -0 "$hyprd_pid" 2>/dev/null || fail "hyprd exited at start: $(tail -5 "$work/hyprd.log")"
    sleep 0.2
  done
  fail "hyprd did not answer within 180 s (log $work/hyprd.log)"
}

# The quickstart VM (examples/quickstart/web.yaml) under another name; $2: host port, "auto" for
# an ephemeral one, 0 for none; $3 "health" adds the quickstart's health check.
vm_yaml() {
  cat <<YAML
apiVersion: hypr.dev/v1alpha1
kind: VM
metadata: {name: $1}
spec:
  rootfs: $root/guest/out/quickstart-rootfs.squashfs
  command: ["/bin/httpd", "-f", "-p", "80", "-h", "/www"]
  cpus: 1
  memoryMiB: 128
  network: user
YAML
  case "$2" in
    0) ;;
    auto) echo "  ports: [{name: http, hostIP: 127.0.0.1, guestPort: 80}]" ;;
    *) echo "  ports: [{name: http, hostIP: 127.0.0.1, hostPort: $2, guestPort: 80}]" ;;
  esac
  if [[ "${3:-}" == health ]]; then
    echo "  healthcheck: {httpGet: {port: 80, path: /}, periodSeconds: 10, startPeriodSeconds: 30, startIntervalSeconds: 1}"
  fi
}
