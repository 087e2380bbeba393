package dev.hypr.controller.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.image.ImageConfig;
import dev.hypr.controller.image.ImageHealthcheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A stage's image config as its steps change it: what RUN sees (Env, User, WorkingDir, Shell)
 * and what the image declares (Cmd, Entrypoint, ExposedPorts, Volumes, Labels, Healthcheck,
 * StopSignal, OnBuild). Written out as the OCI config's {@code config} object.
 */
public final class ImageSettings {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    final LinkedHashMap<String, String> env = new LinkedHashMap<>();
    List<String> cmd = List.of();
    List<String> entrypoint = List.of();
    String workingDir = "";
    String user = "";
    List<String> shell = DEFAULT_SHELL;
    final LinkedHashSet<String> exposedPorts = new LinkedHashSet<>();
    final LinkedHashSet<String> volumes = new LinkedHashSet<>();
    final LinkedHashMap<String, String> labels = new LinkedHashMap<>();
    String stopSignal = "";
    ObjectNode healthcheck;
    /** ONBUILD triggers, kept for builds FROM this image (a base's are not inherited, as docker). */
    List<String> onBuild = List.of();

    public ImageSettings copy() {
        ImageSettings c = new ImageSettings();
        c.env.putAll(env);
        c.cmd = cmd;
        c.entrypoint = entrypoint;
        c.workingDir = workingDir;
        c.user = user;
        c.shell = shell;
        c.exposedPorts.addAll(exposedPorts);
        c.volumes.addAll(volumes);
        c.labels.putAll(labels);
        c.stopSignal = stopSignal;
        c.healthcheck = healthcheck == null ? null : healthcheck.deepCopy();
        c.onBuild = onBuild;
        return c;
    }

