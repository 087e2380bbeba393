package dev.hypr.cli.commands;

import dev.hypr.api.compose.ComposeResult;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.output.YamlWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hyprctl compose convert}: the objects the project becomes, as YAML ready to commit to a
 * GitOps directory or to {@code hyprctl apply -f -}. Needs no daemon; services with {@code build:}
 * keep their build reference (with a warning): {@code compose up} or {@code compose build} builds them.
 */
@Command(name = "convert", addMethodSubcommands = false,
        description = "Print the objects (a Stack) the project becomes, ready for hyprctl apply or a Sync directory.")
public final class ComposeConvertCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        ComposeResult result = translate("nothing was converted");
        out().print(YamlWriter.writeAll(result.objects()));
        return 0;
    }
}
