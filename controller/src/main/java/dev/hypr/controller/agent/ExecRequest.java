package dev.hypr.controller.agent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A command to run in the guest beside the workload. env entries are "NAME=value". */
public record ExecRequest(List<String> argv, List<String> env, Optional<String> workingDir,
                          Optional<String> user, boolean tty, int cols, int rows) {
    public ExecRequest {
        if (argv.isEmpty()) throw new IllegalArgumentException("exec needs a command");
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        Objects.requireNonNull(workingDir);
        Objects.requireNonNull(user);
    }

    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), List.of(), Optional.empty(), Optional.empty(), false, 0, 0);
    }

    public ExecRequest withTty(int cols, int rows) {
        return new ExecRequest(argv, env, workingDir, user, true, cols, rows);
    }

    byte[] encode() {
        KeyValueText kv = new KeyValueText().addAll("arg", argv).addAll("env", env);
        workingDir.ifPresent(d -> kv.add("cwd", d));
        user.ifPresent(u -> kv.add("user", u));
        if (tty) kv.add("tty", "1").add("cols", Integer.toString(cols)).add("rows", Integer.toString(rows));
        return kv.toBytes();
    }
}
