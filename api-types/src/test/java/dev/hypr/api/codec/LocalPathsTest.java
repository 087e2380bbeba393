package dev.hypr.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPathsTest {
    @TempDir
    Path dir;

    @Test
    void relativeHostPathsAreResolvedAgainstTheManifestsDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("app"));
        Files.writeString(sub.resolve("vm.yaml"), """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: web
                spec:
                  rootfs: ../images/web.squashfs
                  kernel:
                    path: vmlinux
                  command: ["/bin/sh"]
                  volumes:
                    - name: data
                      hostPath: /srv/data
                      mountPath: /data
                  env:
                    - name: PASSWORD
                      valueFrom: {secretFile: secrets/pw}
                  secrets:
                    - name: db
                      file: ./secrets/db
                """, StandardCharsets.UTF_8);
        ReadResult r = ManifestReader.readPath(sub.resolve("vm.yaml"), false);
        var spec = r.manifests().get(0).object().path("spec");
        assertEquals(dir.resolve("images/web.squashfs").toString(), spec.path("rootfs").asText());
        assertEquals(sub.resolve("vmlinux").toString(), spec.path("kernel").path("path").asText());
        assertEquals("/srv/data", spec.path("volumes").get(0).path("hostPath").asText(), "absolute paths stay");
        assertEquals(sub.resolve("secrets/pw").toString(), spec.at("/env/0/valueFrom/secretFile").asText());
        assertEquals(sub.resolve("secrets/db").toString(), spec.at("/secrets/0/file").asText());
    }

    @Test
    void otherKindsAreLeftAlone() {
        ReadResult r = ManifestReader.read("n.yaml", """
                apiVersion: hypr.dev/v1alpha1
                kind: Network
                metadata:
                  name: n
                spec:
                  subnet: 10.0.0.0/24
                """.getBytes(StandardCharsets.UTF_8));
        LocalPaths.absolutize(r.manifests().get(0), dir);
        assertEquals("10.0.0.0/24", r.manifests().get(0).object().path("spec").path("subnet").asText());
    }
}
