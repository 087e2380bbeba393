package dev.hypr.controller.build;

import dev.hypr.api.build.Dockerfile;
import dev.hypr.api.build.DockerfileException;
import dev.hypr.api.grpc.BuildError;
import dev.hypr.api.grpc.BuildInput;
import dev.hypr.api.grpc.BuildOptions;
import dev.hypr.api.grpc.BuildOutput;
import dev.hypr.api.grpc.BuildResult;
import dev.hypr.api.grpc.PruneBuildCacheReply;
import com.google.protobuf.ByteString;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.image.ImageService;
import dev.hypr.controller.image.PullPolicy;
import dev.hypr.controller.util.FileTrees;
import dev.hypr.controller.vm.GuestAssets;
import dev.hypr.controller.vm.VmLauncher;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * hyprd's side of {@code hyprctl build}: receives the options and the context tar (unpacked as it
 * arrives, see {@link ContextStream}), plans the Dockerfile, runs {@link ImageBuilder} and streams its progress. At start-up it kills the build
 * VMs and removes the temporary files of builds a previous hyprd was running when it died.
 */
@ApplicationScoped
public class BuildService {
    private static final Logger LOG = Logger.getLogger(BuildService.class);

    @Inject
    HyprPaths paths;

    @Inject
    ImageService images;

    @Inject
    VmLauncher launcher;

    @Inject
    GuestAssets guest;

    private LayerCache cache;
    private ImageBuilder builder;

    void start(@Observes @Priority(1100) StartupEvent ev) {
        init();
    }

