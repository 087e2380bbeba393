package dev.hypr.controller.vmm;

/** hostAddress:hostPort on the host reaches guestPort in the VM. */
public record HostForward(Protocol protocol, String hostAddress, int hostPort, int guestPort) {
    public enum Protocol { TCP, UDP }

    public static HostForward tcp(String hostAddress, int hostPort, int guestPort) {
        return new HostForward(Protocol.TCP, hostAddress, hostPort, guestPort);
    }

    /** QEMU's hostfwd syntax: {@code tcp:127.0.0.1:8080-:80}. */
    public String toQemuRule() {
        return protocol.name().toLowerCase() + ":" + hostAddress + ":" + hostPort + "-:" + guestPort;
    }
}
