package dev.hypr.controller.net.forward;

import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;

/** The events the forward reconciler records on a VM, one method per reason so wording stays in one place. */
public final class ForwardEvents {
    public static final String RESTORED = "ForwardRestored";
    public static final String FAILED = "ForwardFailed";
    private static final String KIND = Kind.VM.kindName();

    private final EventRecorder recorder;

    public ForwardEvents(EventRecorder recorder) {
        this.recorder = recorder;
    }

    void restored(String vm, String forward) {
        recorder.warning(KIND, vm, RESTORED, "re-exposed " + forward + " after it was removed out-of-band");
    }

    void portConflict(String vm, String message) {
        // repeats (every retry) fold into one event with a count
        recorder.warning(KIND, vm, ForwardReconciler.PORT_CONFLICT, message);
    }

    void failed(String vm, String message) {
        recorder.warning(KIND, vm, FAILED, message);
    }
}
