package dev.hypr.controller.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.host.HostPrograms;
import dev.hypr.controller.vmm.qemu.Accelerator;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a Node's status says about its host: capacity, hypervisors, KVM, addresses. */
public final class NodeFacts {
    private NodeFacts() {
    }

    /** Fills status.capacity, hypervisors, kvm and addresses (the fields the registration owns). */
    public static void describeHost(ObjectNode status, String hostname) {
        status.putObject("capacity").put("cpus", Runtime.getRuntime().availableProcessors()).put("memoryMiB", memTotalMiB());
        ArrayNode hypervisors = status.putArray("hypervisors");
        HostPrograms.locate(HostProgram.QEMU).ifPresent(p -> hypervisors.add("qemu"));
        HostPrograms.locate(HostProgram.CLOUD_HYPERVISOR).ifPresent(p -> hypervisors.add("cloud-hypervisor"));
        status.put("kvm", HostPrograms.locate(HostProgram.QEMU)
                .map(q -> Accelerator.detect(q.toString()) == Accelerator.KVM).orElse(false));
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "Hostname").put("address", hostname);
        for (String ip : internalIps()) {
            addresses.addObject().put("type", "InternalIP").put("address", ip);
        }
    }

    /** The host name, as HYPR_NODE_NAME defaults to it. */
    public static String hostname() {
        try {
            String fromFile = Files.readString(Path.of("/etc/hostname")).strip();
            if (!fromFile.isEmpty()) {
                return fromFile;
            }
        } catch (IOException ignored) {
            // fall through to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static long memTotalMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // reported as 0: unknown
        }
        return 0;
    }

    /**
     * IPv4 addresses of the interfaces that are up, loopback last (a netns node may have only that);
     * {@code hypr.node.address} (HYPR_NODE_ADDRESS) first when set: the address other nodes reach this
     * one at (its VXLAN endpoint). hyprd's own bridges are left out: every node has the same gateways.
     */
    static List<String> internalIps() {
        List<String> ips = new ArrayList<>();
        List<String> loopback = new ArrayList<>();
        org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue("hypr.node.address", String.class)
                .filter(a -> !a.isBlank()).ifPresent(ips::add);
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || dev.hypr.controller.net.InterfaceNames.isHyprds(nic.getName())) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !ips.contains(a.getHostAddress())) {
                        (nic.isLoopback() ? loopback : ips).add(a.getHostAddress());
                    }
                }
            }
        } catch (IOException ignored) {
            // no addresses then
        }
        return ips.isEmpty() ? loopback : ips;
    }
}
