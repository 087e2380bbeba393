package dev.hypr.controller.net;

import dev.hypr.api.model.VmSpec;

/** What {@code spec.network} selects: no NIC, QEMU user-mode (rootless), or a bridged Network object. */
public enum NetworkChoice {
    NONE, USER, BRIDGE;

    public static final String DEFAULT_NETWORK = "default";

    public static NetworkChoice of(VmSpec spec) {
        String n = spec.network();
        if ("none".equals(n)) {
            return NONE;
        }
        return "user".equals(n) ? USER : BRIDGE;
    }

    /** The Network object a bridged VM joins. */
    public static String networkName(VmSpec spec) {
        return spec.network() == null || spec.network().isBlank() ? DEFAULT_NETWORK : spec.network();
    }
}
