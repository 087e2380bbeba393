package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A non-secret file Kestrel writes into the guest before the workload starts (crds/vm.yaml,
 * spec.files; compose configs): its content inline or read by hyprd from hostPath at each boot.
 * Owned by uid:gid (default the workload's user), mode an octal string (default "0444").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestFile(String path, String content, String hostPath, Integer uid, Integer gid, String mode) {
    /** Inline content beyond this is refused at apply: the object is not a file store (use hostPath). */
    public static final int MAX_INLINE_BYTES = 64 * 1024;
    /** Readable by everyone, as compose's configs. */
    public static final String DEFAULT_MODE = "0444";
}
