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
            Map<String, String> secretTargets = new java.util.LinkedHashMap<>();
            List<BuildStep.Mount> mounts = new ArrayList<>();
            for (Instruction.Mount m : r.mounts()) {
                switch (m.type()) {
                    case "secret" -> {
                        String id = secretId(df, ins, m);
                        secrets.add(id);
                        if (m.target() != null && !m.target().equals("/run/secrets/" + id)) secretTargets.put(id, m.target());
                    }
                    case "cache" -> mounts.add(cacheMount(df, ins, m));
                    case "bind" -> mounts.add(bindMount(df, ins, m));
                    default -> throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=" + m.type()
                            + " is not supported by this builder yet (only type=secret, cache and bind)");
                }
            }
            List<String> argv = st.runArgv(r);
            List<String> args = new ArrayList<>();
            st.runEnv().forEach((k, v) -> {
                if (!st.config().env.containsKey(k)) args.add(k + "=" + v);
            });
            StringBuilder text = new StringBuilder("RUN ");
            for (BuildStep.Mount m : mounts) text.append(mountText(m)).append(' ');
            text.append(r.execForm() ? json(argv) : r.script());
            return Optional.of(new BuildStep.Run(text.toString(), argv, args, secrets, mounts, secretTargets));
        }
        if (ins instanceof Instruction.Copy c) {
            for (String s : c.sources()) {
                if (c.add() && isGitSource(s)) {
                    throw new DockerfileException(df.file(), ins.line(), "ADD", "adding a git repository (" + s
                            + ") is not supported by this builder; clone it in a RUN step or into the build context");
                }
                if (!c.add() && isUrl(s)) {
                    throw new DockerfileException(df.file(), ins.line(), "COPY", "COPY cannot take a URL (" + s + "); use ADD");
                }
            }
            Optional<String> from = Optional.empty();
            Optional<String> fromImage = Optional.empty();
            if (c.from() != null) {
                Optional<dev.hypr.api.build.Stage> named = stageNamed(df, c.from());
                if (named.isPresent()) {
                    from = Optional.of(name(named.get()));
                } else {
                    fromImage = Optional.of(c.from()); // not a stage: an image, pulled like FROM
                }
            }
            Optional<Integer> chmod = Optional.empty();
            if (c.chmod() != null) {
                try {
                    chmod = Optional.of(Integer.parseInt(c.chmod(), 8));
                } catch (NumberFormatException e) {
                    throw new DockerfileException(df.file(), ins.line(), c.keyword(), "--chmod=" + c.chmod() + " is not an octal mode");
                }
            }
            List<BuildStep.InlineFile> inline = c.heredocs().stream()
                    .map(h -> new BuildStep.InlineFile(h.name(), h.content())).toList();
            List<String> sources = c.sources(); // the parser took the here-documents out
            StringBuilder text = new StringBuilder(c.keyword());
            if (c.from() != null) text.append(" --from=").append(c.from());
            if (c.chown() != null) text.append(" --chown=").append(c.chown());
            if (c.chmod() != null) text.append(" --chmod=").append(c.chmod());
            if (c.checksum() != null) text.append(" --checksum=").append(c.checksum());
            sources.forEach(s -> text.append(' ').append(s));
            inline.forEach(f -> text.append(" <<").append(f.name()));
            text.append(' ').append(c.dest());
            return Optional.of(new BuildStep.Copy(text.toString(), sources, c.dest(), Optional.ofNullable(c.chown()), chmod, from,
                    fromImage, c.add(), Optional.ofNullable(c.checksum()), inline));
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

    /** A stage by AS name or index, as {@code --from} names one; empty when it names an image. */
    private static Optional<dev.hypr.api.build.Stage> stageNamed(Dockerfile df, String from) {
        Optional<dev.hypr.api.build.Stage> named = df.stage(from);
        if (named.isEmpty() && from.matches("[0-9]+") && Integer.parseInt(from) < df.stages().size()) {
            named = Optional.of(df.stages().get(Integer.parseInt(from)));
        }
        return named;
    }

    static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://");
    }

    /** What BuildKit would clone: git@, git://, or a URL to a .git repository (optionally with #ref). */
    static boolean isGitSource(String s) {
        return s.startsWith("git@") || s.startsWith("git://") || s.startsWith("ssh://")
                || isUrl(s) && s.replaceFirst("#.*$", "").replaceFirst("/+$", "").endsWith(".git");
    }

    private static String secretId(Dockerfile df, Instruction ins, Instruction.Mount m) {
        String id = m.option("id") != null ? m.option("id") : m.target() == null ? null
                : m.target().substring(m.target().lastIndexOf('/') + 1);
        if (id == null || id.isEmpty() || id.contains("/") || id.equals(".") || id.equals("..")) {
            throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=secret needs an id (a name without /)");
        }
        return id;
    }

    private static BuildStep.CacheMount cacheMount(Dockerfile df, Instruction ins, Instruction.Mount m) {
        String target = m.target();
        if (target == null) {
            throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=cache needs a target");
        }
        if (m.option("from") != null || m.source() != null) {
            throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=cache,from=/source= (a cache seeded from a stage)"
                    + " is not supported by this builder yet");
        }
        String sharing = m.option("sharing") == null ? "shared" : m.option("sharing");
        if (!List.of("shared", "private", "locked").contains(sharing)) {
            throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=cache,sharing=" + sharing
                    + ": expected shared, private or locked");
        }
        try {
            long uid = m.option("uid") == null ? 0 : Long.parseLong(m.option("uid"));
            long gid = m.option("gid") == null ? 0 : Long.parseLong(m.option("gid"));
            int mode = m.option("mode") == null ? 0755 : Integer.parseInt(m.option("mode"), 8);
            String id = m.option("id") == null || m.option("id").isEmpty() ? target : m.option("id");
            return new BuildStep.CacheMount(target, id, sharing, uid, gid, mode);
        } catch (NumberFormatException e) {
            throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=cache: uid and gid must be numbers, mode octal");
        }
    }

    private static BuildStep.BindMount bindMount(Dockerfile df, Instruction ins, Instruction.Mount m) {
        String target = m.target();
        if (target == null) {
            throw new DockerfileException(df.file(), ins.line(), "RUN", "--mount=type=bind needs a target");
        }
        String source = m.source() == null ? "/" : m.source();
        Optional<String> stage = Optional.empty();
        Optional<String> image = Optional.empty();
        String from = m.option("from");
        if (from != null && !from.isEmpty() && !from.equals("context")) {
            Optional<dev.hypr.api.build.Stage> named = stageNamed(df, from);
            if (named.isPresent()) stage = Optional.of(name(named.get()));
            else image = Optional.of(from);
        }
        return new BuildStep.BindMount(target, source, stage, image, !m.readOnly());
    }

    /** A mount as its RUN's progress line and cache key show it. */
    static String mountText(BuildStep.Mount m) {
        if (m instanceof BuildStep.CacheMount c) {
            return "--mount=type=cache,target=" + c.target() + ",id=" + c.id() + ",sharing=" + c.sharing()
                    + (c.uid() != 0 || c.gid() != 0 ? ",uid=" + c.uid() + ",gid=" + c.gid() : "")
                    + (c.mode() != 0755 ? ",mode=0" + Integer.toOctalString(c.mode()) : "");
        }
        BuildStep.BindMount b = (BuildStep.BindMount) m;
        return "--mount=type=bind" + b.fromStage().or(b::fromImage).map(f -> ",from=" + f).orElse("") + ",source=" + b.source()
                + ",target=" + b.target() + (b.readWrite() ? ",rw" : "");
    }

    private static String json(List<String> words) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(words);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