    /** A base image's settings, from what the store kept of its config. */
    public static ImageSettings from(ImageConfig c) {
        ImageSettings s = new ImageSettings();
        for (String e : c.env()) {
            int eq = e.indexOf('=');
            s.env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        s.cmd = c.cmd();
        s.entrypoint = c.entrypoint();
        s.workingDir = c.workingDir() == null ? "" : c.workingDir();
        s.user = c.user() == null ? "" : c.user();
        s.exposedPorts.addAll(c.exposedPorts());
        s.labels.putAll(c.labels());
        ImageHealthcheck h = c.healthcheck();
        if (h != null) {
            ObjectNode hc = JSON.createObjectNode();
            strings(hc.putArray("Test"), h.test());
            hc.put("Interval", h.intervalNanos());
            hc.put("Timeout", h.timeoutNanos());
            hc.put("StartPeriod", h.startPeriodNanos());
            hc.put("Retries", h.retries());
            s.healthcheck = hc;
        }
        return s;
    }

    /** Settings from an OCI {@code config} object (Docker's field names). */
    public static ImageSettings fromOci(com.fasterxml.jackson.databind.JsonNode c) {
        ImageSettings s = new ImageSettings();
        c.path("Env").forEach(e -> {
            String t = e.asText();
            int eq = t.indexOf('=');
            s.env.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
        });
        s.cmd = texts(c.path("Cmd"));
        s.entrypoint = texts(c.path("Entrypoint"));
        s.workingDir = c.path("WorkingDir").asText("");
        s.user = c.path("User").asText("");
        List<String> sh = texts(c.path("Shell"));
        s.shell = sh.isEmpty() ? DEFAULT_SHELL : sh;
        c.path("ExposedPorts").fieldNames().forEachRemaining(s.exposedPorts::add);
        c.path("Volumes").fieldNames().forEachRemaining(s.volumes::add);
        c.path("Labels").fields().forEachRemaining(f -> s.labels.put(f.getKey(), f.getValue().asText()));
        s.stopSignal = c.path("StopSignal").asText("");
        if (c.path("Healthcheck").isObject()) s.healthcheck = ((ObjectNode) c.get("Healthcheck")).deepCopy();
        s.onBuild = texts(c.path("OnBuild"));
        return s;
    }

    private static List<String> texts(com.fasterxml.jackson.databind.JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    public void apply(BuildStep.Change change) {
        if (change instanceof BuildStep.Change.Snapshot snap) {
            ImageSettings from = fromOci(snap.config());
            env.clear();
            env.putAll(from.env);
            cmd = from.cmd;
            entrypoint = from.entrypoint;
            workingDir = from.workingDir;
            user = from.user;
            shell = from.shell;
            exposedPorts.clear();
            exposedPorts.addAll(from.exposedPorts);
            volumes.clear();
            volumes.addAll(from.volumes);
            labels.clear();
            labels.putAll(from.labels);
            stopSignal = from.stopSignal;
            healthcheck = from.healthcheck;
            onBuild = from.onBuild;
        } else if (change instanceof BuildStep.Change.Env e) {
            env.putAll(e.vars());
        } else if (change instanceof BuildStep.Change.User u) {
            user = u.user();
        } else if (change instanceof BuildStep.Change.Shell sh) {
            shell = List.copyOf(sh.shell());
        } else if (change instanceof BuildStep.Change.Cmd c) {
            cmd = List.copyOf(c.cmd());
        } else if (change instanceof BuildStep.Change.Entrypoint e) {
            entrypoint = List.copyOf(e.entrypoint());
            cmd = List.of(); // as docker: a new ENTRYPOINT resets a CMD inherited from the base
        } else if (change instanceof BuildStep.Change.Expose x) {
            x.ports().forEach(p -> exposedPorts.add(p.contains("/") ? p : p + "/tcp"));
        } else if (change instanceof BuildStep.Change.Labels l) {
            labels.putAll(l.labels());
        } else if (change instanceof BuildStep.Change.Volumes v) {
            volumes.addAll(v.paths());
        } else if (change instanceof BuildStep.Change.StopSignal st) {
            stopSignal = st.signal();
        } else if (change instanceof BuildStep.Change.Healthcheck h) {
            healthcheck = h.healthcheck().deepCopy();
        }
    }

    public void workingDir(String dir) {
        workingDir = dir;
    }

    /** The environment a RUN gets: the stage's ENV, then the build args in scope (ENV wins, as docker). */
    public List<String> runEnv(List<String> buildArgs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            out.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
        out.putAll(env);
        List<String> list = new ArrayList<>();
        out.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }

    public String user() {
        return user;
    }

    public String workingDir() {
        return workingDir;
    }

    public List<String> shell() {
        return shell;
    }

    /** The OCI image config's {@code config} object. */
    public ObjectNode toOci() {
        ObjectNode c = JSON.createObjectNode();
        if (!user.isEmpty()) c.put("User", user);
        if (!exposedPorts.isEmpty()) {
            ObjectNode ports = c.putObject("ExposedPorts");
            exposedPorts.forEach(p -> ports.putObject(p));
        }
        ArrayNode envs = c.putArray("Env");
        env.forEach((k, v) -> envs.add(k + "=" + v));
        if (!entrypoint.isEmpty()) strings(c.putArray("Entrypoint"), entrypoint);
        if (!cmd.isEmpty()) strings(c.putArray("Cmd"), cmd);
        if (!volumes.isEmpty()) {
            ObjectNode v = c.putObject("Volumes");
            volumes.forEach(p -> v.putObject(p));
        }
        if (!workingDir.isEmpty()) c.put("WorkingDir", workingDir);
        if (!labels.isEmpty()) {
            ObjectNode l = c.putObject("Labels");
            labels.forEach(l::put);
        }
        if (!stopSignal.isEmpty()) c.put("StopSignal", stopSignal);
        if (healthcheck != null) c.set("Healthcheck", healthcheck);
        if (!shell.equals(DEFAULT_SHELL)) strings(c.putArray("Shell"), shell);
        if (!onBuild.isEmpty()) strings(c.putArray("OnBuild"), onBuild);
        return c;
    }

    /** The store's view of this config (what VMs read), parsed from the OCI form as a pulled image's is. */
    public ImageConfig toImageConfig() {
        ObjectNode blob = JSON.createObjectNode();
        blob.put("os", "linux");
        blob.put("architecture", "amd64");
        blob.set("config", toOci());
        return ImageConfig.parse(blob);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
