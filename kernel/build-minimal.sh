#!/usr/bin/env bash
# Full path: builds the minimal microVM kernel from Debian's linux-source-6.1 with
# tinyconfig + minimal.config, and installs it as kernel/out-minimal/ (vmlinux, VERSION) plus
# guest/out/initramfs-minimal.cpio (Kestrel only: the kernel has everything built in).
#
# Built once per machine: the result is cached OUTSIDE the clone in
#   $HYPR_KERNEL_CACHE (default /var/cache/hypr/kernel as root, ~/.cache/hypr/kernel otherwise)
#   minimal-<key>/vmlinux    key = hash of minimal.config, patches/*.patch and the linux-source-6.1
#                            package version
# so a fresh clone on the same machine only copies it. The source tree and the object
# directory (obj/) stay in the cache too, and ccache (when installed) keeps compiler results:
# a changed fragment rebuilds incrementally. One build at a time (flock on the cache).
#
# Installed only once it boots here: smoke boots under QEMU microvm with ACPI on (legacy and
# modern virtio-mmio) and with ACPI off must reach Kestrel's host channel (virtio-mmio serial port) within 120 s each; otherwise the
# script exits 3 with the console's tail and kernel/out-minimal is left as it was, so hyprd keeps
# booting Debian's kernel. HYPR_SKIP_BOOT_CHECK=1 skips it.
# --if-cached: install only a cached, boot-checked build (seconds); exit 4 without building when
# there is none (scripts/quickstart.sh: a new user's first run does not wait for a compile).
# Needs: linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev patch (ccache optional).
set -euo pipefail
if_cached=0
[[ "${1:-}" == --if-cached ]] && if_cached=1

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
src_tar=/usr/src/linux-source-6.1.tar.xz
[[ -f "$src_tar" ]] || { echo "build-minimal.sh: $src_tar missing: apt-get install linux-source-6.1" >&2; exit 1; }

if [[ -n "${HYPR_KERNEL_CACHE:-}" ]]; then cache="$HYPR_KERNEL_CACHE"
elif [[ "$(id -u)" -eq 0 ]]; then cache=/var/cache/hypr/kernel
else cache="${XDG_CACHE_HOME:-$HOME/.cache}/hypr/kernel"; fi
mkdir -p "$cache"

