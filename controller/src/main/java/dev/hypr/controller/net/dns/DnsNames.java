package dev.hypr.controller.net.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The names one network's DNS answers: every VM with an allocation by its own name, plus the
 * names in its {@code hypr.dev/dns-names} annotation (a Stack's service name and aliases), each
 * with the addresses of all VMs carrying it, in allocation order. Only VMs on the network count,
 * so a name resolves only on the networks its VMs are on, to their address there. A VM's
 * {@code spec.networks[].aliases} are names on that one network only.
 */
public final class DnsNames {
    public static final String ANNOTATION = "hypr.dev/dns-names";

    private DnsNames() {
    }

    public static Map<String, List<String>> table(JsonNode allocations, Function<String, Optional<ObjectNode>> vms) {
        return table(null, allocations, vms);
    }

    public static Map<String, List<String>> table(String network, JsonNode allocations, Function<String, Optional<ObjectNode>> vms) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (JsonNode a : allocations) {
            String vm = a.path("vm").asText();
            String ip = a.path("ip").asText();
            if (vm.isEmpty() || ip.isEmpty()) {
                continue;
            }
            add(out, vm, ip);
            vms.apply(vm).ifPresent(o -> {
                String names = o.path("metadata").path("annotations").path(ANNOTATION).asText("");
                for (String n : names.split(",")) {
                    if (!n.isBlank()) {
                        add(out, n.trim(), ip);
                    }
                }
                for (JsonNode attachment : o.path("spec").path("networks")) {
                    if (attachment.path("name").asText().equals(network)) {
                        attachment.path("aliases").forEach(alias -> add(out, alias.asText(), ip));
                    }
                }
            });
        }
        return out;
    }

    private static void add(Map<String, List<String>> out, String name, String ip) {
        List<String> ips = out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
        if (!ips.contains(ip)) {
            ips.add(ip);
        }
    }
}
