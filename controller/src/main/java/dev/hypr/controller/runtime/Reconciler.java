package dev.hypr.controller.runtime;

import dev.hypr.api.Kind;
import java.time.Duration;
import java.util.List;

/**
 * One controller: makes the world match the objects of one kind (several controllers may
 * watch one kind, each owning its own status fields). {@link #reconcile} gets only
 * the name; it re-reads desired state from the store and observed state from its drivers every
 * time (level-triggered), so a missed or repeated event is harmless. Throwing means "retry with
 * back-off"; {@link TerminalException} means "stop retrying".
 */
public interface Reconciler {
    /** The condition the runtime sets when a reconcile fails (see {@link #errorCondition()}). */
    String ERROR_CONDITION = "ReconcileError";

    Kind kind();

    /**
     * Unique among controllers: what {@link ControllerManager#enqueue(String, String)} and the
     * metrics name it by. The kind's singular by default; a second controller of a kind names itself.
     */
    default String name() {
        return kind().singular();
    }

    Result reconcile(String name) throws Exception;

    /** Other kinds whose changes should wake this controller, and for which keys. */
    default List<SecondaryWatch> secondaryWatches() {
        return List.of();
    }

    /** Every key is reconciled this often even when nothing changed. */
    default Duration resyncPeriod() {
        return Duration.ofSeconds(30);
    }

    /**
     * The condition type in which the runtime reports this controller's failing reconciles (and
     * removes once one succeeds). Owned by the runtime, not the controller; a second controller
     * of a kind needs its own, or the two would overwrite each other's.
     */
    default String errorCondition() {
        return ERROR_CONDITION;
    }

    /** The longest back-off between retries of a failing key. */
    default Duration maxBackoff() {
        return Duration.ofMinutes(5);
    }

    /** Keys reconciled in parallel (never the same key twice at once). */
    default int workers() {
        return 2;
    }
}
