package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.grpc.BuildOptions;
import dev.hypr.api.grpc.BuildResult;
import dev.hypr.api.grpc.GetImageRequest;
import dev.hypr.cli.BuildClient;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DaemonConnection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds compose services' images with hyprd's builder, one service after the other, as
 * {@code hyprctl build} would: the build reference's context, Dockerfile (a path relative to the
 * context, or its inline text), target and args (an arg without a value takes the environment's),
 * tagged with the service's image. Progress lines go to {@code progress} like hyprctl build's.
 */
public final class DaemonImageBuilder implements ImageBuilder {
    private final DaemonConnection connection;
    private final Map<String, String> environment;
    private final PrintStream progress;
    private final boolean noCache;

    public DaemonImageBuilder(DaemonConnection connection, Map<String, String> environment, PrintStream progress, boolean noCache) {
        this.connection = connection;
        this.environment = environment;
        this.progress = progress;
        this.noCache = noCache;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Set<String> build(ObjectNode stack, Set<String> services, When when, PrintWriter out) {
        Set<String> changed = new LinkedHashSet<>();
        for (JsonNode svc : stack.path("spec").path("services")) {
            JsonNode build = svc.path("build");
            String name = svc.path("name").asText();
            if (build.isMissingNode() || !services.isEmpty() && !services.contains(name)) {
                continue;
            }
            String image = svc.path("image").asText();
            boolean always = when == When.ALWAYS || when == When.MISSING && build.path("always").asBoolean(false);
            Optional<String> before = digest(image);
            if (!always && before.isPresent()) {
                continue;
            }
            if (when == When.NEVER) {
                throw new CliException("service " + name + ": image " + image + " is missing and --no-build forbids building it;"
                        + " nothing was created");
            }
            out.println("building service " + name + " (image " + image + ")");
            out.flush();
            Path context = context(name, build);
            if (!Files.isDirectory(context)) {
                throw new CliException("service " + name + ": build context " + context + " is not a directory; nothing was created");
            }
            try {
                BuildResult r = new BuildClient(connection.channel()).build(context, options(name, image, build), progress);
                progress.println(BuildClient.summary(r));
                progress.flush();
                if (before.isPresent() && !before.get().equals(r.getDigest())) {
                    changed.add(name);
                }
            } catch (CliException e) {
                throw new CliException("service " + name + ": " + e.getMessage() + "; nothing was created");
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CliException("service " + name + ": build failed: " + e.getMessage() + "; nothing was created");
            }
        }
        return changed;
    }

    /** The digest the image store has under this reference, if any. */
    private Optional<String> digest(String image) {
        try {
            return Optional.of(connection.api().getImage(GetImageRequest.newBuilder().setImage(image).build()).getDigest());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Path context(String service, JsonNode build) {
        String context = build.path("context").asText();
        if (context.contains("://") || context.startsWith("git@") || context.startsWith("github.com/")) {
            throw new CliException("service " + service + ": build context " + context
                    + " is remote; hypr builds from a local directory only; nothing was created");
        }
        return Path.of(context);
    }

    private BuildOptions options(String service, String image, JsonNode build) throws IOException {
        BuildOptions.Builder options = BuildOptions.newBuilder().addTags(image).setNoCache(noCache);
        if (build.hasNonNull("dockerfileInline")) {
            options.setDockerfile(build.path("dockerfileInline").asText()).setDockerfileName("Dockerfile");
        } else {
            String name = build.path("dockerfile").asText("Dockerfile");
            Path dockerfile = context(service, build).resolve(name);
            if (!Files.isRegularFile(dockerfile)) {
                throw new CliException("Dockerfile " + dockerfile + " not found");
            }
            options.setDockerfile(Files.readString(dockerfile)).setDockerfileName(dockerfile.getFileName().toString());
        }
        if (build.hasNonNull("target")) {
            options.setTarget(build.path("target").asText());
        }
        for (JsonNode arg : build.path("args")) {
            String key = arg.path("name").asText();
            String value = arg.hasNonNull("value") ? arg.path("value").asText() : environment.get(key);
            if (value != null) {
                options.putBuildArgs(key, value);
            }
        }
        return options.build();
    }
}
