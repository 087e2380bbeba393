package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What services refer to across the file: object-safe service names, the top-level networks,
 * volumes, secrets and configs, aliases given by links and container_name, and the dependency
 * graph (checked for cycles).
 */
final class StackContext {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> NETWORK_KEYS = Set.of("name", "driver", "driver_opts", "ipam", "external", "internal",
            "attachable", "labels", "enable_ipv6", "enable_ipv4");
    private static final Set<String> VOLUME_KEYS = Set.of("name", "driver", "driver_opts", "external", "labels");
    private static final Set<String> FILE_KEYS = Set.of("file", "environment", "content", "external", "name", "labels",
            "driver", "driver_opts", "template_driver");

    private final ComposeProject project;
    private final Problems problems;
    private final YMap services;
    private final Map<String, String> serviceNames = new LinkedHashMap<>();
    private final Map<String, Set<String>> aliases = new HashMap<>();
    private final Map<String, String> networkRefs = new LinkedHashMap<>();
    private final Map<String, String> volumeRefs = new LinkedHashMap<>();
    private final Map<String, ObjectNode> volumes = new LinkedHashMap<>();
    private final ArrayNode networks = NODES.arrayNode();
    private final Map<String, Map<String, ObjectNode>> files = Map.of("secrets", new HashMap<>(), "configs", new HashMap<>());
    private final Map<String, List<String>> edges = new LinkedHashMap<>();
    private final Map<String, SourcePosition> edgePositions = new HashMap<>();
    private final Map<String, String> edgePaths = new HashMap<>();

    StackContext(ComposeProject project, Problems problems) {
        this.project = project;
        this.problems = problems;
        this.services = project.section("services");
        nameServices();
        declareNetworks();
        declareVolumes();
        declareFiles("secrets");
        declareFiles("configs");
        collectLinkAliases();
    }

    private void nameServices() {
        Map<String, String> byLabel = new HashMap<>();
        services.entries().keySet().forEach(compose -> {
            String label = Names.label(compose);
            String vmName = project.name() + "-" + label + "-1";
            if (label.isEmpty()) {
                problems.error(services.keyPosition(compose), "services." + compose, "service name \"" + compose + "\" has no letter or digit");
            } else if (byLabel.containsKey(label)) {
                problems.error(services.keyPosition(compose), "services." + compose, "service names \"" + byLabel.get(label) + "\" and \""
                        + compose + "\" both become \"" + label + "\"; rename one");
            } else if (vmName.length() > Names.MAX_OBJECT_NAME) {
                problems.error(services.keyPosition(compose), "services." + compose, "VM name \"" + vmName + "\" would be longer than "
                        + Names.MAX_OBJECT_NAME + " characters; shorten the project (-p) or service name");
            }
            byLabel.putIfAbsent(label, compose);
            serviceNames.put(compose, label);
            if (!label.equals(compose)) {
                aliases.computeIfAbsent(compose, k -> new LinkedHashSet<>()).add(compose);
            }
        });
    }

