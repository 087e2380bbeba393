package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs and hosts a VM cannot boot from fail with a reason users can act on, before any VMM runs. */
class VmBadInputTest {
    @TempDir
    Path tmp;

    private static VmSpec spec(Integer memoryMiB, List<String> command) {
        return new VmSpec(null, "/r.squashfs", null, command, null, null, null, null, null, memoryMiB, null, "none", null,
                null, null, null, null, null, null);
    }

    private VmConfigException launch(VmSpec spec, Path kernel, Path initramfs, long hostMiB) {
        return assertThrows(VmConfigException.class,
                () -> VmLaunchSpecs.build("web", spec, tmp.resolve("run"), kernel, initramfs, tmp.resolve("r"), hostMiB));
    }

    @Test
    void memoryAboveTheHostsIsRefused() throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinux"), "k");
        VmConfigException e = launch(spec(4096, List.of("sh")), k, k, 2048);
        assertEquals(VmConfigException.INSUFFICIENT_MEMORY, e.reason());
        assertTrue(e.getMessage().contains("4096") && e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void missingKernelAndInitramfsAreNamed() throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinux"), "k");
        assertEquals(VmConfigException.KERNEL_NOT_FOUND, launch(spec(128, List.of("sh")), tmp.resolve("nope"), k, 0).reason());
        assertEquals(VmConfigException.INITRAMFS_NOT_FOUND, launch(spec(128, List.of("sh")), k, tmp.resolve("nope"), 0).reason());
    }

    @Test
    void aRootfsWithoutCommandIsInvalid() throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinux"), "k");
        assertEquals(VmConfigException.INVALID_SPEC, launch(spec(128, null), k, k, 0).reason());
    }

    @Test
    void aDirectoryRootfsWithADanglingSymlinkIsPackedWithTheLink() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("root/etc"));
        Files.writeString(dir.resolve("hostname"), "web\n");
        Files.createSymbolicLink(dir.resolve("resolv.conf"), Path.of("../run/resolv.conf")); // dangling on the host
        Path packed = new RootfsResolver(tmp.resolve("cache")).resolve(tmp.resolve("root").toString());
        assertTrue(RootfsResolver.isSquashfs(packed), packed + " is a squashfs");
        Process ls = new ProcessBuilder("unsquashfs", "-lls", packed.toString()).redirectErrorStream(true).start();
        String listing = new String(ls.getInputStream().readAllBytes());
        assertEquals(0, ls.waitFor());
        assertTrue(listing.contains("etc/resolv.conf -> ../run/resolv.conf"), listing);
    }

    @Test
    void memoryBelowWhatTheGuestKernelBootsInIsRefusedAtApply() {
        var manifests = dev.hypr.api.codec.ManifestReader.read("web.yaml", """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: web
                spec:
                  rootfs: /r.squashfs
                  command: [sh]
                  memoryMiB: 64
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).manifests();
        var errors = dev.hypr.api.validation.ObjectValidator.standard().validateAll(manifests);
        assertEquals(List.of("web.yaml:8:14: VM/web: spec.memoryMiB: must be at least "
                + dev.hypr.controller.vmm.VmLaunchSpec.MIN_MEMORY_MIB), errors.stream().map(dev.hypr.api.codec.ManifestError::format).toList());
    }

    @Test
    void cpusAboveTheHostsAreRefusedNamingTheField() {
        assertEquals("64 is more than this host has (2 CPUs); use at most 2", VmHostFit.cpusProblem(64, 2).orElseThrow());
        assertTrue(VmHostFit.cpusProblem(2, 2).isEmpty());
        assertTrue(VmHostFit.cpusProblem(null, 1).isEmpty());
        var manifests = dev.hypr.api.codec.ManifestReader.read("web.yaml", ("""
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: web
                spec:
                  rootfs: /r.squashfs
                  cpus: 64
                """).getBytes(java.nio.charset.StandardCharsets.UTF_8)).manifests();
        var errors = VmHostFit.check(manifests, 2);
        assertEquals(List.of("web.yaml:7:9: VM/web: spec.cpus: 64 is more than this host has (2 CPUs); use at most 2"),
                errors.stream().map(dev.hypr.api.codec.ManifestError::format).toList());
    }

    @Test
    void rootfsMustExistAndBeSquashfs() throws Exception {
        RootfsResolver resolver = new RootfsResolver(tmp.resolve("cache"));
        assertEquals(VmConfigException.ROOTFS_NOT_FOUND,
                assertThrows(VmConfigException.class, () -> resolver.resolve(tmp.resolve("missing.squashfs").toString())).reason());
        Path corrupt = Files.writeString(tmp.resolve("corrupt.squashfs"), "not a filesystem");
        assertEquals(VmConfigException.ROOTFS_INVALID,
                assertThrows(VmConfigException.class, () -> resolver.resolve(corrupt.toString())).reason());
        assertEquals(VmConfigException.INVALID_SPEC,
                assertThrows(VmConfigException.class, () -> resolver.resolve("relative.squashfs")).reason());
        Path good = tmp.resolve("good.squashfs");
        Files.write(good, new byte[] {'h', 's', 'q', 's', 0, 0});
        assertEquals(good, resolver.resolve(good.toString()));
    }

    @Test
    void specHashIgnoresRunningAndFieldOrderButNotTheKernel() {
        String base = VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject("{\"rootfs\":\"/r\",\"memoryMiB\":128}"));
        assertEquals(base, VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject("{\"memoryMiB\":128,\"rootfs\":\"/r\",\"running\":false}")));
        assertTrue(!base.equals(VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject(
                "{\"rootfs\":\"/r\",\"memoryMiB\":128,\"kernel\":{\"path\":\"/k\"}}"))));
    }

    @Test
    void specHashIgnoresNetworkAliasesButNotTheNetworks() {
        String two = VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject("{\"rootfs\":\"/r\",\"networks\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"));
        assertEquals(two, VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject(
                "{\"rootfs\":\"/r\",\"networks\":[{\"name\":\"a\"},{\"name\":\"b\",\"aliases\":[\"api\"]}]}")), "DNS reads aliases live");
        assertTrue(!two.equals(VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject("{\"rootfs\":\"/r\",\"networks\":[{\"name\":\"a\"}]}"))));
        assertTrue(!two.equals(VmLaunchSpecs.specHash(dev.hypr.api.Json.parseObject(
                "{\"rootfs\":\"/r\",\"networks\":[{\"name\":\"b\"},{\"name\":\"a\"}]}"))), "the order decides eth0");
    }
}
