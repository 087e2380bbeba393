package dev.hypr.controller.api;

import dev.hypr.api.codec.Manifest;
import dev.hypr.controller.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** How store failures look on the wire: the gRPC codes kubectl users would expect. */
final class GrpcErrors {
    private GrpcErrors() {
    }

    static StatusRuntimeException from(StoreException e) {
        Status s = switch (e.reason()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.ABORTED;
            case INVALID -> Status.INVALID_ARGUMENT;
            case BEING_DELETED -> Status.FAILED_PRECONDITION;
            case EXPIRED -> Status.OUT_OF_RANGE;
        };
        return s.withDescription(e.getMessage()).asRuntimeException();
    }

    /** The store's error, prefixed with where the object came from: "web.yaml:3:1: VM/web: ...". */
    static StatusRuntimeException about(Manifest m, StoreException e) {
        StatusRuntimeException plain = from(e);
        return plain.getStatus()
                .withDescription(m.position() + ": " + m.ref() + ": " + e.getMessage())
                .asRuntimeException();
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
