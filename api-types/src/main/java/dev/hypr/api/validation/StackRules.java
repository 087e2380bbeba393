package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Each service is checked like a VM; references between services and stack networks must resolve. */
final class StackRules implements ObjectRule {
    @Override
    public void check(Manifest m, List<ManifestError> errors) {
        Set<String> services = names(m.object().at("/spec/services"));
        Set<String> networks = names(m.object().at("/spec/networks"));
        JsonNode list = m.object().at("/spec/services");
        for (int i = 0; i < list.size(); i++) {
            String service = JsonPointers.child("/spec/services", i);
            FieldChecks.exactlyOne(m, service, "image", "rootfs", errors);
            FieldChecks.uniqueHostPorts(m, service + "/ports", errors);
            FieldChecks.volumeMounts(m, service + "/volumes", errors);
            FieldChecks.healthcheck(m, service + "/healthcheck", errors);
            FieldChecks.workloadText(m, service, errors);
            FieldChecks.stopSettings(m, service, errors);
            String self = list.get(i).path("name").asText();
            references(m, service + "/dependsOn", services, "service", errors);
            references(m, service + "/networks", networks, "stack network", errors);
            dependencies(m, service, errors);
            for (String files : List.of("/secrets", "/configs")) {
                JsonNode items = m.object().at(service + files);
                for (int f = 0; f < items.size(); f++) {
                    String mountPath = JsonPointers.child(service + files, f) + "/mountPath";
                    if (m.object().at(mountPath).isTextual()) {
                        GuestFileRules.pathProblem(m.object().at(mountPath).textValue())
                                .ifPresent(p -> errors.add(m.errorAt(mountPath, p)));
                    }
                    FieldChecks.absolutePath(m, JsonPointers.child(service + files, f) + "/hostPath", errors);
                }
            }
            JsonNode dependsOn = list.get(i).path("dependsOn");
            for (int d = 0; d < dependsOn.size(); d++) {
                if (dependsOn.get(d).asText().equals(self)) {
                    errors.add(m.errorAt(JsonPointers.child(service + "/dependsOn", d), "a service cannot depend on itself"));
                }
            }
        }
        JsonNode stackNetworks = m.object().at("/spec/networks");
        for (int i = 0; i < stackNetworks.size(); i++) {
            FieldChecks.cidr(m, JsonPointers.child("/spec/networks", i) + "/subnet", errors);
        }
    }

    /** Each dependencies entry says how to await a service that dependsOn lists. */
    private static void dependencies(Manifest m, String service, List<ManifestError> errors) {
        Set<String> listed = new HashSet<>();
        m.object().at(service + "/dependsOn").forEach(d -> listed.add(d.asText()));
        JsonNode details = m.object().at(service + "/dependencies");
        for (int d = 0; d < details.size(); d++) {
            String name = details.get(d).path("service").asText();
            if (!listed.contains(name)) {
                errors.add(m.errorAt(JsonPointers.child(service + "/dependencies", d) + "/service",
                        "\"" + name + "\" is not in dependsOn"));
            }
        }
    }

    private static void references(Manifest m, String pointer, Set<String> known, String what, List<ManifestError> errors) {
        JsonNode refs = m.object().at(pointer);
        for (int i = 0; i < refs.size(); i++) {
            if (!known.contains(refs.get(i).asText())) {
                errors.add(m.errorAt(JsonPointers.child(pointer, i), "no " + what + " named \"" + refs.get(i).asText()
                        + "\" in this stack"));
            }
        }
    }

    private static Set<String> names(JsonNode namedItems) {
        Set<String> names = new HashSet<>();
        namedItems.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
