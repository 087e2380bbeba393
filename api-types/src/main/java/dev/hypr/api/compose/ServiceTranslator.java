package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.ComposeKeys.Status;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One compose service → one entry of a Stack's spec.services. */
final class ServiceTranslator {
    static final int MIN_MEMORY_MIB = 128;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable");

    private final ComposeProject project;
    private final StackContext stack;
    private final Problems problems;
    private final String composeName;
    private final YMap service;
    private final String path;
    private final ObjectNode out = NODES.objectNode();

    ServiceTranslator(ComposeProject project, StackContext stack, Problems problems, String composeName, YMap service) {
        this.project = project;
        this.stack = stack;
        this.problems = problems;
        this.composeName = composeName;
        this.service = service;
        this.path = "services." + composeName;
    }

    ObjectNode translate() {
        checkKeys();
        out.put("name", stack.serviceName(composeName));
        image();
        entrypointAndCommand();
        environment();
        int replicas = replicasAndResources();
        ports(replicas);
        volumes();
        dependencies();
        healthcheck();
        restart();
        networks();
        simpleStrings();
        stopSettings();
        files("secrets", "/run/secrets/");
        files("configs", "/");
        if (replicas > 1 && service.get("container_name") != null) {
            problems.error(service.keyPosition("container_name"), path + ".container_name",
                    "container_name names one container, but the service has " + replicas + " replicas");
        }
        return out;
    }

    private void checkKeys() {
        for (String key : service.entries().keySet()) {
            if (key.startsWith("x-")) {
                continue;
            }
            ComposeKeys.Key known = ComposeKeys.SERVICE.get(key);
            SourcePosition at = service.keyPosition(key);
            if (known == null) {
                problems.error(at, path + "." + key, "unknown service key \"" + key + "\"");
            } else if (known.status() == Status.WARNED) {
                String why = known.becomes().replaceFirst("^no effect:? ?", "").replaceAll("^\\((.*)\\)$", "$1");
                problems.warn(at, path + "." + key, key + " has no effect here" + (why.isEmpty() ? "" : " (" + why + ")"));
            } else if (known.status() == Status.REJECTED) {
                problems.error(at, path + "." + key, key + " is not supported: " + known.becomes());
            }
        }
        if (((YNode) scalar("network_mode")) instanceof YScalar mode) {
            String m = mode.text();
            if (!m.equals("bridge") && !m.equals("default") && !m.equals("none")) {
                problems.error(mode.position(), path + ".network_mode", "network_mode \"" + m
                        + "\" cannot be honoured: a VM has its own network stack and cannot share the host's or another VM's");
            }
        }
        if (((YNode) scalar("runtime")) instanceof YScalar rt && !rt.text().isEmpty() && !rt.text().equals("runc") && !rt.text().equals("io.containerd.runc.v2")) {
            problems.error(rt.position(), path + ".runtime", "runtime \"" + rt.text() + "\" is not supported: services run as Linux microVMs");
        }
    }

    private YScalar scalar(String key) {
        return service.get(key) instanceof YScalar s && !s.isNull() ? s : null;
    }

    private void image() {
        YScalar image = scalar("image");
        YNode build = service.get("build");
        if (build != null) {
            ObjectNode b = BuildSpecs.translate(build, path + ".build", project, problems);
            if (b != null) {
                out.put("image", image != null ? image.text() : project.name() + "-" + stack.serviceName(composeName));
                if (((YNode) scalar("pull_policy")) instanceof YScalar policy && policy.text().equals("build")) {
                    b.put("always", true);
                }
                out.set("build", b);
                problems.warn(service.keyPosition("build"), path + ".build", "the image is built from source: `compose up` builds"
                        + " it when missing (`--build`, `pull_policy: build`: always)");
            }
        } else if (image != null) {
            out.put("image", image.text());
        } else {
            problems.error(service.position(), path, "service \"" + composeName + "\" has neither image nor build");
        }
        if (((YNode) scalar("pull_policy")) instanceof YScalar policy && !(policy.text().equals("build") && build != null)) {
            problems.warn(service.keyPosition("pull_policy"), path + ".pull_policy", "pull_policy " + policy.text()
                    + " has no effect here (images are pulled when missing; `build` applies to services with build:)");
        }
    }

