package dev.hypr.controller.vmm;

/**
 * What a hypervisor can do, so callers ask the driver instead of testing its name.
 *
 * @param agentTransport how hyprd reaches Kestrel (guest/PROTOCOL.md)
 * @param userModeNetworking a NAT network inside the VMM itself (QEMU's slirp: {@code network: user})
 * @param hotPlug devices can be added to a running VM
 * @param virtiofs host directories can be shared (vhost-user-fs, served by virtiofsd)
 */
public record VmmCapabilities(AgentTransport agentTransport, boolean userModeNetworking, boolean hotPlug, boolean virtiofs) {

    /** A hypervisor without virtiofs support. */
    public VmmCapabilities(AgentTransport agentTransport, boolean userModeNetworking, boolean hotPlug) {
        this(agentTransport, userModeNetworking, hotPlug, false);
    }

    /** The agent channel's transport, each with its own way of connecting to the host-side socket. */
    public enum AgentTransport {
        /** A Unix socket QEMU serves for a virtio-serial port: connect and talk. */
        VIRTIO_SERIAL,
        /** cloud-hypervisor's vsock socket: connect, send {@code CONNECT <port>}, read {@code OK}. */
        HYBRID_VSOCK
    }
}
