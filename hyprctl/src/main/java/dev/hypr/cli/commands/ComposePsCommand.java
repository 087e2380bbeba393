package dev.hypr.cli.commands;

import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.compose.PsTable;
import dev.hypr.cli.compose.StackVms;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl compose ps [SERVICE...]}: the stack's VMs, one row each. */
@Command(name = "ps", addMethodSubcommands = false, description = "List the project's VMs: service, image, status, health, ports.")
public final class ComposePsCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Only these services.")
    List<String> services = List.of();

    @Option(names = {"-q", "--quiet"}, description = "Only the VM names.")
    boolean quiet;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        List<StackVms.StackVm> vms = StackVms.ofServices(StackVms.list(api(), stackName()), ComposeLogsCommand.serviceNames(services));
        if (quiet) {
            vms.forEach(v -> out().println(v.name()));
            return 0;
        }
        PsTable.of(vms).print(out(), true);
        return 0;
    }
}
