package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A host file delivered to the guest (crds/vm.yaml, spec.secrets): at /run/secrets/NAME unless
 * mountPath says otherwise; owned by uid:gid (default the workload's user), mode an octal string
 * (default "0400").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretFileMount(String name, String file, String mountPath, Integer uid, Integer gid, String mode) {
    public static final String DEFAULT_DIR = "/run/secrets/";

    /** At /run/secrets/NAME, 0400, owned by the workload's user. */
    public SecretFileMount(String name, String file) {
        this(name, file, null, null, null, null);
    }

    /** Where the file appears in the guest. */
    public String guestPath() {
        return mountPath != null ? mountPath : DEFAULT_DIR + name;
    }
}
