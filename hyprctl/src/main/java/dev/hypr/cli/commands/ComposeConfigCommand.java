package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.compose.ComposeModel;
import dev.hypr.api.compose.ComposeTranslator;
import dev.hypr.cli.CliException;
import dev.hypr.cli.compose.ComposeInput;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.output.YamlWriter;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hyprctl compose config}: the resolved compose model as {@code docker compose config} prints it
 * (files merged, interpolated, include/extends applied, profiles filtered). Needs no daemon.
 */
@Command(name = "config", addMethodSubcommands = false,
        description = "Print the resolved compose model (merged, interpolated, profiles applied); needs no daemon.")
public final class ComposeConfigCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Option(names = {"-q", "--quiet"}, description = "Only validate: print nothing but warnings and errors.")
    boolean quiet;

    @Option(names = "--services", description = "Print the service names, one per line.")
    boolean services;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        ComposeModel model = ComposeTranslator.resolve(ComposeInput.request(flags(), cwd(), env().env()));
        model.warnings().forEach(w -> err().println("warning: " + w.format()));
        if (!model.ok()) {
            model.errors().forEach(e -> err().println("error: " + e.format()));
            throw new CliException(model.errors().size() + " error(s) in the compose files");
        }
        if (quiet) {
            return 0;
        }
        if (services) {
            for (Iterator<String> it = model.model().path("services").fieldNames(); it.hasNext(); ) {
                out().println(it.next());
            }
            return 0;
        }
        JsonNode resolved = model.model();
        out().print(YamlWriter.write(resolved));
        return 0;
    }
}
