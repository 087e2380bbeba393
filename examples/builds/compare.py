#!/usr/bin/env python3
"""Checks a built image against an example's expected.yaml.

usage: compare.py EXAMPLE_DIR ROOTFS CONFIG_JSON [--builder buildah]

ROOTFS is the unpacked root filesystem (umoci unpack), CONFIG_JSON the image config blob. Only what
expected.yaml lists is checked: `config` keys (Labels ignoring io.buildah.version), `files` (type,
mode, uid, gid, content or sha256, symlink target) and `absent` paths. With --builder buildah the
entries of `buildah.differs` (known, documented differences) are skipped.
"""
import hashlib
import json
import os
import stat
import sys

import yaml


def main():
    example, rootfs, config_path = sys.argv[1:4]
    builder = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--builder" else "hypr"
    with open(os.path.join(example, "expected.yaml")) as f:
        exp = yaml.safe_load(f)
    with open(config_path) as f:
        blob = json.load(f)
    cfg = blob.get("config") or {}
    skip = set((exp.get("buildah") or {}).get("differs") or []) if builder == "buildah" else set()
    errors = []

    for key, want in (exp.get("config") or {}).items():
        if "config." + key in skip:
            continue
        got = cfg.get(key)
        if key == "Labels":
            got = {k: v for k, v in (got or {}).items() if k != "io.buildah.version"}
            want = {k: v for k, v in (want or {}).items() if "config.Labels." + k not in skip}
            got = {k: v for k, v in got.items() if "config.Labels." + k not in skip}
        if key in ("ExposedPorts", "Volumes"):
            got = sorted((got or {}).keys())
            want = sorted(want or [])
        if got != want:
            errors.append(f"config {key}: expected {want!r}, got {got!r}")

    for path, want in (exp.get("files") or {}).items():
        if "files." + path in skip:
            continue
        full = os.path.join(rootfs, path.lstrip("/"))
        try:
            st = os.lstat(full)
        except FileNotFoundError:
            errors.append(f"{path}: missing")
            continue
        kind = "symlink" if stat.S_ISLNK(st.st_mode) else "dir" if stat.S_ISDIR(st.st_mode) else "file"
        if want.get("type", "file") != kind:
            errors.append(f"{path}: expected a {want.get('type', 'file')}, got a {kind}")
            continue
        if "mode" in want and kind != "symlink" and int(str(want["mode"]), 8) != stat.S_IMODE(st.st_mode):
            errors.append(f"{path}: mode expected {want['mode']}, got {oct(stat.S_IMODE(st.st_mode))}")
        for k, actual in (("uid", st.st_uid), ("gid", st.st_gid)):
            if k in want and int(want[k]) != actual:
                errors.append(f"{path}: {k} expected {want[k]}, got {actual}")
        if kind == "symlink" and "target" in want and os.readlink(full) != want["target"]:
            errors.append(f"{path}: symlink to {os.readlink(full)!r}, expected {want['target']!r}")
        if kind == "file":
            data = open(full, "rb").read()
            if "content" in want and data.decode("utf-8", "replace") != want["content"]:
                errors.append(f"{path}: content {data[:200]!r}, expected {want['content']!r}")
            if "sha256" in want and hashlib.sha256(data).hexdigest() != want["sha256"]:
                errors.append(f"{path}: sha256 {hashlib.sha256(data).hexdigest()}, expected {want['sha256']}")

    for path in exp.get("absent") or []:
        if os.path.lexists(os.path.join(rootfs, path.lstrip("/"))):
            errors.append(f"{path}: present, expected absent")

    for e in errors:
        print(f"{os.path.basename(os.path.normpath(example))}: {e}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
