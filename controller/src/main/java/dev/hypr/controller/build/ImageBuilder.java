package dev.hypr.controller.build;

import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import dev.hypr.controller.util.FileTrees;
import dev.hypr.controller.vm.ImageUsers;
import dev.hypr.controller.vmm.GuestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes a build: the stages the target needs, in dependency order; per step, the cache first
 * (a step's key is its parent's key, the expanded instruction, the build args it uses and, for
 * COPY, the hash of the files it copies), else the step itself: COPY and WORKDIR make their
 * layer on the host, RUN runs in a build VM whose upper layer becomes the step's layer. A build
 * whose every step hits the cache boots no VM. The result lands in the image store through
 * {@link BuiltImageWriter}, as a pulled image does.
 */
public final class ImageBuilder {
    /** How a stage's base image is found: pulled if absent, as a VM's image is. */
    @FunctionalInterface
    public interface BaseImages {
        PulledImage ensure(String ref) throws Exception;
    }

    static final Duration STEP_TIMEOUT = Duration.ofHours(1);

    private final LayerCache cache;
    private final SquashfsBuilder squashfs;
    private final BuildVm.Host vmHost;
    private final BaseImages baseImages;
    private final BuiltImageWriter writer;
    private final ImageUsers users = new ImageUsers();
    private final AtomicInteger vmsBooted = new AtomicInteger();

    public ImageBuilder(LayerCache cache, SquashfsBuilder squashfs, BuildVm.Host vmHost, BaseImages baseImages,
            BuiltImageWriter writer) {
        this.cache = cache;
        this.squashfs = squashfs;
        this.vmHost = vmHost;
        this.baseImages = baseImages;
        this.writer = writer;
    }

    /** Build VMs booted by this builder since it was made (tests and benchmarks: a cached rebuild boots none). */
    public int vmsBooted() {
        return vmsBooted.get();
    }

    /** A finished stage: its layers, config, and the cache key that names all of it. */
    record StageResult(LayerStack layers, ImageSettings settings, String key, Optional<Path> baseRootfs) {
    }

    public record Result(PulledImage image, int steps, int cached) {
    }

