package dev.hypr.cli;

import dev.hypr.cli.commands.ApplyCommand;
import dev.hypr.cli.commands.BuildCommand;
import dev.hypr.cli.commands.BuilderCommand;
import dev.hypr.cli.commands.CompletionCommand;
import dev.hypr.cli.commands.ComposeCommand;
import dev.hypr.cli.commands.DeleteCommand;
import dev.hypr.cli.commands.DescribeCommand;
import dev.hypr.cli.commands.DiffCommand;
import dev.hypr.cli.commands.EventsCommand;
import dev.hypr.cli.commands.ExecCommand;
import dev.hypr.cli.commands.LogsCommand;
import dev.hypr.cli.commands.RunCommand;
import dev.hypr.cli.commands.GetCommand;
import dev.hypr.cli.commands.ImagesCommand;
import dev.hypr.cli.commands.LoginCommand;
import dev.hypr.cli.commands.LogoutCommand;
import dev.hypr.cli.commands.SyncCommand;
import dev.hypr.cli.commands.VersionCommand;
import dev.hypr.cli.commands.VolumesCommand;
import dev.hypr.cli.commands.WaitCommand;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * hyprctl: the picocli root command and the one place that maps failures to exit codes:
 * 0 success, 1 error, 2 usage error. Commands throw; only this class prints failures.
 *
 * <p>Every command says {@code addMethodSubcommands = false}: none is a method, and otherwise
 * picocli reflects over every method of every command class on each run (~10 ms cold).
 */
