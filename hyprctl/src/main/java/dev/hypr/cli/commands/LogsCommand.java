package dev.hypr.cli.commands;

import dev.hypr.api.grpc.LogChunk;
import dev.hypr.api.grpc.LogsRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl logs VM [-f] [--tail N]}: the workload's stdout and stderr, byte for byte. */
@Command(name = "logs", addMethodSubcommands = false, description = "Print a VM's workload output; -f keeps following it.")
public final class LogsCommand extends BaseCommand {
    @Parameters(paramLabel = "VM", description = "The VM's name.")
    String vm;

    @Option(names = {"-f", "--follow"}, description = "Keep streaming new output until Ctrl-C.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (default: all).")
    int tail;

    @Override
    public Integer call() throws IOException {
        Iterator<LogChunk> chunks = connection().streaming().streamLogs(LogsRequest.newBuilder()
                .setVm(vm).setFollow(follow).setTailLines(Math.max(0, tail)).build());
        PrintStream raw = ExecStreams.stdout(env());
        while (chunks.hasNext()) {
            chunks.next().getData().writeTo(raw);
            raw.flush();
        }
        return 0;
    }
}
