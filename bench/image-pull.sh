#!/usr/bin/env bash
# Pull + convert of one multi-layer image from a local docker-registry: hypr's ImagePuller
# (layers merged as a stream into tar2sqfs) against skopeo copy + umoci unpack + mksquashfs,
# same image, same compressor (zstd), same run.
# Usage: bench/image-pull.sh [runs=3]   (needs scripts/install-deps.sh; builds controller first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
work="$(mktemp -d)"; trap 'kill $reg_pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: %s/storage}}\nhttp: {addr: 127.0.0.1:%s}\n' "$work" "$port" > "$work/reg.yml"
/usr/bin/docker-registry serve "$work/reg.yml" >"$work/reg.log" 2>&1 & reg_pid=$!
until curl -sf "http://127.0.0.1:$port/v2/" >/dev/null; do sleep 0.1; done

# A 3-layer image from real files of this host (binaries, libraries, text): a base-like layer,
# a package-like layer, and an app layer that deletes and replaces some files.
cd "$work"
umoci init --layout lay >/dev/null; umoci new --image lay:b
add_layer() { umoci unpack --image lay:b b >/dev/null; eval "$1"; umoci repack --image lay:b b; rm -rf b; }
add_layer 'mkdir -p b/rootfs/usr/bin b/rootfs/usr/share; find /usr/bin -maxdepth 1 -type f -size -3M | sort | head -500 | xargs cp -a -t b/rootfs/usr/bin; cp -a /usr/share/perl /usr/share/zoneinfo b/rootfs/usr/share/'
add_layer 'mkdir -p b/rootfs/usr/lib; find /usr/lib/x86_64-linux-gnu -maxdepth 1 -type f -size -4M | sort | head -400 | xargs cp -a -t b/rootfs/usr/lib'
add_layer 'rm -rf b/rootfs/usr/share/zoneinfo/[A-E]* b/rootfs/usr/bin/p*; mkdir -p b/rootfs/srv; cp -a /usr/share/perl b/rootfs/srv/'
skopeo copy -q --dest-tls-verify=false oci:lay:b "docker://127.0.0.1:$port/bench/img:b"
size=$(du -sb lay/blobs | cut -f1); entries=$(umoci unpack --image lay:b cnt >/dev/null && find cnt/rootfs | wc -l); rm -rf cnt
echo "image: 3 layers, $((size / 1000000)) MB compressed (OCI layout), $entries entries"

cd "$root"
[[ -f controller/target/cp.txt ]] || mvn -B -q -o -pl controller -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="controller/target/classes:controller/target/test-classes:$(cat controller/target/cp.txt)"
# hypr runs twice: at its default zstd level (SquashfsBuilder.ZSTD_LEVEL) and at mksquashfs's default
# level 15, so the comparison at equal compression is in the same run.
level=$(grep -o 'ZSTD_LEVEL = [0-9]*' controller/src/main/java/dev/hypr/controller/image/rootfs/SquashfsBuilder.java | grep -o '[0-9]*$')
for i in $(seq "$runs"); do
  rm -rf "$work/hypr" "$work/hypr15" "$work/ref"; mkdir -p "$work/ref"
  hypr_ms=$(java -cp "$cp" dev.hypr.controller.image.it.PullBench "127.0.0.1:$port/bench/img:b" "$work/hypr" zstd "$level")
  hypr15_ms=$(java -cp "$cp" dev.hypr.controller.image.it.PullBench "127.0.0.1:$port/bench/img:b" "$work/hypr15" zstd 15)
  t0=$(date +%s%N)
  skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$port/bench/img:b" "oci:$work/ref/lay:b"
  t1=$(date +%s%N)
  umoci unpack --image "$work/ref/lay:b" "$work/ref/b" >/dev/null
  t2=$(date +%s%N)
  mksquashfs "$work/ref/b/rootfs" "$work/ref/rootfs.sqfs" -noappend -no-progress -quiet -comp zstd >/dev/null
  t3=$(date +%s%N)
  ref_ms=$(( (t3 - t0) / 1000000 ))
  sizes="$(stat -c %s "$work"/hypr/*/rootfs.squashfs) / $(stat -c %s "$work"/hypr15/*/rootfs.squashfs) / $(stat -c %s "$work/ref/rootfs.sqfs") bytes"
  echo "run $i: hypr (zstd $level) ${hypr_ms} ms | hypr (zstd 15) ${hypr15_ms} ms | skopeo $(( (t1-t0)/1000000 )) + umoci $(( (t2-t1)/1000000 )) + mksquashfs $(( (t3-t2)/1000000 )) = ${ref_ms} ms | ratio $(python3 -c "print(round($hypr_ms/$ref_ms,2))") (at equal level $(python3 -c "print(round($hypr15_ms/$ref_ms,2))")) | squashfs $sizes"
done

# Same tree? unsquashfs -lln of hypr's image and the reference (directory sizes and dates aside),
# then the extracted contents.
norm() { unsquashfs -lln "$1" | awk '{ if ($1 ~ /^d/) $3 = "-"; $4 = ""; $5 = ""; print }' | sort; }
if diff <(norm "$(ls "$work"/hypr15/*/rootfs.squashfs)") <(norm "$work/ref/rootfs.sqfs") >/dev/null \
  && unsquashfs -q -no-xattrs -d "$work/x1" "$(ls "$work"/hypr15/*/rootfs.squashfs)" >/dev/null \
  && unsquashfs -q -no-xattrs -d "$work/x2" "$work/ref/rootfs.sqfs" >/dev/null && diff -r --no-dereference "$work/x1" "$work/x2" >/dev/null; then
  echo "hypr's squashfs and the reference hold the same tree (names, types, modes, owners, sizes, link targets, contents)"
else
  echo "hypr's squashfs DIFFERS from the reference"
fi

# zstd level trade-off on this image's merged tree: tar2sqfs alone (as hypr runs it) from a tar of
# the rootfs, then a full sequential read of the result (sqfs2tar), the upper bound of what boots read.
sqfs2tar "$(ls "$work"/hypr15/*/rootfs.squashfs)" > "$work/merged.tar" 2>/dev/null
echo "merged tar: $(( $(stat -c %s "$work/merged.tar") / 1000000 )) MB"
for l in 1 3 6 9 15; do
  rm -f "$work/l.sqfs"
  t0=$(date +%s%N); tar2sqfs -q --no-skip -c zstd -j "$(nproc)" -X level=$l "$work/l.sqfs" < "$work/merged.tar"; t1=$(date +%s%N)
  sqfs2tar "$work/l.sqfs" > /dev/null 2>&1; t2=$(date +%s%N)
  echo "zstd level $l: build $(( (t1-t0)/1000000 )) ms, $(stat -c %s "$work/l.sqfs") bytes, full read $(( (t2-t1)/1000000 )) ms"
done
