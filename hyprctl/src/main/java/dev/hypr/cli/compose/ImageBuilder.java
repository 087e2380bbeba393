package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.cli.CliException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The seam for {@code build:}: how {@code compose up} and {@code compose build} get the images of
 * services built from source before the Stack is applied. {@link DaemonImageBuilder} builds them with
 * hyprd's builder; {@link #NONE} refuses such a file before creating anything, naming each service and line.
 */
public interface ImageBuilder {
    /** When a service's image is built: when it is missing (up), always (--build, compose build), never (--no-build). */
    enum When { MISSING, ALWAYS, NEVER }

    /** No builder: every service with {@code build:} is refused. */
    ImageBuilder NONE = new ImageBuilder() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Set<String> build(ObjectNode stack, Set<String> services, When when, PrintWriter out) {
            throw new UnsupportedOperationException("no image builder");
        }
    };

    Pattern BUILD_KEY = Pattern.compile("services\\.([^.\\[]+)\\.build");

    boolean available();

    /**
     * Builds the images of the Stack's services that have a {@code build} reference (only those named in
     * {@code services} when it is not empty) and tags each with the service's {@code image}; returns the
     * services whose tag now names another image than before (their VMs must be recreated).
     */
    Set<String> build(ObjectNode stack, Set<String> services, When when, PrintWriter out);

    /** Where the files ask for a build: the translator's warning at each {@code services.X.build}. */
    static List<ManifestError> buildSites(ComposeResult result) {
        return result.warnings().stream().filter(w -> BUILD_KEY.matcher(w.fieldPath()).matches()).toList();
    }

    /** Builds with {@code builder} (returning the services whose image changed), or fails naming every service built from source when there is none. */
    static Set<String> buildOrRefuse(ImageBuilder builder, ComposeResult result, ObjectNode stack, When when, PrintWriter out) {
        List<ManifestError> sites = buildSites(result);
        if (sites.isEmpty()) {
            return Set.of();
        }
        if (!builder.available()) {
            StringBuilder msg = new StringBuilder("no image builder; these services are built from source:");
            for (ManifestError site : sites) {
                var m = BUILD_KEY.matcher(site.fieldPath());
                m.matches();
                msg.append("\n  ").append(site.position()).append(": service ").append(m.group(1));
            }
            msg.append("\nbuild and push the images, then give each service an image: instead of build:"
                    + " (hyprctl compose convert still prints the objects); nothing was created");
            throw new CliException(msg.toString());
        }
        return builder.build(stack, Set.of(), when, out);
    }
}
