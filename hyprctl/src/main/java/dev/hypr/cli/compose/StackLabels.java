package dev.hypr.cli.compose;

/**
 * The labels and annotations {@code hyprctl compose} and the Stack controller share (docs/compose.md
 * "How a Stack runs" and "Restarting and recreating services").
 */
public final class StackLabels {
    /** On every object the Stack controller makes: the Stack's name. */
    public static final String STACK = "hypr.dev/stack";
    /** On a stack's VMs: the service (object-safe name). */
    public static final String SERVICE = "hypr.dev/service";
    /** On a stack's named Volumes: {@code named}; {@code down -v} deletes those. */
    public static final String VOLUME_KIND = "hypr.dev/volume-kind";
    /**
     * Stack annotation {@code restart.hypr.dev/<service>: <RFC 3339 time>}: when its value changes,
     * the controller recreates that service's VMs ({@code restart}, {@code up --force-recreate}).
     */
    public static final String RESTART_PREFIX = "restart.hypr.dev/";

    private StackLabels() {
    }

    public static String stackSelector(String stack) {
        return STACK + "=" + stack;
    }

    public static String namedVolumesSelector(String stack) {
        return STACK + "=" + stack + "," + VOLUME_KIND + "=named";
    }
}
