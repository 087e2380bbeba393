package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.registry.Descriptor;
import java.util.List;

/** Called while a pull runs, from download threads; implementations must be thread-safe and cheap. */
@FunctionalInterface
public interface PullProgress {
    PullProgress NONE = (phase, done, total) -> { };

    /**
     * phase: "downloading" (bytes done of total), "extracting" (layers merged into the squashfs
     * stream: done of total, the top layer first), "squashing" (the stream is complete and tar2sqfs
     * finishes; 0 of 0).
     */
    void update(String phase, long done, long total);

    /**
     * The platform manifest is resolved: its digest and layers, bottom first. Called once, on the
     * pulling thread, before the store is consulted; {@link ImageService} waits here while another
     * pull builds the same digest, so the second finds it stored instead of building it again.
     */
    default void resolved(Digest manifest, List<Descriptor> layers) throws InterruptedException {
    }

    /** Bytes of layer {@code index} (in manifest order) downloaded so far; 0 again when a transfer restarts. */
    default void layer(int index, long done) {
    }
}