    public Result build(BuildRequest request, BuildProgress progress) throws Exception {
        Path work = cache.newTempDir("build-");
        try {
            List<String> names = request.stages().stream().map(Stage::name).toList();
            List<Stage> order = order(request.stages(), names, request.target());
            Map<String, StageResult> done = new HashMap<>();
            int[] counts = new int[2];
            int total = order.stream().mapToInt(s -> s.steps().size()).sum();
            int[] stepNo = {0};
            for (Stage stage : order) {
                done.put(stage.name(), runStage(stage, names, done, request, progress, work, counts, stepNo, total));
            }
            StageResult target = done.get(request.target());
            PulledImage image = writer.write(target.layers(), target.settings(), request.tags(),
                    work.resolve("image"), request.ociOutput());
            progress.line("writing image " + image.digest() + (request.tags().isEmpty() ? "" : " as " + String.join(", ", request.tags())));
            return new Result(image, counts[0], counts[1]);
        } finally {
            FileTrees.deleteRecursively(work);
        }
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

    private StageResult runStage(Stage stage, List<String> names, Map<String, StageResult> done, BuildRequest request,
            BuildProgress progress, Path work, int[] counts, int[] stepNo, int total) throws Exception {
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
            PulledImage base = baseImages.ensure(stage.base());
            List<LayerStack.Layer> ls = new ArrayList<>();
            for (Digest d : base.layers()) {
                ls.add(new LayerStack.Layer(d, writer.store().blobs().path(d)));
            }
            layers = new LayerStack(ls);
            settings = ImageSettings.from(base.config());
            key = sha("image\0" + base.digest());
            rootfs = Optional.of(base.rootfs());
        }
        progress.line("[" + stage.name() + "] FROM " + stage.base());
        for (BuildStep step : stage.steps()) {
            stepNo[0]++;
            String prefix = "[" + stage.name() + " " + stepNo[0] + "/" + total + "] " + step.text();
            if (step instanceof BuildStep.Config c) {
                    settings.apply(c.change());
                    key = sha(key + "\0" + step.text());
                    progress.line(prefix);
            } else if (step instanceof BuildStep.Workdir w) {
                    String dir = "/" + CopyLayer.absolute(w.path(), settings.workingDir());
                    settings.workingDir(dir);
                    String stepKey = sha(key + "\0" + step.text() + "\0dir:" + dir);
                    Optional<Digest> hit = request.noCache() ? Optional.empty() : cache.lookup(stepKey);
                    progress.line(prefix + (hit.isPresent() ? " CACHED" : ""));
                    Digest layer = hit.isPresent() ? hit.get() : directoryLayer(dir, stepKey);
                    if (hit.isPresent()) counts[1]++;
                    layers = layers.plus(new LayerStack.Layer(layer, cache.layer(layer)));
                    rootfs = Optional.empty();
                    key = stepKey;
                    counts[0]++;
            } else if (step instanceof BuildStep.Copy c) {
                    Optional<long[]> owner = owner(c.chown(), layers, rootfs, work);
                    CopyLayer fromContext = null;
                    String stepKey;
                    if (c.fromStage().isPresent() && done.containsKey(c.fromStage().get())) {
                        stepKey = sha(key + "\0" + step.text() + "\0stage:" + done.get(c.fromStage().get()).key()
                                + "\0" + settings.workingDir() + "\0" + owner.map(o -> o[0] + ":" + o[1]).orElse(""));
                    } else if (c.fromStage().isPresent()) {
                        throw new BuildFailedException(step.text() + ": stage \"" + c.fromStage().get() + "\" does not exist");
                    } else {
                        fromContext = CopyLayer.fromContext(request.context(), c, settings.workingDir(), owner);
                        stepKey = sha(key + "\0" + step.text() + "\0files:" + fromContext.contentHash() + "\0"
                                + settings.workingDir());
                    }
                    Optional<Digest> hit = request.noCache() ? Optional.empty() : cache.lookup(stepKey);
                    Digest layer;
                    if (hit.isPresent()) {
                        layer = hit.get();
                        counts[1]++;
                        progress.line(prefix + " CACHED");
                    } else {
                        progress.line(prefix);
                        Path tar = cache.newTempFile("copy-");
                        if (fromContext != null) {
                            fromContext.writeTar(tar);
                        } else {
                            Path stageTar = work.resolve("stage-" + UUID.randomUUID() + ".tar");
                            done.get(c.fromStage().get()).layers().mergeToTar(stageTar);
                            try {
                                CopyLayer.fromStageTar(stageTar, c, settings.workingDir(), owner, tar);
                            } finally {
                                Files.deleteIfExists(stageTar);
                            }
                        }
                        layer = cache.putLayer(tar);
                        cache.record(stepKey, layer);
                    }
                    layers = layers.plus(new LayerStack.Layer(layer, cache.layer(layer)));
                    rootfs = Optional.empty();
                    key = stepKey;
                    counts[0]++;
            } else if (step instanceof BuildStep.Run r) {
                    String user = settings.user();
                    String stepKey = sha(key + "\0" + step.text() + "\0argv:" + String.join("\0", r.argv()) + "\0args:"
                            + String.join("\0", r.buildArgs()) + "\0env:" + String.join("\0", settings.runEnv(List.of()))
                            + "\0user:" + user + "\0cwd:" + settings.workingDir() + "\0net:" + request.network()
                            + "\0secrets:" + String.join(",", r.secrets()));
                    Optional<Digest> hit = request.noCache() ? Optional.empty() : cache.lookup(stepKey);
                    Digest layer;
                    if (hit.isPresent()) {
                        layer = hit.get();
                        counts[1]++;
                        progress.line(prefix + " CACHED");
                    } else {
                        progress.line(prefix);
                        layer = run(r, prefix, layers, rootfs, settings, request, progress, work);
                        cache.record(stepKey, layer);
                    }
                    layers = layers.plus(new LayerStack.Layer(layer, cache.layer(layer)));
                    rootfs = Optional.empty();
                    key = stepKey;
                    counts[0]++;
            }
        }
        return new StageResult(layers, settings, key, rootfs);
    }

    /** Runs one RUN in a fresh build VM on the layers so far; returns the layer it made, in the cache. */
    private Digest run(BuildStep.Run r, String prefix, LayerStack layers, Optional<Path> rootfs, ImageSettings settings,
            BuildRequest request, BuildProgress progress, Path work) throws Exception {
        Path stepDir = Files.createDirectory(work.resolve("run-" + UUID.randomUUID()));
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
                secrets.add(new GuestConfig.SecretFile(id, value));
            }
            String vmName = "build." + UUID.randomUUID().toString().substring(0, 8);
            vmsBooted.incrementAndGet();
            try (BuildVm vm = BuildVm.boot(vmHost, vmName, lower, stepDir, request.network(), secrets, user)) {
                ExecRequest exec = new ExecRequest(r.argv(), settings.runEnv(r.buildArgs()),
                        settings.workingDir().isEmpty() ? Optional.empty() : Optional.of(settings.workingDir()),
                        user, false, 0, 0);
                StringBuilder tail = new StringBuilder();
                int code = vm.exec(exec, b -> {
                    if (request.plainProgress()) progress.output(b);
                    synchronized (tail) {
                        tail.append(new String(b, StandardCharsets.UTF_8));
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
                    return cache.putLayer(tar);
                } finally {
                    Files.deleteIfExists(tar);
                }
            }
        } finally {
            FileTrees.deleteRecursively(stepDir);
        }
    }

    /** WORKDIR's layer: the directory (0755, root), as docker creates it when missing. */
    private Digest directoryLayer(String dir, String stepKey) throws IOException {
        Path tar = cache.newTempFile("workdir-");
        try (var o = Files.newOutputStream(tar); var t = CopyLayer.newTar(o)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(CopyLayer.stripSlashes(dir) + "/",
                    org.apache.commons.compress.archivers.tar.TarConstants.LF_DIR, false);
            e.setMode(0755);
            e.setModTime(0);
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
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
