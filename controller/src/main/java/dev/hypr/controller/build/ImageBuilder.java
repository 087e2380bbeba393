package dev.hypr.controller.build;

import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import dev.hypr.controller.util.FileTrees;
import dev.hypr.controller.vm.ImageUsers;
import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.VmShare;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executes a build: the stages the target needs, each once the stages it reads are done, up to
 * {@link #MAX_PARALLEL_STAGES} at a time; per step, the cache first (a step's key is its parent's
 * key, the expanded instruction, the build args it uses and, for COPY, the hash of the files it
 * copies), else the step itself: COPY, ADD and WORKDIR make their layer on the host, RUN runs in
 * a build VM whose upper layer becomes the step's layer. A build whose every step hits the cache
 * boots no VM. The result lands in the image store through {@link BuiltImageWriter}, as a pulled
 * image does. Every image the build reads is pinned (see {@link BaseImages#pin}) until it ends.
 */
public final class ImageBuilder {
    /** How a stage's base image is found: pulled if absent, as a VM's image is. */
    @FunctionalInterface
    public interface BaseImages {
        PulledImage ensure(String ref) throws Exception;

        /** Keeps image prune and delete away from {@code image} until the result is closed. */
        default AutoCloseable pin(PulledImage image) throws Exception {
            return () -> { };
        }
    }

    static final Duration STEP_TIMEOUT = Duration.ofHours(1);
    /** Independent stages built at once: each may boot a build VM, and a build should not take the host. */
    static final int MAX_PARALLEL_STAGES = 2;

    private final LayerCache cache;
    private final SquashfsBuilder squashfs;
    private final BuildVm.Host vmHost;
    private final BaseImages baseImages;
    private final BuiltImageWriter writer;
    private final CacheMounts cacheMounts;
    private final ImageUsers users = new ImageUsers();
    private final AtomicInteger vmsBooted = new AtomicInteger();

    public ImageBuilder(LayerCache cache, SquashfsBuilder squashfs, BuildVm.Host vmHost, BaseImages baseImages,
            BuiltImageWriter writer) {
        this.cache = cache;
        this.squashfs = squashfs;
        this.vmHost = vmHost;
        this.baseImages = baseImages;
        this.writer = writer;
        this.cacheMounts = new CacheMounts(cache.mountsRoot());
    }

    /** Build VMs booted by this builder since it was made (tests and benchmarks: a cached rebuild boots none). */
    public int vmsBooted() {
        return vmsBooted.get();
    }

    /**
     * How the planner finds images: a reference with a digest is first looked up by that digest
     * in the store (an image built or pulled under another name has the same content), else
     * pulled as {@link BaseImages#ensure} does.
     */
    public BaseImages images() {
        return this::image;
    }

    private PulledImage image(String ref) throws Exception {
        Optional<Digest> digest = ImageReference.parse(ref).pinnedDigest();
        if (digest.isPresent()) {
            Optional<PulledImage> stored = writer.store().byDigest(digest.get());
            if (stored.isPresent()) return stored.get();
        }
        return baseImages.ensure(ref);
    }

    /** A finished stage: its layers, config, and the cache key that names all of it. */
    record StageResult(LayerStack layers, ImageSettings settings, String key, Optional<Path> baseRootfs) {
    }

    public record Result(PulledImage image, int steps, int cached) {
    }

    /** One build's shared state: its stages may run on several threads. */
    private static final class Run {
        final BuildRequest request;
        final BuildProgress progress;
        final Path work;
        final Map<String, StageResult> done = new ConcurrentHashMap<>();
        final List<AutoCloseable> pins = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger steps = new AtomicInteger();
        final AtomicInteger cached = new AtomicInteger();
        final AtomicInteger stepNo = new AtomicInteger();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final int total;

        Run(BuildRequest request, BuildProgress progress, Path work, int total) {
            this.request = request;
            this.progress = progress;
            this.work = work;
            this.total = total;
        }
    }

    public Result build(BuildRequest request, BuildProgress progress) throws Exception {
        Path work = cache.newTempDir("build-");
        List<String> names = request.stages().stream().map(Stage::name).toList();
        List<Stage> order = order(request.stages(), names, request.target());
        Run b = new Run(request, synchronize(progress), work, order.stream().mapToInt(s -> s.steps().size()).sum());
        ExecutorService pool = Executors.newFixedThreadPool(MAX_PARALLEL_STAGES, r -> {
            Thread t = new Thread(r, "build-stage");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, CompletableFuture<Void>> stages = new HashMap<>();
            for (Stage stage : order) {
                CompletableFuture<?>[] deps = stage.stageDependencies(names).stream().map(stages::get).toArray(CompletableFuture[]::new);
                stages.put(stage.name(), CompletableFuture.allOf(deps).thenRunAsync(() -> {
                    if (b.failure.get() != null) return; // another stage failed: start nothing more
                    try {
                        b.done.put(stage.name(), runStage(stage, names, b));
                    } catch (Exception e) {
                        b.failure.compareAndSet(null, e);
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            try {
                CompletableFuture.allOf(stages.values().toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                // the first failure is rethrown below, once every stage has stopped
            }
            if (b.failure.get() != null) throw b.failure.get();
            StageResult target = b.done.get(request.target());
            PulledImage image = writer.write(target.layers(), target.settings(), request.tags(),
                    work.resolve("image"), request.ociOutput());
            b.progress.line("writing image " + image.digest() + (request.tags().isEmpty() ? "" : " as " + String.join(", ", request.tags())));
            return new Result(image, b.steps.get(), b.cached.get());
        } finally {
            pool.shutdownNow();
            for (AutoCloseable pin : b.pins) {
                try {
                    pin.close();
                } catch (Exception ignored) {
                    // the pin only kept prune away
                }
            }
            FileTrees.deleteRecursively(work);
        }
    }

    private static BuildProgress synchronize(BuildProgress p) {
        return new BuildProgress() {
            @Override
            public synchronized void line(String text) {
                p.line(text);
            }

            @Override
            public synchronized void output(byte[] data) {
                p.output(data);
            }
        };
    }

    /** The image {@code ref}, pinned for the rest of the build. */
    private PulledImage pinned(String ref, Run b) throws Exception {
        for (int attempt = 1; ; attempt++) {
            PulledImage image = image(ref);
            try {
                b.pins.add(baseImages.pin(image));
                return image;
            } catch (IOException gone) {
                if (attempt == 2) throw gone; // pruned between the pull and the pin: pull once more
            }
        }
    }

    private LayerStack layersOf(PulledImage image) {
        List<LayerStack.Layer> ls = new ArrayList<>();
        for (Digest d : image.layers()) {
            ls.add(new LayerStack.Layer(d, writer.store().blobs().path(d)));
        }
        return new LayerStack(ls);
    }

    /** The stages the target needs, each after the stages it reads. */
    static List<Stage> order(List<Stage> stages, List<String> names, String target) throws BuildFailedException {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        visit(target, stages, names, out, new LinkedHashSet<>());
        return out.stream().map(n -> stages.get(names.indexOf(n))).toList();
    }

    private static void visit(String name, List<Stage> stages, List<String> names, LinkedHashSet<String> out,
            LinkedHashSet<String> path) throws BuildFailedException {
        if (out.contains(name)) return;
        if (!path.add(name)) {
            throw new BuildFailedException("stages depend on each other in a cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        Stage s = stages.get(names.indexOf(name));
        for (String dep : s.stageDependencies(names)) {
            if (names.indexOf(dep) >= names.indexOf(name)) {
                throw new BuildFailedException("stage " + name + " uses stage " + dep + ", which is not defined before it");
            }
            visit(dep, stages, names, out, path);
        }
        path.remove(name);
        out.add(name);
    }

    private StageResult runStage(Stage stage, List<String> names, Run b) throws Exception {
        BuildRequest request = b.request;
        BuildProgress progress = b.progress;
        Path work = b.work;
        Map<String, StageResult> done = b.done;
        LayerStack layers;
        ImageSettings settings;
        String key;
        Optional<Path> rootfs = Optional.empty(); // a squashfs of exactly `layers`, when one exists
        if (done.containsKey(stage.base())) {
            StageResult base = done.get(stage.base());
            layers = base.layers();
            settings = base.settings().copy();
            key = base.key();
            rootfs = base.baseRootfs();
        } else if (Stage.SCRATCH.equals(stage.base())) {
            layers = new LayerStack(List.of());
            settings = new ImageSettings();
            key = sha("scratch");
        } else {
            PulledImage base = pinned(stage.base(), b);
            layers = layersOf(base);
            settings = ImageSettings.from(base.config());
            key = sha("image\0" + base.digest());
            rootfs = Optional.of(base.rootfs());
        }
        progress.line("[" + stage.name() + "] FROM " + stage.base());
        for (BuildStep step : stage.steps()) {
            if (b.failure.get() != null) throw new BuildFailedException("stopped: another stage failed");
            String prefix = "[" + stage.name() + " " + b.stepNo.incrementAndGet() + "/" + b.total + "] " + step.text();
            if (step instanceof BuildStep.Config c) {
                    settings.apply(c.change());
                    key = sha(key + "\0" + step.text());
                    progress.line(prefix);
            } else if (step instanceof BuildStep.Workdir w) {
                    String dir = "/" + CopyLayer.absolute(w.path(), settings.workingDir());
                    settings.workingDir(dir);
                    String stepKey = sha(key + "\0" + step.text() + "\0dir:" + dir + "\0user:" + settings.user());
                    Optional<Digest> hit = request.noCache() ? Optional.empty() : cache.lookup(stepKey);
                    progress.line(prefix + (hit.isPresent() ? " CACHED" : ""));
                    Digest layer = hit.isPresent() ? hit.get()
                            : directoryLayer(dir, owner(Optional.of(settings.user()).filter(u -> !u.isEmpty()), layers, rootfs, work),
                                    layers, stepKey);
                    if (hit.isPresent()) b.cached.incrementAndGet();
                    layers = layers.plus(new LayerStack.Layer(layer, cache.layer(layer)));
                    rootfs = Optional.empty();
                    key = stepKey;
                    b.steps.incrementAndGet();
            } else if (step instanceof BuildStep.Copy c) {
                    Optional<long[]> owner = owner(c.chown(), layers, rootfs, work);
                    CopyLayer fromContext = null;
                    Path scratch = Files.createDirectory(work.resolve("copy-" + UUID.randomUUID()));
                    try {
                        String stepKey;
                        LayerStack fromLayers = null;
                        String ownerText = owner.map(o -> o[0] + ":" + o[1]).orElse("");
                        if (c.fromStage().isPresent() && done.containsKey(c.fromStage().get())) {
                            StageResult from = done.get(c.fromStage().get());
                            fromLayers = from.layers();
                            stepKey = sha(key + "\0" + step.text() + "\0stage:" + from.key() + "\0" + settings.workingDir() + "\0" + ownerText);
                        } else if (c.fromStage().isPresent()) {
                            throw new BuildFailedException(step.text() + ": stage \"" + c.fromStage().get() + "\" does not exist");
                        } else if (c.fromImage().isPresent()) {
                            PulledImage from = pinned(c.fromImage().get(), b);
                            fromLayers = layersOf(from);
                            stepKey = sha(key + "\0" + step.text() + "\0image:" + from.digest() + "\0" + settings.workingDir() + "\0" + ownerText);
                        } else {
                            fromContext = CopyLayer.fromContext(request.context(), c, settings.workingDir(), owner, scratch);
                            stepKey = sha(key + "\0" + step.text() + "\0files:" + fromContext.contentHash() + "\0"
                                    + settings.workingDir());
                        }
                        Optional<Digest> hit = request.noCache() ? Optional.empty() : cache.lookup(stepKey);
                        Digest layer;
                        if (hit.isPresent()) {
                            layer = hit.get();
                            b.cached.incrementAndGet();
                            progress.line(prefix + " CACHED");
                        } else {
                            progress.line(prefix);
                            Path tar = cache.newTempFile("copy-");
                            if (fromContext != null) {
                                fromContext.writeTar(tar);
                            } else {
                                Path stageTar = scratch.resolve("from.tar");
                                fromLayers.mergeToTar(stageTar);
                                CopyLayer.fromStageTar(stageTar, c, settings.workingDir(), owner, tar);
                            }
                            layer = cache.putLayer(tar);
                            cache.record(stepKey, layer);
                        }
                        layers = layers.plus(new LayerStack.Layer(layer, cache.layer(layer)));
                        rootfs = Optional.empty();
                        key = stepKey;
                        b.steps.incrementAndGet();
                    } finally {
                        FileTrees.deleteRecursively(scratch);
                    }
            } else if (step instanceof BuildStep.Run r) {
                    String user = settings.user();
                    String stepKey = sha(key + "\0" + step.text() + "\0argv:" + String.join("\0", r.argv()) + "\0args:"
                            + String.join("\0", r.buildArgs()) + "\0env:" + String.join("\0", settings.runEnv(List.of()))
                            + "\0user:" + user + "\0cwd:" + settings.workingDir() + "\0net:" + request.network()
                            + "\0secrets:" + String.join(",", r.secrets()) + "\0secretTargets:" + new java.util.TreeMap<>(r.secretTargets())
                            + "\0binds:" + bindKeys(r, b, prefix));
                    Optional<Digest> hit = request.noCache() ? Optional.empty() : cache.lookup(stepKey);
                    Digest layer;
                    if (hit.isPresent()) {
                        layer = hit.get();
                        b.cached.incrementAndGet();
                        progress.line(prefix + " CACHED");
                    } else {
                        progress.line(prefix);
                        layer = run(r, prefix, layers, rootfs, settings, b);
                        cache.record(stepKey, layer);
                    }
                    layers = layers.plus(new LayerStack.Layer(layer, cache.layer(layer)));
                    rootfs = Optional.empty();
                    key = stepKey;
                    b.steps.incrementAndGet();
            }
        }
        return new StageResult(layers, settings, key, rootfs);
    }

    /** What a RUN's bind mounts expose, for its cache key: the files' hash, the stage's key or the image's digest. */
    private String bindKeys(BuildStep.Run r, Run b, String prefix) throws Exception {
        StringBuilder out = new StringBuilder();
        for (BuildStep.Mount m : r.mounts()) {
            if (!(m instanceof BuildStep.BindMount bind)) continue;
            out.append(bind.target()).append('=');
            if (bind.fromStage().isPresent()) {
                StageResult from = b.done.get(bind.fromStage().get());
                if (from == null) throw new BuildFailedException(prefix + ": stage \"" + bind.fromStage().get() + "\" does not exist");
                out.append("stage:").append(from.key());
            } else if (bind.fromImage().isPresent()) {
                out.append("image:").append(pinned(bind.fromImage().get(), b).digest());
            } else {
                out.append("files:").append(contextView(bind, b.request.context(), prefix).contentHash());
            }
            out.append(':').append(bind.source()).append('\0');
        }
        return out.toString();
    }

    /** The context files a bind mount shows, as a COPY of its source to / would take them. */
    private static CopyLayer contextView(BuildStep.BindMount bind, Path context, String prefix) throws Exception {
        BuildStep.Copy view = new BuildStep.Copy(prefix, List.of(bind.source()), "/", Optional.empty(), Optional.empty(), Optional.empty());
        return CopyLayer.fromContext(context, view, "", Optional.empty());
    }

    /**
     * The host directories a RUN's mounts show, as virtiofs shares: a cache mount's directory, the
     * context's source directory (read-only in place; copied when rw), or a stage's or image's
     * filesystem unpacked into the step's directory.
     */
    private List<VmShare> shares(BuildStep.Run r, Run b, Path stepDir, String prefix, List<AutoCloseable> leases) throws Exception {
        List<VmShare> out = new ArrayList<>();
        int n = 0;
        for (BuildStep.Mount m : r.mounts()) {
            String tag = "hypr-mount-" + n++;
            if (m instanceof BuildStep.CacheMount c) {
                CacheMounts.Lease lease = cacheMounts.acquire(c, stepDir);
                leases.add(lease);
                out.add(new VmShare(lease.dir(), tag, c.target(), false));
                continue;
            }
            BuildStep.BindMount bind = (BuildStep.BindMount) m;
            Path dir;
            if (bind.fromStage().isEmpty() && bind.fromImage().isEmpty() && !bind.readWrite()) {
                Path root = b.request.context().toRealPath();
                dir = root.resolve(CopyLayer.stripSlashes(bind.source()).isEmpty() ? "." : CopyLayer.stripSlashes(bind.source())).normalize();
                if (!dir.startsWith(root) || !Files.exists(dir) || !dir.toRealPath().startsWith(root)) {
                    throw new BuildFailedException(prefix + ": bind source \"" + bind.source() + "\" is not in the build context");
                }
                dir = dir.toRealPath();
            } else {
                Path tree = Files.createDirectory(stepDir.resolve("bind-" + n));
                Path tar = stepDir.resolve("bind-" + n + ".tar");
                if (bind.fromStage().isPresent()) {
                    b.done.get(bind.fromStage().get()).layers().mergeToTar(tar);
                } else if (bind.fromImage().isPresent()) {
                    layersOf(pinned(bind.fromImage().get(), b)).mergeToTar(tar);
                } else {
                    BuildStep.Copy all = new BuildStep.Copy(prefix, List.of("."), "/", Optional.empty(), Optional.empty(), Optional.empty());
                    CopyLayer.fromContext(b.request.context(), all, "", Optional.empty()).writeTar(tar);
                }
                try (InputStream in = Files.newInputStream(tar)) {
                    TreeExtractor.extract(in, tree);
                }
                Files.delete(tar);
                dir = tree.resolve(CopyLayer.stripSlashes(bind.source()).isEmpty() ? "." : CopyLayer.stripSlashes(bind.source())).normalize();
                if (!dir.startsWith(tree) || !Files.exists(dir) || !dir.toRealPath().startsWith(tree.toRealPath())) {
                    throw new BuildFailedException(prefix + ": bind source \"" + bind.source() + "\" is not in "
                            + bind.fromStage().map(s -> "stage " + s).or(() -> bind.fromImage().map(i -> "image " + i)).orElse("the context"));
                }
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildFailedException(prefix + ": bind source \"" + bind.source()
                        + "\" is a file; this builder mounts directories only (mount its directory instead)");
            }
            out.add(new VmShare(dir, tag, bind.target(), !bind.readWrite()));
        }
        return out;
    }

    /** Runs one RUN in a fresh build VM on the layers so far; returns the layer it made, in the cache. */
    private Digest run(BuildStep.Run r, String prefix, LayerStack layers, Optional<Path> rootfs, ImageSettings settings, Run b)
            throws Exception {
        BuildRequest request = b.request;
        BuildProgress progress = b.progress;
        Path stepDir = Files.createDirectory(b.work.resolve("run-" + UUID.randomUUID()));
        List<AutoCloseable> leases = new ArrayList<>();
        try {
            Path lower = rootfs.isPresent() ? rootfs.get() : squash(layers, stepDir);
            Optional<String> user = settings.user().isEmpty() ? Optional.empty()
                    : Optional.of(users.forImage(lower).numeric(settings.user()));
            List<GuestConfig.SecretFile> secrets = new ArrayList<>();
            for (String id : r.secrets()) {
                byte[] value = request.secrets().get(id);
                if (value == null) {
                    throw new BuildFailedException(prefix + ": secret \"" + id + "\" was not given (--secret id=" + id + ",src=FILE)");
                }
                // with a target, Kestrel writes it there (a private tmpfs bind-mounted on a stub the layer leaves out)
                secrets.add(new GuestConfig.SecretFile(id, value, r.secretTargets().get(id), null, null, null));
            }
            List<VmShare> shares = shares(r, b, stepDir, prefix, leases);
            String vmName = "build." + UUID.randomUUID().toString().substring(0, 8);
            vmsBooted.incrementAndGet();
            try (BuildVm vm = BuildVm.boot(vmHost, vmName, lower, stepDir, request.network(), secrets, user, shares)) {
                ExecRequest exec = new ExecRequest(r.argv(), settings.runEnv(r.buildArgs()),
                        settings.workingDir().isEmpty() ? Optional.empty() : Optional.of(settings.workingDir()),
                        user, false, 0, 0);
                StringBuilder tail = new StringBuilder();
                int code = vm.exec(exec, bytes -> {
                    if (request.plainProgress()) progress.output(bytes);
                    synchronized (tail) {
                        tail.append(new String(bytes, StandardCharsets.UTF_8));
                        if (tail.length() > 4096) tail.delete(0, tail.length() - 4096);
                    }
                }, STEP_TIMEOUT);
                if (code != 0) {
                    String last;
                    synchronized (tail) {
                        last = tail.toString().strip();
                    }
                    throw new BuildFailedException(prefix + ": did not complete successfully: exit code " + code
                            + (last.isEmpty() ? "" : "\n" + last), code);
                }
                Path tar = cache.newTempFile("run-");
                try {
                    vm.captureUpper(tar);
                    List<String> mountPoints = new ArrayList<>(r.secretTargets().values());
                    shares.forEach(share -> mountPoints.add(share.mountPath()));
                    if (!mountPoints.isEmpty()) tar = withoutMountPoints(tar, mountPoints, layers);
                    return cache.putLayer(tar);
                } finally {
                    Files.deleteIfExists(tar);
                }
            }
        } finally {
            for (AutoCloseable l : leases) l.close();
            FileTrees.deleteRecursively(stepDir);
        }
    }

    /**
     * The layer without what Kestrel made in the upper layer to mount the RUN's cache and bind
     * mounts and secret targets on (BuildKit leaves its mount stubs out too): each target, and
     * each parent of one that the layers below did not have and that holds nothing else here.
     */
    private Path withoutMountPoints(Path tar, List<String> mountPoints, LayerStack lower) throws IOException {
        Set<String> names = new HashSet<>();
        try (InputStream in = Files.newInputStream(tar)) {
            dev.hypr.controller.image.layer.TarReader reader = new dev.hypr.controller.image.layer.TarReader(in);
            for (var e = reader.next(); e != null; e = reader.next()) names.add(CopyLayer.stripSlashes(e.name()));
        }
        Set<String> drop = new HashSet<>();
        Set<String> parents = new HashSet<>();
        for (String mountPoint : mountPoints) {
            String target = CopyLayer.stripSlashes(mountPoint);
            if (names.contains(target)) drop.add(target);
            for (int i = target.lastIndexOf('/'); i > 0; i = target.lastIndexOf('/', i - 1)) {
                if (names.contains(target.substring(0, i))) parents.add(target.substring(0, i));
            }
        }
        if (!parents.isEmpty()) {
            Set<String> existed = lower.existing(parents);
            for (String p : parents.stream().sorted((x, y) -> y.length() - x.length()).toList()) {
                boolean onlyStubs = names.stream().filter(n -> n.startsWith(p + "/")).allMatch(drop::contains);
                if (!existed.contains(p) && onlyStubs) drop.add(p);
            }
        }
        if (drop.isEmpty()) return tar;
        Path out = cache.newTempFile("run-");
        LayerTarFilter.drop(tar, out, drop);
        Files.delete(tar);
        return out;
    }

    /**
     * WORKDIR's layer, as BuildKit makes it: the directory and each missing parent, created 0755
     * and owned by the stage's USER (root without one); directories that exist are left alone.
     */
    private Digest directoryLayer(String dir, Optional<long[]> owner, LayerStack layers, String stepKey) throws IOException {
        List<String> parts = new ArrayList<>();
        String clean = CopyLayer.stripSlashes(dir);
        for (int i = clean.indexOf('/'); i >= 0; i = clean.indexOf('/', i + 1)) parts.add(clean.substring(0, i));
        if (!clean.isEmpty()) parts.add(clean);
        Set<String> existing = parts.isEmpty() || layers.layers().isEmpty() ? Set.of() : layers.existing(new HashSet<>(parts));
        Path tar = cache.newTempFile("workdir-");
        try (var o = Files.newOutputStream(tar); var t = CopyLayer.newTar(o)) {
            for (String p : parts) {
                if (existing.contains(p)) continue;
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(p + "/",
                        org.apache.commons.compress.archivers.tar.TarConstants.LF_DIR, false);
                e.setMode(0755);
                e.setUserId(owner.map(u -> u[0]).orElse(0L));
                e.setGroupId(owner.map(u -> u[1]).orElse(0L));
                e.setModTime(0);
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            }
        }
        Digest layer = cache.putLayer(tar);
        cache.record(stepKey, layer);
        return layer;
    }

    private Path squash(LayerStack layers, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("lower.squashfs");
        if (layers.layers().isEmpty()) {
            throw new IOException("RUN on an empty filesystem (FROM scratch without files): nothing could run");
        }
        squashfs.build(layers::mergeTo, out, dir);
        return out;
    }

    /** --chown as numbers: names are looked up in the stage's /etc/passwd and /etc/group. */
    private Optional<long[]> owner(Optional<String> chown, LayerStack layers, Optional<Path> rootfs, Path work) throws Exception {
        if (chown.isEmpty()) return Optional.empty();
        String spec = chown.get();
        String numeric;
        if (spec.matches("[0-9]+(:[0-9]+)?")) {
            numeric = spec;
        } else {
            Path dir = Files.createDirectory(work.resolve("chown-" + UUID.randomUUID()));
            try {
                Path fs = rootfs.isPresent() ? rootfs.get() : squash(layers, dir);
                numeric = users.forImage(fs).numeric(spec);
            } finally {
                FileTrees.deleteRecursively(dir);
            }
        }
        String[] parts = numeric.split(":");
        long uid = Long.parseLong(parts[0]);
        return Optional.of(new long[] {uid, parts.length > 1 ? Long.parseLong(parts[1]) : uid});
    }

    static String sha(String text) {
        return HexFormat.of().formatHex(Digest.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
