package dev.hypr.api.build;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which stage needs which: {@code FROM <earlier stage>}, {@code COPY --from=<stage|index|image>}
 * and {@code RUN --mount=from=...}. Answers which stages a {@code --target} needs (the others are
 * not built), in what order, and which of them are independent (can be built concurrently).
 * Names are expanded with the global ARGs (and the stage's ARG defaults for {@code --from}), as
 * BuildKit does.
 */
public final class StageGraph {
    private final Dockerfile dockerfile;
    private final List<Node> nodes;

    /**
     * One stage's inputs. {@code baseStage} is the index of the stage it is FROM, or -1 when
     * {@code baseImage} (expanded; {@code scratch} for none) is pulled. {@code stageDeps} are all
     * stages it needs (base included), {@code images} the images named by {@code --from}.
     */
    public record Node(Stage stage, int baseStage, String baseImage, Set<Integer> stageDeps, Set<String> images) {
    }

    private StageGraph(Dockerfile dockerfile, List<Node> nodes) {
        this.dockerfile = dockerfile;
        this.nodes = nodes;
    }

    /**
     * @param buildArgs {@code --build-arg} values (they override ARG defaults)
     * @throws DockerfileException for a FROM naming a later stage, a bad stage index or a cycle
     */
    public static StageGraph of(Dockerfile df, Map<String, String> buildArgs) {
        ShellLex lex = new ShellLex(df.escape());
        Map<String, String> meta = StageEvaluator.metaArgs(df, buildArgs);
        Map<String, Integer> byName = new HashMap<>();
        for (Stage s : df.stages()) {
            if (s.name() != null) {
                byName.put(s.name(), s.index());
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Stage s : df.stages()) {
            Instruction.From from = s.from();
            String base = expand(df, lex, from.image(), meta, from);
            Integer baseStage = byName.get(base.toLowerCase(Locale.ROOT));
            Set<Integer> deps = new TreeSet<>();
            Set<String> images = new LinkedHashSet<>();
            if (baseStage != null && baseStage >= s.index()) {
                throw new DockerfileException(df.file(), from.line(), "FROM", "stage \"" + base + "\" is defined "
                        + (baseStage == s.index() ? "by this FROM" : "later (line " + df.stages().get(baseStage).from().line() + ")")
                        + "; FROM can only name an earlier stage");
            }
            if (baseStage != null) {
                deps.add(baseStage);
            }
            Map<String, String> scope = new HashMap<>(meta);
            for (Instruction ins : s.instructions()) {
                if (ins instanceof Instruction.Arg a) {
                    for (Instruction.ArgDecl d : a.args()) {
                        String v = buildArgs.get(d.name());
                        if (v == null && d.defaultValue() != null) {
                            v = expand(df, lex, d.defaultValue(), scope, ins);
                        }
                        if (v == null) {
                            v = meta.get(d.name());
                        }
                        if (v != null) {
                            scope.put(d.name(), v);
                        }
                    }
                }
                List<String> refs = new ArrayList<>();
                if (ins instanceof Instruction.Copy c && c.from() != null) {
                    refs.add(c.from());
                }
                if (ins instanceof Instruction.Run r) {
                    for (Instruction.Mount m : r.mounts()) {
                        if (m.option("from") != null) {
                            refs.add(m.option("from"));
                        }
                    }
                }
                for (String raw : refs) {
                    String ref = expand(df, lex, raw, scope, ins);
                    Integer dep = stageRef(df, ref, byName, ins);
                    if (dep != null) {
                        deps.add(dep);
                    } else {
                        images.add(ref);
                    }
                }
            }
            nodes.add(new Node(s, baseStage == null ? -1 : baseStage, baseStage == null ? base : null,
                    Collections.unmodifiableSet(deps), Collections.unmodifiableSet(images)));
        }
        StageGraph g = new StageGraph(df, List.copyOf(nodes));
        g.rejectCycles();
        return g;
    }

    private static Integer stageRef(Dockerfile df, String ref, Map<String, Integer> byName, Instruction ins) {
        if (ref.matches("\\d+")) {
            int index = Integer.parseInt(ref);
            if (index >= df.stages().size()) {
                throw new DockerfileException(df.file(), ins.line(), ins.keyword(), "invalid stage index " + index
                        + " (the Dockerfile has " + df.stages().size() + " stage" + (df.stages().size() == 1 ? "" : "s") + ")");
            }
            return index;
        }
        return byName.get(ref.toLowerCase(Locale.ROOT));
    }

    private static String expand(Dockerfile df, ShellLex lex, String word, Map<String, String> env, Instruction ins) {
        try {
            return lex.processWord(word, env);
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(df.file(), ins.line(), ins.keyword(), e.getMessage());
        }
    }

    private void rejectCycles() {
        int[] state = new int[nodes.size()]; // 0 new, 1 on the path, 2 done
        for (int i = 0; i < nodes.size(); i++) {
            visit(i, state);
        }
    }

    private void visit(int i, int[] state) {
        if (state[i] == 2) {
            return;
        }
        if (state[i] == 1) {
            Stage s = nodes.get(i).stage();
            throw new DockerfileException(dockerfile.file(), s.from().line(), "FROM",
                    "circular dependency detected on stage: " + s.displayName());
        }
        state[i] = 1;
        for (int d : nodes.get(i).stageDeps()) {
            visit(d, state);
        }
        state[i] = 2;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /**
     * The stage {@code --target} names (case-insensitive), or the last stage when target is null
     * or empty.
     */
    public Stage target(String target) {
        if (target == null || target.isEmpty()) {
            return dockerfile.stages().get(dockerfile.stages().size() - 1);
        }
        return dockerfile.stage(target).orElseThrow(() -> new DockerfileException(dockerfile.file(), 0, null,
                "target stage \"" + target + "\" could not be found (stages: " + stageNames() + ")"));
    }

    private String stageNames() {
        List<String> names = new ArrayList<>();
        for (Stage s : dockerfile.stages()) {
            if (s.name() != null) {
                names.add(s.name());
            }
        }
        return names.isEmpty() ? "none is named" : String.join(", ", names);
    }

    /** The stages the target needs, dependencies before dependents, the target last. */
    public List<Stage> buildOrder(String target) {
        Stage t = target(target);
        LinkedHashSet<Integer> order = new LinkedHashSet<>();
        collect(t.index(), order);
        List<Stage> out = new ArrayList<>();
        for (int i : order) {
            out.add(nodes.get(i).stage());
        }
        return out;
    }

    private void collect(int i, LinkedHashSet<Integer> order) {
        if (order.contains(i)) {
            return;
        }
        for (int d : nodes.get(i).stageDeps()) {
            collect(d, order);
        }
        order.add(i);
    }

    /**
     * The needed stages in waves: every stage of a wave depends only on stages of earlier waves,
     * so the stages of one wave can be built concurrently.
     */
    public List<List<Stage>> waves(String target) {
        Map<Integer, Integer> depth = new LinkedHashMap<>();
        for (Stage s : buildOrder(target)) {
            int d = 0;
            for (int dep : nodes.get(s.index()).stageDeps()) {
                d = Math.max(d, depth.get(dep) + 1);
            }
            depth.put(s.index(), d);
        }
        List<List<Stage>> waves = new ArrayList<>();
        depth.forEach((index, d) -> {
            while (waves.size() <= d) {
                waves.add(new ArrayList<>());
            }
            waves.get(d).add(nodes.get(index).stage());
        });
        List<List<Stage>> out = new ArrayList<>();
        waves.forEach(w -> out.add(List.copyOf(w)));
        return out;
    }
}
