package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.api.sync.SyncLabels;
import dev.hypr.cli.HelpOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hyprctl sync reconcile NAME}: asks hyprd for a pass now by re-applying the Sync with a
 * fresh {@code hypr.dev/reconcile-requested-at} annotation; that store change wakes the controller.
 */
@Command(name = "reconcile", addMethodSubcommands = false, description = "Trigger an immediate pass of the Sync NAME in hyprd.")
public final class SyncReconcileCommand implements Callable<Integer> {
    @ParentCommand
    SyncCommand sync;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "NAME", description = "The Sync to reconcile.")
    String name;

    @Override
    public Integer call() {
        ObjectNode current = Json.parseObject(sync.api()
                .get(GetRequest.newBuilder().setKind("sync").setName(name).build()).getJson());
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("apiVersion", current.path("apiVersion").asText());
        request.put("kind", current.path("kind").asText());
        ObjectNode metadata = request.putObject("metadata");
        metadata.put("name", name);
        // Optimistic concurrency: a spec edited meanwhile is not overwritten with the one read here.
        metadata.put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        if (current.path("metadata").has("labels")) {
            metadata.set("labels", current.path("metadata").get("labels"));
        }
        ObjectNode annotations = current.path("metadata").has("annotations")
                ? ((ObjectNode) current.path("metadata").get("annotations")).deepCopy()
                : Json.MAPPER.createObjectNode();
        annotations.put(SyncLabels.RECONCILE_REQUESTED_AT, sync.now().toString());
        metadata.set("annotations", annotations);
        request.set("spec", current.path("spec"));
        sync.api().apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(Json.write(request))).build());
        sync.out().println("sync/" + name + " reconcile requested");
        return 0;
    }
}
