package dev.hypr.cli.commands;

import dev.hypr.api.grpc.PushImageProgress;
import dev.hypr.api.grpc.PushImageRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl images push [SOURCE] REF}: pushes a stored image to a registry over
 * {@code PushImage}, printing one line per blob state as {@code docker push} does, then
 * {@code REF: digest: sha256:...}. Exit 1 with the reason on failure.
 */
@Command(name = "push", addMethodSubcommands = false, description = {"Push a stored image to a registry.",
        "With one argument, pushes the image stored under REF; with two, pushes SOURCE (a stored reference or digest) as REF."})
public final class ImagesPushCommand extends ImagesSubcommand {
    @Parameters(arity = "1..2", paramLabel = "[SOURCE] REF", description = "Where to push: host[:port]/repo[:tag]; "
            + "optionally preceded by the stored image to push (reference or digest).")
    java.util.List<String> refs;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which stored platform to push (default: linux/amd64).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Print only the digest.")
    boolean quiet;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        String target = refs.get(refs.size() - 1);
        PushImageRequest.Builder request = PushImageRequest.newBuilder().setRef(target);
        if (refs.size() == 2) {
            request.setSource(refs.get(0));
        }
        if (platform != null) {
            request.setPlatform(platform);
        }
        PushImageProgress last = null;
        String lastLine = null;
        try {
            Iterator<PushImageProgress> stream = connection().streaming()
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).pushImage(request.build());
            while (stream.hasNext()) {
                last = stream.next();
                if (!quiet && !last.getDone()) {
                    String line = shortHex(last.getBlobDigest()) + ": " + last.getState()
                            + (last.getState().equals("Uploading") ? " " + last.getBytesDone() + "/" + last.getSizeBytes() : "");
                    if (!line.equals(lastLine)) {
                        out().println(line);
                        out().flush();
                        lastLine = line;
                    }
                }
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new CliException("timed out after " + timeout.toSeconds() + "s pushing " + target);
            }
            throw e;
        }
        if (last == null || !last.getDone()) {
            throw new CliException("hyprd ended the push of " + target + " without an outcome");
        }
        if (last.hasError()) {
            throw new CliException("pushing " + target + " failed: " + last.getError().getReason() + ": " + last.getError().getMessage());
        }
        out().println(quiet ? last.getDigest() : target + ": digest: " + last.getDigest());
        return 0;
    }

    private static String shortHex(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
