package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.List;
import java.util.Set;

/**
 * {@code healthcheck:} → an exec probe run by the guest agent. {@code CMD} runs the words,
 * {@code CMD-SHELL} (and a plain string) runs {@code /bin/sh -c}, {@code NONE}/{@code disable}
 * mean none. Timings default to compose's (30 s interval and timeout, 3 retries).
 */
final class HealthcheckSpecs {
    static final Set<String> KEYS = Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable");
    static final int COMPOSE_INTERVAL_SECONDS = 30;
    static final int COMPOSE_TIMEOUT_SECONDS = 30;
    static final int COMPOSE_RETRIES = 3;

    private HealthcheckSpecs() {
    }

    static boolean enabled(YNode node) {
        if (!(node instanceof YMap m)) {
            return false;
        }
        if (m.get("disable") instanceof YScalar d && Boolean.TRUE.equals(d.value())) {
            return false;
        }
        YNode test = m.get("test");
        if (test instanceof YList l && !l.items().isEmpty() && l.items().get(0) instanceof YScalar first) {
            return !first.text().equals("NONE");
        }
        return test instanceof YScalar s && !s.text().isEmpty();
    }

    static ObjectNode translate(YNode node, String path, Problems problems) {
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return null;
        }
        if (!(node instanceof YMap m)) {
            problems.error(node.position(), path, "healthcheck is a mapping");
            return null;
        }
        KeyCheck.only(m, path, KEYS, problems);
        YNode written = m.get("test");
        boolean wellFormed = written == null || written instanceof YScalar ws && !ws.isNull()
                || written instanceof YList wl && !wl.items().isEmpty() && wl.items().stream().allMatch(YScalar.class::isInstance);
        if (!wellFormed) {
            problems.error(written.position(), path + ".test", "test is a command string or a list starting with CMD, CMD-SHELL or NONE");
            return null;
        }
        if (!enabled(m)) {
            if (m.get("test") == null && !(m.get("disable") instanceof YScalar)) {
                problems.error(m.position(), path, "healthcheck needs test: (images' own HEALTHCHECK is not read)");
            }
            return null;
        }
        ArrayNode command = JsonNodeFactory.instance.arrayNode();
        YNode test = m.get("test");
        if (test instanceof YScalar s) {
            command.add("/bin/sh").add("-c").add(s.text());
        } else {
            List<YNode> words = ((YList) test).items();
            String form = ((YScalar) words.get(0)).text();
            List<String> rest = words.subList(1, words.size()).stream().map(w -> w instanceof YScalar ws ? ws.text() : "").toList();
            switch (form) {
                case "CMD" -> rest.forEach(command::add);
                case "CMD-SHELL" -> command.add("/bin/sh").add("-c").add(String.join(" ", rest));
                default -> {
                    problems.error(words.get(0).position(), path + ".test[0]", "test starts with CMD, CMD-SHELL or NONE");
                    return null;
                }
            }
            if (rest.isEmpty()) {
                problems.error(test.position(), path + ".test", "test names no command");
                return null;
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("exec").set("command", command);
        out.put("periodSeconds", seconds(m, "interval", path, problems, COMPOSE_INTERVAL_SECONDS, 1));
        out.put("timeoutSeconds", seconds(m, "timeout", path, problems, COMPOSE_TIMEOUT_SECONDS, 1));
        int retries = COMPOSE_RETRIES;
        if (m.get("retries") instanceof YScalar r) {
            try {
                retries = Math.max(1, Integer.parseInt(r.text()));
            } catch (NumberFormatException e) {
                problems.error(r.position(), path + ".retries", "retries is a whole number");
            }
        }
        out.put("failureThreshold", retries);
        out.put("startPeriodSeconds", seconds(m, "start_period", path, problems, 0, 0));
        if (m.get("start_interval") != null) {
            out.put("startIntervalSeconds", seconds(m, "start_interval", path, problems, COMPOSE_INTERVAL_SECONDS, 1));
        }
        return out;
    }

    private static int seconds(YMap m, String key, String path, Problems problems, int otherwise, int min) {
        if (!(m.get(key) instanceof YScalar s) || s.isNull()) {
            return otherwise;
        }
        try {
            return Durations.seconds(Durations.parse(s.text()), min);
        } catch (IllegalArgumentException e) {
            problems.error(s.position(), path + "." + key, e.getMessage());
            return otherwise;
        }
    }
}
