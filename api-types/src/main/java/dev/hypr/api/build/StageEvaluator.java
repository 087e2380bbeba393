package dev.hypr.api.build;

import dev.hypr.api.build.Instruction.ArgDecl;
import dev.hypr.api.build.Instruction.Copy;
import dev.hypr.api.build.Instruction.Heredoc;
import dev.hypr.api.build.Instruction.KeyValue;
import dev.hypr.api.build.Instruction.Mount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Walks a stage the way BuildKit's dockerfile2llb does: keeps the stage's ARG values and image
 * config, expands each instruction's words where BuildKit expands them, and gives a RUN its
 * environment (ARGs, then ENV over them, plus the predefined proxy args) and argv (the SHELL for
 * shell form). The executor calls {@link #begin} per stage and {@link State#apply} per
 * instruction; {@link #unusedBuildArgs()} names {@code --build-arg}s no ARG consumed.
 */
public final class StageEvaluator {
    /** Usable in RUN without an ARG line, and left out of the image history and cache key. */
    public static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");
    private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z][A-Z0-9+\\-]*|\\d+");

    private final Dockerfile df;
    private final Map<String, String> buildArgs;
    private final String platform;
    private final ShellLex lex;
    private final Map<String, String> meta;
    private final Set<String> consumed = new HashSet<>();

    /**
     * @param platform the host's platform, {@code linux/amd64} or {@code linux/arm64}: the only one
     *                 a FROM --platform may name
     */
    public StageEvaluator(Dockerfile df, Map<String, String> buildArgs, String platform) {
        this.df = df;
        this.buildArgs = Map.copyOf(buildArgs);
        this.platform = platform;
        this.lex = new ShellLex(df.escape());
        this.meta = metaArgs(df, buildArgs, platform);
        for (Instruction.Arg a : df.globalArgs()) {
            a.args().forEach(d -> consumed.add(d.name()));
        }
    }

    /** The host platform as BuildKit names it: {@code linux/amd64}, {@code linux/arm64}. */
    public static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        return "linux/" + switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    static Map<String, String> metaArgs(Dockerfile df, Map<String, String> buildArgs) {
        return metaArgs(df, buildArgs, hostPlatform());
    }

    /** The global scope: the automatic platform ARGs, then the ARGs before the first FROM. */
    static Map<String, String> metaArgs(Dockerfile df, Map<String, String> buildArgs, String platform) {
        Map<String, String> meta = new LinkedHashMap<>();
        String[] p = platform.split("/");
        for (String prefix : List.of("BUILD", "TARGET")) {
            meta.put(prefix + "PLATFORM", platform);
            meta.put(prefix + "OS", p[0]);
            meta.put(prefix + "ARCH", p.length > 1 ? p[1] : "");
            meta.put(prefix + "VARIANT", p.length > 2 ? p[2] : "");
        }
        ShellLex lex = new ShellLex(df.escape());
        for (Instruction.Arg a : df.globalArgs()) {
            for (ArgDecl d : a.args()) {
                String v = buildArgs.get(d.name());
                if (v == null && d.defaultValue() != null) {
                    try {
                        v = lex.processWord(d.defaultValue(), meta);
                    } catch (IllegalArgumentException e) {
                        throw new DockerfileException(df.file(), a.line(), "ARG", e.getMessage());
                    }
                }
                if (v != null) {
                    meta.put(d.name(), v);
                } else {
                    meta.remove(d.name());
                }
            }
        }
        return meta;
    }

    /** The global ARG values (and platform ARGs) FROM lines expand with. */
    public Map<String, String> metaArgs() {
        return Map.copyOf(meta);
    }

    /** The FROM image of {@code stage}, expanded; checks {@code --platform} is the host's. */
    public String baseImage(Stage stage) {
        Instruction.From from = stage.from();
        String image = expand(from, from.image(), meta);
        if (image.isEmpty()) {
            throw new DockerfileException(df.file(), from.line(), "FROM", "base name (" + from.image() + ") should not be blank");
        }
        if (from.platform() != null) {
            String p = expand(from, from.platform(), meta);
            if (!p.equals(platform) && !(p + "/v1").equals(platform) && !p.equals(platform + "/v1")) {
                throw new DockerfileException(df.file(), from.line(), "FROM", "--platform=" + p
                        + " is not supported: builds run on the host's platform " + platform);
            }
        }
        return image;
    }

    /** Starts evaluating {@code stage} on top of its base image's config (a copy is made). */
    public State begin(Stage stage, BuildConfig base) {
        return new State(stage, base.copy());
    }

    /** {@code --build-arg}s that no evaluated ARG declared (BuildKit warns about them). */
    public Set<String> unusedBuildArgs() {
        Set<String> unused = new TreeSet<>(buildArgs.keySet());
        unused.removeAll(consumed);
        unused.removeAll(PROXY_ARGS);
        return unused;
    }

    private String expand(Instruction ins, String word, Map<String, String> env) {
        try {
            return lex.processWord(word, env);
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(df.file(), ins.line(), ins.keyword(), e.getMessage());
        }
    }

    /** One stage being evaluated. */
    public final class State {
        private final Stage stage;
        private final BuildConfig config;
        private final Map<String, String> args = new LinkedHashMap<>();
        private boolean cmdSet;

        private State(Stage stage, BuildConfig config) {
            this.stage = stage;
            this.config = config;
        }

        public Stage stage() {
            return stage;
        }

        /** The image config so far (live; the executor reads it after the last instruction). */
        public BuildConfig config() {
            return config;
        }

        /** ARGs declared in this stage that have a value, in declaration order. */
        public Map<String, String> args() {
            return Map.copyOf(args);
        }

        /** What words expand with: the ARGs, ENV over them. */
        private Map<String, String> scope() {
            Map<String, String> m = new LinkedHashMap<>(args);
            m.putAll(config.env);
            return m;
        }

        /**
         * The environment of a RUN: the stage's ARGs, its ENV over them, and any proxy
         * {@code --build-arg} (which needs no ARG line).
         */
        public Map<String, String> runEnv() {
            Map<String, String> m = new LinkedHashMap<>();
            buildArgs.forEach((k, v) -> {
                if (PROXY_ARGS.contains(k)) {
                    m.put(k, v);
                }
            });
            m.putAll(args);
            m.putAll(config.env);
            return m;
        }

        /**
         * The ARG values a RUN's cache key includes (proxy args excluded, as in BuildKit): a
         * changed {@code --build-arg} re-runs the RUNs after its ARG.
         */
        public Map<String, String> cacheArgs() {
            Map<String, String> m = new TreeMap<>(args);
            m.keySet().removeAll(PROXY_ARGS);
            return m;
        }

        /** The argv a RUN executes: exec form as is, shell form through the stage's SHELL. */
        public List<String> runArgv(Instruction.Run run) {
            if (run.execForm()) {
                return run.command();
            }
            List<String> argv = new ArrayList<>(config.shellOrDefault());
            argv.add(run.script());
            return List.copyOf(argv);
        }

        /**
         * Applies one instruction: returns it with its words expanded (COPY/ADD destinations made
         * absolute against WORKDIR) and updates the stage's config and ARGs.
         */
        public Instruction apply(Instruction ins) {
            if (ins instanceof Instruction.Arg a) {
                for (ArgDecl d : a.args()) {
                    consumed.add(d.name());
                    String v = buildArgs.get(d.name());
                    if (v == null && d.defaultValue() != null) {
                        v = expand(ins, d.defaultValue(), scope());
                    }
                    if (v == null) {
                        v = meta.get(d.name());
                    }
                    if (v != null) {
                        args.put(d.name(), v);
                    }
                }
                return ins;
            }
            if (ins instanceof Instruction.Env e) {
                Map<String, String> scope = scope();
                List<KeyValue> out = new ArrayList<>();
                for (KeyValue kv : e.pairs()) {
                    String key = expand(ins, kv.key(), scope);
                    String value = expand(ins, kv.value(), scope);
                    out.add(new KeyValue(key, value));
                }
                out.forEach(kv -> config.env.put(kv.key(), kv.value()));
                return new Instruction.Env(e.line(), out);
            }
            if (ins instanceof Instruction.Label l) {
                Map<String, String> scope = scope();
                List<KeyValue> out = new ArrayList<>();
                for (KeyValue kv : l.pairs()) {
                    String value = l.maintainer() ? kv.value() : expand(ins, kv.value(), scope);
                    out.add(new KeyValue(l.maintainer() ? kv.key() : expand(ins, kv.key(), scope), value));
                }
                out.forEach(kv -> config.labels.put(kv.key(), kv.value()));
                return new Instruction.Label(l.line(), out, l.maintainer());
            }
            if (ins instanceof Instruction.Workdir w) {
                String path = expand(ins, w.path(), scope());
                config.workingDir = BuildPaths.join(config.workingDir.isEmpty() ? "/" : config.workingDir, path);
                return new Instruction.Workdir(w.line(), config.workingDir);
            }
            if (ins instanceof Instruction.User u) {
                config.user = expand(ins, u.user(), scope());
                return new Instruction.User(u.line(), config.user);
            }
            if (ins instanceof Instruction.Shell s) {
                config.shell = s.shell();
                return ins;
            }
            if (ins instanceof Instruction.Expose x) {
                List<String> ports = new ArrayList<>();
                Map<String, String> scope = scope();
                for (String p : x.ports()) {
                    try {
                        for (String word : lex.processWords(p, scope)) {
                            ports.addAll(ports(ins, word));
                        }
                    } catch (IllegalArgumentException e) {
                        throw new DockerfileException(df.file(), ins.line(), "EXPOSE", e.getMessage());
                    }
                }
                config.exposedPorts.addAll(ports);
                return new Instruction.Expose(x.line(), ports);
            }
            if (ins instanceof Instruction.Volume v) {
                List<String> paths = new ArrayList<>();
                for (String p : v.paths()) {
                    String path = expand(ins, p, scope());
                    if (path.isBlank()) {
                        throw new DockerfileException(df.file(), ins.line(), "VOLUME", "VOLUME specified can not be an empty string");
                    }
                    paths.add(path);
                }
                config.volumes.addAll(paths);
                return new Instruction.Volume(v.line(), paths);
            }
            if (ins instanceof Instruction.Cmd c) {
                List<String> argv = c.execForm() ? c.command() : withShell(c.command().get(0));
                if (c.entrypoint()) {
                    config.entrypoint = argv;
                    if (!cmdSet) {
                        config.cmd = null; // an ENTRYPOINT resets the CMD inherited from the base image
                    }
                } else {
                    config.cmd = argv;
                    cmdSet = true;
                }
                return ins;
            }
            if (ins instanceof Instruction.Healthcheck h) {
                config.healthcheck = h;
                return ins;
            }
            if (ins instanceof Instruction.StopSignal s) {
                String sig = expand(ins, s.signal(), scope());
                if (!SIGNAL.matcher(sig).matches()) {
                    throw new DockerfileException(df.file(), ins.line(), "STOPSIGNAL", "invalid signal \"" + sig
                            + "\" (a name such as SIGTERM or a number)");
                }
                config.stopSignal = sig;
                return new Instruction.StopSignal(s.line(), sig);
            }
            if (ins instanceof Instruction.Onbuild o) {
                config.onBuild.add(o.trigger());
                return ins;
            }
            if (ins instanceof Copy c) {
                return copy(c);
            }
            if (ins instanceof Instruction.Run r) {
                Map<String, String> scope = scope();
                List<Mount> mounts = new ArrayList<>();
                for (Mount m : r.mounts()) {
                    Map<String, String> options = new LinkedHashMap<>();
                    m.options().forEach((k, v) -> options.put(k, expand(ins, v, scope)));
                    if (options.containsKey("target")) {
                        options.put("target", BuildPaths.join(workdir(), options.get("target")));
                    }
                    mounts.add(new Mount(m.type(), Map.copyOf(options)));
                }
                return new Instruction.Run(r.line(), r.command(), r.execForm(), mounts, r.network(), r.security(), r.heredocs());
            }
            return ins;
        }

        private String workdir() {
            return config.workingDir.isEmpty() ? "/" : config.workingDir;
        }

        private List<String> withShell(String command) {
            List<String> argv = new ArrayList<>(config.shellOrDefault());
            argv.add(command);
            return List.copyOf(argv);
        }

        private Copy copy(Copy c) {
            Map<String, String> scope = scope();
            List<String> sources = new ArrayList<>();
            for (String s : c.sources()) {
                sources.add(expand(c, s, scope));
            }
            String dest = expand(c, c.dest(), scope);
            boolean dir = dest.endsWith("/") || dest.endsWith("/.") || dest.equals(".");
            dest = BuildPaths.join(workdir(), dest);
            if (dir && !dest.endsWith("/")) {
                dest = dest + "/";
            }
            List<Heredoc> docs = new ArrayList<>();
            for (Heredoc h : c.heredocs()) {
                docs.add(h.expand() ? new Heredoc(h.name(), expand(c, h.content(), scope), true, h.chomp()) : h);
            }
            String from = c.from() == null ? null : expand(c, c.from(), scope);
            String chown = c.chown() == null ? null : expand(c, c.chown(), scope);
            String chmod = c.chmod() == null ? null : expand(c, c.chmod(), scope);
            if (chmod != null && !chmod.matches("[0-7]{3,4}")) {
                throw new DockerfileException(df.file(), c.line(), c.keyword(), "invalid --chmod=" + chmod
                        + " (expected an octal mode such as 0755)");
            }
            List<String> excludes = new ArrayList<>();
            for (String e : c.excludes()) {
                excludes.add(expand(c, e, scope));
            }
            return new Copy(c.line(), c.add(), sources, dest, from, chown, chmod, c.link(), c.parents(), excludes,
                    c.checksum(), c.keepGitDir(), docs);
        }

        /** {@code 80} → {@code 80/tcp}; {@code 8000-8002/udp} → three ports. */
        private List<String> ports(Instruction ins, String spec) {
            String proto = "tcp";
            String range = spec;
            int slash = spec.indexOf('/');
            if (slash >= 0) {
                proto = spec.substring(slash + 1).toLowerCase();
                range = spec.substring(0, slash);
            }
            if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
                throw new DockerfileException(df.file(), ins.line(), "EXPOSE", "invalid protocol \"" + proto + "\" in " + spec);
            }
            String[] ends = range.split("-", 2);
            try {
                int lo = Integer.parseInt(ends[0]);
                int hi = ends.length > 1 ? Integer.parseInt(ends[1]) : lo;
                if (lo < 1 || hi > 65535 || hi < lo) {
                    throw new NumberFormatException();
                }
                List<String> out = new ArrayList<>();
                for (int p = lo; p <= hi; p++) {
                    out.add(p + "/" + proto);
                }
                return out;
            } catch (NumberFormatException e) {
                throw new DockerfileException(df.file(), ins.line(), "EXPOSE", "invalid port \"" + spec + "\" (e.g. 80, 443/tcp, 53/udp)");
            }
        }
    }
}
