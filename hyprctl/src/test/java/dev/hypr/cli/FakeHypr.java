package dev.hypr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.ApplyResult;
import dev.hypr.api.grpc.DeleteReply;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.EventType;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HealthReply;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListReply;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.api.grpc.ObjectReply;
import dev.hypr.api.grpc.LoginReply;
import dev.hypr.api.grpc.LoginRequest;
import dev.hypr.api.grpc.LogoutRequest;
import dev.hypr.api.grpc.Outcome;
import dev.hypr.api.grpc.DeleteImageReply;
import dev.hypr.api.grpc.DeleteImageRequest;
import dev.hypr.api.grpc.GetImageRequest;
import dev.hypr.api.grpc.ImageInfo;
import dev.hypr.api.grpc.ListImagesReply;
import dev.hypr.api.grpc.ListImagesRequest;
import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullImageRequest;
import dev.hypr.api.grpc.PruneImagesRequest;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory hyprd: enough store semantics to drive every command, and recorded requests. */
final class FakeHypr extends HyprGrpc.HyprImplBase {
    record Watcher(WatchRequest request, ServerCallStreamObserver<WatchEvent> observer) {
    }

    final Map<String, ObjectNode> objects = Collections.synchronizedMap(new TreeMap<>());
    final List<Object> requests = new CopyOnWriteArrayList<>();
    final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    volatile Status failWith;
    long revision;

    private static String key(String kind, String name) {
        String k = Kind.lookup(kind).map(Kind::kindName).orElse(kind);
        return k + "/" + name;
    }

    private boolean failed(StreamObserver<?> o) {
        if (failWith != null) {
            o.onError(failWith.asRuntimeException());
            return true;
        }
        return false;
    }

    /** Stores (or replaces) an object as a controller would see it, notifying watchers. */
    synchronized ObjectNode put(String json) {
        ObjectNode obj = Json.parseObject(json);
        String k = key(obj.path("kind").asText(), obj.path("metadata").path("name").asText());
        boolean existed = objects.containsKey(k);
        ObjectNode meta = (ObjectNode) obj.path("metadata");
        meta.put("resourceVersion", String.valueOf(++revision));
        if (!meta.has("creationTimestamp")) {
            meta.put("creationTimestamp", "2026-01-01T00:00:00Z");
        }
        objects.put(k, obj);
        notify(existed ? EventType.MODIFIED : EventType.ADDED, obj);
        return obj;
    }

    synchronized void remove(String kind, String name) {
        ObjectNode obj = objects.remove(key(kind, name));
        if (obj != null) {
            ++revision;
            notify(EventType.DELETED, obj);
        }
    }

    private void notify(EventType type, ObjectNode obj) {
        for (Watcher w : watchers) {
            if (matches(w.request(), obj)) {
                w.observer().onNext(WatchEvent.newBuilder().setType(type).setJson(Json.write(obj))
                        .setResourceVersion(revision).build());
            }
        }
    }

    private static boolean matches(WatchRequest r, JsonNode obj) {
        boolean kindOk = r.getKind().isEmpty() || key(r.getKind(), "").equals(obj.path("kind").asText() + "/");
        boolean nameOk = r.getName().isEmpty() || r.getName().equals(obj.path("metadata").path("name").asText());
        return kindOk && nameOk;
    }

    @Override
    public synchronized void apply(ApplyRequest request, StreamObserver<ApplyResponse> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        ApplyResponse.Builder resp = ApplyResponse.newBuilder();
        for (Manifest m : request.getObjectsList()) {
            ObjectNode in = Json.parseObject(m.getJson());
            String kind = in.path("kind").asText();
            String name = in.path("metadata").path("name").asText();
            ObjectNode live = objects.get(key(kind, name));
            Outcome outcome;
            if (live == null) {
                outcome = Outcome.CREATED;
            } else if (live.path("spec").equals(in.path("spec"))
                    && live.path("metadata").path("labels").equals(in.path("metadata").path("labels"))) {
                outcome = Outcome.UNCHANGED;
            } else {
                outcome = Outcome.CONFIGURED;
            }
            String stored = Json.write(in);
            if (!request.getDryRun() && outcome != Outcome.UNCHANGED) {
                stored = Json.write(put(m.getJson()));
            }
            resp.addResults(ApplyResult.newBuilder().setKind(kind).setName(name).setOutcome(outcome).setJson(stored));
        }
        o.onNext(resp.setResourceVersion(revision).build());
        o.onCompleted();
    }

    @Override
    public void get(GetRequest request, StreamObserver<ObjectReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        ObjectNode obj = objects.get(key(request.getKind(), request.getName()));
        if (obj == null) {
            o.onError(Status.NOT_FOUND.withDescription(request.getKind() + " " + request.getName() + " not found")
                    .asRuntimeException());
            return;
        }
        o.onNext(ObjectReply.newBuilder().setJson(Json.write(obj)).build());
        o.onCompleted();
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        ListReply.Builder reply = ListReply.newBuilder().setResourceVersion(revision);
        List<ObjectNode> all;
        synchronized (objects) {
            all = new ArrayList<>(objects.values());
        }
        for (ObjectNode obj : all) {
            if (!request.getKind().isEmpty() && !obj.path("kind").asText().equals(request.getKind())) {
                continue;
            }
            String sel = request.getLabelSelector();
            if (!sel.isEmpty()) {
                String[] kv = sel.split("=", 2);
                if (!kv[1].equals(obj.path("metadata").path("labels").path(kv[0]).asText(null))) {
                    continue;
                }
            }
            reply.addItems(Json.write(obj));
        }
        o.onNext(reply.build());
        o.onCompleted();
    }

