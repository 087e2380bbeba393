package dev.hypr.cli.commands;

import dev.hypr.api.compose.ComposeTranslator;
import dev.hypr.api.grpc.LogChunk;
import dev.hypr.api.grpc.LogsRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.Terminals;
import dev.hypr.cli.compose.LogPrefixer;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.compose.StackVms;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl compose logs [SERVICE...] [-f] [--tail N]}: every VM's workload output, each line
 * prefixed with the VM's name ({@code <stack>-<service>-<n>}), coloured per VM on a terminal.
 */
@Command(name = "logs", addMethodSubcommands = false, description = {"Print the services' output, each line prefixed by"
        + " its VM; -f keeps following.", "The compose file is --file here (-f is --follow)."})
public final class ComposeLogsCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions.LongOnly project;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Only these services.")
    List<String> services = List.of();

    @Option(names = {"-f", "--follow"}, description = "Keep streaming new output until Ctrl-C.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines of each VM (default: all).")
    int tail;

    @Option(names = "--no-color", description = "No colours, even on a terminal.")
    boolean noColor;

    @Option(names = "--no-log-prefix", description = "Do not prefix lines with the VM's name.")
    boolean noPrefix;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    /** Compose service names as the Stack's ({@code Web_App} → {@code web-app}). */
    static List<String> serviceNames(List<String> services) {
        return services == null ? List.of() : services.stream().map(ComposeTranslator::serviceName).toList();
    }

    @Override
    public Integer call() throws Exception {
        List<StackVms.StackVm> vms = StackVms.ofServices(StackVms.list(api(), stackName()), serviceNames(services));
        if (vms.isEmpty()) {
            throw new CliException(services.isEmpty() ? "the project has no VMs (is it up?)"
                    : "no VMs of service(s) " + String.join(", ", services));
        }
        PrintStream raw = ExecStreams.stdout(env());
        boolean colour = !noColor && Terminals.isTerminal();
        int width = vms.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < vms.size(); i++) {
            String vm = vms.get(i).name();
            LogPrefixer prefixer = new LogPrefixer(raw, vm, width, i, colour, !noPrefix);
            Thread t = new Thread(() -> {
                try {
                    Iterator<LogChunk> chunks = connection().streaming().streamLogs(LogsRequest.newBuilder()
                            .setVm(vm).setFollow(follow).setTailLines(Math.max(0, tail)).build());
                    while (chunks.hasNext()) {
                        prefixer.write(chunks.next().getData().toByteArray());
                    }
                    prefixer.flush();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "logs " + vm);
            t.setDaemon(true);
            readers.add(t);
            t.start();
        }
        for (Thread t : readers) {
            t.join();
        }
        raw.flush();
        if (failure.get() != null) {
            throw failure.get();
        }
        return 0;
    }
}
