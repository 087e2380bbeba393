package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What REST shows of an object: everything but secrets. Env values (any {@code env} list, so
 * a Stack's VMs too) become {@value #REDACTED}; credentials in a URL's user-info are dropped.
 * gRPC callers on the socket are root-equivalent and get objects as stored.
 */
final class Redaction {
    static final String REDACTED = "<redacted>";

    private Redaction() {
    }

    /** A redacted copy; the argument is not changed. */
    static ObjectNode redact(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        walk(copy);
        return copy;
    }

    private static void walk(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            o.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> f : fields) {
                JsonNode v = f.getValue();
                if (f.getKey().equals("env") && v.isArray()) {
                    v.forEach(Redaction::redactEnvVar);
                } else if (f.getKey().equals("url") && v.isTextual()) {
                    o.put("url", withoutUserInfo(v.asText()));
                } else {
                    walk(v);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(Redaction::walk);
        }
    }

    private static void redactEnvVar(JsonNode var) {
        if (var instanceof ObjectNode o && o.has("value")) {
            o.put("value", REDACTED);
        }
    }

    /** {@code https://user:pass@host/x} → {@code https://<redacted>@host/x}; anything else unchanged. */
    static String withoutUserInfo(String url) {
        try {
            URI u = new URI(url);
            if (u.getRawUserInfo() == null) {
                return url;
            }
            return url.replace(u.getRawUserInfo() + "@", REDACTED + "@");
        } catch (java.net.URISyntaxException e) {
            int at = url.indexOf('@');
            int scheme = url.indexOf("://");
            return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + REDACTED + url.substring(at) : url;
        }
    }
}
