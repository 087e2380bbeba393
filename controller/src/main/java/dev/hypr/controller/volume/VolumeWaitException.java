package dev.hypr.controller.volume;

/**
 * A VM cannot boot with its volumes yet: {@link #VOLUME_NOT_READY} (missing, being made or
 * grown, being deleted, claim not recorded yet) or {@link #VOLUME_IN_USE} (another VM holds it
 * read-write). Not a failure: the VM waits, and a change of the Volume wakes it.
 */
public final class VolumeWaitException extends Exception {
    public static final String VOLUME_NOT_READY = "VolumeNotReady";
    public static final String VOLUME_IN_USE = "VolumeInUse";
    private final String reason;

    VolumeWaitException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
