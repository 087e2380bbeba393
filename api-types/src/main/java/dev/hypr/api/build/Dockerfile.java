package dev.hypr.api.build;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile: the ARGs before the first FROM (usable in FROM lines), the stages in
 * order, and warnings about accepted-but-ignored syntax. Parse with {@link DockerfileParser}.
 */
public record Dockerfile(String file, char escape, String syntax, List<Instruction.Arg> globalArgs,
                         List<Stage> stages, List<BuildWarning> warnings) {
    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** Parses {@code text}; errors name {@code file:LINE} and the instruction. */
    public static Dockerfile parse(String file, String text) {
        return DockerfileParser.parse(file, text);
    }

    /** The stage named {@code name} (case-insensitive), if any. */
    public Optional<Stage> stage(String name) {
        for (Stage s : stages) {
            if (s.name() != null && s.name().equalsIgnoreCase(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
