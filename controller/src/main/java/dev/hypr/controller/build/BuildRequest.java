package dev.hypr.controller.build;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to build: the stages (in Dockerfile order), which one is the result, the context
 * directory, the tags, and the options of {@code hyprctl build}. Secret values are bytes held
 * only here, for the steps that mount them.
 */
public record BuildRequest(List<Stage> stages, String target, Path context, List<String> tags, boolean noCache,
                           boolean network, Map<String, byte[]> secrets, Optional<Path> ociOutput, boolean plainProgress) {
    public BuildRequest {
        stages = List.copyOf(stages);
        Objects.requireNonNull(target);
        Objects.requireNonNull(context);
        tags = List.copyOf(tags);
        secrets = Map.copyOf(secrets);
        Objects.requireNonNull(ociOutput);
        if (stages.stream().noneMatch(s -> s.name().equals(target))) {
            throw new IllegalArgumentException("target stage \"" + target + "\" does not exist");
        }
    }

    /** The last stage is the target, no options. */
    public static BuildRequest of(List<Stage> stages, Path context, List<String> tags) {
        return new BuildRequest(stages, stages.get(stages.size() - 1).name(), context, tags, false, true, Map.of(),
                Optional.empty(), true);
    }

    public BuildRequest withNoCache(boolean v) {
        return new BuildRequest(stages, target, context, tags, v, network, secrets, ociOutput, plainProgress);
    }

    public BuildRequest withSecrets(Map<String, byte[]> v) {
        return new BuildRequest(stages, target, context, tags, noCache, network, v, ociOutput, plainProgress);
    }

    public BuildRequest withNetwork(boolean v) {
        return new BuildRequest(stages, target, context, tags, noCache, v, secrets, ociOutput, plainProgress);
    }

    public BuildRequest withOciOutput(Optional<Path> v) {
        return new BuildRequest(stages, target, context, tags, noCache, network, secrets, v, plainProgress);
    }

    public BuildRequest withTarget(String v) {
        return new BuildRequest(stages, v, context, tags, noCache, network, secrets, ociOutput, plainProgress);
    }

    @Override
    public String toString() {
        return "BuildRequest[" + stages.size() + " stages, target=" + target + ", tags=" + tags + ", secrets="
                + secrets.keySet() + "]"; // never the secret values
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildRequest r && r.stages.equals(stages) && r.target.equals(target) && r.tags.equals(tags)
                && r.secrets.keySet().equals(secrets.keySet())
                && r.secrets.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), r.secrets.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(stages, target, tags);
    }
}
