package dev.hypr.api.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image config a stage is building (the {@code config} object of an OCI/Docker image config
 * blob): starts as the base image's, then each instruction changes it. Mutable; one per stage.
 * {@code cmd}/{@code entrypoint}/{@code shell} are null when unset (not the same as empty).
 */
public final class BuildConfig {
    public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    public final Map<String, String> env = new LinkedHashMap<>();
    public String user = "";
    public String workingDir = "";
    public List<String> cmd;
    public List<String> entrypoint;
    public List<String> shell;
    public final Set<String> exposedPorts = new LinkedHashSet<>();
    public final Set<String> volumes = new LinkedHashSet<>();
    public final Map<String, String> labels = new LinkedHashMap<>();
    /** null when none was declared; {@code [NONE]} disables a base image's. */
    public Instruction.Healthcheck healthcheck;
    public String stopSignal = "";
    public final List<String> onBuild = new ArrayList<>();

    public BuildConfig copy() {
        BuildConfig c = new BuildConfig();
        c.env.putAll(env);
        c.user = user;
        c.workingDir = workingDir;
        c.cmd = cmd;
        c.entrypoint = entrypoint;
        c.shell = shell;
        c.exposedPorts.addAll(exposedPorts);
        c.volumes.addAll(volumes);
        c.labels.putAll(labels);
        c.healthcheck = healthcheck;
        c.stopSignal = stopSignal;
        c.onBuild.addAll(onBuild);
        return c;
    }

    /** The SHELL in effect: the stage's, else {@code /bin/sh -c}. */
    public List<String> shellOrDefault() {
        return shell != null ? shell : DEFAULT_SHELL;
    }

    /** {@code KEY=value} strings, in order, as the config's {@code Env}. */
    public List<String> envList() {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** Reads a config object ({@code blob.config}); a missing or null node gives an empty config. */
    public static BuildConfig fromJson(JsonNode c) {
        BuildConfig b = new BuildConfig();
        if (c == null || !c.isObject()) {
            return b;
        }
        c.path("Env").forEach(e -> {
            String s = e.asText();
            int eq = s.indexOf('=');
            b.env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        });
        b.user = c.path("User").asText("");
        b.workingDir = c.path("WorkingDir").asText("");
        b.cmd = strings(c.get("Cmd"));
        b.entrypoint = strings(c.get("Entrypoint"));
        b.shell = strings(c.get("Shell"));
        c.path("ExposedPorts").fieldNames().forEachRemaining(b.exposedPorts::add);
        c.path("Volumes").fieldNames().forEachRemaining(b.volumes::add);
        c.path("Labels").fields().forEachRemaining(f -> b.labels.put(f.getKey(), f.getValue().asText()));
        JsonNode h = c.path("Healthcheck");
        if (h.path("Test").isArray() && !h.path("Test").isEmpty()) {
            List<String> test = strings(h.get("Test"));
            b.healthcheck = new Instruction.Healthcheck(0, test, nanos(h, "Interval"), nanos(h, "Timeout"),
                    nanos(h, "StartPeriod"), nanos(h, "StartInterval"), h.has("Retries") ? h.get("Retries").asInt() : null);
        }
        b.stopSignal = c.path("StopSignal").asText("");
        b.onBuild.addAll(strings(c.get("OnBuild")) == null ? List.of() : strings(c.get("OnBuild")));
        return b;
    }

    private static Duration nanos(JsonNode h, String key) {
        return h.has(key) && h.get(key).asLong() != 0 ? Duration.ofNanos(h.get(key).asLong()) : null;
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** The config object, with Docker's field names, omitting what is unset. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode c = f.objectNode();
        if (!user.isEmpty()) {
            c.put("User", user);
        }
        if (!exposedPorts.isEmpty()) {
            ObjectNode p = c.putObject("ExposedPorts");
            exposedPorts.forEach(k -> p.putObject(k));
        }
        if (!env.isEmpty()) {
            ArrayNode e = c.putArray("Env");
            envList().forEach(e::add);
        }
        if (entrypoint != null) {
            ArrayNode e = c.putArray("Entrypoint");
            entrypoint.forEach(e::add);
        }
        if (cmd != null) {
            ArrayNode e = c.putArray("Cmd");
            cmd.forEach(e::add);
        }
        if (!volumes.isEmpty()) {
            ObjectNode v = c.putObject("Volumes");
            volumes.forEach(k -> v.putObject(k));
        }
        if (!workingDir.isEmpty()) {
            c.put("WorkingDir", workingDir);
        }
        if (!labels.isEmpty()) {
            ObjectNode l = c.putObject("Labels");
            labels.forEach(l::put);
        }
        if (!stopSignal.isEmpty()) {
            c.put("StopSignal", stopSignal);
        }
        if (healthcheck != null) {
            ObjectNode h = c.putObject("Healthcheck");
            ArrayNode t = h.putArray("Test");
            healthcheck.test().forEach(t::add);
            putNanos(h, "Interval", healthcheck.interval());
            putNanos(h, "Timeout", healthcheck.timeout());
            putNanos(h, "StartPeriod", healthcheck.startPeriod());
            putNanos(h, "StartInterval", healthcheck.startInterval());
            if (healthcheck.retries() != null && healthcheck.retries() != 0) {
                h.put("Retries", healthcheck.retries());
            }
        }
        if (!onBuild.isEmpty()) {
            ArrayNode o = c.putArray("OnBuild");
            onBuild.forEach(o::add);
        }
        if (shell != null) {
            ArrayNode s = c.putArray("Shell");
            shell.forEach(s::add);
        }
        return c;
    }

    private static void putNanos(ObjectNode h, String key, Duration d) {
        if (d != null && !d.isZero()) {
            h.put(key, d.toNanos());
        }
    }
}
