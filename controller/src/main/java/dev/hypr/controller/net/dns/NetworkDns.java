package dev.hypr.controller.net.dns;

import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One DNS server per bridged Network, on its gateway address. Port 53 by default: Kestrel
 * writes the gateway into the guest's resolv.conf, and a resolv.conf cannot name a port, so
 * the 41003 of the original design would be unreachable from guests.
 */
@ApplicationScoped
public class NetworkDns {
    private static final Logger LOG = Logger.getLogger(NetworkDns.class);

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "hypr.dns.port", defaultValue = "53")
    int port;

    private final Map<String, DnsServer> servers = new ConcurrentHashMap<>();
    private final DnsAnswerer.Upstream upstream = Upstreams.fromResolvConf(Path.of("/etc/resolv.conf"));

    /** Starts the network's server unless it runs; a failure to bind is logged and retried on the next call. */
    public synchronized void ensure(String network, String gateway) {
        DnsServer running = servers.get(network);
        if (running != null && running.address().getAddress().getHostAddress().equals(gateway)) {
            return;
        }
        stop(network);
        try {
            DnsServer s = DnsServer.start(new InetSocketAddress(InetAddress.getByName(gateway), port),
                    new DnsAnswerer(network, () -> addresses(network), upstream));
            servers.put(network, s);
            LOG.infof("network/%s: DNS on %s:%d", network, gateway, port);
        } catch (IOException e) {
            LOG.warnf("network/%s: cannot serve DNS on %s:%d: %s", network, gateway, port, e.getMessage());
        }
    }

    public synchronized void stop(String network) {
        DnsServer s = servers.remove(network);
        if (s != null) {
            s.close();
        }
    }

    /**
     * Names to addresses, from the Network's allocations (the store is the one truth): each VM's
     * name, and the names a Stack gave it ({@code hypr.dev/dns-names}: its service and aliases).
     */
    private Map<String, List<String>> addresses(String network) {
        return store.get(Kind.NETWORK, network)
                .map(n -> DnsNames.table(network, n.path("status").path("allocations"), vm -> store.get(Kind.VM, vm)))
                .orElse(Map.of());
    }

    void close(@Observes ShutdownEvent ev) {
        servers.keySet().forEach(this::stop);
    }
}
