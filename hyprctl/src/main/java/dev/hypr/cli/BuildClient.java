package dev.hypr.cli;

import com.google.protobuf.ByteString;
import dev.hypr.api.build.BuildContext;
import dev.hypr.api.build.DockerIgnore;
import dev.hypr.api.grpc.BuildInput;
import dev.hypr.api.grpc.BuildOptions;
import dev.hypr.api.grpc.BuildOutput;
import dev.hypr.api.grpc.BuildResult;
import dev.hypr.api.grpc.HyprGrpc;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One build over hyprd's {@code Build} stream, as {@code hyprctl build} and {@code compose up/build}
 * run it: applies the context's .dockerignore, streams the context as a tar in chunks after the
 * options, and prints one line per step (the steps' output on plain progress) to {@code progress}.
 */
public final class BuildClient {
    static final int CHUNK = 1 << 20;

    private final Channel channel;

    public BuildClient(Channel channel) {
        this.channel = channel;
    }

    /** Builds {@code contextDir} with {@code options} (Dockerfile text included); the result, or a CliException. */
    public BuildResult build(Path contextDir, BuildOptions options, PrintStream progress) throws Exception {
        if (!Files.isDirectory(contextDir)) {
            throw new CliException("build context " + contextDir + " is not a directory");
        }
        Path ignoreFile = contextDir.resolve(".dockerignore");
        DockerIgnore ignore = Files.isRegularFile(ignoreFile) ? DockerIgnore.parse(Files.readString(ignoreFile)) : DockerIgnore.none();
        BuildContext context = BuildContext.walk(contextDir, ignore, false);

        CompletableFuture<BuildResult> done = new CompletableFuture<>();
        StreamObserver<BuildInput> input = HyprGrpc.newStub(channel).build(new StreamObserver<>() {
            @Override
            public void onNext(BuildOutput o) {
                switch (o.getOutputCase()) {
                    case LINE -> {
                        progress.println(o.getLine());
                        progress.flush();
                    }
                    case STEP_OUTPUT -> {
                        progress.write(o.getStepOutput().toByteArray(), 0, o.getStepOutput().size());
                        progress.flush();
                    }
                    case RESULT -> done.complete(o.getResult());
                    case ERROR -> done.completeExceptionally(new CliException("build failed: " + o.getError().getMessage()));
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.completeExceptionally(new CliException("hyprd ended the build without a result"));
            }
        });
        input.onNext(BuildInput.newBuilder().setOptions(options).build());
        try (OutputStream chunks = new ChunkStream(input)) {
            context.writeTar(chunks);
        } catch (IOException | RuntimeException e) {
            input.onError(e);
            throw e;
        }
        input.onCompleted();
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** The result line {@code hyprctl build} prints. */
    public static String summary(BuildResult r) {
        return "built " + r.getDigest() + " (" + r.getSteps() + " steps, " + r.getCached() + " cached)";
    }

    /** Buffers the tar into CHUNK-sized context messages. */
    private static final class ChunkStream extends OutputStream {
        private final StreamObserver<BuildInput> input;
        private final byte[] buf = new byte[CHUNK];
        private int n;

        ChunkStream(StreamObserver<BuildInput> input) {
            this.input = input;
        }

        @Override
        public void write(int b) {
            buf[n++] = (byte) b;
            if (n == buf.length) flush();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
                if (n == buf.length) flush();
            }
        }

        @Override
        public void flush() {
            if (n > 0) {
                input.onNext(BuildInput.newBuilder().setContextChunk(ByteString.copyFrom(buf, 0, n)).build());
                n = 0;
            }
        }
    }
}
