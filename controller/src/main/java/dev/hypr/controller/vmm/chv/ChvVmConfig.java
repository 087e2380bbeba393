package dev.hypr.controller.vmm.chv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code PUT /api/v1/vm.create} (cloud-hypervisor's VmConfig). Pure, so tests pin it down. */
public final class ChvVmConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Guest context id; any value >= 3 works since each VM has its own vsock device. */
    static final int GUEST_CID = 3;

    private ChvVmConfig() {}

    public static ObjectNode build(VmLaunchSpec spec, VmHandle handle) {
        if (spec.network() instanceof NetworkMode.UserMode) {
            throw new IllegalArgumentException("cloud-hypervisor has no user-mode networking; use network none or a bridge");
        }
        ObjectNode vm = JSON.createObjectNode();
        vm.putObject("cpus").put("boot_vcpus", spec.cpus()).put("max_vcpus", spec.cpus());
        vm.putObject("memory").put("size", spec.memoryMiB() * 1024L * 1024L);
        vm.putObject("payload")
                .put("kernel", spec.kernel().toString())
                .put("initramfs", spec.initramfs().toString())
                .put("cmdline", kernelCommandLine(spec));
        ArrayNode disks = vm.putArray("disks");
        disks.addObject().put("path", spec.rootfs().toString()).put("readonly", true);
        for (var disk : spec.extraDisks()) {
            disks.addObject().put("path", disk.file().toString()).put("readonly", disk.readOnly()).put("serial", disk.serial());
        }
        vm.putObject("serial").put("mode", "File").put("file", handle.consoleLog().toString());
        vm.putObject("console").put("mode", "Off");
        List<NetworkMode.Tap> taps = NetworkMode.taps(spec.network());
        if (!taps.isEmpty()) {
            ArrayNode net = vm.putArray("net"); // NetConfig per NIC, in guest order
            taps.forEach(tap -> net.addObject().put("tap", tap.tapName()).put("mac", tap.mac()));
        }
        vm.putObject("vsock").put("cid", GUEST_CID).put("socket", handle.agentSocket().toString());
        return vm;
    }

    static String kernelCommandLine(VmLaunchSpec spec) {
        // hypr.halt=poweroff: cloud-hypervisor reboots on a guest reboot but exits on ACPI poweroff
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "cryptomgr.notests", "quiet", "hypr.halt=poweroff"));
        args.addAll(spec.kernelArgs());
        args.add("hypr.cfg=" + spec.guest().encodeBoot()); // the workload config goes over the agent channel
        return String.join(" ", args);
    }
}
