package dev.hypr.api.build;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction as written. Words keep their quotes and {@code $VARIABLES} until
 * {@link StageEvaluator} expands them with the stage's ENV and ARG values, exactly where BuildKit
 * expands them (never in RUN, CMD, ENTRYPOINT, SHELL or HEALTHCHECK: the shell does that).
 * {@link #line()} is the 1-based line the instruction starts on.
 */
public sealed interface Instruction {
    int line();

    /** The instruction keyword in upper case, as BuildKit prints it. */
    String keyword();

    /** {@code <<EOF} here-document attached to RUN, COPY or ADD. */
    record Heredoc(String name, String content, boolean expand, boolean chomp) {
    }

    /** A key and value of ENV or LABEL. */
    record KeyValue(String key, String value) {
    }

    /** {@code FROM [--platform=P] IMAGE [AS NAME]}; {@code name} is lower case or null. */
    record From(int line, String image, String platform, String name) implements Instruction {
        public String keyword() {
            return "FROM";
        }
    }

    /**
     * {@code RUN}. Shell form: {@code command} is the single command line given to the SHELL
     * (with any heredocs appended by {@link #script()}). Exec form: argv, no shell.
     */
    record Run(int line, List<String> command, boolean execForm, List<Mount> mounts, String network,
               String security, List<Heredoc> heredocs) implements Instruction {
        public String keyword() {
            return "RUN";
        }

        /**
         * The text the shell runs for a shell-form RUN: the command line followed by each
         * here-document and its terminator, as a POSIX shell expects them.
         */
        public String script() {
            if (execForm) {
                throw new IllegalStateException("exec-form RUN has no script");
            }
            StringBuilder sb = new StringBuilder(command.get(0));
            for (Heredoc h : heredocs) {
                sb.append('\n').append(h.content()).append(h.name());
            }
            return sb.toString();
        }
    }

    /**
     * {@code RUN --mount=type=...,key=value}. {@code options} are the mount's other keys as written
     * (target, source, from, id, sharing, mode, uid, gid, required, readonly/ro/rw, env, size).
     */
    record Mount(String type, Map<String, String> options) {
        public String option(String key) {
            return options.get(key);
        }

        /** {@code target}, {@code dst} or {@code destination}, whichever was given. */
        public String target() {
            String t = options.get("target");
            if (t == null) {
                t = options.get("dst");
            }
            return t != null ? t : options.get("destination");
        }

        /** {@code source} or {@code src}. */
        public String source() {
            String s = options.get("source");
            return s != null ? s : options.get("src");
        }

        /** Read-only: bind mounts are read-only unless {@code rw}/{@code readwrite}. */
        public boolean readOnly() {
            if (options.containsKey("rw") || options.containsKey("readwrite")) {
                return isFalse(options.getOrDefault("rw", options.get("readwrite")));
            }
            if (options.containsKey("ro") || options.containsKey("readonly")) {
                return !isFalse(options.getOrDefault("ro", options.get("readonly")));
            }
            return type.equals("bind");
        }

        private static boolean isFalse(String v) {
            return v != null && v.equalsIgnoreCase("false");
        }
    }

    /**
     * {@code COPY} or (when {@code add}) {@code ADD}. {@code sources} and {@code dest} are as
     * written; {@code from} is a stage name, a stage index or an image, or null for the context.
     */
    record Copy(int line, boolean add, List<String> sources, String dest, String from, String chown,
                String chmod, boolean link, boolean parents, List<String> excludes, String checksum,
                boolean keepGitDir, List<Heredoc> heredocs) implements Instruction {
        public String keyword() {
            return add ? "ADD" : "COPY";
        }
    }

    record Env(int line, List<KeyValue> pairs) implements Instruction {
        public String keyword() {
            return "ENV";
        }
    }

    /** One {@code NAME[=default]} of an ARG; {@code defaultValue} is null when there is none. */
    record ArgDecl(String name, String defaultValue) {
    }

    record Arg(int line, List<ArgDecl> args) implements Instruction {
        public String keyword() {
            return "ARG";
        }
    }

    record Workdir(int line, String path) implements Instruction {
        public String keyword() {
            return "WORKDIR";
        }
    }

    /** {@code USER user[:group]}. */
    record User(int line, String user) implements Instruction {
        public String keyword() {
            return "USER";
        }
    }

    record Shell(int line, List<String> shell) implements Instruction {
        public String keyword() {
            return "SHELL";
        }
    }

    /** {@code EXPOSE 80 443/tcp 53/udp}; each port as written. */
    record Expose(int line, List<String> ports) implements Instruction {
        public String keyword() {
            return "EXPOSE";
        }
    }

    record Volume(int line, List<String> paths) implements Instruction {
        public String keyword() {
            return "VOLUME";
        }
    }

    /** LABEL, and the deprecated MAINTAINER (as {@code LABEL maintainer=...}, {@code maintainer} true). */
    record Label(int line, List<KeyValue> pairs, boolean maintainer) implements Instruction {
        public String keyword() {
            return maintainer ? "MAINTAINER" : "LABEL";
        }
    }

    /** CMD (or ENTRYPOINT when {@code entrypoint}); shell form is one element run by the SHELL. */
    record Cmd(int line, boolean entrypoint, List<String> command, boolean execForm) implements Instruction {
        public String keyword() {
            return entrypoint ? "ENTRYPOINT" : "CMD";
        }
    }

    /**
     * HEALTHCHECK. {@code test} is in image-config form: {@code [NONE]}, {@code [CMD, argv...]}
     * or {@code [CMD-SHELL, command]}. Durations and retries are null when not given.
     */
    record Healthcheck(int line, List<String> test, Duration interval, Duration timeout,
                       Duration startPeriod, Duration startInterval, Integer retries) implements Instruction {
        public String keyword() {
            return "HEALTHCHECK";
        }

        public boolean none() {
            return test.size() == 1 && test.get(0).equals("NONE");
        }
    }

    record StopSignal(int line, String signal) implements Instruction {
        public String keyword() {
            return "STOPSIGNAL";
        }
    }

    /** ONBUILD: recorded in the image config for images built FROM this one; not run here. */
    record Onbuild(int line, String trigger) implements Instruction {
        public String keyword() {
            return "ONBUILD";
        }
    }
}