    private void declareNetworks() {
        YMap declared = project.section("networks");
        declared.entries().forEach((name, value) -> {
            String path = "networks." + name;
            String ref = Names.label(name);
            networkRefs.put(name, ref);
            ObjectNode network = NODES.objectNode().put("name", ref);
            if (value instanceof YMap m) {
                KeyCheck.only(m, path, NETWORK_KEYS, problems);
                String driver = m.get("driver") instanceof YScalar d ? d.text() : "bridge";
                if (!driver.equals("bridge")) {
                    problems.warn(m.keyPosition("driver"), path + ".driver", "driver \"" + driver + "\" has no effect: every stack network is a bridged hypr Network");
                }
                for (String key : List.of("external", "internal", "attachable", "driver_opts", "labels", "enable_ipv6", "enable_ipv4", "name")) {
                    if (m.get(key) != null && !(key.equals("external") && m.get(key) instanceof YScalar e && Boolean.FALSE.equals(e.value()))) {
                        problems.warn(m.keyPosition(key), path + "." + key, key + " has no effect here: the stack creates its own network");
                    }
                }
                if (m.get("ipam") instanceof YMap ipam) {
                    KeyCheck.only(ipam, path + ".ipam", Set.of("driver", "config", "options"), problems);
                    List<YNode> configs = ipam.get("config") instanceof YNode.YList l ? l.items() : List.of();
                    for (int i = 0; i < configs.size(); i++) {
                        if (!(configs.get(i) instanceof YMap c)) {
                            continue;
                        }
                        String at = path + ".ipam.config[" + i + "]";
                        KeyCheck.only(c, at, Set.of("subnet", "ip_range", "gateway", "aux_addresses"), problems);
                        if (c.get("subnet") instanceof YScalar subnet && i == 0 && !subnet.text().contains(":")) {
                            network.put("subnet", subnet.text());
                        } else if (c.get("subnet") != null) {
                            problems.warn(c.keyPosition("subnet"), at + ".subnet", "only the first IPv4 subnet is used");
                        }
                        for (String key : List.of("ip_range", "gateway", "aux_addresses")) {
                            if (c.get(key) != null) {
                                problems.warn(c.keyPosition(key), at + "." + key, key + " has no effect (the first address of the subnet is the gateway)");
                            }
                        }
                    }
                }
            } else if (!(value instanceof YScalar s && s.isNull())) {
                problems.error(value.position(), path, "a network is a mapping (or empty)");
            }
            networks.add(network);
        });
    }

    private void declareVolumes() {
        YMap declared = project.section("volumes");
        declared.entries().forEach((name, value) -> {
            String path = "volumes." + name;
            String ref = Names.label(name);
            volumeRefs.put(name, ref);
            ObjectNode volume = NODES.objectNode().put("name", ref);
            if (value instanceof YMap m) {
                KeyCheck.only(m, path, VOLUME_KEYS, problems);
                boolean external = m.get("external") instanceof YScalar e && Boolean.TRUE.equals(e.value());
                if (m.get("external") instanceof YMap) {
                    external = true;
                    problems.warn(m.keyPosition("external"), path + ".external", "external: {name} is obsolete; use name:");
                }
                if (external) {
                    volume.put("external", true);
                }
                if (m.get("name") instanceof YScalar n) {
                    volume.put("volumeName", Names.label(n.text()));
                } else if (external) {
                    volume.put("volumeName", ref);
                }
                if (m.get("driver") instanceof YScalar d && !d.text().equals("local")) {
                    problems.warn(d.position(), path + ".driver", "driver \"" + d.text() + "\" has no effect: volumes are ext4 disks");
                }
                for (String key : List.of("driver_opts", "labels")) {
                    if (m.get(key) != null) {
                        problems.warn(m.keyPosition(key), path + "." + key, key + " has no effect here");
                    }
                }
            } else if (!(value instanceof YScalar s && s.isNull())) {
                problems.error(value.position(), path, "a volume is a mapping (or empty)");
            }
            volumes.put(ref, volume);
        });
    }

    private void declareFiles(String kind) {
        project.section(kind).entries().forEach((name, value) -> {
            String path = kind + "." + name;
            if (!(value instanceof YMap m)) {
                problems.error(value.position(), path, "a " + kind.substring(0, kind.length() - 1) + " is a mapping with file: or environment:");
                return;
            }
            KeyCheck.only(m, path, FILE_KEYS, problems);
            ObjectNode source = NODES.objectNode();
            if (m.get("external") instanceof YScalar e && Boolean.TRUE.equals(e.value())) {
                problems.error(m.keyPosition("external"), path + ".external", "external " + kind + " are not supported (use file: or environment:)");
                return;
            }
            if (m.get("file") instanceof YScalar f) {
                source.put("hostPath", project.resolve(f).toString());
            } else if (m.get("environment") instanceof YScalar env) {
                // Only the variable's name: the value is read when the service starts, never stored.
                source.put("environment", env.text());
            } else if (kind.equals("configs") && m.get("content") instanceof YScalar c) {
                source.put("content", c.text());
            } else {
                problems.error(m.position(), path, "give file:" + (kind.equals("configs") ? ", environment: or content:" : " or environment:"));
                return;
            }
            for (String key : List.of("labels", "driver", "driver_opts", "template_driver", "name")) {
                if (m.get(key) != null) {
                    problems.warn(m.keyPosition(key), path + "." + key, key + " has no effect here");
                }
            }
            files.get(kind).put(name, source);
        });
    }

