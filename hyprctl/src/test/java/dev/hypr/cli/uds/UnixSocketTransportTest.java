package dev.hypr.cli.uds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.hypr.api.grpc.ExecInput;
import dev.hypr.api.grpc.ExecOutput;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ObjectReply;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import dev.hypr.cli.DaemonConnection;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hyprctl's gRPC transport over a real Unix socket: unary, server and bidirectional streams, big messages. */
class UnixSocketTransportTest {
    @TempDir
    Path dir;
    Path socket;
    Server server;

    /** Get echoes a name of the requested length; Watch streams N events; Exec echoes stdin until close. */
    static final class Echo extends HyprGrpc.HyprImplBase {
        @Override
        public void get(GetRequest request, StreamObserver<ObjectReply> o) {
            o.onNext(ObjectReply.newBuilder().setJson("x".repeat(Integer.parseInt(request.getName()))).build());
            o.onCompleted();
        }

        @Override
        public void watch(WatchRequest request, StreamObserver<WatchEvent> o) {
            for (int i = 1; i <= request.getResourceVersion(); i++) {
                o.onNext(WatchEvent.newBuilder().setResourceVersion(i).setJson("{\"n\":" + i + "}").build());
            }
            o.onCompleted();
        }

        @Override
        public StreamObserver<ExecInput> exec(StreamObserver<ExecOutput> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(ExecInput in) {
                    if (in.hasStdin()) {
                        out.onNext(ExecOutput.newBuilder().setStdout(in.getStdin()).build());
                    } else if (in.hasCloseStdin()) {
                        out.onCompleted();
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
    }

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("hypr.sock");
        server = UnixSocketServers.start(socket, new Echo());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallsCarrySmallAndMultiMegabyteReplies() {
        try (DaemonConnection c = DaemonConnection.unixSocket(socket.toString())) {
            assertEquals(3, c.api().get(GetRequest.newBuilder().setName("3").build()).getJson().length());
            // larger than every HTTP/2 window and frame: exercises flow control over the socket
            assertEquals(5_000_000, c.api().get(GetRequest.newBuilder().setName("5000000").build()).getJson().length());
        }
    }

    @Test
    void serverStreamDeliversEveryMessageInOrder() {
        try (DaemonConnection c = DaemonConnection.unixSocket(socket.toString())) {
            Iterator<WatchEvent> events = c.streaming().watch(WatchRequest.newBuilder().setResourceVersion(2000).build());
            long expected = 1;
            while (events.hasNext()) {
                assertEquals(expected++, events.next().getResourceVersion());
            }
            assertEquals(2001, expected);
        }
    }

    @Test
    void bidirectionalStreamEchoesWhileStillSending() throws Exception {
        try (DaemonConnection c = DaemonConnection.unixSocket(socket.toString())) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CountDownLatch done = new CountDownLatch(1);
            List<Throwable> errors = new ArrayList<>();
            StreamObserver<ExecInput> in = HyprGrpc.newStub(c.channel()).exec(new StreamObserver<>() {
                @Override
                public void onNext(ExecOutput out) {
                    synchronized (received) {
                        received.writeBytes(out.getStdout().toByteArray());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    errors.add(t);
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            byte[] chunk = new byte[32 * 1024];
            for (int i = 0; i < 64; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                in.onNext(ExecInput.newBuilder().setStdin(ByteString.copyFrom(chunk)).build());
            }
            in.onNext(ExecInput.newBuilder().setCloseStdin(true).build());
            in.onCompleted();
            assertEquals(true, done.await(20, TimeUnit.SECONDS), "exec stream did not finish");
            assertEquals(List.of(), errors);
            byte[] all = received.toByteArray();
            assertEquals(64 * chunk.length, all.length);
            assertEquals(63, all[all.length - 1]);
        }
    }

    @Test
    void noDaemonIsUnavailable() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        Files.deleteIfExists(socket);
        try (DaemonConnection c = DaemonConnection.unixSocket(socket.toString())) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> c.api().get(GetRequest.newBuilder().setName("1").build()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        }
    }
}
