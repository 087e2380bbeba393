package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A secret or config file placed in a Stack service's guest; a secret's value is never in the
 * object. uid, gid and mode (an octal string) are compose's long form; null means the default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackFile(String name, String mountPath, String hostPath, String environment, String content, Integer uid,
                        Integer gid, String mode) {
    public StackFile(String name, String mountPath, String hostPath, String environment, String content) {
        this(name, mountPath, hostPath, environment, content, null, null, null);
    }
}
