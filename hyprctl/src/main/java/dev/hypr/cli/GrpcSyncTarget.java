package dev.hypr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResult;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.api.sync.SyncAction;
import dev.hypr.api.sync.SyncLabels;
import dev.hypr.api.sync.SyncTarget;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code hyprctl sync}'s target: the same engine as hyprd's, driving hyprd through its gRPC API. */
public final class GrpcSyncTarget implements SyncTarget {
    private final Supplier<HyprGrpc.HyprBlockingStub> api;

    /** A supplier, so every call gets a fresh deadline. */
    public GrpcSyncTarget(Supplier<HyprGrpc.HyprBlockingStub> api) {
        this.api = api;
    }

    @Override
    public List<ObjectNode> listManaged(String syncName) {
        return api.get().list(ListRequest.newBuilder().setLabelSelector(SyncLabels.selector(syncName)).build())
                .getItemsList().stream().map(Json::parseObject).toList();
    }

    @Override
    public Optional<ObjectNode> get(Kind kind, String name) {
        try {
            return Optional.of(Json.parseObject(api.get()
                    .get(GetRequest.newBuilder().setKind(kind.kindName()).setName(name).build()).getJson()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<SyncAction> apply(List<ObjectNode> objects, boolean dryRun) {
        ApplyRequest.Builder request = ApplyRequest.newBuilder().setDryRun(dryRun);
        objects.forEach(o -> request.addObjects(Manifest.newBuilder().setJson(Json.write(o))));
        return api.get().apply(request.build()).getResultsList().stream().map(GrpcSyncTarget::action).toList();
    }

    @Override
    public void delete(Kind kind, String name) {
        try {
            api.get().delete(DeleteRequest.newBuilder().setKind(kind.kindName()).setName(name).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // already gone is what pruning wants
            }
        }
    }

    private static SyncAction action(ApplyResult r) {
        return switch (r.getOutcome()) {
            case CREATED -> SyncAction.CREATED;
            case CONFIGURED -> SyncAction.CONFIGURED;
            default -> SyncAction.UNCHANGED;
        };
    }
}
