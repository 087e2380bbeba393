package dev.hypr.controller.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a VM runs: the root filesystem it boots and the process Kestrel starts in it, after the
 * image defaults and the spec's overrides are merged. env entries are "NAME=value".
 */
public record Workload(Path rootfs, List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user) {
    public Workload {
        Objects.requireNonNull(rootfs);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        Objects.requireNonNull(workingDir);
        Objects.requireNonNull(user);
    }
}
