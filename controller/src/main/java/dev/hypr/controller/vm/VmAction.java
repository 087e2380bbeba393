package dev.hypr.controller.vm;

/** The one step the VM controller takes next; the next reconcile decides the step after. */
public enum VmAction {
    /** Nothing to change. */
    NONE,
    /** Create the runtime directory and boot. */
    START,
    /** The VMM died and the policy restarts it (after back-off, if any). */
    RESTART_AFTER_CRASH,
    /** The spec changed since boot: stop, then boot the new spec. */
    RESTART_FOR_SPEC_CHANGE,
    /** running: false, or the object is being deleted. */
    STOP,
    /** Being deleted and stopped: remove files, then the finalizer. */
    CLEAN_UP
}
