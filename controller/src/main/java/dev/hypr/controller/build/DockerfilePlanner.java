package dev.hypr.controller.build;

import dev.hypr.api.build.BuildConfig;
import dev.hypr.api.build.Dockerfile;
import dev.hypr.api.build.DockerfileException;
import dev.hypr.api.build.Instruction;
import dev.hypr.api.build.StageEvaluator;
import dev.hypr.api.build.StageGraph;
import dev.hypr.controller.image.PulledImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a parsed Dockerfile (api-types' parser, stage graph and evaluator) into the executor's
 * stages: only the stages the target needs, every word expanded with the stage's ENV and ARG
 * values as BuildKit expands them, RUN argv through the stage's SHELL. A base image is resolved
 * here (pulled if absent) because its ENV and WORKDIR take part in the expansion. What the
 * executor cannot do yet is refused with the Dockerfile line, never skipped.
 */
public final class DockerfilePlanner {
    private DockerfilePlanner() {
    }

    public static List<Stage> plan(Dockerfile df, Map<String, String> buildArgs, String target, ImageBuilder.BaseImages images)
            throws Exception {
        StageGraph graph = StageGraph.of(df, buildArgs);
        StageEvaluator eval = new StageEvaluator(df, buildArgs, StageEvaluator.hostPlatform());
        Map<Integer, BuildConfig> finished = new HashMap<>();
        List<Stage> out = new ArrayList<>();
        for (dev.hypr.api.build.Stage stage : graph.buildOrder(target)) {
            StageGraph.Node node = graph.node(stage.index());
            String base;
            BuildConfig baseConfig;
            if (node.baseStage() >= 0) {
                base = name(graph.node(node.baseStage()).stage());
                baseConfig = finished.get(node.baseStage());
            } else {
                String image = eval.baseImage(stage);
                if (image.equalsIgnoreCase(Stage.SCRATCH)) {
                    base = Stage.SCRATCH;
                    baseConfig = new BuildConfig();
                } else {
                    PulledImage pulled = images.ensure(image);
                    base = image;
                    baseConfig = BuildConfig.fromJson(ImageSettings.from(pulled.config()).toOci());
                }
            }
            StageEvaluator.State st = eval.begin(stage, baseConfig);
            List<BuildStep> steps = new ArrayList<>();
            for (Instruction raw : stage.instructions()) {
                Instruction ins = st.apply(raw);
                step(df, graph, st, ins).ifPresent(steps::add);
            }
            finished.put(stage.index(), st.config());
            out.add(new Stage(name(stage), base, steps));
        }
        return out;
    }

    /** The executor's name of a stage: its AS name, else its index. */
    static String name(dev.hypr.api.build.Stage s) {
        return s.name() != null ? s.name() : Integer.toString(s.index());
    }

    private static Optional<BuildStep> step(Dockerfile df, StageGraph graph, StageEvaluator.State st, Instruction ins) {
        String where = df.file() + ":" + ins.line();
        if (ins instanceof Instruction.Run r) {
            List<String> secrets = new ArrayList<>();
            for (Instruction.Mount m : r.mounts()) {
                if (!m.type().equals("secret")) {
                    throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=" + m.type()
                            + " is not supported by this builder yet (only type=secret)");
                }
                String id = m.option("id") != null ? m.option("id") : m.target() == null ? null
                        : m.target().substring(m.target().lastIndexOf('/') + 1);
                if (id == null) {
                    throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=secret needs an id");
                }
                if (m.target() != null && !m.target().equals("/run/secrets/" + id)) {
                    throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=secret,target=" + m.target()
                            + " is not supported yet: secrets appear at /run/secrets/ID");
                }
                secrets.add(id);
            }
            List<String> argv = st.runArgv(r);
            List<String> args = new ArrayList<>();
            st.runEnv().forEach((k, v) -> {
                if (!st.config().env.containsKey(k)) args.add(k + "=" + v);
            });
            String text = "RUN " + (r.execForm() ? json(argv) : r.script());
            return Optional.of(new BuildStep.Run(text, argv, args, secrets));
        }
        if (ins instanceof Instruction.Copy c) {
            if (!c.heredocs().isEmpty()) {
                throw new DockerfileException(df.file(), ins.line(), c.keyword(), "here-documents in " + c.keyword() + " are not supported by this builder yet");
            }
            for (String s : c.sources()) {
                if (c.add() && (s.startsWith("http://") || s.startsWith("https://") || s.startsWith("git@"))) {
                    throw new DockerfileException(df.file(), ins.line(), "ADD", "remote sources (" + s + ") are not supported by this builder yet");
                }
                if (c.add() && s.matches(".*\\.(tar|tar\\.gz|tgz|tar\\.xz|txz|tar\\.bz2|tbz2|tar\\.zst)$")) {
                    throw new DockerfileException(df.file(), ins.line(), "ADD", "extracting a local archive (" + s
                            + ") is not supported by this builder yet; use COPY plus RUN tar");
                }
            }
            Optional<String> from = Optional.empty();
            if (c.from() != null) {
                Optional<dev.hypr.api.build.Stage> named = df.stage(c.from());
                if (named.isEmpty() && c.from().matches("[0-9]+") && Integer.parseInt(c.from()) < df.stages().size()) {
                    named = Optional.of(df.stages().get(Integer.parseInt(c.from())));
                }
                if (named.isEmpty()) {
                    throw new DockerfileException(df.file(), ins.line(), c.keyword(), "--from=" + c.from()
                            + ": copying from an image is not supported by this builder yet (name a stage)");
                }
                from = Optional.of(name(named.get()));
            }
            Optional<Integer> chmod = Optional.empty();
            if (c.chmod() != null) {
                try {
                    chmod = Optional.of(Integer.parseInt(c.chmod(), 8));
                } catch (NumberFormatException e) {
                    throw new DockerfileException(df.file(), ins.line(), c.keyword(), "--chmod=" + c.chmod() + " is not an octal mode");
                }
            }
            StringBuilder text = new StringBuilder(c.keyword());
            if (c.from() != null) text.append(" --from=").append(c.from());
            if (c.chown() != null) text.append(" --chown=").append(c.chown());
            if (c.chmod() != null) text.append(" --chmod=").append(c.chmod());
            c.sources().forEach(s -> text.append(' ').append(s));
            text.append(' ').append(c.dest());
            return Optional.of(new BuildStep.Copy(text.toString(), c.sources(), c.dest(), Optional.ofNullable(c.chown()), chmod, from));
        }
        if (ins instanceof Instruction.Workdir w) {
            return Optional.of(new BuildStep.Workdir("WORKDIR " + w.path(), w.path()));
        }
        if (ins instanceof Instruction.Arg || ins instanceof Instruction.From) {
            return Optional.empty(); // ARG values reach RUN through runEnv; nothing to record
        }
        // ENV, USER, SHELL, CMD, ENTRYPOINT, EXPOSE, LABEL, VOLUME, STOPSIGNAL, HEALTHCHECK, ONBUILD
        String text = ins.keyword() + " (" + where + ")";
        if (ins instanceof Instruction.Env e) {
            StringBuilder sb = new StringBuilder("ENV");
            e.pairs().forEach(kv -> sb.append(' ').append(kv.key()).append('=').append(kv.value()));
            text = sb.toString();
        } else if (ins instanceof Instruction.User u) {
            text = "USER " + u.user();
        } else if (ins instanceof Instruction.Cmd c) {
            text = c.keyword() + " " + (c.execForm() ? json(c.command()) : c.command().get(0));
        } else if (ins instanceof Instruction.Expose x) {
            text = "EXPOSE " + String.join(" ", x.ports());
        } else if (ins instanceof Instruction.Shell s) {
            text = "SHELL " + json(s.shell());
        }
        return Optional.of(new BuildStep.Config(text, new BuildStep.Change.Snapshot(st.config().toJson())));
    }

    private static String json(List<String> words) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(words);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
