#!/usr/bin/env bash
# Builds the base image every example starts FROM: busybox-static in an OCI layout, made with umoci
# from the host's /bin/busybox (package busybox-static), so no build ever needs the internet.
#   make-base.sh DIR   -> DIR/base (OCI layout, tag busybox:1.35)
set -euo pipefail
out=${1:?usage: make-base.sh DIR}
mkdir -p "$out"
cd "$out"
rm -rf base b
umoci init --layout base
umoci new --image base:busybox
umoci config --image base:busybox --architecture amd64 --os linux \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd sh
umoci unpack --image base:busybox b >/dev/null
r=b/rootfs
mkdir -p $r/bin $r/etc $r/tmp $r/root $r/home $r/usr/bin $r/usr/sbin $r/sbin $r/var
cp /bin/busybox $r/bin/busybox
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
done
chmod 1777 $r/tmp
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > $r/etc/passwd
printf 'root:x:0:\ndaemon:x:1:\nstaff:x:50:\nnogroup:x:65534:\n' > $r/etc/group
umoci repack --image base:busybox b
rm -rf b
echo "$out/base:busybox"
