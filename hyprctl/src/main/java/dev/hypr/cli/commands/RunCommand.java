package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.ObjectWaiter;
import io.grpc.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl run --rootfs PATH --name N [-p ...] -- CMD...}: a shortcut that applies a VM
 * object (nothing imperative happens here) and waits until it is Ready or has Failed.
 */
@Command(name = "run", addMethodSubcommands = false, description = {"Create a VM from a rootfs and wait until it is Ready.",
        "The VM is an ordinary object: 'hyprctl get vm NAME -o yaml' shows it, 'hyprctl delete vm NAME' removes it."})
public final class RunCommand extends BaseCommand {
    @Option(names = "--rootfs", required = true, paramLabel = "PATH",
            description = "A squashfs image or a directory (packed with mksquashfs); relative to the current directory.")
    String rootfs;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The VM's name.")
    String name;

    @Option(names = {"-p", "--publish"}, paramLabel = "[HOSTIP:]HOST:GUEST[/PROTO]", description = "Forward a host port (repeatable).")
    List<String> publish = List.of();

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Environment variable (repeatable).")
    List<String> env = List.of();

    @Option(names = "--memory", paramLabel = "MIB", description = "Guest memory in MiB.")
    Integer memoryMiB;

    @Option(names = "--cpus", paramLabel = "N", description = "Virtual CPUs.")
    Integer cpus;

    @Option(names = "--restart", paramLabel = "POLICY", description = "Always (default), OnFailure or Never.")
    String restart;

    @Option(names = "--network", paramLabel = "NAME",
            description = "A Network's name, \"user\" (QEMU user-mode, no root needed) or \"none\" (default: the default Network). "
                    + "Repeat for one NIC per Network (spec.networks; the first is eth0).")
    List<String> networks = new ArrayList<>();

    @Option(names = {"-d", "--detach"}, description = "Do not wait for Ready.")
    boolean detach;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "120s",
            description = "How long to wait for Ready (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Parameters(paramLabel = "CMD", arity = "1..*", description = "The workload's command and arguments (after --).")
    List<String> command;

    @Override
    public Integer call() {
        ApplyResponse resp = api().apply(ApplyRequest.newBuilder()
                .addObjects(dev.hypr.api.grpc.Manifest.newBuilder().setJson(Json.write(vmObject())).setSource("run")).build());
        out().println("vm/" + name + " " + resp.getResults(0).getOutcome().name().toLowerCase());
        out().flush();
        if (detach) {
            return 0;
        }
        ObjectWaiter waiter = new ObjectWaiter(connection());
        Optional<JsonNode>[] last = new Optional[] {Optional.empty()};
        boolean settled = waiter.await(Kind.VM, name, waiter.current(Kind.VM, name), resp.getResourceVersion(),
                Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS), vm -> {
                    last[0] = vm;
                    return vm.isEmpty() || ready(vm.get()).path("status").asText().equals("True")
                            || "Failed".equals(vm.get().path("status").path("phase").asText());
                });
        JsonNode vm = last[0].orElseThrow(() -> new CliException("vm/" + name + " was deleted while starting"));
        JsonNode ready = ready(vm);
        if (!settled) {
            throw new CliException("vm/" + name + " not Ready within " + timeout.toSeconds() + "s: "
                    + ready.path("reason").asText("?") + ": " + ready.path("message").asText(""));
        }
        if (!ready.path("status").asText().equals("True")) {
            throw new CliException("vm/" + name + " failed: " + ready.path("reason").asText() + ": " + ready.path("message").asText());
        }
        JsonNode st = vm.path("status");
        out().println("vm/" + name + " is Ready (pid " + st.path("pid").asText("?") + ", " + st.path("hypervisor").asText("?")
                + (st.path("ip").isMissingNode() ? "" : ", ip " + st.path("ip").asText()) + ")");
        return 0;
    }

    ObjectNode vmObject() {
        Path path = Path.of(rootfs).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new CliException("--rootfs " + path + " does not exist (images arrive with the image store)", 2);
        }
        ObjectNode vm = Json.MAPPER.createObjectNode();
        vm.put("apiVersion", "hypr.dev/v1alpha1").put("kind", "VM");
        vm.putObject("metadata").put("name", name);
        ObjectNode spec = vm.putObject("spec");
        spec.put("rootfs", path.toString());
        if (networks.size() == 1) {
            spec.put("network", networks.get(0));
        } else if (networks.size() > 1) {
            ArrayNode list = spec.putArray("networks");
            networks.forEach(n -> list.addObject().put("name", n));
        }
        ArrayNode cmd = spec.putArray("command");
        command.forEach(cmd::add);
        if (!env.isEmpty()) {
            ArrayNode e = spec.putArray("env");
            for (String kv : env) {
                int eq = kv.indexOf('=');
                e.addObject().put("name", eq < 0 ? kv : kv.substring(0, eq)).put("value", eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        if (!publish.isEmpty()) {
            ArrayNode ports = spec.putArray("ports");
            publish.forEach(p -> ports.add(RunPorts.parse(p)));
        }
        if (memoryMiB != null) {
            spec.put("memoryMiB", memoryMiB);
        }
        if (cpus != null) {
            spec.put("cpus", cpus);
        }
        if (restart != null) {
            spec.put("restartPolicy", restart);
        }
        return vm;
    }

    private static JsonNode ready(JsonNode vm) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return c;
            }
        }
        return Json.MAPPER.createObjectNode();
    }
}
