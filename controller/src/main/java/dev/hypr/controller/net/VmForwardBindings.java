package dev.hypr.controller.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.net.forward.Forward;
import dev.hypr.controller.net.forward.ForwardBinding;
import dev.hypr.controller.net.forward.ForwardBindings;
import dev.hypr.controller.net.forward.Forwarder;
import dev.hypr.controller.net.forward.ProxyForwarder;
import dev.hypr.controller.net.forward.QemuUserForwarder;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How hyprd publishes each VM's ports: user-mode VMs through their own QEMU (hostfwd), bridged
 * VMs through hyprd's proxy to the address IPAM gave them. A VM gets a binding only while its
 * VMM runs (status.pid) and, when bridged, once it has an address.
 */
@ApplicationScoped
public class VmForwardBindings implements ForwardBindings {
    @Inject
    HyprPaths paths;

    private volatile Consumer<Forward> proxyLost = f -> { };
    private final ProxyForwarder proxy = new ProxyForwarder(f -> proxyLost.accept(f));

    ProxyForwarder proxy() {
        return proxy;
    }

    void onProxyLost(Consumer<Forward> listener) {
        proxyLost = listener;
    }

    @Override
    public Optional<ForwardBinding> forVm(String vm, VmSpec spec, JsonNode status) {
        if (!status.hasNonNull("pid")) {
            return Optional.empty();
        }
        NetworkChoice choice = NetworkChoice.of(spec);
        if (choice == NetworkChoice.NONE) {
            return Optional.empty();
        }
        if (choice == NetworkChoice.BRIDGE && status.hasNonNull("mac")) {
            String ip = status.path("ip").asText("");
            return ip.isEmpty() ? Optional.empty() : Optional.of(new ForwardBinding(proxy, ip));
        }
        if (!"qemu".equals(status.path("hypervisor").asText("qemu"))) {
            return Optional.empty(); // cloud-hypervisor has no user-mode networking
        }
        VmHandle handle = new VmHandle(vm, HypervisorKind.QEMU, paths.vmRuntimeDir(vm));
        if (!Files.exists(handle.controlSocket())) {
            return Optional.empty();
        }
        return Optional.of(new ForwardBinding(new QemuUserForwarder(vm, handle, new QemuDriver(paths.home())),
                QemuUserForwarder.GUEST_IP));
    }

    @Override
    public List<Forwarder> shared() {
        return List.of(proxy);
    }
}
