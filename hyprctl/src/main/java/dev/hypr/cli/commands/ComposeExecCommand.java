package dev.hypr.cli.commands;

import dev.hypr.api.compose.ComposeTranslator;
import dev.hypr.cli.Terminals;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl compose exec SERVICE -- CMD...}: {@code hyprctl exec} in the service's VM
 * {@code <stack>-<service>-<index>} (replica 1 unless --index). As docker compose: stdin is passed
 * and a terminal allocated when there is one (-T: none).
 */
@Command(name = "exec", addMethodSubcommands = false, description = {"Run a command in a service's VM (replica 1 unless"
        + " --index).", "Exit status: the command's own."})
public final class ComposeExecCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service.")
    String service;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "Command and arguments (after --).")
    List<String> command;

    @Option(names = "--index", paramLabel = "N", defaultValue = "1", description = "Which replica (default: 1).")
    int index;

    @Option(names = {"-T", "--no-TTY"}, description = "No terminal, even when hyprctl runs on one.")
    boolean noTty;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Environment variable (repeatable).")
    List<String> environment = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory in the guest.")
    String workdir;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    /** The VM of a service's replica: {@code <stack>-<service>-<n>}. */
    static String vmName(String stack, String service, int index) {
        return stack + "-" + ComposeTranslator.serviceName(service) + "-" + index;
    }

    @Override
    public Integer call() throws Exception {
        ExecCommand exec = new ExecCommand();
        exec.root = compose.root;
        exec.vm = vmName(stackName(), service, index);
        exec.command = command;
        exec.env = environment;
        exec.workdir = workdir;
        exec.tty = !noTty && Terminals.isTerminal();
        exec.stdin = exec.tty || !noTty;
        return exec.call();
    }
}
