package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.DeleteReply;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HealthReply;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.LoginReply;
import dev.hypr.api.grpc.LoginRequest;
import dev.hypr.api.grpc.LogoutRequest;
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
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListReply;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.ObjectReply;
import dev.hypr.api.grpc.Outcome;
import dev.hypr.api.grpc.UpdateStatusRequest;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.controller.image.ImageInUseException;
import dev.hypr.controller.image.NoSuchImageException;
import dev.hypr.controller.store.ApplyResult;
import dev.hypr.controller.store.ObjectList;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.StoreException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The gRPC API: a thin translation between the wire and the {@link ObjectStore}. */
public final class HyprService extends HyprGrpc.HyprImplBase {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HyprService.class);
    /** Like etcd's request limit behind Kubernetes: one object is a description, not a payload. */
    static final int MAX_OBJECT_BYTES = 1024 * 1024;

    private final ObjectStore store;
    private final ObjectValidator validator;
    private final String version;
    private final long startedAt = System.currentTimeMillis();
    private final VmStreams vmStreams;

    /** The VM-facing streaming calls (exec, logs, events), which live in their own classes. */
    record VmStreams(ExecService exec, LogsService logs, EventsService events) {
        static VmStreams of(ObjectStore store, dev.hypr.controller.vm.VmRuntimes vms,
                dev.hypr.controller.events.EventRecorder recorder) {
            return new VmStreams(new ExecService(store, vms), new LogsService(store, vms), new EventsService(recorder));
        }
    }

    private final ImagesApi images;
    private final dev.hypr.controller.build.BuildService builds;

    public HyprService(ObjectStore store, ObjectValidator validator, String version, VmStreams vmStreams, ImagesApi images) {
        this(store, validator, version, vmStreams, images, null);
    }

    public HyprService(ObjectStore store, ObjectValidator validator, String version, VmStreams vmStreams, ImagesApi images,
            dev.hypr.controller.build.BuildService builds) {
        this.store = store;
        this.validator = validator;
        this.version = version;
        this.vmStreams = vmStreams;
        this.images = images;
        this.builds = builds;
    }

    @Override
    public StreamObserver<dev.hypr.api.grpc.BuildInput> build(StreamObserver<dev.hypr.api.grpc.BuildOutput> out) {
        if (builds == null) {
            out.onError(io.grpc.Status.UNIMPLEMENTED.withDescription("this hyprd has no builder").asRuntimeException());
            return new StreamObserver<>() {
                public void onNext(dev.hypr.api.grpc.BuildInput v) { }
                public void onError(Throwable t) { }
                public void onCompleted() { }
            };
        }
        return builds.build(out);
    }

    @Override
    public void pruneBuildCache(dev.hypr.api.grpc.PruneBuildCacheRequest request,
            StreamObserver<dev.hypr.api.grpc.PruneBuildCacheReply> out) {
        imageCall(out, "prune build cache", () -> {
            if (builds == null) throw new IllegalArgumentException("this hyprd has no builder");
            return builds.prune();
        });
    }

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageProgress> out) {
        images.pull(request, out);
    }

    @Override
    public void pushImage(dev.hypr.api.grpc.PushImageRequest request, StreamObserver<dev.hypr.api.grpc.PushImageProgress> out) {
        images.push(request, out);
    }

    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesReply> out) {
        imageCall(out, "list images", () -> images.list());
    }

    @Override
    public void getImage(GetImageRequest request, StreamObserver<ImageInfo> out) {
        imageCall(out, "get image", () -> images.get(request.getImage(), request.getPlatform()));
    }

    @Override
    public void deleteImage(DeleteImageRequest request, StreamObserver<DeleteImageReply> out) {
        imageCall(out, "delete image", () -> images.delete(request.getImage(), request.getPlatform()));
    }

    @Override
    public void pruneImages(PruneImagesRequest request, StreamObserver<PruneImagesReply> out) {
        imageCall(out, "prune", () -> images.prune(request.getAll()));
    }

    @Override
    public void pruneVolumes(dev.hypr.api.grpc.PruneVolumesRequest request, StreamObserver<dev.hypr.api.grpc.PruneVolumesReply> out) {
        respond(out, () -> dev.hypr.controller.volume.VolumePrune.prune(store, request.getDryRun()));
    }

    @Override
    public void login(LoginRequest request, StreamObserver<LoginReply> out) {
        imageCall(out, "login", () -> images.login(request.getRegistry(), request.getUsername(), request.getPassword()));
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LoginReply> out) {
        imageCall(out, "logout", () -> images.logout(request.getRegistry()));
    }

    private <T> void imageCall(StreamObserver<T> out, String what, ImagesApi.Call<T> call) {
        try {
            out.onNext(call.run());
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (NoSuchImageException e) {
            out.onError(io.grpc.Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
        } catch (ImageInUseException e) {
            out.onError(io.grpc.Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
        } catch (StoreException e) {
            out.onError(GrpcErrors.from(e));
        } catch (Exception e) {
            out.onError(io.grpc.Status.INTERNAL.withDescription(what + " failed: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void apply(ApplyRequest request, StreamObserver<ApplyResponse> out) {
        respond(out, () -> {
            List<Manifest> manifests = decode(request.getObjectsList());
            List<ManifestError> errors = new ArrayList<>(validator.validateAll(manifests));
            errors.addAll(dev.hypr.controller.vm.VmHostFit.check(manifests, dev.hypr.controller.vm.VmHostFit.hostCpus()));
            if (errors.isEmpty()) {
                errors.addAll(dev.hypr.controller.volume.VolumeShrinkCheck.errors(manifests, store::get));
            }
            if (!errors.isEmpty()) {
                throw GrpcErrors.invalid(errors.stream().map(ManifestError::format).collect(Collectors.joining("\n")));
            }
            List<ApplyResult> results;
            try {
                results = store.apply(manifests.stream().map(Manifest::object).toList(), request.getDryRun());
            } catch (StoreException e) {
                throw e.objectIndex() < 0 ? e : GrpcErrors.about(manifests.get(e.objectIndex()), e);
            }
            ApplyResponse.Builder reply = ApplyResponse.newBuilder().setResourceVersion(store.revision());
            for (ApplyResult r : results) {
                reply.addResultsBuilder()
                        .setKind(r.key().kind().kindName())
                        .setName(r.key().name())
                        .setOutcome(Outcome.valueOf(r.outcome().name()))
                        .setJson(Json.write(r.object()));
            }
            return reply.build();
        });
    }

    @Override
    public void get(GetRequest request, StreamObserver<ObjectReply> out) {
        respond(out, () -> {
            Kind kind = KindNames.required(request.getKind());
            ObjectNode o = store.get(kind, request.getName())
                    .orElseThrow(() -> StoreException.notFound(kind.singular() + "/" + request.getName()));
            return ObjectReply.newBuilder().setJson(Json.write(o)).build();
        });
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListReply> out) {
        respond(out, () -> {
            ObjectList list = store.list(KindNames.optional(request.getKind()), Selectors.labelFilter(request.getLabelSelector()));
            ListReply.Builder reply = ListReply.newBuilder().setResourceVersion(list.revision());
            list.items().forEach(o -> reply.addItems(Json.write(o)));
            return reply.build();
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteReply> out) {
        respond(out, () -> {
            Kind kind = KindNames.required(request.getKind());
            Optional<ObjectNode> left = store.delete(kind, request.getName(), request.getResourceVersion());
            return DeleteReply.newBuilder()
                    .setGone(left.isEmpty())
                    .setJson(left.map(Json::write).orElse(""))
                    .build();
        });
    }

    @Override
    public void updateStatus(UpdateStatusRequest request, StreamObserver<ObjectReply> out) {
        respond(out, () -> {
            Kind kind = KindNames.required(request.getKind());
            JsonNode status = request.getStatusJson().isEmpty()
                    ? Json.MAPPER.createObjectNode()
                    : parse(request.getStatusJson(), "status");
            ObjectNode o = store.updateStatus(kind, request.getName(), status, request.getResourceVersion());
            return ObjectReply.newBuilder().setJson(Json.write(o)).build();
        });
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> out) {
        try {
            Kind kind = KindNames.optional(request.getKind());
            Predicate<ObjectNode> labels = Selectors.labelFilter(request.getLabelSelector());
            String name = request.getName();
            Predicate<ObjectNode> filter = o -> (labels == null || labels.test(o))
                    && (name.isEmpty() || name.equals(o.path("metadata").path("name").asText()));
            WatchStream.start(store, kind, request.getResourceVersion(), filter, out);
        } catch (StoreException e) {
            out.onError(GrpcErrors.from(e));
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
        }
    }

    @Override
    public void health(HealthRequest request, StreamObserver<HealthReply> out) {
        respond(out, () -> HealthReply.newBuilder()
                .setStatus("ok")
                .setVersion(version)
                .setResourceVersion(store.revision())
                .setUptimeMillis(System.currentTimeMillis() - startedAt)
                .build());
    }

    @Override
    public StreamObserver<dev.hypr.api.grpc.ExecInput> exec(StreamObserver<dev.hypr.api.grpc.ExecOutput> out) {
        return vmStreams.exec().exec(out);
    }

    @Override
    public void streamLogs(dev.hypr.api.grpc.LogsRequest request, StreamObserver<dev.hypr.api.grpc.LogChunk> out) {
        vmStreams.logs().streamLogs(request, out);
    }

    @Override
    public void listEvents(dev.hypr.api.grpc.ListEventsRequest request, StreamObserver<dev.hypr.api.grpc.ListEventsReply> out) {
        try {
            vmStreams.events().listEvents(request, out);
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
        }
    }

    @Override
    public void subscribeEvents(dev.hypr.api.grpc.SubscribeEventsRequest request, StreamObserver<dev.hypr.api.grpc.Event> out) {
        try {
            vmStreams.events().subscribeEvents(request, out);
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
        }
    }

    private List<Manifest> decode(List<dev.hypr.api.grpc.Manifest> wire) {
        List<Manifest> manifests = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int index = 0;
        for (dev.hypr.api.grpc.Manifest m : wire) {
            index++;
            String source = m.getSource().isEmpty() ? "object " + index : m.getSource();
            SourcePosition position = SourcePositions.parse(source);
            if (m.getJson().length() > MAX_OBJECT_BYTES) {
                errors.add(position + ": object is too large: " + m.getJson().length() + " bytes (limit "
                        + MAX_OBJECT_BYTES + ")");
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(m.getJson());
                if (!(node instanceof ObjectNode o)) {
                    errors.add(position + ": not an object");
                    continue;
                }
                manifests.add(new Manifest(o, position));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                errors.add(position + ": invalid JSON: " + e.getOriginalMessage());
            }
        }
        if (wire.isEmpty()) {
            errors.add("no objects to apply");
        }
        if (!errors.isEmpty()) {
            throw GrpcErrors.invalid(String.join("\n", errors));
        }
        return manifests;
    }

    private static JsonNode parse(String json, String what) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw GrpcErrors.invalid(what + ": invalid JSON: " + e.getMessage());
        }
    }

    private interface Call<T> {
        T run();
    }

    private static <T> void respond(StreamObserver<T> out, Call<T> call) {
        T reply;
        try {
            reply = call.run();
        } catch (StoreException e) {
            out.onError(GrpcErrors.from(e));
            return;
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            // a bug, not bad input: the caller gets what failed instead of gRPC's "Application error"
            LOG.error("API call failed", e);
            out.onError(io.grpc.Status.INTERNAL.withDescription("hyprd failed: " + e).asRuntimeException());
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }
}
