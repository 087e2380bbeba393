package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.ImageNames;
import dev.hypr.cli.ObjectWaiter;
import dev.hypr.cli.PullProgressView;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl images pull REF}: applies an Image object for REF (named by {@link ImageNames})
 * and follows its status through Watch until hyprd reports it pulled (exit 0) or failed (exit 1
 * with the reason and the registry's message).
 */
@Command(name = "pull", description = {"Pull an image into hyprd's store, showing progress.",
        "Creates (or reuses) the Image object named after REF, e.g. 127-0-0-1-5000-test-app-v1."})
public final class ImagesPullCommand extends ImagesSubcommand {
    @Parameters(paramLabel = "REF", description = "Image reference: nginx, nginx:alpine, host:5000/team/app@sha256:...")
    String ref;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to pull (default: linux/amd64).")
    String platform;

    @Option(names = "--progress", paramLabel = "auto|bar|plain", defaultValue = "auto",
            description = "Progress display: a redrawn bar (terminal), plain lines, or auto (default).")
    String progress;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE}); the pull itself goes on.")
    Duration timeout;

    @Override
    public Integer call() {
        String name = ImageNames.forRef(ref);
        ApplyResponse applied = api().apply(ApplyRequest.newBuilder()
                .addObjects(Manifest.newBuilder().setJson(Json.write(imageObject(name))).setSource("hyprctl images pull"))
                .build());
        long appliedRevision = applied.getResourceVersion();
        ObjectWaiter waiter = new ObjectWaiter(connection());
        Optional<JsonNode> current = waiter.current(Kind.IMAGE, name);
        PullProgressView view = new PullProgressView(out(), showBar());
        Outcome outcome = new Outcome();
        boolean finished = waiter.await(Kind.IMAGE, name, current, ObjectWaiter.revisionOf(current),
                Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS),
                seen -> outcome.judge(seen, appliedRevision, view, env().clock().instant()));
        view.finish();
        if (!finished) {
            throw new CliException("timed out after " + timeout.toSeconds() + "s waiting for image/" + name
                    + " (the pull goes on; see hyprctl images inspect " + name + ")");
        }
        if (outcome.failure != null) {
            throw new CliException("pulling " + ref + " failed: " + outcome.failure);
        }
        out().println("image/" + name + " pulled " + outcome.digest);
        return 0;
    }

    private ObjectNode imageObject(String name) {
        ObjectNode obj = Json.MAPPER.createObjectNode();
        obj.put("apiVersion", "hypr.dev/v1alpha1").put("kind", "Image");
        obj.putObject("metadata").put("name", name);
        ObjectNode spec = obj.putObject("spec").put("ref", ref);
        if (platform != null) {
            spec.put("platform", platform);
        }
        return obj;
    }

    private boolean showBar() {
        return switch (progress) {
            case "bar" -> true;
            case "plain" -> false;
            case "auto" -> System.console() != null && env().getenv("TERM") != null && !"dumb".equals(env().getenv("TERM"));
            default -> throw new CliException("--progress must be auto, bar or plain");
        };
    }

    /** Decides from each status seen whether the pull is over, and how. */
    private static final class Outcome {
        String failure;
        String digest;

        boolean judge(Optional<JsonNode> seen, long appliedRevision, PullProgressView view, java.time.Instant now) {
            if (seen.isEmpty()) {
                failure = "the Image object was deleted";
                return true;
            }
            JsonNode obj = seen.get();
            JsonNode status = obj.path("status");
            long generation = obj.path("metadata").path("generation").asLong();
            boolean current = status.path("observedGeneration").asLong() >= generation;
            JsonNode pulled = condition(status, "Pulled");
            view.update(status.path("progress"), now);
            if (current && pulled.path("status").asText().equals("True") && status.hasNonNull("digest")) {
                digest = status.path("digest").asText();
                return true;
            }
            // A failure written before this pull asked again is stale: wait for the controller's next try.
            if (current && pulled.path("status").asText().equals("False") && ObjectWaiter.revisionOf(seen) > appliedRevision) {
                failure = pulled.path("reason").asText() + ": " + pulled.path("message").asText();
                return true;
            }
            return false;
        }

        private static JsonNode condition(JsonNode status, String type) {
            for (JsonNode c : status.path("conditions")) {
                if (type.equals(c.path("type").asText())) {
                    return c;
                }
            }
            return Json.MAPPER.createObjectNode();
        }
    }
}
