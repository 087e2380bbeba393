package dev.hypr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manifests and live objects used by the command tests. */
final class Fixtures {
    private Fixtures() {
    }

    static final String WEB_YAML = """
            apiVersion: hypr.dev/v1alpha1
            kind: VM
            metadata:
              name: web
              labels:
                app: web
            spec:
              image: nginx:1.27
              cpus: 2
              memoryMiB: 512
              ports:
                - hostPort: 8080
                  guestPort: 80
            """;

    static final String NET_YAML = """
            apiVersion: hypr.dev/v1alpha1
            kind: Network
            metadata:
              name: backend
            spec:
              subnet: 10.88.0.0/24
              gateway: 10.88.0.1
            """;

    static String liveVm(String name, String phase, String extraStatus) {
        return """
                {"apiVersion":"hypr.dev/v1alpha1","kind":"VM",
                 "metadata":{"name":"%s","uid":"u-1","generation":1,"labels":{"app":"web"},
                             "creationTimestamp":"2026-01-01T00:00:00Z"},
                 "spec":{"image":"nginx:1.27","cpus":2,"memoryMiB":512,
                         "ports":[{"hostIP":"0.0.0.0","hostPort":8080,"guestPort":80,"protocol":"TCP"}]},
                 "status":{"phase":"%s","ip":"10.88.0.5","pid":4242,"hypervisor":"qemu"%s}}
                """.formatted(name, phase, extraStatus);
    }

    static Path write(Path dir, String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }
}
