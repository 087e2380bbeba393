package dev.hypr.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code hyprctl describe}: metadata, spec, status and a conditions table, for people. */
public final class Describer {
    private static final int LABEL_WIDTH = 20;

    private Describer() {
    }

    public static void describe(JsonNode obj, PrintWriter out, Instant now) {
        JsonNode meta = obj.path("metadata");
        field(out, "Name", Fields.name(obj));
        field(out, "Kind", obj.path("kind").asText(""));
        field(out, "API Version", obj.path("apiVersion").asText(""));
        pairs(out, "Labels", meta.path("labels"));
        pairs(out, "Annotations", meta.path("annotations"));
        field(out, "UID", Fields.textOr(obj, Fields.NONE, "metadata.uid"));
        field(out, "Generation", Fields.textOr(obj, Fields.NONE, "metadata.generation"));
        field(out, "Resource Version", Fields.textOr(obj, Fields.NONE, "metadata.resourceVersion"));
        String created = Fields.text(obj, "metadata.creationTimestamp");
        field(out, "Created", created == null ? Fields.NONE : created + " (" + Age.since(created, now) + " ago)");
        String deleting = Fields.text(obj, "metadata.deletionTimestamp");
        if (deleting != null) {
            field(out, "Deletion Requested", deleting + " (" + Age.since(deleting, now) + " ago)");
        }
        List<String> finalizers = new ArrayList<>();
        meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
        if (!finalizers.isEmpty()) {
            field(out, "Finalizers", String.join(", ", finalizers));
        }
        List<String> owners = new ArrayList<>();
        meta.path("ownerReferences").forEach(r -> owners.add(r.path("kind").asText("?") + "/"
                + r.path("name").asText("?")));
        if (!owners.isEmpty()) {
            field(out, "Controlled By", String.join(", ", owners));
        }
        field(out, "Phase", Fields.phase(obj));
        block(out, "Spec", obj.path("spec"));
        JsonNode status = obj.path("status");
        JsonNode rest = status;
        if (status.isObject() && (status.has("conditions") || status.has("health") || status.has("services")
                || status.has("networks") && obj.path("kind").asText().equals("VM"))) {
            rest = ((ObjectNode) status.deepCopy()).without(List.of("conditions", "health", "services"));
            if (obj.path("kind").asText().equals("VM")) {
                ((ObjectNode) rest).remove("networks");
            }
        }
        block(out, "Status", rest);
        if (obj.path("kind").asText().equals("VM")) {
            nics(out, status.path("networks"));
        }
        services(out, status.path("services"));
        conditions(out, status.path("conditions"), now);
        health(out, status.path("health"), now);
        out.flush();
    }

    private static void field(PrintWriter out, String label, String value) {
        String l = label + ":";
        out.println(l + " ".repeat(Math.max(1, LABEL_WIDTH - l.length())) + value);
    }

