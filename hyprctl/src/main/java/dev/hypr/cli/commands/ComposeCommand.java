package dev.hypr.cli.commands;

import dev.hypr.cli.compose.ProjectOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hyprctl compose [-f FILE]... [-p NAME] [--profile P] [--env-file F] COMMAND}: a compose
 * project as one Stack object, with the commands docker compose users expect. The project flags are
 * accepted after COMMAND too.
 */
@Command(name = "compose", addMethodSubcommands = false, synopsisSubcommandLabel = "COMMAND",
        subcommands = {ComposeUpCommand.class, ComposeDownCommand.class, ComposeBuildCommand.class, ComposePsCommand.class,
            ComposeLogsCommand.class, ComposeExecCommand.class, ComposeRestartCommand.class, ComposeConfigCommand.class, ComposeConvertCommand.class},
        description = {"Run a compose project (compose.yaml) as a Stack: one microVM per service replica.",
            "The project flags may also follow COMMAND."})
public final class ComposeCommand extends BaseCommand {
    @Mixin
    ProjectOptions project;

    @Override
    public Integer call() {
        root.env().err().println("error: missing COMMAND: up, down, build, ps, logs, exec, restart, config or convert");
        return 2;
    }
}
