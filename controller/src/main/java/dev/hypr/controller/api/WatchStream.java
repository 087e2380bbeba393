package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.EventType;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.controller.store.Change;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.util.Threads;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * One Watch call: store changes are queued by the writer (which must never block) and sent
 * by the stream's own thread. A client too slow to keep up is cut off, as Kubernetes does;
 * it re-lists and watches again from the list's revision.
 */
final class WatchStream {
    static final int MAX_QUEUED = 10_000;
    private static final Change END = new Change(-1, null, null, null);

    private final BlockingQueue<Change> queue = new LinkedBlockingQueue<>();
    private volatile boolean overflowed;

    private WatchStream() {
    }

    static void start(ObjectStore store, Kind kind, long fromRevision, Predicate<ObjectNode> filter,
            StreamObserver<WatchEvent> out) {
        WatchStream stream = new WatchStream();
        AutoCloseable subscription;
        subscription = store.watch(kind, fromRevision, change -> {
            if (filter.test(change.object())) {
                stream.offer(change);
            }
        });
        ServerCallStreamObserver<WatchEvent> call = (ServerCallStreamObserver<WatchEvent>) out;
        call.setOnCancelHandler(() -> {
            close(subscription);
            stream.queue.offer(END);
        });
        Threads.start("hypr-watch", () -> stream.pump(call, subscription));
    }

    private void offer(Change c) {
        if (queue.size() >= MAX_QUEUED) {
            overflowed = true;
            queue.offer(END);
            return;
        }
        queue.offer(c);
    }

    private void pump(ServerCallStreamObserver<WatchEvent> call, AutoCloseable subscription) {
        try {
            while (true) {
                Change c = queue.take();
                if (c == END) {
                    break;
                }
                if (call.isCancelled()) {
                    return;
                }
                call.onNext(WatchEvent.newBuilder()
                        .setType(EventType.valueOf(c.type().name()))
                        .setResourceVersion(c.revision())
                        .setJson(Json.write(c.object()))
                        .build());
            }
            if (overflowed && !call.isCancelled()) {
                call.onError(Status.RESOURCE_EXHAUSTED
                        .withDescription("watch fell more than " + MAX_QUEUED + " events behind; list and watch again")
                        .asRuntimeException());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the client went away mid-send
        } finally {
            close(subscription);
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a watch cannot fail in a way the client can act on
        }
    }
}
