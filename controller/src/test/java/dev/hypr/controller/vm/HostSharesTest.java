package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.VmSpec;
import dev.hypr.api.model.VolumeMount;
import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.VmProcessInfo;
import dev.hypr.controller.vmm.VmShare;
import dev.hypr.controller.vmm.VmmCapabilities;
import dev.hypr.controller.vmm.VmmDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSharesTest {
    @TempDir
    Path dir;

    record Fake(HypervisorKind kind, boolean virtiofs) implements VmmDriver {
        public VmmCapabilities capabilities() {
            return new VmmCapabilities(VmmCapabilities.AgentTransport.VIRTIO_SERIAL, true, false, virtiofs);
        }
        public boolean isUsable() { return true; }
        public VmHandle create(VmLaunchSpec spec) { throw new UnsupportedOperationException(); }
        public VmProcessInfo start(VmHandle h) { throw new UnsupportedOperationException(); }
        public Optional<VmProcessInfo> observe(VmHandle h) { return Optional.empty(); }
        public void stop(VmHandle h, Duration g, Optional<AgentConnection> a) { }
        public void requestVmmShutdown(VmHandle h) { }
        public void kill(VmHandle h) { }
        public void delete(VmHandle h) { }
    }

    private static VmSpec spec(VolumeMount... mounts) {
        return new VmSpec(null, "/r.squashfs", null, List.of("sh"), null, null, null, null, null, null, null, "none",
                Arrays.asList(mounts), null, null, null, null, null);
    }

    private static VolumeMount host(String name, Path path, boolean readOnly, Boolean create) {
        return new VolumeMount(name, null, path.toString(), "/mnt/" + name, readOnly, create, null);
    }

    @Test
    void sharesAreTaggedInOrderAndMissingDirectoriesCreated() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("a"));
        Path missing = dir.resolve("b/c");
        List<VmShare> shares = HostShares.prepare(spec(new VolumeMount("vol", "data", null, "/v", false, null, null),
                host("a", existing, true, null), host("b", missing, false, null)));
        assertEquals(List.of(new VmShare(existing, "hypr-0", "/mnt/a", true), new VmShare(missing, "hypr-1", "/mnt/b", false)), shares);
        assertTrue(Files.isDirectory(missing), "created, as compose does");
    }

    @Test
    void aFileOrAMissingDirectoryWithoutCreateIsHostPathInvalid() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        VmConfigException onFile = assertThrows(VmConfigException.class, () -> HostShares.prepare(spec(host("cfg", file, false, null))));
        assertEquals(HostShares.HOST_PATH_INVALID, onFile.reason());
        assertEquals("spec.volumes[cfg].hostPath: " + file + " is a file; only directories can be shared (virtiofs)", onFile.getMessage());

        Path missing = dir.resolve("nope");
        VmConfigException noCreate = assertThrows(VmConfigException.class, () -> HostShares.prepare(spec(host("d", missing, false, false))));
        assertEquals(HostShares.HOST_PATH_INVALID, noCreate.reason());
        assertTrue(noCreate.getMessage().contains("does not exist (createHostPath is false)"), noCreate.getMessage());
        assertFalse(Files.exists(missing));

        Path comma = dir.resolve("a,b");
        assertEquals(HostShares.HOST_PATH_INVALID, assertThrows(VmConfigException.class,
                () -> HostShares.prepare(spec(host("c", comma, false, null)))).reason());
    }

    @Test
    void aDriverWithoutVirtiofsIsHostPathUnsupported() {
        VmSpec withShare = spec(host("a", dir, false, null));
        VmConfigException e = assertThrows(VmConfigException.class,
                () -> HostShares.checkSupported(withShare, new Fake(HypervisorKind.CLOUD_HYPERVISOR, false)));
        assertEquals(HostShares.HOST_PATH_UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("cannot share host directories"), e.getMessage());
        HostShares.checkSupported(spec(new VolumeMount("vol", "data", null, "/v", false, null, null)),
                new Fake(HypervisorKind.CLOUD_HYPERVISOR, false)); // no hostPath: nothing to refuse
    }

    @Test
    void autoPassesOverAHypervisorWithoutVirtiofsWhenSharesAreAsked() {
        var selector = new HypervisorSelector(Map.of(HypervisorKind.QEMU, new Fake(HypervisorKind.QEMU, true),
                HypervisorKind.CLOUD_HYPERVISOR, new Fake(HypervisorKind.CLOUD_HYPERVISOR, false)));
        assertEquals(HypervisorKind.CLOUD_HYPERVISOR, selector.select(HypervisorSelector.Choice.AUTO, false).kind());
        assertEquals(HypervisorKind.QEMU, selector.select(HypervisorSelector.Choice.AUTO, true).kind());
        assertEquals(HypervisorKind.CLOUD_HYPERVISOR, selector.select(HypervisorSelector.Choice.CLOUD_HYPERVISOR, true).kind(),
                "an explicit choice is kept (and then refused with HostPathUnsupported)");
    }
}
