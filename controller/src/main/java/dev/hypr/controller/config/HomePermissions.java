package dev.hypr.controller.config;

import dev.hypr.controller.util.Threads;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Tightens a home an older hyprd (or a JVM under another umask) left readable to others: at
 * every start, off the start-up path, group and other access is removed from everything under
 * $HYPR_HOME but the API socket. The home itself is already 0700 before Quarkus starts
 * ({@link HyprPaths#createDirectories}), so nobody else can reach what is still being walked.
 */
@ApplicationScoped
public class HomePermissions {
    private static final Logger LOG = Logger.getLogger(HomePermissions.class);

    @Inject
    HyprPaths paths;

    void onStart(@Observes StartupEvent ev) {
        Threads.start("hypr-tighten-home", this::tighten);
    }

    void tighten() {
        try {
            OwnerOnly.Tightened t = OwnerOnly.tighten(paths.home(), Set.of(paths.socket()));
            if (t.entries() > 0) {
                LOG.infof("removed group and other access from %d of %d files and directories under %s (umask 077: only "
                        + "hyprd's user may read its state)", t.entries(), t.visited(), paths.home());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not tighten permissions under %s: %s", paths.home(), e.getMessage());
        }
    }
}
