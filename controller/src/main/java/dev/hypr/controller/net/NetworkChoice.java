package dev.hypr.controller.net;

import dev.hypr.api.model.VmSpec;

/** What {@code spec.network} selects: no NIC, QEMU user-mode (rootless), or bridged Network objects (also {@code spec.networks}). */
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

    /** The Network object a bridged VM's first NIC joins (all of them: VmNetwork.of). */
    public static String networkName(VmSpec spec) {
        return dev.hypr.api.model.VmNetwork.of(spec).stream().findFirst().map(dev.hypr.api.model.VmNetwork::name).orElse(DEFAULT_NETWORK);
    }
}
