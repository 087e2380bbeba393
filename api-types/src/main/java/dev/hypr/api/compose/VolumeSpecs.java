package dev.hypr.api.compose;

import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.List;
import java.util.Set;

/**
 * A service's {@code volumes:} entry, short form {@code [SOURCE:]TARGET[:MODE]} or the long form,
 * parsed into what it mounts: a named volume, a host path, or a scratch volume (anonymous or tmpfs).
 */
final class VolumeSpecs {
    static final Set<String> LONG_KEYS = Set.of("type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency");
    private static final Set<String> MODES = Set.of("ro", "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated",
            "shared", "rshared", "slave", "rslave", "private", "rprivate");

    enum Type { VOLUME, BIND, SCRATCH }

    /**
     * What one entry mounts; {@code source} is the volume name or the host path as written;
     * noCopy is compose's {@code nocopy} (no first-mount copy of the image's files); createHostPath
     * is a bind's {@code bind.create_host_path}, null when not written.
     */
    record Mount(Type type, String source, String target, boolean readOnly, boolean noCopy, Boolean createHostPath, SourcePosition at) {
        Mount(Type type, String source, String target, boolean readOnly, boolean noCopy, SourcePosition at) {
            this(type, source, target, readOnly, noCopy, null, at);
        }
    }

    private VolumeSpecs() {
    }

    /** @throws IllegalArgumentException with the reason an entry is invalid */
    static Mount parse(YNode entry, String path, Problems problems) {
        if (entry instanceof YScalar s) {
            return shortForm(s.text(), s.position(), path, problems);
        }
        if (entry instanceof YMap m) {
            return longForm(m, path, problems);
        }
        throw new IllegalArgumentException("a volume is a string like \"data:/var/lib/data\" or a mapping with type:, source:, target:");
    }

    static Mount shortForm(String spec, SourcePosition at, String path, Problems problems) {
        String[] parts = spec.split(":", -1);
        if (parts.length == 1) {
            return new Mount(Type.SCRATCH, null, checkTarget(parts[0], spec), false, false, at);
        }
        if (parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid volume \"" + spec + "\" (want [SOURCE:]TARGET[:MODE], e.g. data:/data:ro)");
        }
        boolean readOnly = false;
        boolean noCopy = false;
        if (parts.length == 3) {
            for (String mode : parts[2].split(",")) {
                if (!MODES.contains(mode)) {
                    throw new IllegalArgumentException("unknown volume mode \"" + mode + "\" in \"" + spec + "\" (ro, rw, nocopy, z, Z, ...)");
                }
                if (mode.equals("ro")) {
                    readOnly = true;
                } else if (mode.equals("nocopy")) {
                    noCopy = true;
                } else if (mode.equals("z") || mode.equals("Z") || mode.contains("shared") || mode.contains("slave") || mode.contains("private")) {
                    problems.warn(at, path, "volume mode \"" + mode + "\" (SELinux label or propagation) has no effect in a VM");
                }
            }
        }
        String source = parts[0];
        Type type = isPath(source) ? Type.BIND : Type.VOLUME;
        return new Mount(type, source, checkTarget(parts[1], spec), readOnly, noCopy, at);
    }

    private static Mount longForm(YMap m, String path, Problems problems) {
        KeyCheck.only(m, path, LONG_KEYS, problems);
        String type = text(m, "type", "volume");
        String target = text(m, "target", null);
        if (target == null) {
            throw new IllegalArgumentException("a long-form volume needs target: (the path inside the guest)");
        }
        boolean readOnly = m.get("read_only") instanceof YScalar ro && Boolean.TRUE.equals(ro.value());
        String source = text(m, "source", null);
        if (m.get("consistency") != null) {
            problems.warn(m.keyPosition("consistency"), path + ".consistency", "consistency options have no effect in a VM");
        }
        Boolean createHostPath = null;
        if (m.get("bind") instanceof YMap b) {
            KeyCheck.only(b, path + ".bind", Set.of("create_host_path", "propagation", "selinux"), problems);
            if (b.get("create_host_path") instanceof YScalar c && c.value() instanceof Boolean create) {
                createHostPath = create;
            } else if (b.get("create_host_path") != null) {
                throw new IllegalArgumentException("bind.create_host_path is true or false");
            }
            for (String option : List.of("propagation", "selinux")) {
                if (b.get(option) != null) {
                    problems.warn(b.keyPosition(option), path + ".bind." + option, "bind " + option + " has no effect in a VM");
                }
            }
        } else if (m.get("bind") != null) {
            throw new IllegalArgumentException("bind: is a mapping (create_host_path, propagation, selinux)");
        }
        boolean noCopy = false;
        if (m.get("volume") instanceof YMap v) {
            KeyCheck.only(v, path + ".volume", Set.of("nocopy", "subpath"), problems);
            noCopy = v.get("nocopy") instanceof YScalar nc && Boolean.TRUE.equals(nc.value());
            if (v.get("subpath") != null) {
                throw new IllegalArgumentException("volume.subpath is not supported (mount the whole volume)");
            }
        }
        return switch (type) {
            case "bind" -> {
                if (source == null) {
                    throw new IllegalArgumentException("a bind mount needs source: (a host path)");
                }
                yield new Mount(Type.BIND, source, checkTarget(target, target), readOnly, false, createHostPath, m.position());
            }
            case "volume" -> new Mount(source == null ? Type.SCRATCH : Type.VOLUME, source, checkTarget(target, target), readOnly, noCopy, m.position());
            case "tmpfs" -> {
                problems.warn(m.keyPosition("type"), path + ".type", "tmpfs becomes a scratch disk volume (not RAM-backed) in a VM");
                yield new Mount(Type.SCRATCH, null, checkTarget(target, target), readOnly, false, m.position());
            }
            default -> throw new IllegalArgumentException("volume type \"" + type + "\" is not supported (volume, bind or tmpfs)");
        };
    }

    private static String text(YMap m, String key, String otherwise) {
        return m.get(key) instanceof YScalar s && !s.isNull() ? s.text() : otherwise;
    }

    static boolean isPath(String source) {
        return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    }

    private static String checkTarget(String target, String spec) {
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("invalid volume \"" + spec + "\": the target \"" + target + "\" must be an absolute path");
        }
        return target;
    }
}
