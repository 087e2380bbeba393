package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.api.compose.ComposeTranslator;
import dev.hypr.cli.CliException;
import dev.hypr.cli.compose.DaemonImageBuilder;
import dev.hypr.cli.compose.ImageBuilder;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl compose build [SERVICE...]}: builds (always) the images of the project's services
 * with {@code build:}, or of the ones named, with hyprd's builder, and tags each with the service's
 * image ({@code image:}, else {@code <project>-<service>}). Creates no Stack; running VMs keep their
 * image until {@code up --force-recreate} (an {@code up --build} recreates what it rebuilt differently).
 */
@Command(name = "build", addMethodSubcommands = false,
        description = "Build the images of the services with build: (all, or those named); tag each with its image.")
public final class ComposeBuildCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Only these services (default: every one with build:).")
    List<String> services = new ArrayList<>();

    @Option(names = "--no-cache", description = "Run every step, whatever the build cache holds.")
    boolean noCache;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        ComposeResult result = translate("nothing was built");
        Set<String> built = new LinkedHashSet<>();
        for (JsonNode svc : result.stack().path("spec").path("services")) {
            if (svc.has("build")) built.add(svc.path("name").asText());
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : services) {
            String name = ComposeTranslator.serviceName(s);
            if (!built.contains(name)) {
                throw new CliException("service " + s + " is not in the project or has no build:", 2);
            }
            wanted.add(name);
        }
        if (built.isEmpty()) {
            out().println("no service has build:; nothing to build");
            return 0;
        }
        new DaemonImageBuilder(connection(), env().env(), ExecStreams.stdout(env()), noCache)
                .build(result.stack().deepCopy(), wanted, ImageBuilder.When.ALWAYS, out());
        return 0;
    }
}
