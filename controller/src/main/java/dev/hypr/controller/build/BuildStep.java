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
     * /run/secrets/ID during this step only; never in a layer or the cache key; {@code secretTargets}
     * maps an id to another path it also appears at ({@code target=}). {@code mounts} are its
     * cache and bind mounts ({@code RUN --mount=type=cache|bind}).
     */
    record Run(String text, List<String> argv, List<String> buildArgs, List<String> secrets, List<Mount> mounts,
               Map<String, String> secretTargets) implements BuildStep {
        public Run {
            Objects.requireNonNull(text);
            argv = List.copyOf(argv);
            buildArgs = List.copyOf(buildArgs);
            secrets = List.copyOf(secrets);
            mounts = List.copyOf(mounts);
            secretTargets = Map.copyOf(secretTargets);
            if (argv.isEmpty()) throw new IllegalArgumentException("RUN needs a command");
        }

        public Run(String text, List<String> argv, List<String> buildArgs, List<String> secrets, List<Mount> mounts) {
            this(text, argv, buildArgs, secrets, mounts, Map.of());
        }

        public Run(String text, List<String> argv, List<String> buildArgs, List<String> secrets) {
            this(text, argv, buildArgs, secrets, List.of(), Map.of());
        }
    }

    /** A directory mounted at {@code target} (absolute) for one RUN only; what it shows is never part of the layer. */
    sealed interface Mount {
        String target();
    }

    /**
     * {@code --mount=type=cache}: a directory hyprd keeps across builds under {@code id}, created
     * empty with {@code uid:gid} and {@code mode}. {@code sharing} is shared, private or locked.
     * Not part of the cache key: what a RUN leaves in its cache never changes its layer's key.
     */
    record CacheMount(String target, String id, String sharing, long uid, long gid, int mode) implements Mount {
        public CacheMount {
            Objects.requireNonNull(target);
            Objects.requireNonNull(id);
            if (!List.of("shared", "private", "locked").contains(sharing)) {
                throw new IllegalArgumentException("sharing must be shared, private or locked: " + sharing);
            }
        }
    }

    /**
     * {@code --mount=type=bind}: {@code source} (a directory) of the build context, of an earlier
     * stage's filesystem ({@code fromStage}) or of an image ({@code fromImage}), read-only unless
     * {@code readWrite} (then writes are discarded after the step). Part of the cache key through
     * the hash of what it exposes.
     */
    record BindMount(String target, String source, Optional<String> fromStage, Optional<String> fromImage, boolean readWrite)
            implements Mount {
        public BindMount {
            Objects.requireNonNull(target);
            Objects.requireNonNull(source);
            Objects.requireNonNull(fromStage);
            Objects.requireNonNull(fromImage);
        }
    }

    /**
     * COPY/ADD from the build context, from the filesystem of an earlier stage when
     * {@code fromStage} is set, or of an image when {@code fromImage} is. {@code dest} is absolute
     * or relative to WORKDIR; a source that is a directory copies its contents. {@code chown} is
     * "user[:group]", {@code chmod} octal bits. {@code add}: ADD's rules (a local tar archive is
     * extracted; an http(s) URL is downloaded, checked against {@code checksum} "sha256:HEX" when
     * given). {@code inline}: here-documents ({@code COPY <<EOF /file}), name and content.
     */
    record Copy(String text, List<String> sources, String dest, Optional<String> chown, Optional<Integer> chmod,
                Optional<String> fromStage, Optional<String> fromImage, boolean add, Optional<String> checksum,
                List<InlineFile> inline) implements BuildStep {
        public Copy {
            Objects.requireNonNull(text);
            sources = List.copyOf(sources);
            Objects.requireNonNull(dest);
            Objects.requireNonNull(chown);
            Objects.requireNonNull(chmod);
            Objects.requireNonNull(fromStage);
            Objects.requireNonNull(fromImage);
            Objects.requireNonNull(checksum);
            inline = List.copyOf(inline);
            if (sources.isEmpty() && inline.isEmpty()) throw new IllegalArgumentException("COPY needs a source");
        }

        public Copy(String text, List<String> sources, String dest, Optional<String> chown, Optional<Integer> chmod,
                    Optional<String> fromStage) {
            this(text, sources, dest, chown, chmod, fromStage, Optional.empty(), false, Optional.empty(), List.of());
        }
    }

    /** A file a here-document makes: its name (the here-document's) and content. */
    record InlineFile(String name, String content) {
        public InlineFile {
            Objects.requireNonNull(name);
            Objects.requireNonNull(content);
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