    private synchronized void init() {
        if (builder != null) return;
        try {
            cache = new LayerCache(paths.cache().resolve("build"));
            cleanUpInterruptedBuilds(launcher, cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the build cache under " + paths.cache(), e);
        }
        // build VMs boot under whichever hypervisor AUTO picks: Debian's kernel fits every one
        // (the minimal kernel is QEMU-only)
        var kernel = guest.debian();
        builder = new ImageBuilder(cache, images.squashfs(),
                new BuildVm.Host(launcher, kernel.vmlinux(), kernel.initramfs(), paths::vmRuntimeDir),
                new ImageBuilder.BaseImages() {
                    @Override
                    public dev.hypr.controller.image.PulledImage ensure(String ref) throws Exception {
                        return images.ensure(ref, ImageService.DEFAULT_PLATFORM, PullPolicy.IfNotPresent);
                    }

                    @Override
                    public AutoCloseable pin(dev.hypr.controller.image.PulledImage image) throws Exception {
                        return images.pin(image.digest()); // images prune/rm keep it while the build runs
                    }
                },
                new BuiltImageWriter(images.store(), images.squashfs()));
    }

    /** Kills every build VM a marker in the cache's tmp/ names, then empties tmp/. No build runs yet. */
    static void cleanUpInterruptedBuilds(VmLauncher launcher, LayerCache cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache.root().resolve("tmp"))) {
            for (Path marker : files.filter(p -> p.getFileName().toString().equals(BuildVm.MARKER)).toList()) {
                LOG.infof("removing the build VM of an interrupted build (%s)", marker.getParent());
                BuildVm.cleanupAfterCrash(launcher, marker.getParent());
            }
        }
        cache.cleanTemp();
    }

    public PruneBuildCacheReply prune() throws IOException {
        init();
        return PruneBuildCacheReply.newBuilder().setFreedBytes(cache.prune()).build();
    }

    public StreamObserver<BuildInput> build(StreamObserver<BuildOutput> out) {
        init();
        return new Call(out);
    }

    private final class Call implements StreamObserver<BuildInput> {
        private final StreamObserver<BuildOutput> out;
        private BuildOptions options;
        private ContextStream context;
        private Path dir;
        private CompletableFuture<Void> unpacked;
        private boolean failed;

        Call(StreamObserver<BuildOutput> out) {
            this.out = out;
        }

        @Override
        public void onNext(BuildInput in) {
            if (failed) return;
            try {
                if (in.hasOptions()) {
                    options = in.getOptions();
                    startUnpacking();
                } else if (context == null) {
                    fail("the first message of a build must be its options", -1);
                } else {
                    context.offer(in.getContextChunk().toByteArray());
                }
            } catch (IOException e) {
                fail("receiving the build context: " + unpackError().orElse(e.getMessage()), -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("receiving the build context: interrupted", -1);
            }
        }

        /** The context is unpacked as it arrives (written once: no tar on disk first). */
        private void startUnpacking() throws IOException {
            dir = cache.newTempDir("context-");
            context = new ContextStream();
            unpacked = new CompletableFuture<>();
            ContextStream stream = context;
            Path target = dir;
            Thread t = new Thread(() -> {
                try (stream) {
                    ContextArchive.extract(stream, target);
                    stream.transferTo(OutputStream.nullOutputStream()); // the tar's end padding
                    unpacked.complete(null);
                } catch (Exception e) {
                    unpacked.completeExceptionally(e);
                }
            }, "build-context");
            t.setDaemon(true);
            t.start();
        }

        private Optional<String> unpackError() {
            if (unpacked == null || !unpacked.isCompletedExceptionally()) return Optional.empty();
            try {
                unpacked.join();
                return Optional.empty();
            } catch (java.util.concurrent.CompletionException e) {
                return Optional.ofNullable(e.getCause()).map(Throwable::getMessage);
            }
        }

        @Override
        public void onError(Throwable t) {
            failed = true;
            cleanup();
        }

        @Override
        public void onCompleted() {
            if (failed) return;
            if (options == null) {
                fail("no build options were sent", -1);
                return;
            }
            Thread t = new Thread(this::run, "build");
            t.setDaemon(true);
            t.start();
        }

        private void run() {
            try {
                try {
                    context.end();
                } catch (IOException e) {
                    // the unpacking stopped early: its result below says why
                }
                try {
                    unpacked.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof BuildFailedException b) throw b;
                    throw new IOException("unpacking the build context: " + e.getCause().getMessage(), e.getCause());
                }
                String file = options.getDockerfileName().isEmpty() ? "Dockerfile" : options.getDockerfileName();
                Dockerfile df = Dockerfile.parse(file, options.getDockerfile());
                Map<String, String> args = new HashMap<>(options.getBuildArgsMap());
                var stages = DockerfilePlanner.plan(df, args, options.getTarget(), builder.images());
                Map<String, byte[]> secrets = new HashMap<>();
                options.getSecretsMap().forEach((k, v) -> secrets.put(k, v.toByteArray()));
                String target = stages.get(stages.size() - 1).name();
                BuildRequest request = new BuildRequest(stages, target, dir, options.getTagsList(), options.getNoCache(),
                        !options.getNetworkNone(), secrets,
                        options.getOciOutput().isEmpty() ? Optional.empty() : Optional.of(Path.of(options.getOciOutput())),
                        options.getPlainProgress());
                ImageBuilder.Result r = builder.build(request, new BuildProgress() {
                    @Override
                    public void line(String text) {
                        send(BuildOutput.newBuilder().setLine(text).build());
                    }

                    @Override
                    public void output(byte[] data) {
                        send(BuildOutput.newBuilder().setStepOutput(ByteString.copyFrom(data)).build());
                    }
                });
                send(BuildOutput.newBuilder().setResult(BuildResult.newBuilder().setDigest(r.image().digest().toString())
                        .addAllTags(options.getTagsList()).setSteps(r.steps()).setCached(r.cached())).build());
                synchronized (out) {
                    out.onCompleted();
                }
            } catch (BuildFailedException e) {
                fail(e.getMessage(), e.exitCode());
            } catch (DockerfileException e) {
                fail(e.getMessage(), -1);
            } catch (Exception e) {
                LOG.warnf(e, "build failed");
                fail(e.getClass().getSimpleName() + ": " + e.getMessage(), -1);
            } finally {
                cleanup();
            }
        }

        private void send(BuildOutput o) {
            synchronized (out) {
                out.onNext(o);
            }
        }

        private void fail(String message, int exitCode) {
            failed = true;
            try {
                synchronized (out) {
                    out.onNext(BuildOutput.newBuilder().setError(BuildError.newBuilder().setMessage(message)
                            .setExitCode(exitCode)).build());
                    out.onCompleted();
                }
            } catch (RuntimeException e) {
                // the client went away
            }
            cleanup();
        }

        /** Stops the unpacking (if it still runs), then removes the unpacked context. Idempotent. */
        private void cleanup() {
            if (context != null) context.abort();
            if (unpacked != null) {
                try {
                    unpacked.get(1, TimeUnit.MINUTES);
                } catch (Exception ignored) {
                    // failed or aborted: either way it no longer writes
                }
            }
            if (dir != null) {
                try {
                    FileTrees.deleteRecursively(dir);
                } catch (IOException ignored) {
                    // tmp/ is emptied at the next start
                }
            }
        }
    }
}
