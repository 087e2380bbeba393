package dev.hypr.controller.stack;

import dev.hypr.api.model.StackVolume;

/** Names, labels and annotations of the objects a Stack makes (docs/compose.md "How a Stack runs"). */
public final class StackLabels {
    /** On every object the stack makes: the stack's name. */
    public static final String STACK = "hypr.dev/stack";
    /** On a stack's VMs: the service. */
    public static final String SERVICE = "hypr.dev/service";
    /** On a stack's named volumes: "named" (what {@code down -v} deletes). */
    public static final String VOLUME_KIND = "hypr.dev/volume-kind";
    /** On a stack's VMs: the hash of the spec they were made from. */
    public static final String SPEC_HASH = "hypr.dev/spec-hash";
    /** On a stack's VMs: comma-separated DNS names (service name and aliases) the network's DNS answers with them. */
    public static final String DNS_NAMES = dev.hypr.controller.net.dns.DnsNames.ANNOTATION;
    /**
     * Stack annotation prefix: {@code restart.hypr.dev/<service>: <RFC 3339 time>}, set by
     * {@code hyprctl compose restart} and {@code up --force-recreate}; a new value recreates the
     * service's VMs. The value a VM was made under is copied onto it under the same key.
     */
    public static final String RESTART_PREFIX = "restart.hypr.dev/";
    /** The stack network a service without networks joins. */
    public static final String DEFAULT_NETWORK = "default";

    private StackLabels() {
    }

    /** Per service, the value of the Stack's {@code restart.hypr.dev/<service>} annotation. */
    public static java.util.Map<String, String> restarts(com.fasterxml.jackson.databind.JsonNode stack) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        stack.path("metadata").path("annotations").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith(RESTART_PREFIX) && e.getValue().isTextual() && !e.getValue().asText().isEmpty()) {
                out.put(e.getKey().substring(RESTART_PREFIX.length()), e.getValue().asText());
            }
        });
        return out;
    }

    public static String vmName(String stack, String service, int index) {
        return stack + "-" + service + "-" + index;
    }

    public static String networkObject(String stack, String network) {
        return stack + "-" + network;
    }

    /** The Volume object behind a stack volume that is not scratch. */
    public static String volumeObject(String stack, StackVolume v) {
        if (v.volumeName() != null && !v.volumeName().isBlank()) {
            return v.volumeName();
        }
        return Boolean.TRUE.equals(v.external()) ? v.name() : stack + "-" + v.name();
    }

    /** A scratch volume is one Volume per VM. */
    public static String scratchObject(String vm, String volume) {
        return vm + "-" + volume;
    }

    /** The replica index of a VM named by {@link #vmName}, or -1. */
    public static int replicaIndex(String stack, String service, String vm) {
        String prefix = stack + "-" + service + "-";
        if (!vm.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(vm.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
