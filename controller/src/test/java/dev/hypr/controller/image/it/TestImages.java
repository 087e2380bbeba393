package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test images built with umoci and pushed with skopeo: tools independent of the code under test. */
final class TestImages {
    private TestImages() {
    }

    /**
     * Two layers: the first has etc/base, etc/gone, bin/a with a hard link bin/b and a symlink
     * bin/sl; the second deletes etc/gone (a whiteout) and adds etc/upper (owned 1234:5678).
     */
    static void pushLayered(Path work, LocalRegistry registry, String repoTag, String arch) throws Exception {
        String image = "lay:" + arch;
        sh(work, String.join("\n",
                "[ -d lay ] || umoci init --layout lay",
                "umoci new --image " + image,
                "umoci config --image " + image + " --architecture " + arch + " --config.entrypoint /bin/sh --config.cmd -c"
                        + " --config.cmd 'echo hi' --config.env FOO=bar --config.workingdir /srv --config.exposedports 80/tcp",
                "umoci unpack --image " + image + " b >/dev/null",
                "mkdir -p b/rootfs/etc b/rootfs/bin",
                "echo base > b/rootfs/etc/base; echo gone > b/rootfs/etc/gone; echo " + arch + " > b/rootfs/etc/arch",
                "echo hardlinked > b/rootfs/bin/a; ln b/rootfs/bin/a b/rootfs/bin/b; ln -s a b/rootfs/bin/sl",
                "umoci repack --image " + image + " b && rm -rf b",
                "umoci unpack --image " + image + " b >/dev/null",
                "rm b/rootfs/etc/gone; echo upper > b/rootfs/etc/upper; chown 1234:5678 b/rootfs/etc/upper; chmod 0640 b/rootfs/etc/upper",
                "umoci repack --image " + image + " b && rm -rf b",
                "skopeo copy -q " + registry.skopeoDestFlags() + " oci:" + image + " docker://" + registry.host() + "/" + repoTag));
    }

    /**
     * A bootable two-layer image on the quickstart busybox rootfs: the lower layer is that
     * rootfs plus /removed, the upper one adds /hello.txt and whites out /removed. Its CMD
     * prints both facts to the console and stays up.
     */
    static void pushBootable(Path work, LocalRegistry registry, String repoTag, Path busyboxSquashfs) throws Exception {
        String image = "app:v1";
        sh(work, String.join("\n",
                "umoci init --layout app",
                "umoci new --image " + image,
                "umoci config --image " + image + " --architecture amd64 --config.env PATH=/bin:/sbin:/usr/bin:/usr/sbin"
                        + " --config.env GREETING=from-image --config.entrypoint /bin/sh --config.cmd -c"
                        + " --config.cmd 'cat /hello.txt; ls /removed || echo removed-is-gone; echo greeting=$GREETING; sleep 3600'",
                "umoci unpack --image " + image + " b >/dev/null",
                "unsquashfs -q -f -d b/rootfs " + busyboxSquashfs + " >/dev/null",
                "echo 'I should not be here' > b/rootfs/removed",
                "umoci repack --image " + image + " b && rm -rf b",
                "umoci unpack --image " + image + " b >/dev/null",
                "rm b/rootfs/removed; echo 'hello from the upper layer' > b/rootfs/hello.txt",
                "umoci repack --image " + image + " b && rm -rf b",
                "skopeo copy -q " + registry.skopeoDestFlags() + " oci:" + image + " docker://" + registry.host() + "/" + repoTag));
    }

    /**
     * The quickstart busybox rootfs as one layer whose config has a docker HEALTHCHECK (which
     * umoci cannot set: the OCI config has no such field, docker's does, registries keep it):
     * {@code healthcheck} is the JSON of config.Healthcheck, e.g. {"Test":["CMD-SHELL","..."]}.
     */
    static void pushWithHealthcheck(Path work, LocalRegistry registry, String repoTag, Path busyboxSquashfs, String healthcheck)
            throws Exception {
        String image = "hc:v1";
        sh(work, String.join("\n",
                "umoci init --layout hc",
                "umoci new --image " + image,
                "umoci config --image " + image + " --architecture amd64 --config.env PATH=/bin:/sbin:/usr/bin:/usr/sbin"
                        + " --config.entrypoint /bin/sh --config.cmd -c --config.cmd 'sleep 3600'",
                "umoci unpack --image " + image + " b >/dev/null",
                "unsquashfs -q -f -d b/rootfs " + busyboxSquashfs + " >/dev/null",
                "umoci repack --image " + image + " b && rm -rf b"));
        addHealthcheck(work.resolve("hc"), healthcheck);
        sh(work, "skopeo copy -q " + registry.skopeoDestFlags() + " oci:" + image + " docker://" + registry.host() + "/" + repoTag);
    }

    /** Rewrites the layout's only image: config.Healthcheck set, new config and manifest blobs, index pointing at them. */
    private static void addHealthcheck(Path layout, String healthcheck) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path indexFile = layout.resolve("index.json");
        var index = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(indexFile.toFile());
        var manifestRef = (com.fasterxml.jackson.databind.node.ObjectNode) index.withArray("manifests").get(0);
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(blob(layout, manifestRef.path("digest").asText()));
        var configRef = (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("config");
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(blob(layout, configRef.path("digest").asText()));
        config.with("config").set("Healthcheck", json.readTree(healthcheck));
        writeBlob(layout, configRef, json.writeValueAsBytes(config));
        writeBlob(layout, manifestRef, json.writeValueAsBytes(manifest));
        json.writeValue(indexFile.toFile(), index);
    }

    private static byte[] blob(Path layout, String digest) throws Exception {
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    private static void writeBlob(Path layout, com.fasterxml.jackson.databind.node.ObjectNode descriptor, byte[] content) throws Exception {
        String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        Files.write(layout.resolve("blobs/sha256").resolve(hex), content);
        descriptor.put("digest", "sha256:" + hex);
        descriptor.put("size", content.length);
    }

    /**
     * One layer holding /big.bin: {@code bytes} of /dev/urandom, so gzip cannot shrink it and the
     * blob really is that large. Returns the file's sha256 hex as sha256sum computed it.
     */
    static String pushLarge(Path work, LocalRegistry registry, String repoTag, long bytes) throws Exception {
        String image = "big:v1";
        sh(work, String.join("\n",
                "umoci init --layout big",
                "umoci new --image " + image,
                "umoci config --image " + image + " --architecture amd64 --config.cmd /bin/true",
                "umoci unpack --image " + image + " b >/dev/null",
                "head -c " + bytes + " /dev/urandom > b/rootfs/big.bin",
                "sha256sum b/rootfs/big.bin | cut -d' ' -f1 > big.sha256",
                "umoci repack --image " + image + " b && rm -rf b",
                "skopeo copy -q " + registry.skopeoDestFlags() + " oci:" + image + " docker://" + registry.host() + "/" + repoTag));
        return Files.readString(work.resolve("big.sha256")).strip();
    }

    static void sh(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "script failed:\n" + script + "\n" + out);
    }

    static String get(LocalRegistry r, String path, String accept) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + r.host() + path))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), path);
        return resp.body();
    }

    static void putManifest(LocalRegistry r, String repo, String tag, String mediaType, String body) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + r.host()
                + "/v2/" + repo + "/manifests/" + tag)).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, resp.statusCode(), resp.body());
    }
}
