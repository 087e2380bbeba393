package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hypr.controller.agent.AgentConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HypervisorSelectorTest {
    record Fake(HypervisorKind kind, boolean isUsable) implements VmmDriver {
        public VmmCapabilities capabilities() { return new VmmCapabilities(VmmCapabilities.AgentTransport.VIRTIO_SERIAL, true, false); }
        public VmHandle create(VmLaunchSpec spec) { throw new UnsupportedOperationException(); }
        public VmProcessInfo start(VmHandle h) { throw new UnsupportedOperationException(); }
        public Optional<VmProcessInfo> observe(VmHandle h) { return Optional.empty(); }
        public void stop(VmHandle h, Duration g, Optional<AgentConnection> a) { }
        public void requestVmmShutdown(VmHandle h) { }
        public void kill(VmHandle h) { }
        public void delete(VmHandle h) { }
    }

    @Test
    void autoPrefersCloudHypervisorWhenUsable() {
        var both = new HypervisorSelector(Map.of(HypervisorKind.QEMU, new Fake(HypervisorKind.QEMU, true),
                HypervisorKind.CLOUD_HYPERVISOR, new Fake(HypervisorKind.CLOUD_HYPERVISOR, true)));
        assertEquals(HypervisorKind.CLOUD_HYPERVISOR, both.select(HypervisorSelector.Choice.AUTO).kind());
        var noKvm = new HypervisorSelector(Map.of(HypervisorKind.QEMU, new Fake(HypervisorKind.QEMU, true),
                HypervisorKind.CLOUD_HYPERVISOR, new Fake(HypervisorKind.CLOUD_HYPERVISOR, false)));
        assertEquals(HypervisorKind.QEMU, noKvm.select(HypervisorSelector.Choice.AUTO).kind());
        assertThrows(VmmException.class, () -> noKvm.select(HypervisorSelector.Choice.CLOUD_HYPERVISOR));
    }
}
