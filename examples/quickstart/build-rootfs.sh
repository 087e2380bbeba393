#!/usr/bin/env bash
# Builds the quickstart rootfs: Debian's busybox-static plus a web page, as squashfs.
# Usage: build-rootfs.sh OUTPUT.squashfs
# The workload is `busybox httpd -f -p 80 -h /www` (see vm.yaml beside this script).
# Needs busybox-static (the binary at /bin/busybox, or fetched with apt-get download) and
# squashfs-tools. Runs without root: file ownership is forced with -all-root.
set -euo pipefail

output="${1:?usage: build-rootfs.sh OUTPUT.squashfs}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

busybox=""
if [[ -x /bin/busybox ]] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
  busybox=/bin/busybox
elif ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable'; then
  busybox=/bin/busybox
else
  (cd "$stage" && apt-get download busybox-static >/dev/null 2>&1) \
    || { echo "busybox-static is needed: apt-get install busybox-static" >&2; exit 1; }
  dpkg-deb -x "$stage"/busybox-static_*.deb "$stage/pkg"
  busybox="$stage/pkg/bin/busybox"
fi

root="$stage/rootfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,www,tmp,proc,sys,dev,run,root,var/log}
chmod 1777 "$root/tmp"
install -m 0755 "$busybox" "$root/bin/busybox"
# One symlink per applet the quickstart and the tests use.
for applet in sh ash ls cat echo wget nc httpd ps kill sleep mkdir rm cp mv env id hostname \
              ip ifconfig route ping mount umount uname df free top head tail grep sed true false; do
  ln -sf busybox "$root/bin/$applet"
done
cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
www-data:x:33:33:www-data:/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$root/etc/group" <<'G'
root:x:0:
www-data:x:33:
nogroup:x:65534:
G
echo "hello from hypr" > "$root/www/index.html"

mkdir -p "$(dirname "$output")"
rm -f "$output"
mksquashfs "$root" "$output" -all-root -noappend -quiet -comp zstd >/dev/null 2>&1 \
  || mksquashfs "$root" "$output" -all-root -noappend -quiet >/dev/null
echo "rootfs -> $output ($(du -h "$output" | cut -f1))"
