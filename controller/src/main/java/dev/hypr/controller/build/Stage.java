package dev.hypr.controller.build;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stage of a build: its base ({@code scratch}, an image reference, or the name of an earlier
 * stage) and its steps. {@code name} is the AS name, or the stage's index as text.
 */
public record Stage(String name, String base, List<BuildStep> steps) {
    public static final String SCRATCH = "scratch";

    public Stage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(base);
        steps = List.copyOf(steps);
    }

    /** The stages this one reads: its base when that is a stage, every COPY --from and RUN --mount=type=bind,from. */
    public List<String> stageDependencies(List<String> stageNames) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        if (stageNames.contains(base)) out.add(base);
        for (BuildStep s : steps) {
            if (s instanceof BuildStep.Copy c) c.fromStage().filter(stageNames::contains).ifPresent(out::add);
            if (s instanceof BuildStep.Run r) {
                for (BuildStep.Mount m : r.mounts()) {
                    if (m instanceof BuildStep.BindMount b) b.fromStage().filter(stageNames::contains).ifPresent(out::add);
                }
            }
        }
        return List.copyOf(out);
    }

    public Optional<BuildStep> step(int i) {
        return i >= 0 && i < steps.size() ? Optional.of(steps.get(i)) : Optional.empty();
    }
}
