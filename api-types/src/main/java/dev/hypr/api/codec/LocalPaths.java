package dev.hypr.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Host paths in a manifest (rootfs, kernel, hostPath volumes, secret files) may be written relative to the
 * manifest file, as compose files do; the daemon needs them absolute. Resolved once, where
 * the file is read, so `apply`, `diff` and GitOps sync all store the same absolute path.
 */
public final class LocalPaths {
    private LocalPaths() {
    }

    public static void absolutize(Manifest m, Path baseDir) {
        JsonNode spec = m.object().get("spec");
        if (!(spec instanceof ObjectNode s)) {
            return;
        }
        Path base = baseDir.toAbsolutePath().normalize();
        switch (m.kind()) {
            case "VM" -> absolutizeWorkload(s, base);
            case "Stack" -> s.path("services").forEach(svc -> {
                if (svc instanceof ObjectNode o) {
                    absolutizeWorkload(o, base);
                    absolutizeStackService(o, base);
                }
            });
            default -> { }
        }
    }

    private static void absolutizeWorkload(ObjectNode spec, Path base) {
        resolve(spec, "rootfs", base);
        if (spec.get("kernel") instanceof ObjectNode kernel) {
            resolve(kernel, "path", base);
        }
        for (JsonNode v : spec.path("volumes")) {
            if (v instanceof ObjectNode o) {
                resolve(o, "hostPath", base);
            }
        }
        for (JsonNode e : spec.path("env")) {
            if (e.get("valueFrom") instanceof ObjectNode from) {
                resolve(from, "secretFile", base);
            }
        }
        for (JsonNode secret : spec.path("secrets")) {
            if (secret instanceof ObjectNode o) {
                resolve(o, "file", base);
            }
        }
        for (JsonNode file : spec.path("files")) {
            if (file instanceof ObjectNode o) {
                resolve(o, "hostPath", base);
            }
        }
    }

    /** A build context (unless it is a URL) and secret/config source files. */
    private static void absolutizeStackService(ObjectNode service, Path base) {
        if (service.get("build") instanceof ObjectNode build && !build.path("context").asText().contains("://")
                && !build.path("context").asText().startsWith("git@")) {
            resolve(build, "context", base);
        }
        for (String files : new String[] {"secrets", "configs"}) {
            for (JsonNode f : service.path(files)) {
                if (f instanceof ObjectNode o) {
                    resolve(o, "hostPath", base);
                }
            }
        }
    }

    private static void resolve(ObjectNode o, String field, Path base) {
        JsonNode v = o.get(field);
        if (v != null && v.isTextual() && !v.asText().isEmpty() && !Path.of(v.asText()).isAbsolute()) {
            o.put(field, base.resolve(v.asText()).normalize().toString());
        }
    }

    /** For every manifest read from one file. */
    static void absolutizeAll(List<Manifest> manifests, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        manifests.forEach(m -> absolutize(m, dir));
    }
}
