#!/usr/bin/env bash
# Full path: builds the minimal microVM kernel from Debian's linux-source-6.1 with
# tinyconfig + minimal.config, and installs it as kernel/out-minimal/ (vmlinux, VERSION) plus
# guest/out/initramfs-minimal.cpio (Kestrel only: the kernel has everything built in).
#
# Built once per machine: the result is cached OUTSIDE the clone in
#   $HYPR_KERNEL_CACHE (default /var/cache/hypr/kernel as root, ~/.cache/hypr/kernel otherwise)
#   minimal-<key>/vmlinux    key = hash of minimal.config and the linux-source-6.1 package version
# so a fresh clone on the same machine only copies it. The source tree and the object
# directory (obj/) stay in the cache too, and ccache (when installed) keeps compiler results:
# a changed fragment rebuilds incrementally. One build at a time (flock on the cache).
# Needs: linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev (ccache optional).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
src_tar=/usr/src/linux-source-6.1.tar.xz
[[ -f "$src_tar" ]] || { echo "build-minimal.sh: $src_tar missing: apt-get install linux-source-6.1" >&2; exit 1; }

if [[ -n "${HYPR_KERNEL_CACHE:-}" ]]; then cache="$HYPR_KERNEL_CACHE"
elif [[ "$(id -u)" -eq 0 ]]; then cache=/var/cache/hypr/kernel
else cache="${XDG_CACHE_HOME:-$HOME/.cache}/hypr/kernel"; fi
mkdir -p "$cache"

src_version="$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c '%s-%Y' "$src_tar")"
key="$( (sha256sum < "$here/minimal.config"; echo "$src_version") | sha256sum | cut -c1-12)"
result="$cache/minimal-$key"

build() {
  local src="$cache/linux-source-6.1" obj="$cache/obj"
  if [[ ! -f "$cache/source-version" || "$(cat "$cache/source-version")" != "$src_version" ]]; then
    rm -rf "$src" "$obj"
    tar -xf "$src_tar" -C "$cache"
    echo "$src_version" > "$cache/source-version"
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

(
  flock 9
  [[ -f "$result/vmlinux" ]] || build
) 9>"$cache/.lock"

# Install into the clone: vmlinux last and by rename, so a hyprd choosing a kernel never sees
# a half-written file (it takes kernel/out-minimal/vmlinux only once it exists).
out="$here/out-minimal"
mkdir -p "$out"
echo "minimal-$key" > "$out/VERSION"
"$here/build-initramfs.sh" --no-modules "$root/guest/out/initramfs-minimal.cpio" >/dev/null
if ! cmp -s "$result/vmlinux" "$out/vmlinux"; then
  cp "$result/vmlinux" "$out/vmlinux.tmp"
  mv "$out/vmlinux.tmp" "$out/vmlinux"
fi
echo "minimal kernel minimal-$key -> $out/vmlinux (cache $result)"
