#!/usr/bin/env bash
# Builder benchmark: `hyprctl build` against a real hyprd (QEMU: KVM where usable, else TCG).
#  - cold build of a busybox image (FROM scratch, COPY, RUN) and a ~100 MB context with COPY steps
#  - no-op rebuild (every step from the cache, no VM, nothing new written; target < 2 s), median of
#    5, for a small (busybox, 2 MB) and the 100 MB context, next to the CLI's own floor
#    (`hyprctl version`, median of 5) measured in the same run
#  - the cost of one build VM per RUN step: N extra `RUN true` steps, (t(N) - t(0)) / N
#  - buildah bud of the same Dockerfile, where buildah is installed (ratio hypr / buildah)
# Prints a Markdown table for docs/benchmarks.md. Every wait is bounded (hyprd 5 min, each build
# 15 min); hyprd is stopped and the work directory removed whatever happens.
# Usage: bench/build.sh [extra_runs=3]   (after mvn -B package -DskipTests and scripts/install-deps.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
extra="${1:-3}"
work="$(mktemp -d /tmp/hypr-bench-build.XXXXXX)"
export HYPR_HOME="$work/home" HYPR_SOCKET="$work/hypr.sock" HYPR_AOT=0
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HYPR_REST_PORT=$(free_port); HYPR_METRICS_PORT=$(free_port)
export HYPR_REST_PORT HYPR_METRICS_PORT
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null; timeout 60 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
ms() { date +%s%3N; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2)}'; }

"$root/bin/hyprd" >"$work/hyprd.log" 2>&1 &
pid=$!
deadline=$(( $(date +%s) + 300 ))
until "$root/bin/hyprctl" version >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { echo "hyprd exited:" >&2; tail -5 "$work/hyprd.log" >&2; exit 1; }
  (( $(date +%s) < deadline )) || { echo "hyprd did not answer within 300 s" >&2; tail -5 "$work/hyprd.log" >&2; exit 1; }
  sleep 0.2
done

ctx="$work/ctx"
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/data"
install -m 0755 /bin/busybox "$ctx/rootfs/bin/busybox"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ctx/rootfs/etc/passwd"
printf 'root:x:0:\n' > "$ctx/rootfs/etc/group"
for i in 1 2 3 4; do head -c 25000000 /dev/urandom > "$ctx/data/part$i.bin"; done   # ~100 MB context
dockerfile() { # $1 = number of extra RUN steps
  printf 'FROM scratch\nCOPY rootfs/ /\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
  printf 'COPY data/part1.bin /data/\nCOPY data/part2.bin /data/\nCOPY data/part3.bin data/part4.bin /data/\n'
  for ((i = 0; i < $1; i++)); do printf 'RUN echo step%s > /step%s\n' "$i" "$i"; done
  printf 'CMD ["sh"]\n'
}
build() { # $1 = Dockerfile [$2 = context]; prints ms
  local t0; t0=$(ms)
  timeout 900 "$root/bin/hyprctl" build -t bench/img:1 -f "$1" "${2:-$ctx}" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  echo $(( $(ms) - t0 ))
}
# What a build may write: layer cache, image store, runtime (build VMs). A no-op rebuild changes none.
state() { find "$HYPR_HOME/cache/build/layers" "$HYPR_HOME/images" "$HYPR_HOME/runtime" -newer "$work/mark" \
  \( -type f -o -type d \) 2>/dev/null | grep -v -e '/tmp$' -e '/tmp/' || true; }
noop() { # $1 = Dockerfile [$2 = context]: median of 5 no-op rebuilds; fails if one wrote anything or booted a VM
  local runs=() t
  for _ in 1 2 3 4 5; do
    touch "$work/mark"; sleep 0.01
    t=$(build "$@")
    grep -q 'CACHED' "$work/build.log" && ! grep -E '\] (RUN|COPY) ' "$work/build.log" | grep -qv 'CACHED$' \
      || { echo "a no-op rebuild ran a step:" >&2; cat "$work/build.log" >&2; exit 1; }
    [[ -z "$(state)" ]] || { echo "a no-op rebuild wrote:" >&2; state >&2; exit 1; }
    runs+=("$t")
  done
  median "${runs[@]}"
}
small="$work/small"
mkdir -p "$small"
cp -a "$ctx/rootfs" "$small/"
printf 'FROM scratch\nCOPY rootfs/ /\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n' > "$work/Dockerfile.small"
floors=()
for _ in 1 2 3 4 5; do t0=$(ms); "$root/bin/hyprctl" version >/dev/null; floors+=($(( $(ms) - t0 ))); done
floor=$(median "${floors[@]}")
dockerfile 0 > "$work/Dockerfile.0"
dockerfile "$extra" > "$work/Dockerfile.n"
cold=$(build "$work/Dockerfile.0")
noop=$(noop "$work/Dockerfile.0")
build "$work/Dockerfile.small" "$small" >/dev/null
noop_small=$(noop "$work/Dockerfile.small" "$small")
"$root/bin/hyprctl" builder prune >/dev/null
cold0=$(build "$work/Dockerfile.0")
"$root/bin/hyprctl" builder prune >/dev/null
coldn=$(build "$work/Dockerfile.n")
per_vm=$(( (coldn - cold0) / extra ))

buildah_ms="n/a (buildah not installed)"
if command -v buildah >/dev/null; then
  t0=$(ms)
  buildah bud --layers=false -f "$work/Dockerfile.0" -t bench-img "$ctx" >/dev/null 2>&1 && buildah_ms=$(( $(ms) - t0 )) \
    || buildah_ms="n/a (buildah bud failed here)"
fi

accel=TCG; [[ -w /dev/kvm ]] && accel=KVM
echo "| measurement ($accel, $(nproc) cores) | ms |"
echo "|---|---|"
echo "| cold build: FROM scratch, COPY busybox, 1 RUN, 3 COPY of a 100 MB context | $cold |"
echo "| \`hyprctl version\` (the CLI's start and one RPC: the floor of any command), median of 5 | $floor |"
echo "| no-op rebuild, small context (busybox, 2 MB; every step CACHED, no VM, nothing written), median of 5 | $noop_small |"
echo "| no-op rebuild, 100 MB context (every step CACHED, no VM, nothing written), median of 5 | $noop |"
echo "| one RUN step's build VM (squashfs of the layers so far, boot, run, capture), mean of $extra | $per_vm |"
echo "| buildah bud, same Dockerfile and context | $buildah_ms |"
