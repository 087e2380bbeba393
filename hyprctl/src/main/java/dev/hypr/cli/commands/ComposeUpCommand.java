package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.api.compose.ComposeTranslator;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.ApplyResult;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.GrpcErrors;
import dev.hypr.cli.ObjectWaiter;
import dev.hypr.cli.Terminals;
import dev.hypr.cli.compose.DaemonImageBuilder;
import dev.hypr.cli.compose.EnvironmentSecrets;
import dev.hypr.cli.compose.ImageBuilder;
import dev.hypr.cli.compose.ProgressView;
import dev.hypr.cli.compose.ProjectFlags;
import dev.hypr.cli.compose.ProjectOptions;
import dev.hypr.cli.compose.StackLabels;
import dev.hypr.cli.compose.UpProgress;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hyprctl compose up}: translate, refuse what cannot run (errors) before creating anything,
 * build the images of services with {@code build:} that are missing, apply the Stack with one Apply
 * RPC, then (without -d) show a line per network, volume and service until every service runs, or
 * fail naming the service that failed.
 */
@Command(name = "up", addMethodSubcommands = false, description = {"Create or update the project's Stack and wait until"
        + " its services run.", "Without -d: a live line per network, volume and service; exits 1 naming a service that"
        + " failed. With -d: returns once the Stack is applied (the controller converges it in the background)."})
public final class ComposeUpCommand extends ComposeSubcommand {
    @Mixin
    ProjectOptions project;

    @Option(names = {"-d", "--detach"}, description = "Return once the Stack is applied; do not wait for the services.")
    boolean detach;

    @Option(names = "--force-recreate", description = "Recreate every service's VMs even when nothing changed.")
    boolean forceRecreate;

    @Option(names = "--scale", paramLabel = "SERVICE=N", description = "Run N replicas of SERVICE (repeatable).")
    List<String> scale = new ArrayList<>();

    @Option(names = "--build", description = "Build the images of services with build: before starting, even when they exist.")
    boolean build;

    @Option(names = "--no-build", description = "Never build: fail, creating nothing, when a service's image to build is missing.")
    boolean noBuild;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for the services without -d (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The image builder for services with build: (tests may set {@link ImageBuilder#NONE}); null: hyprd's. */
    ImageBuilder builder;

    @Override
    ProjectFlags ownFlags() {
        return project.flags();
    }

    @Override
    public Integer call() {
        ComposeResult result = translate("nothing was created");
        ObjectNode stack = result.stack().deepCopy();
        String name = stack.path("metadata").path("name").asText();
        applyScale(stack, scale);
        if (build && noBuild) {
            throw new CliException("--build and --no-build are mutually exclusive", 2);
        }
        ImageBuilder images = builder != null ? builder
                : new DaemonImageBuilder(connection(), env().env(), ExecStreams.stdout(env()), false);
        Set<String> rebuilt = ImageBuilder.buildOrRefuse(images, result, stack, build ? ImageBuilder.When.ALWAYS
                : noBuild ? ImageBuilder.When.NEVER : ImageBuilder.When.MISSING, out());
        ObjectWaiter waiter = new ObjectWaiter(connection());
        Optional<JsonNode> existing = waiter.current(Kind.STACK, name);
        setRestartAnnotations(stack, existing, forceRecreate, compose.now().toString());
        recreateRebuilt(stack, rebuilt, compose.now().toString());
        EnvironmentSecrets.materialise(stack, env().env(), EnvironmentSecrets.directory(env().env(), name));
        ApplyResult applied = apply(stack);
        out().println("stack/" + name + " " + outcome(applied));
        out().flush();
        if (detach) {
            return 0;
        }
        return await(waiter, name);
    }

    private ApplyResult apply(ObjectNode stack) {
        try {
            ApplyResponse resp = api().apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder()
                    .setJson(Json.write(stack)).setSource(String.valueOf(flags().files().isEmpty() ? "compose"
                            : flags().files().get(0)))).build());
            return resp.getResults(0);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.ABORTED
                    || code == Status.Code.ALREADY_EXISTS || code == Status.Code.FAILED_PRECONDITION) {
                GrpcErrors.report(e, connection().target(), err());
                throw new CliException("nothing was created");
            }
            throw e;
        }
    }

