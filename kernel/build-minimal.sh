#!/usr/bin/env bash
# Full path: builds the minimal microVM kernel from Debian's linux-source-6.1 with
# tinyconfig + minimal.config. About 10 minutes on 2 cores, so results are cached by the
# hash of (source version, config fragment): CI restores kernel/cache/ or uses the quick path.
# Output: kernel/out/vmlinux (and VERSION "minimal-<hash>"), no modules.
# Needs: linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev (apt).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src_tar="$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)"
[[ -n "$src_tar" ]] || { echo "install linux-source-6.1 first (apt-get install linux-source-6.1)" >&2; exit 1; }

key="$( (sha256sum "$here/minimal.config"; stat -c '%s %Y' "$src_tar") | sha256sum | cut -c1-16)"
cache="$here/cache/minimal-$key"
if [[ ! -f "$cache/vmlinux" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tar -xf "$src_tar" -C "$work"
  cd "$work"/linux-source-6.1
  make -s tinyconfig
  scripts/kconfig/merge_config.sh -m .config "$here/minimal.config" >/dev/null
  make -s olddefconfig
  # merge_config leaves unmet requests silently unset: fail loudly instead
  missing=$(grep -E '^CONFIG_[A-Z0-9_]+=y' "$here/minimal.config" | while read -r want; do
    grep -qx "$want" .config || echo "$want"; done)
  [[ -z "$missing" ]] || { echo "config options not satisfied:"$'\n'"$missing" >&2; exit 1; }
  make -s -j"$(nproc)" vmlinux
  mkdir -p "$cache"
  cp vmlinux .config "$cache/"
fi
mkdir -p "$here/out"
cp "$cache/vmlinux" "$here/out/vmlinux"
rm -rf "$here/out/modules"
echo "minimal-$key" > "$here/out/VERSION"
echo "minimal kernel -> $here/out/vmlinux (cache $cache)"