    @Override
    public synchronized void delete(DeleteRequest request, StreamObserver<DeleteReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        ObjectNode obj = objects.get(key(request.getKind(), request.getName()));
        if (obj == null) {
            o.onError(Status.NOT_FOUND.asRuntimeException());
            return;
        }
        if (obj.path("metadata").path("finalizers").size() > 0) {
            ObjectNode copy = obj.deepCopy();
            ((ObjectNode) copy.path("metadata")).put("deletionTimestamp", "2026-01-01T00:01:00Z");
            ObjectNode stored = put(Json.write(copy));
            o.onNext(DeleteReply.newBuilder().setJson(Json.write(stored)).setGone(false).build());
        } else {
            remove(request.getKind(), request.getName());
            o.onNext(DeleteReply.newBuilder().setGone(true).build());
        }
        o.onCompleted();
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        ServerCallStreamObserver<WatchEvent> so = (ServerCallStreamObserver<WatchEvent>) o;
        Watcher w = new Watcher(request, so);
        so.setOnCancelHandler(() -> watchers.remove(w));
        synchronized (this) {
            if (request.getResourceVersion() == 0) {
                for (ObjectNode obj : new ArrayList<>(objects.values())) {
                    if (matches(request, obj)) {
                        so.onNext(WatchEvent.newBuilder().setType(EventType.ADDED).setJson(Json.write(obj))
                                .setResourceVersion(revision).build());
                    }
                }
            }
            watchers.add(w);
        }
    }

    @Override
    public void health(HealthRequest request, StreamObserver<HealthReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        o.onNext(HealthReply.newBuilder().setStatus("SERVING").setVersion("9.9.9").setResourceVersion(revision)
                .setUptimeMillis(300_000).build());
        o.onCompleted();
    }

    volatile PruneImagesReply pruneReply = PruneImagesReply.getDefaultInstance();

    @Override
    public void pruneImages(PruneImagesRequest request, StreamObserver<PruneImagesReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        o.onNext(pruneReply);
        o.onCompleted();
    }

    /** What PullImage streams, in order (then it completes). */
    volatile List<PullImageProgress> pullMessages = List.of();
    /** What PushImage streams, in order (then it completes). */
    volatile List<dev.hypr.api.grpc.PushImageProgress> pushMessages = List.of();

    @Override
    public void pushImage(dev.hypr.api.grpc.PushImageRequest request, StreamObserver<dev.hypr.api.grpc.PushImageProgress> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        pushMessages.forEach(o::onNext);
        o.onCompleted();
    }

    /** What ListImages and GetImage know: GetImage matches a ref or the digest. */
    final List<ImageInfo> storedImages = new CopyOnWriteArrayList<>();
    /** DeleteImage fails with this when set (e.g. FAILED_PRECONDITION naming the users). */
    volatile Status deleteImageFailure;

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageProgress> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        pullMessages.forEach(o::onNext);
        o.onCompleted();
    }

    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        o.onNext(ListImagesReply.newBuilder().addAllImages(storedImages).build());
        o.onCompleted();
    }

    private java.util.Optional<ImageInfo> storedImage(String image) {
        return storedImages.stream().filter(i -> i.getDigest().equals(image)
                || i.getRefsList().stream().anyMatch(r -> r.getRef().equals(image))).findFirst();
    }

    @Override
    public void getImage(GetImageRequest request, StreamObserver<ImageInfo> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        storedImage(request.getImage()).ifPresentOrElse(i -> {
            o.onNext(i);
            o.onCompleted();
        }, () -> o.onError(Status.NOT_FOUND.withDescription("no image " + request.getImage() + " in the store").asRuntimeException()));
    }

    @Override
    public void deleteImage(DeleteImageRequest request, StreamObserver<DeleteImageReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        if (deleteImageFailure != null) {
            o.onError(deleteImageFailure.asRuntimeException());
            return;
        }
        java.util.Optional<ImageInfo> found = storedImage(request.getImage());
        if (found.isEmpty()) {
            o.onError(Status.NOT_FOUND.withDescription("no image " + request.getImage() + " in the store").asRuntimeException());
            return;
        }
        storedImages.remove(found.get());
        DeleteImageReply.Builder reply = DeleteImageReply.newBuilder().addDeleted(found.get().getDigest()).setFreedBytes(3 << 20);
        found.get().getRefsList().forEach(r -> reply.addUntagged(r.getRef() + " (" + r.getPlatform() + ")"));
        o.onNext(reply.build());
        o.onCompleted();
    }

    final Map<String, String> logins = new TreeMap<>();

    @Override
    public void login(LoginRequest request, StreamObserver<LoginReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        logins.put(request.getRegistry(), request.getUsername() + ":" + request.getPassword());
        o.onNext(LoginReply.newBuilder().setChanged(true).build());
        o.onCompleted();
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LoginReply> o) {
        requests.add(request);
        if (failed(o)) {
            return;
        }
        o.onNext(LoginReply.newBuilder().setChanged(logins.remove(request.getRegistry()) != null).build());
        o.onCompleted();
    }

    @SuppressWarnings("unchecked")
    <T> List<T> requestsOf(Class<T> type) {
        return (List<T>) requests.stream().filter(type::isInstance).toList();
    }
}
