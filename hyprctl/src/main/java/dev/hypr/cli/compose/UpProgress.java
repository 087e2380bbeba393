package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.cli.output.Fields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code compose up} shows while it waits: one line per network, volume and service of the
 * Stack, read from the Stack's status (docs/api.md "Stack status") and its Network and Volume objects;
 * and whether the wait is over. Pure: the caller reads the objects.
 */
public final class UpProgress {
    /** One line: {@code kind} is network, volume or service. */
    public record Item(String kind, String name, String state) {
    }

    /** {@code done} once every service runs (or completed); {@code failed}: "service: why" for each failed one. */
    public record Outcome(boolean done, List<String> failed) {
    }

    private UpProgress() {
    }

    /** {@code objects}: the Network and Volume objects there are, keyed {@code Kind/name}. */
    public static List<Item> items(JsonNode stack, Map<String, JsonNode> objects) {
        List<Item> items = new ArrayList<>();
        String name = Fields.name(stack);
        for (String[] ref : networks(stack)) {
            items.add(new Item("network", ref[0], objectState(objects.get("Network/" + ref[1]))));
        }
        for (JsonNode v : stack.path("spec").path("volumes")) {
            if (v.path("scratch").asBoolean(false)) {
                continue;
            }
            String object = v.path("volumeName").asText(name + "-" + v.path("name").asText());
            String state = v.path("external").asBoolean(false) ? "external" : objectState(objects.get("Volume/" + object));
            items.add(new Item("volume", v.path("name").asText(), state));
        }
        boolean current = current(stack);
        for (JsonNode s : stack.path("spec").path("services")) {
            String service = s.path("name").asText();
            items.add(new Item("service", service, current ? serviceState(status(stack, service)) : "creating"));
        }
        return items;
    }

    /** The Network objects to show: {name, object}, from status.networks, else the spec (default: {@code <stack>-default}). */
    public static List<String[]> networks(JsonNode stack) {
        List<String[]> out = new ArrayList<>();
        String name = Fields.name(stack);
        for (JsonNode n : stack.path("status").path("networks")) {
            out.add(new String[] {n.path("name").asText(), n.path("object").asText()});
        }
        if (!out.isEmpty()) {
            return out;
        }
        Set<String> used = new LinkedHashSet<>();
        for (JsonNode s : stack.path("spec").path("services")) {
            if (s.path("networks").isEmpty()) {
                used.add("default");
            }
            s.path("networks").forEach(n -> used.add(n.asText()));
        }
        used.forEach(n -> out.add(new String[] {n, name + "-" + n}));
        return out;
    }

    public static Outcome outcome(JsonNode stack) {
        if (!current(stack)) {
            return new Outcome(false, List.of());
        }
        List<String> failed = new ArrayList<>();
        boolean done = true;
        for (JsonNode s : stack.path("spec").path("services")) {
            String service = s.path("name").asText();
            JsonNode st = status(stack, service);
            String phase = st.path("phase").asText("");
            switch (phase) {
                case "Failed" -> failed.add(service + ": " + st.path("lastError").asText("failed"));
                case "Running", "Completed", "Stopped" -> { }
                default -> done = false;
            }
        }
        return new Outcome(done && failed.isEmpty(), failed);
    }

    /** The status describes the spec as it is now. */
    static boolean current(JsonNode stack) {
        JsonNode status = stack.path("status");
        if (!status.has("observedGeneration")) {
            return false;
        }
        return status.path("observedGeneration").asLong() >= stack.path("metadata").path("generation").asLong(0);
    }

    static JsonNode status(JsonNode stack, String service) {
        for (JsonNode s : stack.path("status").path("services")) {
            if (service.equals(s.path("name").asText())) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static String serviceState(JsonNode s) {
        String phase = s.path("phase").asText("");
        String replicas = s.has("replicas") ? " " + s.path("ready").asInt(0) + "/" + s.path("replicas").asInt() : "";
        return switch (phase) {
            case "" -> "creating";
            case "Waiting" -> "waiting for " + s.path("waitingFor").asText("dependencies");
            case "Starting" -> "Starting".equals(s.path("health").asText()) ? "waiting for healthy" + replicas
                    : "starting" + replicas;
            case "Running" -> "Healthy".equals(s.path("health").asText()) ? "running (healthy)" + replicas : "running" + replicas;
            case "Completed" -> "exited (0)";
            case "Stopped" -> "stopped (0 replicas)";
            case "Failed" -> "failed: " + s.path("lastError").asText("");
            default -> phase.toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String objectState(JsonNode object) {
        if (object == null) {
            return "creating";
        }
        return switch (Fields.ready(object)) {
            case "True" -> "created";
            case "Terminating" -> "removing";
            default -> "creating";
        };
    }
}