    /** links: [db:database] makes "database" a name of db; container_name is a name of its service. */
    private void collectLinkAliases() {
        services.entries().forEach((name, node) -> {
            if (!(node instanceof YMap service)) {
                return;
            }
            if (service.get("container_name") instanceof YScalar c && !c.isNull()) {
                aliases.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(c.text());
            }
            List<YScalar> links = ProjectLoader.scalars(service.get("links"));
            for (int i = 0; i < links.size(); i++) {
                String[] parts = links.get(i).text().split(":", 2);
                if (!services.entries().containsKey(parts[0])) {
                    problems.error(links.get(i).position(), "services." + name + ".links[" + i + "]", "links to service \"" + parts[0]
                            + "\", which is not defined (or not enabled by a profile)");
                } else if (parts.length == 2) {
                    aliases.computeIfAbsent(parts[0], k -> new LinkedHashSet<>()).add(parts[1]);
                }
            }
        });
    }

    String serviceName(String compose) {
        return serviceNames.getOrDefault(compose, Names.label(compose));
    }

    boolean hasService(String compose) {
        return serviceNames.containsKey(compose);
    }

    boolean hasHealthcheck(String compose) {
        return services.get(compose) instanceof YMap s && ServiceTranslator.hasHealthcheck(s);
    }

    Set<String> aliasesOf(String compose) {
        return aliases.getOrDefault(compose, Set.of());
    }

    String networkRef(String compose) {
        if (compose.equals("default") && !networkRefs.containsKey("default")) {
            networkRefs.put("default", "default");
            networks.add(NODES.objectNode().put("name", "default"));
        }
        return networkRefs.get(compose);
    }

    String volumeRef(String compose) {
        return volumeRefs.get(compose);
    }

    /** A per-VM scratch volume for an anonymous volume or tmpfs mount. */
    String scratchVolume(String service, int index) {
        String name = service + "-scratch-" + index;
        volumes.putIfAbsent(name, NODES.objectNode().put("name", name).put("scratch", true));
        return name;
    }

    ObjectNode fileSource(String kind, String name) {
        ObjectNode source = files.get(kind).get(name);
        return source == null ? null : source.deepCopy();
    }

    void recordDependency(String from, String to, SourcePosition at, String path) {
        edges.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
        edgePositions.putIfAbsent(from + "->" + to, at);
        edgePaths.putIfAbsent(from + "->" + to, path);
    }

    /** Reports each dependency cycle once, at the edge that closes it. */
    void checkCycles() {
        Map<String, Integer> state = new HashMap<>();
        for (String start : edges.keySet()) {
            visit(start, state, new ArrayList<>());
        }
    }

    private void visit(String node, Map<String, Integer> state, List<String> stack) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return;
        }
        state.put(node, 1);
        stack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            if (state.get(next) != null && state.get(next) == 1) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(next), stack.size()));
                cycle.add(next);
                String edge = node + "->" + next;
                problems.error(edgePositions.get(edge), edgePaths.get(edge), "dependency cycle: " + String.join(" -> ", cycle));
            } else {
                visit(next, state, stack);
            }
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
    }

    ArrayNode networks() {
        return networks;
    }

    ArrayNode volumes() {
        ArrayNode out = NODES.arrayNode();
        volumes.values().forEach(out::add);
        return out;
    }
}
