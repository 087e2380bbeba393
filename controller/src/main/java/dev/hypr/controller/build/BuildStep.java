package dev.hypr.controller.build;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One instruction of a stage as the executor runs it, already expanded (variables substituted,
 * defaults applied). {@code text} is the instruction as shown in progress lines; it is also part
 * of the cache key, so it must be the fully expanded form.
 */
public sealed interface BuildStep {
    String text();

    /**
     * RUN: {@code argv} is the exec form, or the stage's SHELL plus the command for the shell form.
     * {@code buildArgs} are the ARGs in scope ("K=V"): environment of this step only, and part of
     * the cache key. {@code secrets} name ids of {@link BuildRequest#secrets()} present as
     * /run/secrets/ID during this step only; never in a layer or the cache key.
     */
    record Run(String text, List<String> argv, List<String> buildArgs, List<String> secrets) implements BuildStep {
        public Run {
            Objects.requireNonNull(text);
            argv = List.copyOf(argv);
            buildArgs = List.copyOf(buildArgs);
            secrets = List.copyOf(secrets);
            if (argv.isEmpty()) throw new IllegalArgumentException("RUN needs a command");
        }
    }

    /**
     * COPY/ADD from the build context, or from the filesystem of an earlier stage when
     * {@code fromStage} is set. {@code dest} is absolute or relative to WORKDIR; a source that is
     * a directory copies its contents. {@code chown} is "user[:group]", {@code chmod} octal bits.
     */
    record Copy(String text, List<String> sources, String dest, Optional<String> chown, Optional<Integer> chmod,
                Optional<String> fromStage) implements BuildStep {
        public Copy {
            Objects.requireNonNull(text);
            sources = List.copyOf(sources);
            Objects.requireNonNull(dest);
            Objects.requireNonNull(chown);
            Objects.requireNonNull(chmod);
            Objects.requireNonNull(fromStage);
            if (sources.isEmpty()) throw new IllegalArgumentException("COPY needs a source");
        }
    }

    /** WORKDIR: sets the working directory and creates it (a layer with the directory). */
    record Workdir(String text, String path) implements BuildStep {
    }

    /** Everything that only changes the image config: ENV, USER, SHELL, CMD, ENTRYPOINT, EXPOSE, LABEL, VOLUME, STOPSIGNAL, HEALTHCHECK. */
    record Config(String text, Change change) implements BuildStep {
    }

    /** One config change. */
    sealed interface Change {
        /** The whole OCI {@code config} object after the instruction, as the Dockerfile evaluator computed it. */
        record Snapshot(com.fasterxml.jackson.databind.node.ObjectNode config) implements Change {
        }

        record Env(Map<String, String> vars) implements Change {
        }

        record User(String user) implements Change {
        }

        record Shell(List<String> shell) implements Change {
        }

        record Cmd(List<String> cmd) implements Change {
        }

        record Entrypoint(List<String> entrypoint) implements Change {
        }

        record Expose(List<String> ports) implements Change {
        }

        record Labels(Map<String, String> labels) implements Change {
        }

        record Volumes(List<String> paths) implements Change {
        }

        record StopSignal(String signal) implements Change {
        }

        /** The OCI config's Healthcheck object (Test, Interval, ...), or Test ["NONE"]. */
        record Healthcheck(com.fasterxml.jackson.databind.node.ObjectNode healthcheck) implements Change {
        }
    }
}
