package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.Manifest;
import dev.hypr.controller.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** How store failures look on the wire: the gRPC codes kubectl users would expect. */
final class GrpcErrors {
    private GrpcErrors() {
    }

    static StatusRuntimeException from(StoreException e) {
        Status s = switch (e.reason()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.ABORTED;
            case INVALID -> Status.INVALID_ARGUMENT;
            case BEING_DELETED -> Status.FAILED_PRECONDITION;
            case EXPIRED -> Status.OUT_OF_RANGE;
            case LIMIT_EXCEEDED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
        return s.withDescription(e.getMessage()).asRuntimeException();
    }

    /** The store's error, prefixed with where the object came from: "web.yaml:3:1: VM/web: ...". */
    static StatusRuntimeException about(Manifest m, StoreException e) {
        StatusRuntimeException plain = from(e);
        return plain.getStatus()
                .withDescription(m.position() + ": " + m.ref() + ": " + e.getMessage())
                .asRuntimeException();
    }

    /**
     * A VM without a connected agent, in its own words:
     * "vm/web is not running (phase Failed: StartFailed: ...)".
     */
    static StatusRuntimeException notRunning(JsonNode vm) {
        JsonNode status = vm.path("status");
        String phase = status.path("phase").asText("Pending");
        StringBuilder why = new StringBuilder("phase ").append(phase);
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asText()) && !"True".equals(c.path("status").asText())) {
                String reason = c.path("reason").asText("");
                String message = c.path("message").asText("");
                if (!reason.isEmpty()) {
                    why.append(": ").append(reason);
                }
                if (!message.isEmpty()) {
                    why.append(": ").append(message);
                }
            }
        }
        String name = vm.path("metadata").path("name").asText();
        // Running with no agent: between a VMM restart and the agent's reconnect
        String what = "Running".equals(phase) ? " has no connected guest agent yet (" : " is not running (";
        return Status.FAILED_PRECONDITION.withDescription("vm/" + name + what + why + ")").asRuntimeException();
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
