package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.ObjectWaiter;
import dev.hypr.cli.compose.EnvironmentSecrets;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.compose.StackLabels;
import dev.hypr.cli.compose.StackVms;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hyprctl compose down [-v]}: deletes the Stack (its VMs and Networks go with it) and waits until
 * they are gone; named volumes stay unless -v, which then deletes the Volumes labelled
 * {@code hypr.dev/stack=NAME,hypr.dev/volume-kind=named} — after the VMs, so none still holds one.
 */
@Command(name = "down", addMethodSubcommands = false, description = {"Remove the project's Stack, its VMs and networks.",
        "Named volumes are kept (their data is there at the next up) unless -v."})
public final class ComposeDownCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Option(names = {"-v", "--volumes"}, description = "Also remove the stack's named volumes.")
    boolean volumes;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for everything to be gone (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        String name = stackName();
        Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ObjectWaiter waiter = new ObjectWaiter(connection());
        List<String> vms = StackVms.list(api(), name).stream().map(StackVms.StackVm::name).toList();
        boolean existed = delete(Kind.STACK, name);
        if (existed) {
            out().println("stack/" + name + " deleted");
            out().flush();
        }
        awaitGone(waiter, Kind.STACK, name, deadline);
        for (String vm : vms) {
            awaitGone(waiter, Kind.VM, vm, deadline);
        }
        // VMs the controller made after the list above (it may have been scaling up): gone with the Stack too
        for (StackVms.StackVm vm : StackVms.list(api(), name)) {
            awaitGone(waiter, Kind.VM, vm.name(), deadline);
        }
        if (volumes) {
            List<String> named = new ArrayList<>();
            for (String json : api().list(ListRequest.newBuilder().setKind("Volume")
                    .setLabelSelector(StackLabels.namedVolumesSelector(name)).build()).getItemsList()) {
                named.add(Json.parseObject(json).path("metadata").path("name").asText());
            }
            for (String v : named) {
                if (delete(Kind.VOLUME, v)) {
                    out().println("volume/" + v + " deleted");
                    out().flush();
                }
            }
            for (String v : named) {
                awaitGone(waiter, Kind.VOLUME, v, deadline);
            }
        }
        EnvironmentSecrets.remove(EnvironmentSecrets.directory(env().env(), name));
        if (!existed) {
            err().println("note: stack/" + name + " does not exist");
        }
        return 0;
    }

    private boolean delete(Kind kind, String name) {
        try {
            api().delete(DeleteRequest.newBuilder().setKind(kind.kindName()).setName(name).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static void awaitGone(ObjectWaiter waiter, Kind kind, String name, Deadline deadline) {
        Optional<JsonNode> now = waiter.current(kind, name);
        if (!waiter.await(kind, name, now, ObjectWaiter.revisionOf(now), deadline, Optional::isEmpty)) {
            throw new CliException("timed out waiting for " + kind.singular() + "/" + name + " to be deleted"
                    + (now.isPresent() ? " (" + now.get().path("status").path("message").asText("still there") + ")" : ""));
        }
    }
}
