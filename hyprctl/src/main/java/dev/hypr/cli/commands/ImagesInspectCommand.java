package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.cli.output.YamlWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hyprctl images inspect NAME|REF}: the image's ref, spec and status as YAML. */
@Command(name = "inspect", description = "Show an image's spec and status (digest, layers, config, rootfs) as YAML.")
public final class ImagesInspectCommand extends ImagesSubcommand {
    @Parameters(paramLabel = "NAME|REF", description = "The Image object's name, or the reference it was pulled as.")
    String image;

    @Override
    public Integer call() {
        JsonNode img = findImage(image);
        ObjectNode shown = Json.MAPPER.createObjectNode();
        shown.put("name", img.path("metadata").path("name").asText());
        shown.set("spec", img.path("spec"));
        shown.set("status", img.path("status"));
        out().print(YamlWriter.write(shown));
        return 0;
    }
}