    private int await(ObjectWaiter waiter, String name) {
        ProgressView view = new ProgressView(out(), Terminals.isTerminal());
        Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
        AtomicReference<UpProgress.Outcome> last = new AtomicReference<>(new UpProgress.Outcome(false, List.of()));
        Optional<JsonNode> now = waiter.current(Kind.STACK, name);
        boolean ended = waiter.await(Kind.STACK, name, now, ObjectWaiter.revisionOf(now), deadline, seen -> {
            if (seen.isEmpty()) {
                throw new CliException("stack/" + name + " was deleted while starting");
            }
            view.show(UpProgress.items(seen.get(), objectsOf(seen.get())));
            UpProgress.Outcome outcome = UpProgress.outcome(seen.get());
            last.set(outcome);
            return outcome.done() || !outcome.failed().isEmpty();
        });
        List<String> failed = last.get().failed();
        if (!failed.isEmpty()) {
            throw new CliException("service " + String.join("; service ", failed));
        }
        if (!ended) {
            throw new CliException("timed out after " + timeout.toSeconds() + " s" + " waiting for stack/" + name
                    + " (it keeps converging; see hyprctl compose ps)");
        }
        return 0;
    }

    /** The stack's Network and Volume objects, keyed Kind/name, for the progress lines. */
    private Map<String, JsonNode> objectsOf(JsonNode stack) {
        Map<String, JsonNode> objects = new HashMap<>();
        String name = stack.path("metadata").path("name").asText();
        for (String kind : new String[] {"Network", "Volume"}) {
            for (String json : api().list(dev.hypr.api.grpc.ListRequest.newBuilder().setKind(kind)
                    .setLabelSelector(StackLabels.stackSelector(name)).build()).getItemsList()) {
                JsonNode o = Json.parseObject(json);
                objects.put(kind + "/" + o.path("metadata").path("name").asText(), o);
            }
        }
        return objects;
    }

    /** {@code --scale web=3}: the service's replicas (the compose or the object name). */
    static void applyScale(ObjectNode stack, List<String> scale) {
        for (String s : scale) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--scale " + s + ": expected SERVICE=N", 2);
            }
            String service = ComposeTranslator.serviceName(s.substring(0, eq));
            int n;
            try {
                n = Integer.parseInt(s.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new CliException("--scale " + s + ": N is a number", 2);
            }
            ObjectNode found = null;
            for (JsonNode svc : stack.path("spec").path("services")) {
                if (service.equals(svc.path("name").asText())) {
                    found = (ObjectNode) svc;
                }
            }
            if (found == null) {
                throw new CliException("--scale " + s + ": no service " + s.substring(0, eq) + " in the project", 2);
            }
            found.put("replicas", n);
        }
    }

    /**
     * Keeps the restart annotations the Stack has (so re-applying does not undo a {@code restart}) and,
     * with {@code --force-recreate}, sets a fresh one for every service.
     */
    static void setRestartAnnotations(ObjectNode stack, Optional<JsonNode> existing, boolean forceRecreate, String now) {
        ObjectNode metadata = (ObjectNode) stack.path("metadata");
        ObjectNode annotations = metadata.has("annotations") ? (ObjectNode) metadata.get("annotations")
                : Json.MAPPER.createObjectNode();
        existing.ifPresent(e -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.path("metadata").path("annotations").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> a = it.next();
                if (a.getKey().startsWith(StackLabels.RESTART_PREFIX)) {
                    annotations.set(a.getKey(), a.getValue());
                }
            }
        });
        if (forceRecreate) {
            for (JsonNode svc : stack.path("spec").path("services")) {
                annotations.put(StackLabels.RESTART_PREFIX + svc.path("name").asText(), now);
            }
        }
        if (!annotations.isEmpty()) {
            metadata.set("annotations", annotations);
        }
    }

    /** A service whose image tag now names a new build runs it only when recreated, as compose recreates its containers. */
    static void recreateRebuilt(ObjectNode stack, Set<String> rebuilt, String now) {
        if (rebuilt.isEmpty()) {
            return;
        }
        ObjectNode metadata = (ObjectNode) stack.path("metadata");
        ObjectNode annotations = metadata.has("annotations") ? (ObjectNode) metadata.get("annotations")
                : metadata.putObject("annotations");
        rebuilt.forEach(service -> annotations.put(StackLabels.RESTART_PREFIX + service, now));
    }

    private static String outcome(ApplyResult r) {
        return switch (r.getOutcome()) {
            case CREATED -> "created";
            case CONFIGURED -> "configured";
            case UNCHANGED -> "unchanged";
            default -> r.getOutcome().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
