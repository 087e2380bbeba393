package dev.hypr.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading fields of an object tree by dotted path, with kubectl's placeholders for absent values. */
public final class Fields {
    public static final String NONE = "<none>";

    private Fields() {
    }

    public static JsonNode at(JsonNode obj, String dottedPath) {
        JsonNode n = obj;
        for (String part : dottedPath.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    /** The first present, non-empty scalar among the paths, as text; null when none is. */
    public static String text(JsonNode obj, String... dottedPaths) {
        for (String p : dottedPaths) {
            JsonNode n = at(obj, p);
            if (!n.isMissingNode() && !n.isNull() && !(n.isTextual() && n.asText().isEmpty())) {
                return n.isValueNode() ? n.asText() : n.toString();
            }
        }
        return null;
    }

    public static String textOr(JsonNode obj, String fallback, String... dottedPaths) {
        String t = text(obj, dottedPaths);
        return t == null ? fallback : t;
    }

    public static String name(JsonNode obj) {
        return obj.path("metadata").path("name").asText("");
    }

    /** The status of the {@code Ready} condition; {@code Terminating} once deletion started. */
    public static String ready(JsonNode obj) {
        if (text(obj, "metadata.deletionTimestamp") != null) {
            return "Terminating";
        }
        for (JsonNode c : obj.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return c.path("status").asText("Unknown");
            }
        }
        return "Unknown";
    }

    /**
     * A VM's READY: {@code 1/1} or {@code 0/1} as kubectl shows a pod's, with its health
     * check's state when it keeps the VM from being ready: {@code 0/1 (unhealthy)},
     * {@code 0/1 (health: starting)}.
     */
    public static String vmReady(JsonNode obj) {
        String ready = ready(obj);
        if (ready.equals("Terminating")) {
            return ready;
        }
        String shown = ready.equals("True") ? "1/1" : "0/1";
        String health = obj.path("status").path("health").path("status").asText("");
        if (!ready.equals("True") && health.equals("unhealthy")) {
            return shown + " (unhealthy)";
        }
        if (!ready.equals("True") && health.equals("starting")) {
            return shown + " (health: starting)";
        }
        return shown;
    }

    /**
     * {@code status.phase}, {@code Terminating} once deletion started, {@code Pending} while the
     * scheduler has not (re)bound it (a moved VM's status still says how it ran on its lost node).
     */
    public static String phase(JsonNode obj) {
        if (text(obj, "metadata.deletionTimestamp") != null) {
            return "Terminating";
        }
        for (JsonNode c : obj.path("status").path("conditions")) {
            if ("Scheduled".equals(c.path("type").asText()) && "False".equals(c.path("status").asText())) {
                return "Pending";
            }
        }
        return textOr(obj, "Pending", "status.phase");
    }
}
