package dev.hypr.controller.vm;

import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.HealthProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a VM runs: the root filesystem it boots and the process Kestrel starts in it, after the
 * image defaults and the spec's overrides are merged. env entries are "NAME=value" (secret
 * values included: never log a Workload's env); secrets are spec.secrets and spec.files, the files Kestrel writes in the guest;
 * health is the spec's health check, else the image's HEALTHCHECK, unless disabled.
 */
public record Workload(Path rootfs, List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user,
                       List<GuestConfig.SecretFile> secrets, Optional<HealthProbe> health) {
    public Workload(Path rootfs, List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user) {
        this(rootfs, argv, env, workingDir, user, List.of(), Optional.empty());
    }

    public Workload {
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(rootfs);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        Objects.requireNonNull(workingDir);
        Objects.requireNonNull(user);
        Objects.requireNonNull(health);
    }
}
