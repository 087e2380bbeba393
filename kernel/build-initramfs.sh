#!/usr/bin/env bash
# Builds the guest initramfs: an UNCOMPRESSED newc cpio (the kernel unpacks it without
# running a decompressor, which is measurably faster under TCG) holding
#   /init                    Kestrel (guest/out/kestrel)
#   /lib/modules/*.ko        modules Kestrel loads when the kernel lacks them
#   /lib/modules/load-order  the order to load them in (dependencies first)
# Usage: build-initramfs.sh [--no-modules] [output]   (default: guest/out/initramfs.cpio)
#   --no-modules: Kestrel only, for the minimal kernel (everything built in, CONFIG_MODULES=n):
#   no module bytes to unpack into guest RAM at every boot.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
with_modules=1
if [[ "${1:-}" == "--no-modules" ]]; then with_modules=0; shift; fi
output="${1:-$root/guest/out/initramfs.cpio}"
kestrel="$root/guest/out/kestrel"
modules="$root/kernel/out/modules"

[[ -x "$kestrel" ]] || make -C "$root/guest" >/dev/null
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/lib/modules" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/run"
install -m 0755 "$kestrel" "$stage/init"
if ((!with_modules)); then
  rmdir "$stage/lib/modules" "$stage/lib"
elif [[ -f "$modules/load-order" ]]; then
  cp "$modules"/*.ko "$modules/load-order" "$stage/lib/modules/"
else
  echo "note: no $modules/load-order; initramfs without modules (kernel must have them built in)" >&2
fi

mkdir -p "$(dirname "$output")"
# Sorted names and fixed owner/mtime make the archive reproducible.
(cd "$stage" && find . -mindepth 1 -exec touch -h -d @0 {} + && find . -mindepth 1 | LC_ALL=C sort \
  | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$output.tmp"
mv "$output.tmp" "$output"
echo "initramfs -> $output ($(du -h "$output" | cut -f1))"
