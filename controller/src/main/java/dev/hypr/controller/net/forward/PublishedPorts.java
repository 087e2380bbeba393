package dev.hypr.controller.net.forward;

import dev.hypr.controller.vmm.HostForward;
import java.util.ArrayList;
import java.util.List;

/** The forwards a VM's resolved ports ask for ({@link HostPortAssignments}), hostIP defaulting to 0.0.0.0. */
public final class PublishedPorts {
    public static final String ANY_ADDRESS = "0.0.0.0";

    private PublishedPorts() {
    }

    public static List<Forward> of(String vm, List<AssignedPort> ports, String targetIP) {
        List<Forward> out = new ArrayList<>();
        for (AssignedPort p : ports) {
            HostForward.Protocol proto = "UDP".equalsIgnoreCase(p.protocol()) ? HostForward.Protocol.UDP : HostForward.Protocol.TCP;
            out.add(new Forward(vm, proto, p.hostIP(), p.hostPort(), targetIP, p.guestPort()));
        }
        return out;
    }
}
