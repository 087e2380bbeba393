#!/usr/bin/env bash
# Quick path to a guest kernel: take Debian's cloud kernel instead of building one.
# Output (kernel/out/): vmlinux (uncompressed ELF, booted directly via PVH),
# modules/*.ko (uncompressed), modules/load-order (dependency order for Kestrel), VERSION.
# Needs: apt-get (download only, no root), dpkg-deb, xz/zstd/gzip. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt-get download drops privileges to _apt

# What Kestrel needs when the kernel does not have it built in. Dependencies (from each
# module's modinfo "depends=") are added automatically and ordered before their users.
MODULES=(virtio_mmio virtio_blk virtio_net virtio_console squashfs overlay vmw_vsock_virtio_transport virtiofs)

pkg="${HYPR_KERNEL_PACKAGE:-}"
if [[ -z "$pkg" ]]; then
  # The meta package depends on exactly one versioned image package.
  pkg="$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
fi
[[ -n "$pkg" ]] || { echo "cannot resolve linux-image-cloud-amd64 (run apt-get update?)" >&2; exit 1; }
version="${pkg#linux-image-}"

if [[ -f "$out/VERSION" && "$(cat "$out/VERSION")" == "$version" && -f "$out/vmlinux" ]]; then
  echo "kernel $version already in $out"; exit 0
fi

(cd "$work" && apt-get download "$pkg" >/dev/null)
dpkg-deb -x "$work"/linux-image-*.deb "$work/root"

# Same idea as the kernel's scripts/extract-vmlinux: find the first offset where a known
# compression magic starts a stream that decompresses to an ELF image.
extract_vmlinux() {
  local img="$1" dest="$2" entry hexmagic cmd pos
  for entry in '1f8b08|gzip -dc' 'fd377a585a00|xz -dc' '28b52ffd|zstd -dc' \
               '425a68|bzip2 -dc' '02214c18|lz4 -dc' '5d000000|unlzma -c'; do
    hexmagic="${entry%%|*}"; cmd="${entry#*|}"
    command -v "${cmd%% *}" >/dev/null || continue
    for pos in $(LC_ALL=C grep -obUaP "$(sed 's/../\\x&/g' <<<"$hexmagic")" "$img" | cut -d: -f1); do
      tail -c+$((pos + 1)) "$img" | $cmd > "$dest" 2>/dev/null || true
      if [[ "$(head -c4 "$dest" | od -An -tx1 | tr -d ' ')" == 7f454c46 ]]; then return 0; fi
    done
  done
  return 1
}

mkdir -p "$out/modules"
rm -f "$out"/modules/*.ko
extract_vmlinux "$work/root/boot/vmlinuz-$version" "$out/vmlinux.tmp" \
  || { echo "could not find a compressed vmlinux inside vmlinuz-$version" >&2; exit 1; }
mv "$out/vmlinux.tmp" "$out/vmlinux"

moddir="$work/root/lib/modules/$version"
declare -A placed=()
: > "$out/modules/load-order"
# Depth-first: a module is written to load-order only after everything it depends on.
place() {
  local m="$1" f dep
  [[ -n "${placed[$m]:-}" ]] && return 0
  placed[$m]=1
  f="$(find "$moddir" \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" \) | head -1)"
  if [[ -z "$f" ]]; then
    echo "note: $m is built into $version (or absent)" >&2; return 0
  fi
  case "$f" in
    *.xz) xz -dc "$f" > "$out/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "$out/modules/$m.ko" ;;
    *) cp "$f" "$out/modules/$m.ko" ;;
  esac
  for dep in $(strings "$out/modules/$m.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
    place "${dep//-/_}"
  done
  echo "$m.ko" >> "$out/modules/load-order"
}
for m in "${MODULES[@]}"; do place "$m"; done
echo "$version" > "$out/VERSION"
echo "kernel $version -> $out ($(du -sh "$out/vmlinux" | cut -f1) vmlinux, $(wc -l < "$out/modules/load-order") modules)"
