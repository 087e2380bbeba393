#!/usr/bin/env bash
# Installs everything hypr and its tests need on a fresh Debian 12, then builds the guest
# artifacts the integration tests boot: kernel/out/ (Debian cloud kernel + modules),
# guest/out/kestrel, guest/out/initramfs.cpio, guest/out/quickstart-rootfs.squashfs.
# Idempotent: re-running only fills in what is missing. Run as root, or as a user with sudo.
# PACKAGES is the install list that HostProgramsInstalledTest checks every program hyprd,
# hyprctl and the tests run against (dev.hypr.api.host.HostProgram, TestProgram): keep one
# package per program there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

root="$(cd "$(dirname "$0")/.." && pwd)"
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps.sh: run as root (sudo is not installed)" >&2; exit 1; }
  sudo="sudo"
fi

PACKAGES=(
  # build
  openjdk-17-jdk-headless maven gcc libc6-dev make
  # microVMs: QEMU microvm, guest image tools, kernel extraction (strings from binutils)
  qemu-system-x86 busybox-static squashfs-tools cpio e2fsprogs xz-utils zstd binutils
  docker-registry skopeo umoci squashfs-tools-ng apache2-utils  # images: test registry, image tools, tar2sqfs, htpasswd
  buildah python3 python3-yaml  # examples/builds/check-with-buildah.sh: builds the examples with buildah, compares (compare.py)
  # bridged Networks: ip (links, TAPs, test namespaces, ss), nft (egress NAT), sysctl (forwarding)
  iproute2 nftables procps
  # host tools hyprd, hyprctl and the tests run; most are on every Debian, listed so a minimal image has them too:
  # setsid/dmesg/runuser, sh, bash, stty, useradd/userdel (permission tests), curl (tests in namespaces)
  util-linux dash bash coreutils passwd curl
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

"$root/kernel/fetch-debian-kernel.sh"
make -C "$root/guest" -s
"$root/kernel/build-initramfs.sh"
[[ -f "$root/guest/out/quickstart-rootfs.squashfs" && "$root/guest/out/quickstart-rootfs.squashfs" -nt "$root/examples/quickstart/build-rootfs.sh" ]] \
  || "$root/examples/quickstart/build-rootfs.sh" "$root/guest/out/quickstart-rootfs.squashfs"
echo "hypr dependencies ready"
