package dev.hypr.cli.commands;

import dev.hypr.cli.CliException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyprctl completion bash|zsh}: a completion script to source; never contacts hyprd. */
@Command(name = "completion", addMethodSubcommands = false, description = {"Print a shell completion script.",
        "bash: source <(hyprctl completion bash)    zsh: source <(hyprctl completion zsh)"})
public final class CompletionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHELL", description = "bash or zsh.", completionCandidates = Shells.class)
    String shell;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    dev.hypr.cli.HelpOption help;

    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash", "zsh").iterator();
        }
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("hyprctl", spec.root().commandLine());
        var out = spec.commandLine().getOut();
        switch (shell) {
            case "bash" -> out.print(script);
            case "zsh" -> {
                out.println("#compdef hyprctl");
                out.println("autoload -U +X compinit && compinit");
                out.println("autoload -U +X bashcompinit && bashcompinit");
                out.print(script);
            }
            default -> throw new CliException("unsupported shell \"" + shell + "\" (bash or zsh)", 2);
        }
        out.flush();
        return 0;
    }
}
