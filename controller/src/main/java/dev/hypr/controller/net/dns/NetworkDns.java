package dev.hypr.controller.net.dns;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Optional;
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
                    new DnsAnswerer(network, () -> addresses(network), asker -> askersOtherNetworks(network, asker), upstream));
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

    /**
     * The names a VM on several networks finds on its others (first network first): the asker is
     * the VM holding that address on this network; a name is answered with its address on the
     * first other network both share, so the answer is always reachable from the asker.
     */
    private Map<String, List<String>> askersOtherNetworks(String network, String asker) {
        Optional<String> vm = store.get(Kind.NETWORK, network).stream()
                .flatMap(n -> java.util.stream.StreamSupport.stream(n.path("status").path("allocations").spliterator(), false))
                .filter(a -> asker.equals(a.path("ip").asText())).map(a -> a.path("vm").asText()).findFirst();
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        vm.flatMap(name -> store.get(Kind.VM, name)).ifPresent(o -> {
            for (JsonNode attachment : o.path("spec").path("networks")) {
                String other = attachment.path("name").asText();
                if (!other.equals(network)) {
                    addresses(other).forEach(out::putIfAbsent);
                }
            }
        });
        return out;
    }

    void close(@Observes ShutdownEvent ev) {
        servers.keySet().forEach(this::stop);
    }
}
