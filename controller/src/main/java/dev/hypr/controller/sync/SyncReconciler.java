package dev.hypr.controller.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.model.SyncSpec;
import dev.hypr.api.sync.SettledSourceReader;
import dev.hypr.api.sync.SourceSnapshot;
import dev.hypr.api.sync.SyncEngine;
import dev.hypr.api.sync.SyncLabels;
import dev.hypr.api.sync.SyncReport;
import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.runtime.ControllerManager;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.SecondaryWatch;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import jakarta.annotation.PostConstruct;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps a directory or git branch applied: every pass (each interval, once the source directory
 * has been quiet for {@code hypr.sync.quiet-period} after a change, and when a managed object
 * changes or disappears) reads the whole source — only a settled read, see
 * {@link SettledSourceReader} — validates it, applies what differs straight into the store,
 * prunes, and reports in status.
 */
@ApplicationScoped
public class SyncReconciler implements Reconciler {
    private static final Logger LOG = Logger.getLogger(SyncReconciler.class);
    private static final int DEFAULT_INTERVAL_SECONDS = 60;
    static final String NAME = "sync";

    @Inject
    ObjectStore store;

    /** Lazy: the manager starts this reconciler, so it cannot be a construction-time dependency. */
    @Inject
    Instance<ControllerManager> manager;

    @Inject
    HyprPaths paths;

    /** How long a path source must be unchanged before a pass reads it (and the watcher's debounce). */
    @ConfigProperty(name = "hypr.sync.quiet-period", defaultValue = "500ms")
    Duration quietPeriod;

    private final SyncEngine engine = new SyncEngine(ObjectValidator.standard());
    private final Clock clock = Clock.systemUTC();
    private SourceWatcher watcher;

    @PostConstruct
    void init() {
        watcher = new SourceWatcher(quietPeriod, name -> manager.get().enqueue(NAME, name));
    }

    @Override
    public Kind kind() {
        return Kind.SYNC;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A change to any object a Sync manages wakes that Sync: drift is repaired at once. */
    @Override
    public List<SecondaryWatch> secondaryWatches() {
        return Arrays.stream(Kind.values()).filter(k -> k != Kind.SYNC)
                .map(k -> new SecondaryWatch(k, o -> SyncLabels.managingSync(o).map(List::of).orElse(List.of())))
                .toList();
    }

    @Override
    public Result reconcile(String name) throws Exception {
        Optional<ObjectNode> found = store.get(Kind.SYNC, name);
        if (found.isEmpty() || Objects.isBeingDeleted(found.get())) {
            watcher.stop(name); // the objects it applied stay: deleting a Sync is not deleting its objects
            return Result.done();
        }
        ObjectNode sync = found.get();
        long generation = Objects.generation(sync);
        JsonNode previous = sync.get("status");
        SyncSpec spec = spec(sync);
        if (Boolean.TRUE.equals(spec.suspend())) {
            watcher.stop(name);
            writeStatus(name, SyncStatusBuilder.suspended(previous, generation, clock.instant()));
            return Result.done(); // un-suspending is a spec change, which wakes us
        }
        Duration interval = Duration.ofSeconds(spec.intervalSeconds() == null ? DEFAULT_INTERVAL_SECONDS
                : spec.intervalSeconds());
        SourceLocation source;
        try {
            source = locate(name, spec);
        } catch (Exception e) {
            String problem = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warnf("sync/%s: source unavailable: %s", name, problem);
            writeStatus(name, SyncStatusBuilder.sourceUnavailable(previous, generation, problem, clock.instant()));
            return Result.requeueAfter(interval);
        }
        // hyprd's own git checkout changes only in locate(): no quiet period to wait for there
        Duration quiet = source.commit().isPresent() ? Duration.ZERO : quietPeriod;
        SettledSourceReader.Outcome read = SettledSourceReader.read(source.directory(), source.displayPrefix(), quiet, clock);
        if (read instanceof SettledSourceReader.Unsettled unsettled) {
            // never a pass over a state no single moment of the directory had: look again soon
            LOG.debugf("sync/%s: source not settled (%s); next look in %d ms", name, unsettled.why(),
                    unsettled.retryAfter().toMillis());
            return Result.requeueAfter(unsettled.retryAfter());
        }
        SourceSnapshot snapshot = ((SettledSourceReader.Settled) read).snapshot();
        String revision = source.commit().orElse(snapshot.contentHash());
        SyncReport report;
        try {
            report = engine.run(name, snapshot, Boolean.TRUE.equals(spec.prune()), false, new StoreSyncTarget(store));
        } catch (RuntimeException e) {
            writeStatus(name, SyncStatusBuilder.applyFailed(previous, generation, revision, e.getMessage(), clock.instant()));
            throw e; // retried with back-off
        }
        log(name, revision, !revision.equals(previous == null ? null : previous.path("lastAttemptedRevision").asText()), report);
        writeStatus(name, SyncStatusBuilder.fromReport(previous, generation, revision, report, clock.instant()));
        return Result.requeueAfter(interval);
    }

    @PreDestroy
    void close() throws IOException {
        watcher.close();
    }

    /** Where to read this pass's files: the path itself, or a fresh checkout of the git ref. */
    private SourceLocation locate(String name, SyncSpec spec) throws Exception {
        if (spec.source().git() != null) {
            watcher.stop(name);
            GitCheckout.Checkout checkout = GitCheckout.update(
                    paths.syncCheckout(name), spec.source().git());
            String inRepo = spec.source().git().path() == null ? "." : spec.source().git().path();
            String prefix = ".".equals(inRepo) || inRepo.isEmpty() ? "" : inRepo.replaceAll("/+$", "") + "/";
            return new SourceLocation(checkout.directory(), prefix, Optional.of(checkout.commit()));
        }
        Path directory = Path.of(spec.source().path()).toAbsolutePath().normalize();
        watcher.watch(name, directory);
        return new SourceLocation(directory, directory + "/", Optional.empty());
    }

    /** Written over a concurrent write (the runtime's error condition) without losing it; no-op when equal. */
    private void writeStatus(String name, ObjectNode status) {
        new StatusWriter(store).replaceOwn(Kind.SYNC, name, status, java.util.Set.of(ERROR_CONDITION));
    }

    private static void log(String name, String revision, boolean newRevision, SyncReport report) {
        if (!report.valid() && newRevision) { // once per bad revision, not once per interval
            LOG.warnf("sync/%s: revision %s invalid, nothing applied: %d error(s)", name, revision, report.errors().size());
        } else if (report.changedAnything()) {
            LOG.infof("sync/%s: revision %s: %d applied, %d pruned", name, revision, report.applied(),
                    report.count(dev.hypr.api.sync.SyncAction.PRUNED));
        }
        report.notes().forEach(n -> LOG.debugf("sync/%s: %s", name, n));
    }

    private static SyncSpec spec(ObjectNode sync) throws JsonProcessingException {
        return Json.MAPPER.treeToValue(sync.path("spec"), SyncSpec.class);
    }

    private record SourceLocation(Path directory, String displayPrefix, Optional<String> commit) {
    }
}
