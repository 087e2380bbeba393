package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.compose.StackLabels;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl compose restart [SERVICE...]}: asks the Stack controller to recreate the services'
 * VMs by setting the Stack annotation {@code restart.hypr.dev/<service>} to now (docs/compose.md);
 * the spec is not changed, so the file on disk is not re-read.
 */
@Command(name = "restart", addMethodSubcommands = false,
        description = "Restart the services' VMs (all services when none is named).")
public final class ComposeRestartCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Only these services.")
    List<String> services = new ArrayList<>();

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        String name = stackName();
        ObjectNode current = Json.parseObject(api().get(GetRequest.newBuilder().setKind("Stack").setName(name).build()).getJson());
        List<String> known = new ArrayList<>();
        current.path("spec").path("services").forEach(s -> known.add(s.path("name").asText()));
        List<String> chosen = services.isEmpty() ? known : ComposeLogsCommand.serviceNames(services);
        for (String s : chosen) {
            if (!known.contains(s)) {
                throw new CliException("no service " + s + " in stack/" + name + " (services: " + String.join(", ", known) + ")");
            }
        }
        ObjectNode request = restartRequest(current, chosen, compose.now().toString());
        api().apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(Json.write(request))).build());
        for (String s : chosen) {
            out().println("service " + s + " restart requested");
        }
        return 0;
    }

    /** The Stack as read, with a fresh restart annotation per service; its resourceVersion guards a concurrent edit. */
    static ObjectNode restartRequest(JsonNode current, List<String> services, String now) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("apiVersion", current.path("apiVersion").asText());
        request.put("kind", current.path("kind").asText());
        ObjectNode metadata = request.putObject("metadata");
        metadata.put("name", current.path("metadata").path("name").asText());
        metadata.put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        if (current.path("metadata").has("labels")) {
            metadata.set("labels", current.path("metadata").get("labels"));
        }
        ObjectNode annotations = current.path("metadata").has("annotations")
                ? ((ObjectNode) current.path("metadata").get("annotations")).deepCopy() : Json.MAPPER.createObjectNode();
        for (String s : services) {
            annotations.put(StackLabels.RESTART_PREFIX + s, now);
        }
        metadata.set("annotations", annotations);
        request.set("spec", current.path("spec"));
        return request;
    }
}
