package dev.hypr.controller.api;

import dev.hypr.api.grpc.Event;
import dev.hypr.api.grpc.ListEventsReply;
import dev.hypr.api.grpc.ListEventsRequest;
import dev.hypr.api.grpc.SubscribeEventsRequest;
import dev.hypr.controller.events.EventRecord;
import dev.hypr.controller.events.EventRecorder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Predicate;

/** ListEvents and SubscribeEvents over the {@link EventRecorder}. */
final class EventsService {
    private final EventRecorder recorder;

    EventsService(EventRecorder recorder) {
        this.recorder = recorder;
    }

    void listEvents(ListEventsRequest request, StreamObserver<ListEventsReply> out) {
        ListEventsReply.Builder reply = ListEventsReply.newBuilder();
        recorder.list(filter(request.getKind(), request.getName())).forEach(e -> reply.addEvents(toWire(e)));
        out.onNext(reply.build());
        out.onCompleted();
    }

    void subscribeEvents(SubscribeEventsRequest request, StreamObserver<Event> responses) {
        ServerCallStreamObserver<Event> out = (ServerCallStreamObserver<Event>) responses;
        Predicate<EventRecord> filter = filter(request.getKind(), request.getName());
        // events are few and small: sent on the recording thread, serialized per subscriber
        AutoCloseable subscription = recorder.subscribe(request.getAfterSequence(), e -> {
            if (filter.test(e)) {
                synchronized (out) {
                    if (!out.isCancelled()) {
                        out.onNext(toWire(e));
                    }
                }
            }
        });
        out.setOnCancelHandler(() -> {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing a subscriber cannot fail
            }
        });
    }

    /** kind may be any spelling users type ("vm", "vms", "VM"); unknown kinds are INVALID_ARGUMENT. */
    static Predicate<EventRecord> filter(String kind, String name) {
        String k = kind.isEmpty() ? "" : KindNames.required(kind).kindName();
        return e -> (k.isEmpty() || k.equals(e.kind())) && (name.isEmpty() || name.equals(e.name()));
    }

    static Event toWire(EventRecord e) {
        return Event.newBuilder()
                .setSequence(e.sequence())
                .setKind(e.kind())
                .setName(e.name())
                .setType(e.type().name())
                .setReason(e.reason())
                .setMessage(e.message() == null ? "" : e.message())
                .setFirstTimestampMillis(e.firstSeen().toEpochMilli())
                .setLastTimestampMillis(e.lastSeen().toEpochMilli())
                .setCount(e.count())
                .build();
    }
}
