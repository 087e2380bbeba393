package dev.hypr.controller.net.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;

/**
 * One entry of {@code spec.ports} with its host port resolved: as written, or (when the spec
 * omits hostPort) the ephemeral one hyprd picked. Recorded in the VM's {@code status.ports}.
 */
public record AssignedPort(String hostIP, int hostPort, int guestPort, String protocol, boolean ephemeral) {

    /** Same spec entry: an ephemeral assignment is kept for the entry it was picked for. */
    boolean sameEntry(String ip, int guest, String proto) {
        return hostIP.equals(ip) && guestPort == guest && protocol.equalsIgnoreCase(proto);
    }

    ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("hostIP", hostIP)
                .put("hostPort", hostPort)
                .put("guestPort", guestPort)
                .put("protocol", protocol);
        if (ephemeral) {
            n.put("ephemeral", true);
        }
        return n;
    }

    /** Null when the recorded entry is not one this hyprd wrote (hand-edited status). */
    static AssignedPort fromJson(JsonNode n) {
        if (!n.path("hostPort").canConvertToInt() || !n.path("guestPort").canConvertToInt() || !n.path("hostIP").isTextual()) {
            return null;
        }
        return new AssignedPort(n.get("hostIP").asText(), n.get("hostPort").asInt(), n.get("guestPort").asInt(),
                n.path("protocol").asText("TCP"), n.path("ephemeral").asBoolean(false));
    }
}
