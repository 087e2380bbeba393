package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.net.Ipv4Address;
import dev.hypr.api.net.Ipv4Cidr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks shared by several kinds' rules; each reports at the offending node. */
final class FieldChecks {
    private FieldChecks() {
    }

    /** Exactly one of two alternative fields of the object at {@code pointer} must be set. */
    static void exactlyOne(Manifest m, String pointer, String first, String second, List<ManifestError> errors) {
        JsonNode object = m.object().at(pointer);
        boolean hasFirst = object.hasNonNull(first);
        boolean hasSecond = object.hasNonNull(second);
        if (hasFirst && hasSecond) {
            errors.add(m.errorAtKey(JsonPointers.child(pointer, second),
                    "set either " + first + " or " + second + ", not both"));
        } else if (!hasFirst && !hasSecond) {
            errors.add(m.errorAt(pointer, "one of " + first + " or " + second + " is required"));
        }
    }

    static Optional<Ipv4Cidr> cidr(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            Ipv4Cidr cidr = Ipv4Cidr.parse(value.textValue());
            if (cidr.prefixLength() > 30) {
                errors.add(m.errorAt(pointer, "prefix /" + cidr.prefixLength() + " leaves no room for a gateway and VMs (use /30 or shorter)"));
            }
            return Optional.of(cidr);
        } catch (IllegalArgumentException e) {
            errors.add(m.errorAt(pointer, e.getMessage()));
            return Optional.empty();
        }
    }

    static Optional<Ipv4Address> ipv4(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Ipv4Address.parse(value.textValue()));
        } catch (IllegalArgumentException e) {
            errors.add(m.errorAt(pointer, e.getMessage()));
            return Optional.empty();
        }
    }

    /** Two published ports cannot bind the same host address, port and protocol. */
    static void uniqueHostPorts(Manifest m, String portsPointer, List<ManifestError> errors) {
        Map<String, Integer> seen = new HashMap<>();
        JsonNode ports = m.object().at(portsPointer);
        for (int i = 0; i < ports.size(); i++) {
            String port = JsonPointers.child(portsPointer, i);
            ipv4(m, port + "/hostIP", errors);
            JsonNode p = ports.get(i);
            if (!p.has("hostPort")) {
                continue;
            }
            String binding = p.path("hostIP").asText("0.0.0.0") + ":" + p.get("hostPort").asInt() + "/" + p.path("protocol").asText("TCP");
            Integer first = seen.putIfAbsent(binding, i);
            if (first != null) {
                errors.add(m.errorAt(port + "/hostPort", "host port " + binding + " is already used by "
                        + JsonPointers.toFieldPath(JsonPointers.child(portsPointer, first))));
            }
        }
    }

    /** Each volume mount names a Volume or a host path, and mounts at an absolute path. */
    static void volumeMounts(Manifest m, String volumesPointer, List<ManifestError> errors) {
        JsonNode volumes = m.object().at(volumesPointer);
        for (int i = 0; i < volumes.size(); i++) {
            String volume = JsonPointers.child(volumesPointer, i);
            exactlyOne(m, volume, "volumeRef", "hostPath", errors);
            absolutePath(m, volume + "/mountPath", errors);
            absolutePath(m, volume + "/hostPath", errors);
        }
    }

    static void absolutePath(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (value.isTextual() && !value.textValue().startsWith("/")) {
            errors.add(m.errorAt(pointer, "must be an absolute path"));
        }
    }

    /** A healthcheck says how to probe in exactly one way. */
    static void healthcheck(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode check = m.object().at(pointer);
        if (check.isMissingNode()) {
            return;
        }
        long probes = List.of("exec", "httpGet", "tcpSocket").stream().filter(check::has).count();
        if (probes != 1) {
            errors.add(m.errorAt(pointer, "set exactly one of exec, httpGet or tcpSocket"));
        }
    }
}
