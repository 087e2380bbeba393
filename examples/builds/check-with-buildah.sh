#!/usr/bin/env bash
# Validates the expectations themselves: builds every example with Debian's buildah (vfs storage,
# chroot isolation, as root) on the local busybox base, unpacks the result with umoci and checks it
# against expected.yaml with compare.py. Examples whose expected.yaml says `buildah: {skip: why}`
# are reported and skipped (features buildah 1.28 lacks).
#   check-with-buildah.sh [EXAMPLE...]     (default: every directory here)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/hypr-build-examples-$$  # lower case: buildah names the pulled base after the path
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
B=(buildah --storage-driver vfs --root "$work/storage" --runroot "$work/run")
"$here/make-base.sh" "$work" >/dev/null
id=$("${B[@]}" pull -q "oci:$work/base:busybox")
"${B[@]}" tag "$id" localhost/busybox:base
examples=("$@")
[ ${#examples[@]} -gt 0 ] || examples=($(cd "$here" && ls -d */ | tr -d /))
failed=0 skipped=0 passed=0
for ex in "${examples[@]}"; do
  dir="$here/$ex"
  skip=$(python3 -c "import yaml,sys; e=yaml.safe_load(open(sys.argv[1])); print((e.get('buildah') or {}).get('skip') or '')" "$dir/expected.yaml")
  if [ -n "$skip" ]; then echo "SKIP $ex: $skip"; skipped=$((skipped+1)); continue; fi
  args=(--build-arg BASE=localhost/busybox:base)
  while IFS= read -r a; do [ -n "$a" ] && args+=(--build-arg "$a"); done < <(python3 -c "import yaml,sys; e=yaml.safe_load(open(sys.argv[1])); [print(f'{k}={v}') for k,v in (e.get('buildArgs') or {}).items()]" "$dir/expected.yaml")
  target=$(python3 -c "import yaml,sys; print(yaml.safe_load(open(sys.argv[1])).get('target') or '')" "$dir/expected.yaml")
  [ -z "$target" ] || args+=(--target "$target")
  if ! "${B[@]}" bud --isolation chroot --pull-never --layers=false "${args[@]}" -t "ex-$ex" "$dir" > "$work/$ex.log" 2>&1; then
    echo "FAIL $ex: buildah bud failed:"; tail -5 "$work/$ex.log"; failed=$((failed+1)); continue
  fi
  "${B[@]}" push -q "ex-$ex" "oci:$work/out-$ex:ex" >/dev/null 2>&1
  umoci unpack --image "$work/out-$ex:ex" "$work/unpacked-$ex" >/dev/null
  manifest=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['manifests'][0]['digest'].split(':')[1])" "$work/out-$ex/index.json")
  config=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['config']['digest'].split(':')[1])" "$work/out-$ex/blobs/sha256/$manifest")
  if python3 "$here/compare.py" "$dir" "$work/unpacked-$ex/rootfs" "$work/out-$ex/blobs/sha256/$config" --builder buildah; then
    echo "PASS $ex"; passed=$((passed+1))
  else
    echo "FAIL $ex"; failed=$((failed+1))
  fi
done
echo "buildah $(buildah --version | cut -d' ' -f3): $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
