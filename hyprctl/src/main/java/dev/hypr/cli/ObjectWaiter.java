package dev.hypr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.EventType;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Waits, through the Watch RPC, until one object satisfies a predicate (empty = the object is gone)
 * or a deadline passes. Level-triggered: the current state is checked first.
 */
public final class ObjectWaiter {
    private final DaemonConnection connection;

    public ObjectWaiter(DaemonConnection connection) {
        this.connection = connection;
    }

    /** The object now, or empty when hyprd does not have it. */
    public Optional<JsonNode> current(Kind kind, String name) {
        try {
            String json = connection.api().get(GetRequest.newBuilder().setKind(kind.kindName()).setName(name).build())
                    .getJson();
            return json.isEmpty() ? Optional.empty() : Optional.of(Json.parseObject(json));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * True once {@code done} holds for the object (as last seen), false when the deadline passes.
     * {@code start} is the state already read, {@code fromRevision} the revision to watch after.
     */
    public boolean await(Kind kind, String name, Optional<JsonNode> start, long fromRevision, Deadline deadline,
            Predicate<Optional<JsonNode>> done) {
        if (done.test(start)) {
            return true;
        }
        long revision = fromRevision;
        while (!deadline.isExpired()) {
            Context.CancellableContext ctx = Context.current().withCancellation();
            Context previous = ctx.attach();
            try {
                Iterator<WatchEvent> events = connection.streaming().withDeadline(deadline)
                        .watch(WatchRequest.newBuilder().setKind(kind.kindName()).setName(name)
                                .setResourceVersion(revision).build());
                while (events.hasNext()) {
                    WatchEvent ev = events.next();
                    if (ev.getResourceVersion() > revision) {
                        revision = ev.getResourceVersion();
                    }
                    Optional<JsonNode> seen;
                    if (ev.getType() == EventType.DELETED) {
                        seen = Optional.empty();
                    } else if (ev.getType() == EventType.ADDED || ev.getType() == EventType.MODIFIED) {
                        JsonNode obj = Json.parseObject(ev.getJson());
                        if (!name.equals(obj.path("metadata").path("name").asText())) {
                            continue;
                        }
                        seen = Optional.of(obj);
                    } else {
                        continue;
                    }
                    if (done.test(seen)) {
                        return true;
                    }
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED || deadline.isExpired()) {
                    return false;
                }
                throw e;
            } finally {
                ctx.detach(previous);
                ctx.cancel(null);
            }
            // the stream ended without the condition: look again, then resume watching
            if (done.test(current(kind, name))) {
                return true;
            }
            try {
                Thread.sleep(Math.min(200, Math.max(0, deadline.timeRemaining(java.util.concurrent.TimeUnit.MILLISECONDS))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** {@code metadata.resourceVersion} as a number; 0 when absent. */
    public static long revisionOf(Optional<JsonNode> obj) {
        if (obj.isEmpty()) {
            return 0;
        }
        String rv = obj.get().path("metadata").path("resourceVersion").asText("");
        try {
            return rv.isEmpty() ? 0 : Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
