package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A host file delivered to the guest as /run/secrets/NAME (crds/vm.yaml, spec.secrets). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretFileMount(String name, String file) {
}