@Command(name = "hyprctl", addMethodSubcommands = false,
        description = "Controls hyprd, the hypr microVM daemon: apply desired state, inspect it, wait for it.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit status: 0 success, 1 error, 2 usage error (diff: 1 = differences, 2 = error).",
                "Environment: HYPR_SOCKET selects the daemon socket; HYPR_DEBUG=1 prints stack traces."})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;

    @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "hyprd's Unix socket (default: $HYPR_SOCKET, /run/hypr/hypr.sock for root, "
                    + "else $XDG_RUNTIME_DIR/hypr/hypr.sock)")
    String socket;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private final CliEnv env;
    private DaemonConnection connection;
    private EarlyStart early;

    public Main(CliEnv env) {
        this.env = env;
    }

    public static void main(String[] args) {
        CliEnv env = CliEnv.system();
        quietLibraries("1".equals(env.getenv("HYPR_DEBUG")));
        int code = run(env, args);
        env.out().flush();
        env.err().flush();
        System.exit(code);
    }

    /** Library logging (gRPC and Netty log through java.util.logging) is noise on a terminal. */
    static void quietLibraries(boolean debug) {
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        if (!debug) {
            java.util.logging.LogManager.getLogManager().reset();
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        }
    }

    /** Runs one command line and returns its exit code; never throws. */
    public static int run(CliEnv env, String... args) {
        Main root = new Main(env);
        root.early = EarlyStart.of(env, args);
        try {
            CommandLine cl = commandLine(root, args);
            cl.setOut(env.out());
            cl.setErr(env.err());
            cl.setExecutionExceptionHandler((ex, cmd, parsed) -> root.handle(ex));
            cl.setParameterExceptionHandler(Main::usageError);
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            // a bug in hyprctl itself: still no stack trace unless asked for
            return root.handle(e instanceof Exception ex ? ex : new RuntimeException(e.toString(), e));
        } finally {
            root.closeConnection();
            env.out().flush();
            env.err().flush();
        }
    }

    /** Every command, in the order help lists them. */
    private static final String[] COMMANDS = {"apply", "get", "describe", "delete", "diff", "wait", "sync", "compose", "run", "exec",
        "logs", "events", "build", "builder", "images", "volumes", "cordon", "uncordon", "drain", "login", "logout", "version",
        "completion", "help"};

    // a switch rather than a map of lambdas: a static field holding lambdas crashed the JDK 25.0.3
    // AOT cache dump (archiveHeapWriter.cpp guarantee) in the training run
    private static Object newCommand(String name) {
        return switch (name) {
            case "apply" -> new ApplyCommand();
            case "get" -> new GetCommand();
            case "describe" -> new DescribeCommand();
            case "delete" -> new DeleteCommand();
            case "diff" -> new DiffCommand();
            case "wait" -> new WaitCommand();
            case "sync" -> new SyncCommand();
            case "compose" -> new ComposeCommand();
            case "run" -> new RunCommand();
            case "exec" -> new ExecCommand();
            case "logs" -> new LogsCommand();
            case "events" -> new EventsCommand();
            case "build" -> new BuildCommand();
            case "builder" -> new BuilderCommand();
            case "images" -> new ImagesCommand();
            case "volumes" -> new VolumesCommand();
            case "cordon" -> new dev.hypr.cli.commands.NodeCommands.Cordon();
            case "uncordon" -> new dev.hypr.cli.commands.NodeCommands.Uncordon();
            case "drain" -> new dev.hypr.cli.commands.NodeCommands.Drain();
            case "login" -> new LoginCommand();
            case "logout" -> new LogoutCommand();
            case "version" -> new VersionCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * The command tree. Building picocli's model costs about 40 ms per command on a cold JVM,
     * so when the command line names a command, only that one is built; help, completion,
     * usage errors and unknown commands get the whole tree.
     */
    static CommandLine commandLine(Main root, String... args) {
        CommandLine cl = new CommandLine(root);
        String name = commandName(args);
        boolean single = name != null && java.util.Arrays.asList(COMMANDS).contains(name) && !name.equals("help")
                && !name.equals("completion");
        for (String command : COMMANDS) {
            if (!single || command.equals(name)) {
                cl.addSubcommand(command, newCommand(command));
            }
        }
        return cl;
    }

    /** The first word that is not an option of the root command (nor --socket's value). */
    static String commandName(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--socket")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            } else if (!a.startsWith("--socket=")) {
                return null;
            }
        }
        return null;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return USAGE;
    }

    public CliEnv env() {
        return env;
    }

    /** The socket path this invocation talks to. */
    public String socketPath() {
        return socketPath(env, socket);
    }

    /** The socket for {@code --socket} {@code flag} (null when not given) in {@code env}. */
    static String socketPath(CliEnv env, String flag) {
        // whether we run as root is asked only when it decides (it stats /proc)
        return DaemonConnection.resolveSocket(flag, env.env(),
                flag == null && env.getenv("HYPR_SOCKET") == null && DaemonConnection.runningAsRoot());
    }

    /** The connection to hyprd, opened on first use and closed when the command ends. */
    public DaemonConnection connection() {
        if (connection == null) {
            String path = socketPath();
            connection = early != null ? early.take(path) : null;
            if (connection == null) {
                connection = env.connections().open(path);
            }
        }
        return connection;
    }

    private void closeConnection() {
        if (early != null) {
            early.closeUnused(connection);
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // the command's outcome is already decided
            }
            connection = null;
        }
    }

    private int handle(Exception ex) {
        PrintWriter err = env.err();
        env.out().flush();
        if ("1".equals(env.getenv("HYPR_DEBUG"))) {
            ex.printStackTrace(err);
        }
        if (ex instanceof CliException ce) {
            if (ce.getMessage() != null && !ce.getMessage().isEmpty()) {
                err.println("error: " + ce.getMessage());
            }
            return ce.exitCode();
        }
        if (ex instanceof StatusRuntimeException sre) {
            return GrpcErrors.report(sre, connection == null ? socketPath() : connection.target(), err);
        }
        if (ex instanceof CommandLine.ParameterException pe) {
            return usageError(pe, new String[0]);
        }
        String msg = ex.getMessage();
        err.println("error: " + (msg == null || msg.isEmpty() ? ex.getClass().getSimpleName() : msg));
        return ERROR;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        return USAGE;
    }
}
