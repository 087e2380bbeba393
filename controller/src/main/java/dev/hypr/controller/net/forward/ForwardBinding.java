package dev.hypr.controller.net.forward;

import java.util.List;

/**
 * Which forwarder publishes a VM's ports, the guest address they lead to, and how to read back
 * only that VM's forwards (the proxy is shared by all bridged VMs; QEMU's is per VM).
 */
public record ForwardBinding(Forwarder forwarder, String targetIP) {
    public List<Forward> observed(String vm) throws ForwardException {
        return forwarder.list().stream().filter(f -> f.owner().equals(vm)).toList();
    }
}
