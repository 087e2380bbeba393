#!/usr/bin/env bash
# Installs, builds, starts hyprd in the background and applies examples/quickstart/.
# Run as root (a fresh Debian has no sudo); as another user it re-runs itself through sudo.
set -euo pipefail
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "$0: run as root (sudo is not installed)" >&2; exit 1; }
  exec sudo --preserve-env=PATH,JAVA_HOME,HYPR_HOME,HYPR_SOCKET,HYPR_MINIMAL_KERNEL "$0" "$@"
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p "$root/.hypr-dev"
# the minimal kernel when this machine has built it, otherwise a background build (minutes) while
# the first VMs boot Debian's kernel; HYPR_MINIMAL_KERNEL=build waits for it, skip never builds it
HYPR_MINIMAL_KERNEL="${HYPR_MINIMAL_KERNEL:-cached}" HYPR_MINIMAL_KERNEL_LOG="$root/.hypr-dev/kernel-build.log" \
  scripts/install-deps.sh
mvn -B -q -ntp package -DskipTests

export HYPR_HOME="${HYPR_HOME:-$root/.hypr-dev/home}"
export HYPR_SOCKET="${HYPR_SOCKET:-$root/.hypr-dev/hypr.sock}"
mkdir -p "$root/.hypr-dev" "$HYPR_HOME"   # the log goes to .hypr-dev even with another HYPR_HOME
if ! bin/hyprctl version >/dev/null 2>&1; then
  nohup bin/hyprd >"$root/.hypr-dev/hyprd.log" 2>&1 &
  echo "hyprd started (pid $!, log .hypr-dev/hyprd.log)"
  for _ in $(seq 1 300); do bin/hyprctl version >/dev/null 2>&1 && break; sleep 0.2; done
fi
bin/hyprctl apply -f examples/quickstart/
bin/hyprctl get vms -o wide
cat <<MSG

hyprd is running. Talk to it with:
  export HYPR_SOCKET=$HYPR_SOCKET
  bin/hyprctl get vms
MSG
