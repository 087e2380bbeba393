package dev.hypr.controller.runtime;

import java.time.Duration;
import java.util.Optional;

/** What a reconcile asks of the runtime: nothing more, or another look after a delay. */
public final class Result {
    private static final Result DONE = new Result(null);
    private final Duration requeueAfter;

    private Result(Duration requeueAfter) {
        this.requeueAfter = requeueAfter;
    }

    public static Result done() {
        return DONE;
    }

    /** Poll again later: for things no event announces (a timer, an outside resource). */
    public static Result requeueAfter(Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("requeueAfter needs a positive delay, got " + delay);
        }
        return new Result(delay);
    }

    public Optional<Duration> requeue() {
        return Optional.ofNullable(requeueAfter);
    }

    @Override
    public String toString() {
        return requeueAfter == null ? "done" : "requeueAfter " + requeueAfter;
    }
}
