package dev.hypr.controller.net.forward;

import dev.hypr.api.model.PortMapping;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.vmm.HostForward;
import java.util.ArrayList;
import java.util.List;

/** The forwards a VM's {@code spec.ports} asks for: entries with a hostPort, hostIP defaulting to 0.0.0.0. */
public final class PublishedPorts {
    public static final String ANY_ADDRESS = "0.0.0.0";

    private PublishedPorts() {
    }

    public static List<Forward> of(String vm, VmSpec spec, String targetIP) {
        List<Forward> out = new ArrayList<>();
        for (PortMapping p : spec.ports() == null ? List.<PortMapping>of() : spec.ports()) {
            if (p.hostPort() == null) {
                continue;
            }
            HostForward.Protocol proto = "UDP".equalsIgnoreCase(p.protocol()) ? HostForward.Protocol.UDP : HostForward.Protocol.TCP;
            String host = p.hostIP() == null || p.hostIP().isBlank() ? ANY_ADDRESS : p.hostIP();
            out.add(new Forward(vm, proto, host, p.hostPort(), targetIP, p.guestPort()));
        }
        return out;
    }
}