    private static void pairs(PrintWriter out, String label, JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            field(out, label, Fields.NONE);
            return;
        }
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String v = e.getKey() + "=" + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue());
            if (first) {
                field(out, label, v);
                first = false;
            } else {
                out.println(" ".repeat(LABEL_WIDTH) + v);
            }
        }
    }

    private static void block(PrintWriter out, String label, JsonNode node) {
        if (node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty())) {
            field(out, label, Fields.NONE);
            return;
        }
        out.println(label + ":");
        for (String line : YamlWriter.write(node).split("\n")) {
            out.println("  " + line);
        }
    }

    /** A VM's health check: its state and the last probes (time, exit code, output), as docker inspect shows them. */
    private static void health(PrintWriter out, JsonNode health, Instant now) {
        if (!health.isObject()) {
            return;
        }
        field(out, "Health", health.path("status").asText("unknown") + " (failing streak " + health.path("failingStreak").asInt(0) + ")");
        if (!health.path("log").isArray() || health.path("log").isEmpty()) {
            return;
        }
        TablePrinter t = new TablePrinter(List.of("TIME", "RESULT", "EXIT", "OUTPUT"));
        for (JsonNode p : health.path("log")) {
            String time = Fields.text(p, "time");
            String output = p.path("output").asText("").strip().replaceAll("\\s*\\n\\s*", " | ");
            t.row(List.of(time == null ? "" : time + " (" + Age.since(time, now) + " ago)", Fields.textOr(p, "", "result"),
                    Fields.textOr(p, "", "exitCode"), output.length() > 200 ? output.substring(0, 200) + "…" : output));
        }
        java.io.StringWriter sw = new java.io.StringWriter();
        t.print(new PrintWriter(sw), true);
        for (String line : sw.toString().split("\n")) {
            out.println("  " + line);
        }
    }

    /** A VM's NICs: one row per network it joins, eth0 first. */
    private static void nics(PrintWriter out, JsonNode networks) {
        if (!networks.isArray() || networks.isEmpty()) {
            return;
        }
        TablePrinter t = new TablePrinter(List.of("NETWORK", "INTERFACE", "IP", "MAC"));
        for (JsonNode n : networks) {
            t.row(List.of(Fields.textOr(n, "", "name"), Fields.textOr(n, "", "interface"), Fields.textOr(n, Fields.NONE, "ip"),
                    Fields.textOr(n, "", "mac")));
        }
        table(out, "Networks:", t);
    }

    private static void table(PrintWriter out, String title, TablePrinter t) {
        out.println(title);
        java.io.StringWriter sw = new java.io.StringWriter();
        t.print(new PrintWriter(sw), true);
        for (String line : sw.toString().split("\n")) {
            out.println("  " + line);
        }
    }

    /** A Stack's services: phase, replicas ready, health, published ports, and why one waits or failed. */
    private static void services(PrintWriter out, JsonNode services) {
        if (!services.isArray() || services.isEmpty()) {
            return;
        }
        out.println("Services:");
        TablePrinter t = new TablePrinter(List.of("SERVICE", "PHASE", "READY", "HEALTH", "PORTS", "DETAIL"));
        for (JsonNode s : services) {
            List<String> ports = new ArrayList<>();
            s.path("ports").forEach(p -> ports.add(p.path("hostIP").asText("") + (p.has("hostIP") ? ":" : "")
                    + p.path("hostPort").asText("") + "->" + p.path("guestPort").asText("") + "/" + p.path("protocol").asText("TCP").toLowerCase()));
            String detail = s.hasNonNull("lastError") ? s.get("lastError").asText()
                    : s.hasNonNull("waitingFor") ? "waiting for " + s.get("waitingFor").asText() : "";
            t.row(List.of(Fields.textOr(s, "", "name"), Fields.textOr(s, "", "phase"),
                    s.path("ready").asInt(0) + "/" + s.path("replicas").asInt(0), Fields.textOr(s, "", "health"),
                    ports.isEmpty() ? Fields.NONE : String.join(",", ports), detail));
        }
        java.io.StringWriter sw = new java.io.StringWriter();
        t.print(new PrintWriter(sw), true);
        for (String line : sw.toString().split("\n")) {
            out.println("  " + line);
        }
    }

    private static void conditions(PrintWriter out, JsonNode conditions, Instant now) {
        if (!conditions.isArray() || conditions.isEmpty()) {
            field(out, "Conditions", Fields.NONE);
            return;
        }
        out.println("Conditions:");
        TablePrinter t = new TablePrinter(List.of("TYPE", "STATUS", "REASON", "MESSAGE", "AGE"));
        for (JsonNode c : conditions) {
            String since = Fields.text(c, "lastTransitionTime");
            t.row(List.of(Fields.textOr(c, "", "type"), Fields.textOr(c, "Unknown", "status"),
                    Fields.textOr(c, "", "reason"), Fields.textOr(c, "", "message"),
                    since == null ? "" : Age.since(since, now)));
        }
        java.io.StringWriter sw = new java.io.StringWriter();
        t.print(new PrintWriter(sw), true);
        for (String line : sw.toString().split("\n")) {
            out.println("  " + line);
        }
    }
}
