package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.cli.CliException;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The seam for {@code build:}: how {@code compose up} gets the images of services built from source
 * before it applies the Stack. hypr has no builder yet ({@link #NONE}), so {@code up} refuses such a
 * file before creating anything, naming each service and line; the image builder plugs in here.
 */
public interface ImageBuilder {
    /** No builder: every service with {@code build:} is refused. */
    ImageBuilder NONE = new ImageBuilder() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public void build(ObjectNode stack, List<ManifestError> buildSites, boolean always, PrintWriter out) {
            throw new UnsupportedOperationException("no image builder");
        }
    };

    Pattern BUILD_KEY = Pattern.compile("services\\.([^.\\[]+)\\.build");

    boolean available();

    /**
     * Builds (and tags with each service's {@code image}) the images of the Stack's services that have a
     * {@code build} reference; {@code always} for {@code --build}, else only those missing.
     */
    void build(ObjectNode stack, List<ManifestError> buildSites, boolean always, PrintWriter out);

    /** Where the files ask for a build: the translator's warning at each {@code services.X.build}. */
    static List<ManifestError> buildSites(ComposeResult result) {
        return result.warnings().stream().filter(w -> BUILD_KEY.matcher(w.fieldPath()).matches()).toList();
    }

    /** Builds with {@code builder}, or fails naming every service built from source when there is none. */
    static void buildOrRefuse(ImageBuilder builder, ComposeResult result, ObjectNode stack, boolean always, PrintWriter out) {
        List<ManifestError> sites = buildSites(result);
        if (sites.isEmpty()) {
            return;
        }
        if (!builder.available()) {
            StringBuilder msg = new StringBuilder("hypr cannot build images yet; these services are built from source:");
            for (ManifestError site : sites) {
                var m = BUILD_KEY.matcher(site.fieldPath());
                m.matches();
                msg.append("\n  ").append(site.position()).append(": service ").append(m.group(1));
            }
            msg.append("\nbuild and push the images, then give each service an image: instead of build:"
                    + " (hyprctl compose convert still prints the objects); nothing was created");
            throw new CliException(msg.toString());
        }
        builder.build(stack, sites, always, out);
    }
}
