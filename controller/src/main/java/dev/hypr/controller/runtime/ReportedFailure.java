package dev.hypr.controller.runtime;

/**
 * Marks an exception the reconciler has already reported on the object (its own condition and
 * event): the runtime retries it with back-off but adds no {@code ReconcileError} of its own.
 */
public interface ReportedFailure {
}
