package dev.hypr.controller.api;

import com.google.protobuf.ByteString;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.LogChunk;
import dev.hypr.api.grpc.LogsRequest;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.util.Threads;
import dev.hypr.controller.vm.VmRuntimes;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The StreamLogs RPC: the tail of a VM's log file, then (with follow) what is appended, across rotations. */
final class LogsService {
    static final int CHUNK_BYTES = 64 * 1024;

    private final ObjectStore store;
    private final VmRuntimes vms;

    LogsService(ObjectStore store, VmRuntimes vms) {
        this.store = store;
        this.vms = vms;
    }

    void streamLogs(LogsRequest request, StreamObserver<LogChunk> responses) {
        ServerCallStreamObserver<LogChunk> out = (ServerCallStreamObserver<LogChunk>) responses;
        String vm = request.getVm();
        Path file = vms.logFile(vm);
        if (store.get(Kind.VM, vm).isEmpty() && !Files.exists(file)) {
            out.onError(Status.NOT_FOUND.withDescription("vm \"" + vm + "\" not found").asRuntimeException());
            return;
        }
        LogsTail tail = new LogsTail(file);
        out.setOnCancelHandler(tail::stop);
        // a follow can last for hours: it gets its own (virtual) thread, not a gRPC executor thread
        Threads.start("hypr-logs " + vm, () -> {
            try {
                tail.sendLastLines(request.getTailLines(), bytes -> send(out, bytes));
                if (request.getFollow()) {
                    tail.follow(bytes -> send(out, bytes), () -> store.get(Kind.VM, vm).isPresent());
                }
                if (!out.isCancelled()) {
                    out.onCompleted();
                }
            } catch (IOException | UncheckedIOException e) {
                if (!out.isCancelled()) {
                    out.onError(Status.INTERNAL.withDescription("reading " + file + ": " + e.getMessage()).asRuntimeException());
                }
            }
        });
    }

    private static void send(ServerCallStreamObserver<LogChunk> out, byte[] bytes) {
        for (int off = 0; off < bytes.length && !out.isCancelled(); off += CHUNK_BYTES) {
            out.onNext(LogChunk.newBuilder().setData(ByteString.copyFrom(bytes, off, Math.min(CHUNK_BYTES, bytes.length - off))).build());
        }
    }
}
