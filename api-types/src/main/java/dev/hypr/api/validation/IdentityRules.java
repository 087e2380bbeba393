package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Labels;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.List;

/** Name, label and annotation rules shared by every kind (Kubernetes' metadata validation). */
final class IdentityRules implements ObjectRule {
    @Override
    public void check(Manifest m, List<ManifestError> errors) {
        JsonNode name = m.object().at("/metadata/name");
        if (name.isTextual()) {
            Labels.nameProblem(name.textValue()).ifPresent(p -> errors.add(m.errorAt("/metadata/name", p)));
        }
        m.object().at("/metadata/labels").fields().forEachRemaining(label -> {
            String pointer = JsonPointers.child("/metadata/labels", label.getKey());
            Labels.keyProblem(label.getKey()).ifPresent(p -> errors.add(m.errorAtKey(pointer, p)));
            if (label.getValue().isTextual()) {
                Labels.valueProblem(label.getValue().textValue()).ifPresent(p -> errors.add(m.errorAt(pointer, p)));
            }
        });
        m.object().at("/metadata/annotations").fieldNames().forEachRemaining(key -> Labels.keyProblem(key)
                .ifPresent(p -> errors.add(m.errorAtKey(JsonPointers.child("/metadata/annotations", key), p))));
    }
}
