package dev.hypr.controller.vm;

import dev.hypr.api.model.EnvVar;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.image.ImageConfig;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.InvalidReferenceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code spec.image} or {@code spec.rootfs} into a {@link Workload}. For an image the
 * config supplies the defaults and the spec overrides them as Kubernetes does for containers:
 * {@code command} replaces ENTRYPOINT (and then CMD is dropped), {@code args} replaces CMD,
 * spec env wins over image env by name, workingDir and user fall back to the image's.
 * Secret files (env valueFrom, spec.secrets) are read here, at each boot, and never stored.
 */
public final class WorkloadSource {
    /** The image side, behind an interface so the merge rules are testable without a registry. */
    @FunctionalInterface
    public interface Images {
        PulledImage ensure(String ref) throws Exception;
    }

    private final Images images;
    private final RootfsResolver rootfs;
    private final ImageUsers users;

    public WorkloadSource(Images images, RootfsResolver rootfs, ImageUsers users) {
        this.images = images;
        this.rootfs = rootfs;
        this.users = users;
    }

    public Workload resolve(VmSpec spec) throws ImagePullFailedException {
        if (spec.image() != null && !spec.image().isBlank()) {
            if (spec.rootfs() != null) {
                throw new VmConfigException(VmConfigException.INVALID_SPEC, "spec.image and spec.rootfs are exclusive: set one");
            }
            PulledImage image = pull(spec.image());
            return merge(spec, image.rootfs(), image.config(), users.forImage(image.rootfs()));
        }
        if (spec.rootfs() == null) {
            throw new VmConfigException(VmConfigException.INVALID_SPEC, "spec.image or spec.rootfs is required");
        }
        return merge(spec, rootfs.resolve(spec.rootfs()), null, ImageUsers.NUMERIC_ONLY);
    }

    private PulledImage pull(String ref) throws ImagePullFailedException {
        try {
            return images.ensure(ref);
        } catch (InvalidReferenceException e) {
            throw new VmConfigException(VmConfigException.INVALID_SPEC, "spec.image: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagePullFailedException(ref, "interrupted pulling " + ref, e);
        } catch (Exception e) {
            throw new ImagePullFailedException(ref, "pulling " + ref + ": " + e.getMessage(), e);
        }
    }

    static Workload merge(VmSpec spec, Path rootfs, ImageConfig config, ImageUsers.Lookup users) {
        List<String> entrypoint = config == null ? List.of() : config.entrypoint();
        List<String> cmd = config == null ? List.of() : config.cmd();
        List<String> argv = new ArrayList<>(spec.command() != null ? spec.command() : entrypoint);
        if (spec.args() != null) {
            argv.addAll(spec.args());
        } else if (spec.command() == null) {
            argv.addAll(cmd); // an explicit command drops the image's CMD, as in Kubernetes
        }
        if (argv.isEmpty()) {
            throw new VmConfigException(VmConfigException.INVALID_SPEC, config == null
                    ? "spec.command is required: a rootfs has no image config to take a default from"
                    : "the image has neither ENTRYPOINT nor CMD: set spec.command");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : config == null ? List.<String>of() : config.env()) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        for (EnvVar e : spec.env() == null ? List.<EnvVar>of() : spec.env()) {
            env.put(e.name(), e.valueFrom() != null ? SecretFiles.envValue(e) : e.value() == null ? "" : e.value());
        }
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        Optional<String> workingDir = firstNonBlank(spec.workingDir(), config == null ? null : config.workingDir());
        Optional<String> user = firstNonBlank(spec.user(), config == null ? null : config.user()).map(users::numeric);
        return new Workload(rootfs, argv, envList, workingDir, user, SecretFiles.read(spec.secrets(), spec.files()),
                HealthProbes.resolve(spec.healthcheck(), config == null ? null : config.healthcheck(), spec.ports()));
    }

    private static Optional<String> firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return Optional.of(a);
        }
        return Optional.ofNullable(b).filter(s -> !s.isBlank());
    }
}
