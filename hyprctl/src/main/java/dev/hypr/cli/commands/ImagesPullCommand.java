package dev.hypr.cli.commands;

import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullImageRequest;
import dev.hypr.api.grpc.PullPhase;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.PullProgressView;
import dev.hypr.cli.Terminals;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl images pull REF}: pulls REF into hyprd's image store over {@code PullImage}
 * (as {@code docker pull}: no Image object is created) and shows its per-layer progress. Exit 0
 * with the digest as the last line, 1 with the reason (Unauthorized, ManifestUnknown, ...).
 */
@Command(name = "pull", addMethodSubcommands = false, description = {"Pull an image into hyprd's store, showing per-layer progress.",
        "Like docker pull, this creates no Image object: apply one to keep an image pulled."})
public final class ImagesPullCommand extends ImagesSubcommand {
    @Parameters(paramLabel = "REF", description = "Image reference: nginx, nginx:alpine, host:5000/team/app@sha256:...")
    String ref;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to pull (default: linux/amd64).")
    String platform;

    @Option(names = "--progress", paramLabel = "auto|bar|plain", defaultValue = "auto",
            description = "Progress display: redrawn bars (terminal), plain lines, or auto (default).")
    String progress;

    @Option(names = {"-q", "--quiet"}, description = "Print only the digest.")
    boolean quiet;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE}); the pull itself goes on.")
    Duration timeout;

    @Override
    public Integer call() {
        boolean bar = showBar();
        PullImageRequest.Builder request = PullImageRequest.newBuilder().setRef(ref);
        if (platform != null) {
            request.setPlatform(platform);
        }
        PullProgressView view = new PullProgressView(out(), bar, columns());
        PullImageProgress last = null;
        try {
            Iterator<PullImageProgress> stream = connection().streaming()
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).pullImage(request.build());
            while (stream.hasNext()) {
                last = stream.next();
                if (!quiet) {
                    view.update(last);
                }
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new CliException("timed out after " + timeout.toSeconds() + "s waiting for " + ref
                        + " (the pull goes on in hyprd; see hyprctl images ls)");
            }
            throw e;
        }
        if (last == null || last.getPhase() != PullPhase.PULL_DONE && last.getPhase() != PullPhase.PULL_FAILED) {
            throw new CliException("hyprd ended the pull of " + ref + " without an outcome");
        }
        if (last.getPhase() == PullPhase.PULL_FAILED) {
            throw new CliException("pulling " + ref + " failed: " + last.getError().getReason() + ": " + last.getError().getMessage());
        }
        if (quiet) {
            out().println(last.getDigest());
            return 0;
        }
        out().println("Status: " + (last.getUpToDate() ? "Image is up to date for " : "Downloaded newer image for ") + last.getRef());
        out().println("Digest: " + last.getDigest());
        return 0;
    }

    private boolean showBar() {
        return switch (progress) {
            case "bar" -> true;
            case "plain" -> false;
            case "auto" -> Terminals.isTerminal() && env().getenv("TERM") != null && !"dumb".equals(env().getenv("TERM"));
            default -> throw new CliException("--progress must be auto, bar or plain", 2);
        };
    }

    private int columns() {
        try {
            String c = env().getenv("COLUMNS");
            return c == null ? 80 : Integer.parseInt(c.trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
