#!/usr/bin/env bash
# Installs everything hypr and its tests need on a fresh Debian 12, then builds the guest
# artifacts the integration tests boot: kernel/out/ (Debian cloud kernel + modules),
# guest/out/kestrel, guest/out/initramfs.cpio, guest/out/quickstart-rootfs.squashfs, and hypr's
# minimal kernel (kernel/out-minimal/, guest/out/initramfs-minimal.cpio), which hyprd then boots.
#
# The minimal kernel is compiled once per machine and cached outside the clone
# (/var/cache/hypr/kernel, kernel/build-minimal.sh): a fresh clone on the same machine only copies
# it. On a new machine the build takes minutes (about 6 on 2 idle cores).
# HYPR_MINIMAL_KERNEL chooses:
#   build       (default; scripts/test.sh and CI) build it now, in the foreground, so every test
#               boots one known kernel
#   cached      install it when this machine has built it before (seconds), otherwise build it
#               niced in the background (scripts/quickstart.sh: a new user's first VM does not
#               wait for a compile; hyprd boots Debian's kernel until the minimal one is there)
#   background  build it niced in the background (log: $HYPR_MINIMAL_KERNEL_LOG, default
#               /tmp/hypr-kernel-build.log)
#   skip        Debian's kernel only
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
  qemu-system-x86 qemu-system-common busybox-static squashfs-tools cpio e2fsprogs xz-utils zstd binutils
  # the minimal guest kernel (kernel/build-minimal.sh): Debian's kernel source and its build tools
  linux-source-6.1 bc bison flex libelf-dev libssl-dev patch ccache
  docker-registry skopeo umoci squashfs-tools-ng apache2-utils  # images: test registry, image tools, tar2sqfs, htpasswd
  buildah python3 python3-yaml  # examples/builds/check-with-buildah.sh: builds the examples with buildah, compares (compare.py)
  # bridged Networks: ip (links, TAPs, test namespaces, ss), nft (egress NAT), sysctl (forwarding)
  iproute2 nftables procps
  # host tools hyprd, hyprctl and the tests run; most are on every Debian, listed so a minimal image has them too:
  # setsid/dmesg/runuser, sh, bash, stty, useradd/userdel (permission tests), curl (tests in namespaces)
  util-linux dash bash coreutils passwd curl
  # hostPath shares: virtiofsd (QEMU's C daemon, qemu-system-common); unshare + mount give a read-only share its ro bind
  mount
  # HYPR_STORE=etcd://...: the tests and bench/cluster.sh start etcd members themselves (etcd-server 3.4, etcdctl)
  etcd-server etcd-client
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian keeps virtiofsd off PATH (/usr/lib/qemu); hyprd looks programs up on PATH only
if ! command -v virtiofsd >/dev/null && [[ -x /usr/lib/qemu/virtiofsd ]]; then
  $sudo ln -sf /usr/lib/qemu/virtiofsd /usr/local/bin/virtiofsd
fi

"$root/kernel/fetch-debian-kernel.sh"
make -C "$root/guest" -s
"$root/kernel/build-initramfs.sh"
minimal_in_background() {
  local log="${HYPR_MINIMAL_KERNEL_LOG:-/tmp/hypr-kernel-build.log}"
  nohup nice -n 10 "$root/kernel/build-minimal.sh" >"$log" 2>&1 </dev/null &
  echo "building the minimal kernel in the background (pid $!, log $log); VMs boot Debian's kernel until then"
}
case "${HYPR_MINIMAL_KERNEL:-build}" in
  # a kernel that does not pass its boot check is not installed: VMs boot Debian's, and this says so
  build) "$root/kernel/build-minimal.sh" || echo "WARNING: the minimal kernel was not installed (see above); VMs boot Debian's kernel" >&2 ;;
  cached) "$root/kernel/build-minimal.sh" --if-cached 2>/dev/null || minimal_in_background ;;
  background) minimal_in_background ;;
  skip) echo "HYPR_MINIMAL_KERNEL=skip: VMs boot Debian's kernel" ;;
  *) echo "HYPR_MINIMAL_KERNEL must be build, cached, background or skip" >&2; exit 1 ;;
esac
[[ -f "$root/guest/out/quickstart-rootfs.squashfs" && "$root/guest/out/quickstart-rootfs.squashfs" -nt "$root/examples/quickstart/build-rootfs.sh" ]] \
  || "$root/examples/quickstart/build-rootfs.sh" "$root/guest/out/quickstart-rootfs.squashfs"
echo "hypr dependencies ready"
