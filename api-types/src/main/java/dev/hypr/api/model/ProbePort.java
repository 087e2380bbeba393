package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A probe's guest port: a number, or the name of one of {@code spec.ports} (Kubernetes'
 * named port), resolved to that entry's guestPort.
 */
public record ProbePort(Integer number, String name) {
    public static ProbePort of(int number) {
        return new ProbePort(number, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ProbePort fromJson(JsonNode value) {
        return value.isTextual() ? new ProbePort(null, value.textValue()) : new ProbePort(value.asInt(), null);
    }

    @JsonValue
    Object json() {
        return number != null ? number : name;
    }

    /** The guest port, or empty when the name is not one of {@code ports}. */
    public Optional<Integer> resolve(List<PortMapping> ports) {
        if (number != null) {
            return Optional.of(number);
        }
        return (ports == null ? List.<PortMapping>of() : ports).stream()
                .filter(p -> name.equals(p.name())).map(PortMapping::guestPort).findFirst();
    }

    @Override
    public String toString() {
        return String.valueOf(json());
    }
}
