package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Says on the object what went wrong when a reconcile fails, for every controller alike: a
 * condition ({@link Reconciler#errorCondition()}, reason {@code ReconcileFailed}) and a
 * Warning event, so no failure lives only in hyprd's log; the condition goes once a reconcile
 * succeeds. The message holds nothing that changes from one try to the next (no delay, no
 * count): an unchanged condition is not rewritten, so retries keep their back-off.
 */
public final class ReconcileErrors {
    public static final String REASON = "ReconcileFailed";
    private static final Logger LOG = Logger.getLogger(ReconcileErrors.class);

    /** Where Warning events go (the events recorder's {@code warning}). */
    @FunctionalInterface
    public interface Warnings {
        void warning(String kind, String name, String reason, String message);
    }

    private final ObjectStore store;
    private final Warnings warnings;
    private final Clock clock;

    public ReconcileErrors(ObjectStore store, Warnings warnings, Clock clock) {
        this.store = store;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** {@code e} ended a reconcile of {@code key}; {@code terminal}: not retried until the object changes. */
    public void failed(Reconciler r, String key, Exception e, boolean terminal) {
        if (e instanceof StoreException s && (s.reason() == StoreException.Reason.CONFLICT
                || s.reason() == StoreException.Reason.NOT_FOUND)) {
            return; // optimistic concurrency or a delete in between: the retry is the whole story
        }
        if (e instanceof ReportedFailure) {
            return; // the reconciler's own condition and event say it better
        }
        Optional<ObjectNode> obj = store.get(r.kind(), key);
        if (obj.isEmpty()) {
            return; // nothing left to report on
        }
        String message = r.name() + " controller: " + describe(e)
                + (terminal ? " (not retried until the object changes)" : " (retrying with back-off)");
        long generation = Objects.generation(obj.get());
        try {
            boolean same = Conditions.get(obj.get().path("status"), r.errorCondition())
                    .map(c -> message.equals(c.path("message").asText()) && "True".equals(c.path("status").asText()))
                    .orElse(false);
            // the event first: whoever sees the condition finds the event too
            if (!same) {
                warnings.warning(r.kind().kindName(), key, REASON, message); // repeats fold into one event anyway
            }
            new StatusWriter(store).update(r.kind(), key,
                    s -> Conditions.set(s, r.errorCondition(), true, REASON, message, generation, clock.instant()));
        } catch (RuntimeException reportFailed) {
            LOG.warnf("%s/%s: cannot report the failure on the object: %s", r.name(), key, reportFailed.toString());
        }
    }

    /** A reconcile of {@code key} succeeded: the error condition, if any, goes. */
    public void succeeded(Reconciler r, String key) {
        Optional<ObjectNode> obj = store.get(r.kind(), key);
        if (obj.isEmpty() || Conditions.get(obj.get().path("status"), r.errorCondition()).isEmpty()) {
            return;
        }
        try {
            new StatusWriter(store).update(r.kind(), key, s -> Conditions.remove(s, r.errorCondition()));
        } catch (RuntimeException clearFailed) {
            LOG.debugf("%s/%s: cannot clear %s: %s", r.name(), key, r.errorCondition(), clearFailed.toString());
        }
    }

    /** The cause in words: hypr's own exceptions speak for themselves; the JDK's get their class name (a bare path says little). */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null || t.getMessage().isBlank() ? "" : t.getMessage();
        if (t.getClass().getName().startsWith("dev.hypr.") && !msg.isEmpty()) {
            return msg;
        }
        return msg.isEmpty() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + msg;
    }
}