    private void entrypointAndCommand() {
        commandList("entrypoint").ifPresent(c -> out.set("command", c));
        commandList("command").ifPresent(c -> out.set("args", c));
    }

    private java.util.Optional<ArrayNode> commandList(String key) {
        YNode node = service.get(key);
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return java.util.Optional.empty();
        }
        ArrayNode words = NODES.arrayNode();
        if (node instanceof YScalar s) {
            try {
                ShellWords.split(s.text()).forEach(words::add);
            } catch (IllegalArgumentException e) {
                problems.error(s.position(), path + "." + key, e.getMessage());
            }
        } else if (node instanceof YList l) {
            l.items().forEach(i -> words.add(i instanceof YScalar s ? s.text() : ComposeMerger.plain(i).toString()));
        } else {
            problems.error(node.position(), path + "." + key, key + " is a string or a list of strings");
        }
        return java.util.Optional.of(words);
    }

    private void environment() {
        Map<String, String> env = new LinkedHashMap<>();
        YNode envFile = service.get("env_file");
        if (envFile != null) {
            List<YNode> entries = envFile instanceof YList l ? l.items() : List.of(envFile);
            for (int i = 0; i < entries.size(); i++) {
                readEnvFile(entries.get(i), envFile instanceof YList ? path + ".env_file[" + i + "]" : path + ".env_file", env);
            }
        }
        YNode environment = service.get("environment");
        if (environment != null) {
            YMap map = ComposeMerger.namedListAsMap(environment);
            if (map == null) {
                problems.error(environment.position(), path + ".environment", "environment is a mapping or a list of KEY=VALUE");
            } else {
                map.entries().forEach((name, value) -> {
                    if (value instanceof YScalar s && !s.isNull()) {
                        env.put(name, s.text());
                    } else if (value instanceof YScalar) {
                        String inherited = project.environment().get(name);
                        if (inherited != null) {
                            env.put(name, inherited);
                        } else {
                            env.remove(name);
                        }
                    } else {
                        problems.error(value.position(), path + ".environment." + name, "an environment value is a string, number or boolean");
                    }
                });
            }
        }
        if (!env.isEmpty()) {
            ArrayNode list = out.putArray("env");
            env.forEach((k, v) -> list.addObject().put("name", k).put("value", v));
        }
    }

    private void readEnvFile(YNode entry, String at, Map<String, String> env) {
        YScalar file;
        boolean required = true;
        if (entry instanceof YScalar s) {
            file = s;
        } else if (entry instanceof YMap m && m.get("path") instanceof YScalar p) {
            KeyCheck.only(m, at, Set.of("path", "required", "format"), problems);
            file = p;
            required = !(m.get("required") instanceof YScalar r && Boolean.FALSE.equals(r.value()));
            if (m.get("format") instanceof YScalar f && !f.text().isEmpty() && !f.text().equals("raw")) {
                problems.warn(f.position(), at + ".format", "env_file format \"" + f.text() + "\" is read as a .env file");
            }
        } else {
            problems.error(entry.position(), at, "an env_file entry is a path or {path, required}");
            return;
        }
        Path resolved = project.resolve(file);
        if (!java.nio.file.Files.isRegularFile(resolved)) {
            if (required) {
                problems.error(file.position(), at, "env file " + resolved + " not found");
            }
            return;
        }
        try {
            String text = java.nio.file.Files.readString(resolved);
            env.putAll(DotEnv.parse(text, project.environment()::get));
        } catch (java.io.IOException e) {
            problems.error(file.position(), at, "cannot read env file " + resolved + ": " + e.getMessage());
        } catch (DotEnv.DotEnvException e) {
            problems.error(new SourcePosition(resolved.toString(), e.line, 1), at, e.getMessage());
        }
    }

    private int replicasAndResources() {
        Integer replicas = null;
        YScalar scale = scalar("scale");
        if (scale != null) {
            replicas = integer(scale, path + ".scale");
        }
        Resources resources = new Resources();
        if (((YNode) scalar("cpus")) instanceof YScalar c) {
            resources.cpus(c, path + ".cpus");
        }
        if (((YNode) scalar("cpu_count")) instanceof YScalar c) {
            resources.cpus(c, path + ".cpu_count");
        }
        if (((YNode) scalar("mem_reservation")) instanceof YScalar m) {
            resources.memory(m, path + ".mem_reservation");
        }
        if (((YNode) scalar("mem_limit")) instanceof YScalar m) {
            resources.memory(m, path + ".mem_limit");
        }
        if (service.get("deploy") instanceof YMap deploy) {
            replicas = DeploySpecs.apply(deploy, path + ".deploy", resources, problems, replicas, this::integer);
        } else if (service.get("deploy") != null && !(service.get("deploy") instanceof YScalar s && s.isNull())) {
            problems.error(service.get("deploy").position(), path + ".deploy", "deploy is a mapping");
        }
        if (replicas != null) {
            out.put("replicas", replicas);
        }
        if (resources.cpus != null) {
            out.put("cpus", resources.cpus);
        }
        if (resources.memoryMiB != null) {
            if (resources.memoryMiB < MIN_MEMORY_MIB) {
                problems.warn(resources.memoryAt, resources.memoryPath, resources.memoryMiB + " MiB is below the "
                        + MIN_MEMORY_MIB + " MiB a VM needs; using " + MIN_MEMORY_MIB);
                resources.memoryMiB = (long) MIN_MEMORY_MIB;
            }
            out.put("memoryMiB", resources.memoryMiB);
        }
        return replicas == null ? 1 : replicas;
    }

    /** VM size from compose resources; later calls (limits) override earlier ones (reservations). */
    final class Resources {
        Integer cpus;
        Long memoryMiB;
        SourcePosition memoryAt;
        String memoryPath;

        void cpus(YScalar value, String at) {
            try {
                double n = Double.parseDouble(value.text());
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                cpus = (int) Math.ceil(n);
            } catch (NumberFormatException e) {
                problems.error(value.position(), at, "cpus is a positive number, e.g. \"0.5\" or 2");
            }
        }

        void memory(YScalar value, String at) {
            try {
                memoryMiB = ByteSizes.mebibytes(value.text());
                memoryAt = value.position();
                memoryPath = at;
            } catch (IllegalArgumentException e) {
                problems.error(value.position(), at, e.getMessage());
            }
        }
    }

    Integer integer(YScalar value, String at) {
        try {
            int n = Integer.parseInt(value.text().strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            problems.error(value.position(), at, "expected a whole number >= 0, got \"" + value.text() + "\"");
            return null;
        }
    }

    private void ports(int replicas) {
        ArrayNode ports = NODES.arrayNode();
        if (service.get("ports") instanceof YList list) {
            for (int i = 0; i < list.items().size(); i++) {
                String at = path + ".ports[" + i + "]";
                for (ObjectNode port : PortSpecs.parse(list.items().get(i), at, problems)) {
                    if (replicas > 1 && port.has("hostPort")) {
                        problems.error(list.items().get(i).position(), at, "host port " + port.get("hostPort").asInt()
                                + " can be bound by one VM only, but the service has " + replicas + " replicas (publish an ephemeral port: \""
                                + port.get("guestPort").asInt() + "\")");
                    }
                    ports.add(port);
                }
            }
        } else if (service.get("ports") != null) {
            problems.error(service.get("ports").position(), path + ".ports", "ports is a list");
        }
        if (service.get("expose") instanceof YList expose) {
            for (int i = 0; i < expose.items().size(); i++) {
                YNode e = expose.items().get(i);
                String text = e instanceof YScalar s ? s.text() : "";
                if (!text.matches("\\d{1,5}(-\\d{1,5})?(/(tcp|udp))?")) {
                    problems.error(e.position(), path + ".expose[" + i + "]", "expose takes a port, a range or PORT/PROTOCOL");
                }
            }
        }
        if (!ports.isEmpty()) {
            out.set("ports", ports);
        }
    }

    private void volumes() {
        if (!(service.get("volumes") instanceof YList list)) {
            if (service.get("volumes") != null) {
                problems.error(service.get("volumes").position(), path + ".volumes", "volumes is a list");
            }
            return;
        }
        ArrayNode mounts = NODES.arrayNode();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            String at = path + ".volumes[" + i + "]";
            YNode entry = list.items().get(i);
            VolumeSpecs.Mount mount;
            try {
                mount = VolumeSpecs.parse(entry, at, problems);
            } catch (IllegalArgumentException e) {
                problems.error(entry.position(), at, e.getMessage());
                continue;
            }
            ObjectNode m = NODES.objectNode();
            switch (mount.type()) {
                case VOLUME -> {
                    String volume = stack.volumeRef(mount.source());
                    if (volume == null) {
                        problems.error(mount.at(), at, "named volume \"" + mount.source() + "\" is not declared under the top-level volumes:");
                        continue;
                    }
                    m.put("name", unique(names, volume));
                    m.put("volumeRef", volume);
                }
                case BIND -> {
                    Path host = project.resolve(mount.source(), mount.at());
                    if (host.toString().endsWith("docker.sock")) {
                        problems.warn(mount.at(), at, "bind-mounts " + host + ": there is no Docker daemon behind it inside a VM");
                    }
                    m.put("name", unique(names, "bind-" + (i + 1)));
                    m.put("hostPath", host.toString());
                    if (mount.createHostPath() != null) {
                        m.put("createHostPath", mount.createHostPath());
                    }
                }
                case SCRATCH -> {
                    String volume = stack.scratchVolume(stack.serviceName(composeName), i + 1);
                    m.put("name", unique(names, volume));
                    m.put("volumeRef", volume);
                }
            }
            m.put("mountPath", mount.target());
            if (mount.readOnly()) {
                m.put("readOnly", true);
            }
            if (mount.noCopy() && mount.type() != VolumeSpecs.Type.BIND) { // host directories are never filled
                m.put("copyFromImage", false);
            }
            mounts.add(m);
        }
        if (!mounts.isEmpty()) {
            out.set("volumes", mounts);
        }
    }

    private static String unique(Set<String> names, String wanted) {
        String name = wanted;
        for (int n = 2; !names.add(name); n++) {
            name = wanted + "-" + n;
        }
        return name;
    }

    private void dependencies() {
        YNode node = service.get("depends_on");
        if (node == null) {
            return;
        }
        YMap map = ComposeMerger.namedListAsMap(node);
        if (map == null) {
            problems.error(node.position(), path + ".depends_on", "depends_on is a list of services or a mapping");
            return;
        }
        ArrayNode dependsOn = NODES.arrayNode();
        ArrayNode details = NODES.arrayNode();
        map.entries().forEach((target, value) -> {
            String at = path + ".depends_on." + target;
            String condition = "Started";
            boolean required = true;
            boolean restart = false;
            if (value instanceof YMap options) {
                KeyCheck.only(options, at, Set.of("condition", "required", "restart"), problems);
                if (options.get("condition") instanceof YScalar c) {
                    condition = switch (c.text()) {
                        case "service_started" -> "Started";
                        case "service_healthy" -> "Healthy";
                        case "service_completed_successfully" -> "CompletedSuccessfully";
                        default -> {
                            problems.error(c.position(), at + ".condition", "condition is service_started, service_healthy or "
                                    + "service_completed_successfully");
                            yield "Started";
                        }
                    };
                }
                required = !(options.get("required") instanceof YScalar r && Boolean.FALSE.equals(r.value()));
                restart = options.get("restart") instanceof YScalar r && Boolean.TRUE.equals(r.value());
            }
            SourcePosition where = map.keyPosition(target);
            if (!stack.hasService(target)) {
                if (required) {
                    problems.error(where, at, "depends on service \"" + target + "\", which is not defined (or not enabled by a profile)");
                } else {
                    problems.warn(where, at, "optional dependency \"" + target + "\" is not defined (or not enabled); ignored");
                }
                return;
            }
            if (target.equals(composeName)) {
                problems.error(where, at, "a service cannot depend on itself");
                return;
            }
            if (condition.equals("Healthy") && !stack.hasHealthcheck(target)) {
                problems.error(where, at + ".condition", "service_healthy needs a healthcheck on \"" + target + "\", which has none");
            }
            stack.recordDependency(composeName, target, where, at);
            String name = stack.serviceName(target);
            dependsOn.add(name);
            ObjectNode d = details.addObject().put("service", name).put("condition", condition);
            if (!required) {
                d.put("required", false);
            }
            if (restart) {
                d.put("restart", true);
            }
        });
        if (!dependsOn.isEmpty()) {
            out.set("dependsOn", dependsOn);
            out.set("dependencies", details);
        }
    }

    private void healthcheck() {
        ObjectNode check = HealthcheckSpecs.translate(service.get("healthcheck"), path + ".healthcheck", problems);
        if (check != null) {
            out.set("healthcheck", check);
        }
    }

    /** Whether a compose service has a healthcheck that is not disabled. */
    static boolean hasHealthcheck(YMap service) {
        return HealthcheckSpecs.enabled(service.get("healthcheck"));
    }

    private void restart() {
        YScalar restart = scalar("restart");
        String text = restart == null ? "no" : restart.text();
        switch (text) {
            case "no", "" -> out.put("restartPolicy", "Never");
            case "always", "unless-stopped" -> out.put("restartPolicy", "Always");
            case "on-failure" -> out.put("restartPolicy", "OnFailure");
            default -> {
                if (text.matches("on-failure:\\d+")) {
                    out.put("restartPolicy", "OnFailure");
                    out.put("maxRestarts", Integer.parseInt(text.substring("on-failure:".length())));
                } else {
                    problems.error(restart.position(), path + ".restart", "restart is no, always, unless-stopped or on-failure[:N]");
                }
            }
        }
    }

    private void networks() {
        Set<String> aliases = new LinkedHashSet<>(stack.aliasesOf(composeName));
        YNode node = service.get("networks");
        ArrayNode networks = NODES.arrayNode();
        if (((YNode) scalar("network_mode")) instanceof YScalar mode && mode.text().equals("none")) {
            if (node != null) {
                problems.error(mode.position(), path + ".network_mode", "network_mode and networks cannot both be set");
            }
            out.set("networks", networks);
            return;
        }
        if (node != null) {
            YMap map = ComposeMerger.namedListAsMap(node);
            if (map == null) {
                problems.error(node.position(), path + ".networks", "networks is a list of names or a mapping");
                return;
            }
            map.entries().forEach((name, options) -> {
                String at = path + ".networks." + name;
                String network = stack.networkRef(name);
                if (network == null) {
                    problems.error(map.keyPosition(name), at, "network \"" + name + "\" is not declared under the top-level networks:");
                    return;
                }
                networks.add(network);
                if (options instanceof YMap o) {
                    KeyCheck.only(o, at, Set.of("aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address",
                            "priority", "gw_priority", "driver_opts", "interface_name"), problems);
                    ProjectLoader.scalars(o.get("aliases")).forEach(a -> aliases.add(a.text()));
                    for (String key : o.entries().keySet()) {
                        if (!key.equals("aliases") && !key.startsWith("x-")) {
                            problems.warn(o.keyPosition(key), at + "." + key, key + " has no effect here (addresses are assigned by the stack network)");
                        }
                    }
                }
            });
            if (!networks.isEmpty()) {
                out.set("networks", networks);
            }
        }
        aliases.remove(stack.serviceName(composeName));
        if (!aliases.isEmpty()) {
            ArrayNode a = out.putArray("aliases");
            aliases.forEach(a::add);
        }
    }

    private void simpleStrings() {
        for (String[] pair : new String[][] {{"working_dir", "workingDir"}, {"user", "user"}, {"hostname", "hostname"}}) {
            if (((YNode) scalar(pair[0])) instanceof YScalar s) {
                out.put(pair[1], s.text());
            }
        }
        YNode labels = service.get("labels");
        if (labels != null) {
            YMap map = ComposeMerger.namedListAsMap(labels);
            if (map == null) {
                problems.error(labels.position(), path + ".labels", "labels is a mapping or a list of KEY=VALUE");
            } else {
                ObjectNode l = out.putObject("labels");
                map.entries().forEach((k, v) -> l.put(k, v instanceof YScalar s ? s.text() : ""));
            }
        }
    }

    private void stopSettings() {
        if (((YNode) scalar("stop_signal")) instanceof YScalar s) {
            String signal = s.text().toUpperCase(java.util.Locale.ROOT);
            if (dev.hypr.api.validation.StopSignals.number(signal).isEmpty()) {
                problems.error(s.position(), path + ".stop_signal", "unknown signal \"" + s.text() + "\" (a name such as SIGQUIT, or a number)");
            }
            out.put("stopSignal", signal.startsWith("SIG") || signal.matches("\\d+") ? signal : "SIG" + signal);
        }
        if (((YNode) scalar("stop_grace_period")) instanceof YScalar g) {
            try {
                Duration d = Durations.parse(g.text());
                int seconds = Durations.seconds(d, 0);
                if (seconds > 3600) {
                    problems.warn(g.position(), path + ".stop_grace_period", "more than an hour; using 3600 s");
                    seconds = 3600;
                }
                out.put("stopTimeoutSeconds", seconds);
            } catch (IllegalArgumentException e) {
                problems.error(g.position(), path + ".stop_grace_period", e.getMessage());
            }
        }
    }

    /**
     * uid, gid and mode of a long-form secret or config. compose reads YAML 1.1, where an unquoted
     * 0440 is octal; YAML 1.2 (read here) makes it the number 440, so the digits of a mode are
     * always read as octal (0440, 440, "0440", 0o440) and a mode with an 8 or 9 is an error.
     */
    private void fileOwner(YMap m, String at, ObjectNode owner) {
        for (String key : List.of("uid", "gid")) {
            if (m.get(key) instanceof YScalar id) {
                if (id.text().matches("\\d{1,10}") && Long.parseLong(id.text()) <= Integer.MAX_VALUE) {
                    owner.put(key, Integer.parseInt(id.text()));
                } else {
                    problems.error(id.position(), at + "." + key, key + " is a number (a user or group id), not \"" + id.text() + "\"");
                }
            }
        }
        if (m.get("mode") instanceof YScalar mode) {
            String text = mode.text().toLowerCase(java.util.Locale.ROOT);
            Integer bits = text.matches("(0o)?[0-7]{1,4}") ? Integer.valueOf(text.replace("0o", ""), 8) : null;
            if (bits == null || bits > 0777) {
                problems.error(mode.position(), at + ".mode", "mode is permission bits in octal, e.g. 0440 (setuid, setgid and sticky bits are not supported)");
            } else {
                owner.put("mode", String.format("0%03o", bits));
            }
        }
    }

    /** secrets:/configs: of the service; each names a top-level entry whose source becomes hostPath/environment/content. */
    private void files(String kind, String defaultDir) {
        if (!(service.get(kind) instanceof YList list)) {
            if (service.get(kind) != null) {
                problems.error(service.get(kind).position(), path + "." + kind, kind + " is a list");
            }
            return;
        }
        ArrayNode files = NODES.arrayNode();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            String at = path + "." + kind + "[" + i + "]";
            YNode item = list.items().get(i);
            String source;
            String target = null;
            ObjectNode owner = NODES.objectNode();
            if (item instanceof YScalar s) {
                source = s.text();
            } else if (item instanceof YMap m && m.get("source") instanceof YScalar s) {
                KeyCheck.only(m, at, Set.of("source", "target", "uid", "gid", "mode"), problems);
                source = s.text();
                target = m.get("target") instanceof YScalar t ? t.text() : null;
                fileOwner(m, at, owner);
            } else {
                problems.error(item.position(), at, "an entry is a name or {source, target}");
                continue;
            }
            ObjectNode file = stack.fileSource(kind, source);
            if (file == null) {
                problems.error(item.position(), at, kind.substring(0, kind.length() - 1) + " \"" + source + "\" is not declared under the top-level "
                        + kind + ":");
                continue;
            }
            String mountPath = target == null ? defaultDir + source : target.startsWith("/") ? target : defaultDir + target;
            ObjectNode entry = NODES.objectNode().put("name", unique(names, Names.label(source).isEmpty() ? kind + "-" + i : Names.label(source)));
            entry.put("mountPath", mountPath);
            entry.setAll(file);
            entry.setAll(owner);
            files.add(entry);
        }
        if (!files.isEmpty()) {
            out.set(kind, files);
        }
    }
}