src_version="$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c '%s-%Y' "$src_tar")"
# patches/*.patch (applied in name order to the extracted source) are part of the source
patches=("$here"/patches/*.patch)
[[ -e "${patches[0]}" ]] || patches=()
patches_hash="$(cat /dev/null "${patches[@]}" | sha256sum | cut -c1-12)"
key="$( (sha256sum < "$here/minimal.config"; echo "$src_version"; echo "$patches_hash") | sha256sum | cut -c1-12)"
result="$cache/minimal-$key"

build() {
  local src="$cache/linux-source-6.1" obj="$cache/obj"
  # the extracted tree is reused while the package and the patches stay the same (obj/ then
  # rebuilds only what a changed fragment touches); anything else extracts afresh
  if [[ ! -f "$cache/source-version" || "$(cat "$cache/source-version")" != "$src_version patches-$patches_hash" ]]; then
    rm -rf "$src" "$obj" "$cache/source-version"
    tar -xf "$src_tar" -C "$cache"
    for p in "${patches[@]}"; do patch -s -p1 -d "$src" < "$p"; done
    echo "$src_version patches-$patches_hash" > "$cache/source-version"
  fi
  mkdir -p "$obj"
  make -s -C "$src" O="$obj" tinyconfig >/dev/null
  "$src/scripts/kconfig/merge_config.sh" -O "$obj" -m "$obj/.config" "$here/minimal.config" >/dev/null 2>&1
  make -s -C "$src" O="$obj" olddefconfig >/dev/null
  # merge_config leaves unmet requests silently unset: fail loudly instead
  local missing
  missing=$(grep -E '^CONFIG_[A-Z0-9_]+=y' "$here/minimal.config" | while read -r want; do
    grep -qx "$want" "$obj/.config" || echo "  $want"; done)
  [[ -z "$missing" ]] || { echo "build-minimal.sh: minimal.config options not satisfied (a dependency is off):"$'\n'"$missing" >&2; exit 1; }
  local cc=gcc
  if command -v ccache >/dev/null; then cc="ccache gcc"; export CCACHE_DIR="$cache/ccache"; fi
  echo "building the minimal kernel ($key) in $obj: several minutes on 2 cores" >&2
  nice -n 10 make -s -C "$src" O="$obj" -j"$(nproc)" CC="$cc" vmlinux
  mkdir -p "$result.tmp"
  cp "$obj/vmlinux" "$obj/.config" "$result.tmp/"
  rm -rf "$result"
  mv "$result.tmp" "$result"
}

if ((if_cached)) && [[ ! -f "$result/boot-checked" ]]; then
  echo "build-minimal.sh: minimal-$key is not built on this machine yet" >&2
  exit 4
fi

(
  flock 9
  [[ -f "$result/vmlinux" ]] || build
) 9>"$cache/.lock"

# Smoke boots: Kestrel alone (root=none), the agent's virtio-serial port, a virtio-blk disk and
# virtio-net, as hyprd launches them; "host channel: /dev/vport" on the console means the kernel
# ran init and its virtio-mmio devices work. Three launches: hyprd's (ACPI on, legacy
# virtio-mmio), hyprd's for a VM with host directories (ACPI on, modern virtio-mmio as
# vhost-user-fs needs) and ACPI off (QEMU passes the devices as virtio_mmio.device=).
boot_check() { # $1 acpi on|off, $2 legacy|modern
  local dir khz cfg modern=()
  dir="$(mktemp -d)"
  khz="$(awk -F': ' '/^cpu MHz/ {printf "%d", $2 * 1000; exit}' /proc/cpuinfo)"
  cfg="$(printf 'root=none' | base64 | tr -d '=')"
  [[ "$2" == modern ]] && modern=(-global virtio-mmio.force-legacy=false)
  truncate -s 1M "$dir/disk"
  timeout 150 qemu-system-x86_64 -M "microvm,acpi=$1" -nodefaults -no-user-config -display none -no-reboot \
    -smp 1 -m 128M -accel tcg,tb-size=16 "${modern[@]}" -kernel "$result/vmlinux" -initrd "$root/guest/out/initramfs-minimal.cpio" \
    -append "console=ttyS0 reboot=t panic=-1 8250.nr_uarts=1 tsc_early_khz=$khz hypr.cfg=$cfg" \
    -chardev "file,id=console,path=$dir/console.log" -serial chardev:console \
    -drive "id=d,file=$dir/disk,format=raw,if=none" -device virtio-blk-device,drive=d \
    -netdev user,id=n0 -device virtio-net-device,netdev=n0 \
    -device virtio-serial-device -chardev "socket,id=agent,path=$dir/agent.sock,server=on,wait=off" \
    -device virtserialport,chardev=agent,name=dev.hypr.agent -pidfile "$dir/pid" -daemonize \
    || { echo "boot check (acpi=$1, $2 virtio-mmio): QEMU did not start" >&2; rm -rf "$dir"; return 1; }
  local ok=1 t0=$SECONDS
  for _ in $(seq 1200); do
    grep -q "host channel: /dev/vport" "$dir/console.log" 2>/dev/null && { ok=0; break; }
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.1
  done
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  if ((ok)); then
    echo "boot check (acpi=$1, $2 virtio-mmio): Kestrel did not open its host channel within 120 s; console:" >&2
    tail -n 40 "$dir/console.log" >&2
  else
    echo "boot check (acpi=$1, $2 virtio-mmio): Kestrel up after $((SECONDS - t0)) s" >&2
  fi
  rm -rf "$dir"
  return "$ok"
}
"$here/build-initramfs.sh" --no-modules "$root/guest/out/initramfs-minimal.cpio" >/dev/null
if [[ ! -f "$result/boot-checked" && "${HYPR_SKIP_BOOT_CHECK:-0}" != 1 ]]; then
  boot_check on legacy && boot_check on modern && boot_check off legacy || exit 3
  touch "$result/boot-checked"
fi

# Install into the clone: vmlinux last and by rename, so a hyprd choosing a kernel never sees
# a half-written file (it takes kernel/out-minimal/vmlinux only once it exists).
out="$here/out-minimal"
mkdir -p "$out"
echo "minimal-$key" > "$out/VERSION"
if ! cmp -s "$result/vmlinux" "$out/vmlinux"; then
  cp "$result/vmlinux" "$out/vmlinux.tmp"
  mv "$out/vmlinux.tmp" "$out/vmlinux"
fi
echo "minimal kernel minimal-$key -> $out/vmlinux (cache $result)"
