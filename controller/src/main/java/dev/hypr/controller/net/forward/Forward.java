package dev.hypr.controller.net.forward;

import dev.hypr.controller.vmm.HostForward;
import java.util.Locale;
import java.util.Objects;

/**
 * One published port: {@code hostIP:hostPort} on the host reaches {@code targetIP:targetPort}.
 * {@code owner} names the VM it belongs to; a forwarder that cannot remember owners (gvproxy)
 * reports an empty owner, and the reconciler matches by target address instead.
 */
public record Forward(String owner, HostForward.Protocol protocol, String hostIP, int hostPort, String targetIP,
                      int targetPort) {
    public Forward {
        Objects.requireNonNull(owner);
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(hostIP);
        Objects.requireNonNull(targetIP);
        if (hostPort < 1 || hostPort > 65535 || targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("port out of range in " + hostIP + ":" + hostPort + " -> " + targetPort);
        }
    }

    /** What may exist only once on a host: a protocol's listening address. */
    public String listenKey() {
        return protocolName() + " " + hostIP + ":" + hostPort;
    }

    public String protocolName() {
        return protocol.name().toLowerCase(Locale.ROOT);
    }

    public HostForward toHostForward() {
        return new HostForward(protocol, hostIP, hostPort, targetPort);
    }

    public Forward withOwner(String name) {
        return new Forward(name, protocol, hostIP, hostPort, targetIP, targetPort);
    }

    @Override
    public String toString() {
        return listenKey() + " -> " + targetIP + ":" + targetPort;
    }
}
