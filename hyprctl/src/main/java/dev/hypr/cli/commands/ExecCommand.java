package dev.hypr.cli.commands;

import com.google.protobuf.ByteString;
import dev.hypr.api.grpc.ExecInput;
import dev.hypr.api.grpc.ExecOutput;
import dev.hypr.api.grpc.ExecStart;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.TerminalSize;
import dev.hypr.cli.CliException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl exec VM [-i] [-t] -- CMD...}: runs CMD in the VM beside its workload. The
 * command's exit code becomes hyprctl's, so scripts can use exec as they would ssh.
 */
@Command(name = "exec", addMethodSubcommands = false, description = {"Run a command in a running VM.",
        "Exit status: the command's own (127: not found in the guest); 1 when hyprctl itself fails."})
public final class ExecCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "VM", description = "The VM's name.")
    String vm;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "Command and arguments (after --).")
    List<String> command;

    @Option(names = {"-i", "--stdin"}, description = "Pass stdin to the command.")
    boolean stdin;

    @Option(names = {"-t", "--tty"}, description = "Allocate a terminal in the guest (raw mode here).")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Environment variable (repeatable).")
    List<String> env = List.of();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory in the guest.")
    String workdir;

    @Override
    public Integer call() throws Exception {
        Optional<ExecTerminal> terminal = Optional.empty();
        if (tty) {
            terminal = ExecTerminal.enterRawMode();
            if (terminal.isEmpty()) {
                err().println("Unable to use a TTY - input is not a terminal or the right kind of file");
                err().flush();
            }
        }
        try {
            return run(terminal.isPresent());
        } finally {
            terminal.ifPresent(ExecTerminal::close);
        }
    }

    private int run(boolean withTty) throws Exception {
        PrintStream stdout = ExecStreams.stdout(env());
        PrintStream stderr = ExecStreams.stderr(env());
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        StreamObserver<ExecInput> input = HyprGrpc.newStub(connection().channel()).exec(new StreamObserver<>() {
            @Override
            public void onNext(ExecOutput o) {
                switch (o.getOutputCase()) {
                    case STDOUT -> write(stdout, o.getStdout());
                    case STDERR -> write(stderr, o.getStderr());
                    case EXIT -> {
                        if (!o.getExit().getError().isEmpty()) {
                            stderr.println("hyprctl exec: " + o.getExit().getError());
                        }
                        exit.complete(o.getExit().getCode());
                    }
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                exit.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                exit.completeExceptionally(new CliException("hyprd ended the exec without an exit code", 1));
            }
        });
        Input sender = new Input(input);
        ExecStart.Builder start = ExecStart.newBuilder().setVm(vm).addAllArgv(command).addAllEnv(env).setTty(withTty);
        if (workdir != null) {
            start.setWorkingDir(workdir);
        }
        if (withTty) {
            int[] size = ExecTerminal.size();
            start.setCols(size[0]).setRows(size[1]);
            ExecTerminal.onResize(() -> {
                int[] s = ExecTerminal.size();
                sender.send(ExecInput.newBuilder().setResize(TerminalSize.newBuilder().setCols(s[0]).setRows(s[1])).build());
            });
        }
        sender.send(ExecInput.newBuilder().setStart(start).build());
        if (stdin) {
            Thread pump = new Thread(() -> pumpStdin(env().in(), sender), "exec stdin");
            pump.setDaemon(true); // blocked in read() when the command ends first; must not keep hyprctl alive
            pump.start();
        } else if (!withTty) {
            // EOF at once, as with </dev/null. Not with a tty: closing a pty's input means typing
            // an EOF character into the guest's terminal, which the terminal echoes
            sender.send(ExecInput.newBuilder().setCloseStdin(true).build());
        }
        try {
            return exit.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            stdout.flush();
            stderr.flush();
            sender.finish();
        }
    }

    private static void pumpStdin(InputStream in, Input sender) {
        byte[] buf = new byte[32 * 1024];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                sender.send(ExecInput.newBuilder().setStdin(ByteString.copyFrom(buf, 0, n)).build());
            }
        } catch (IOException e) {
            // stdin broke: treat as its end
        }
        sender.send(ExecInput.newBuilder().setCloseStdin(true).build());
    }

    private static void write(PrintStream out, ByteString bytes) {
        try {
            bytes.writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.flush();
    }

    /** gRPC's request observer is not thread-safe; stdin, resize and start come from different threads. */
    private static final class Input {
        private final StreamObserver<ExecInput> observer;
        private boolean done;

        Input(StreamObserver<ExecInput> observer) {
            this.observer = observer;
        }

        synchronized void send(ExecInput in) {
            if (!done) {
                observer.onNext(in);
            }
        }

        synchronized void finish() {
            if (!done) {
                done = true;
                try {
                    observer.onCompleted();
                } catch (IllegalStateException alreadyClosed) {
                    // the call failed before we were done sending: its error is what gets reported
                }
            }
        }
    }
}
