package dev.hypr.cli.commands;

import dev.hypr.api.grpc.PruneVolumesReply;
import dev.hypr.api.grpc.PruneVolumesRequest;
import dev.hypr.api.grpc.PrunedVolume;
import dev.hypr.cli.CliException;
import dev.hypr.cli.HelpOption;
import dev.hypr.cli.Terminals;
import dev.hypr.cli.output.Sizes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hyprctl volumes prune [-f]}: docker's {@code volume prune}. Asks first, as docker does;
 * without a terminal to ask on, {@code --force} is required instead of guessing.
 */
@Command(name = "prune", addMethodSubcommands = false,
        description = {"Delete every volume that no VM names, with its data; print each and the space freed.",
            "Asks for confirmation; -f skips it (required when stdin is not a terminal)."})
public final class VolumesPruneCommand implements Callable<Integer> {
    @ParentCommand
    VolumesCommand volumes;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = volumes.root.env().out();
        if (!force) {
            if (!Terminals.isTerminal()) {
                throw new CliException("volumes prune deletes the data of every volume no VM uses; stdin is not a terminal to "
                        + "confirm on: pass -f (--force)");
            }
            out.print("WARNING! This will delete every volume that no VM uses, and the data in it.\n"
                    + "Are you sure you want to continue? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(volumes.root.env().in(), StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).matches("y|yes")) {
                return 0; // docker exits 0 when the answer is no
            }
        }
        PruneVolumesReply reply = volumes.root.connection().api().pruneVolumes(PruneVolumesRequest.getDefaultInstance());
        if (reply.getDeletedCount() > 0) {
            out.println("Deleted Volumes:");
            for (PrunedVolume v : reply.getDeletedList()) {
                out.println(v.getName());
            }
            out.println();
        }
        out.println("Total reclaimed space: " + Sizes.bytes(reply.getFreedBytes()));
        return 0;
    }
}
