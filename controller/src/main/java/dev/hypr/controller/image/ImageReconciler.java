package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.image.ref.InvalidReferenceException;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.runtime.TerminalException;
import dev.hypr.controller.store.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every Image object pulled as its pullPolicy says, and reports digest, size, layers,
 * config and rootfs in status with a {@code Pulled} condition (and {@code Ready}, its summary).
 * Level-triggered: a resync that finds the files gone pulls again.
 */
@ApplicationScoped
public class ImageReconciler implements Reconciler {
    static final String PULLED = "Pulled";
    private static final long PROGRESS_INTERVAL_MS = 500;

    @Inject
    ObjectStore store;

    @Inject
    ImageService images;

    @Override
    public Kind kind() {
        return Kind.IMAGE;
    }

    @Override
    public Result reconcile(String name) throws Exception {
        Optional<ObjectNode> found = store.get(Kind.IMAGE, name);
        if (found.isEmpty() || found.get().path("metadata").hasNonNull("deletionTimestamp")) {
            return Result.done();
        }
        ObjectNode image = found.get();
        JsonNode spec = image.path("spec");
        long generation = image.path("metadata").path("generation").asLong();
        String ref = spec.path("ref").asText();
        String platform = spec.path("platform").asText(null);
        PullPolicy policy = PullPolicy.parse(spec.path("pullPolicy").asText(null));
        ObjectNode status = image.path("status").isObject() ? (ObjectNode) image.get("status").deepCopy() : Json.MAPPER.createObjectNode();

        boolean alreadyPulled = Conditions.isTrue(status, PULLED) && status.path("observedGeneration").asLong() == generation;
        // Always means "re-resolve on every change of the object", not "re-download every 30 s".
        PullPolicy effective = policy == PullPolicy.Always && alreadyPulled ? PullPolicy.IfNotPresent : policy;
        try {
            PulledImage pulled = images.ensure(ref, platform, effective, progressWriter(name, status));
            if (alreadyPulled && pulled.digest().toString().equals(status.path("digest").asText())) {
                return Result.done(); // the cheap path of every resync: files present, nothing to write
            }
            writePulled(status, pulled, generation);
            writeStatus(name, status);
            return Result.done();
        } catch (InvalidReferenceException e) {
            writeFailed(name, status, generation, PullFailure.of(e));
            throw new TerminalException(e.getMessage(), e);
        } catch (ImageNotPresentException e) {
            writeFailed(name, status, generation, PullFailure.of(e));
            return Result.done(); // resync looks again; something else may pull it
        } catch (Exception e) {
            writeFailed(name, status, generation, PullFailure.of(e)); // registry and layer failures: retried with back-off
            throw e;
        }
    }

    private void writePulled(ObjectNode status, PulledImage pulled, long generation) {
        status.remove("progress");
        status.put("observedGeneration", generation);
        status.put("digest", pulled.digest().toString());
        status.put("sizeBytes", pulled.compressedSize());
        status.putArray("layers").addAll(pulled.layers().stream().map(d -> Json.MAPPER.getNodeFactory().textNode(d.toString())).toList());
        status.set("config", Json.MAPPER.valueToTree(pulled.config()));
        status.put("rootfs", pulled.rootfs().toString());
        status.put("pulledAt", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        status.put("message", "pulled " + pulled.digest().shortHex());
        Conditions.set(status, PULLED, true, "Pulled", "pulled " + pulled.digest(), generation, Instant.now());
        Conditions.set(status, "Ready", true, "Pulled", "", generation, Instant.now());
    }

    private void writeFailed(String name, ObjectNode status, long generation, PullFailure failure) {
        String reason = failure.reason();
        String message = failure.message();
        status.remove("progress");
        status.put("observedGeneration", generation);
        status.put("message", message);
        Conditions.set(status, PULLED, false, reason, message, generation, Instant.now());
        Conditions.set(status, "Ready", false, reason, message, generation, Instant.now());
        writeStatus(name, status);
    }

    /** The whole status is this controller's but the runtime's error condition, kept over a concurrent write. */
    private void writeStatus(String name, ObjectNode status) {
        new StatusWriter(store).replaceOwn(Kind.IMAGE, name, status, java.util.Set.of(ERROR_CONDITION));
    }

    /** Publishes status.progress at most every 500 ms so a watcher (hyprctl images pull) can show it. */
    private PullProgress progressWriter(String name, ObjectNode base) {
        AtomicLong last = new AtomicLong();
        return (phase, done, total) -> {
            long now = System.currentTimeMillis();
            long prev = last.get();
            if (now - prev < PROGRESS_INTERVAL_MS || !last.compareAndSet(prev, now)) {
                return;
            }
            ObjectNode s;
            synchronized (base) {
                s = base.deepCopy();
            }
            s.putObject("progress").put("phase", phase).put("bytesDone", done).put("bytesTotal", total);
            try {
                writeStatus(name, s);
            } catch (RuntimeException ignored) {
                // progress is best effort; the final status write is what counts
            }
        };
    }

}
