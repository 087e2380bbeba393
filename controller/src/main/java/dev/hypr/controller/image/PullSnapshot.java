package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.Digest;
import java.time.Instant;
import java.util.List;

/**
 * How far one pull has got, layer by layer: what {@code PullImage} streams. Immutable; a newer
 * pull state has a higher {@code version}.
 *
 * @param digest the platform manifest's digest; null until resolved
 * @param upToDate the image was stored already: nothing was downloaded or built
 * @param at when the state last changed
 */
public record PullSnapshot(Phase phase, Digest digest, List<Layer> layers, boolean upToDate, long version, Instant at) {
    /** The pull as a whole. */
    public enum Phase { RESOLVING, DOWNLOADING, EXTRACTING, SQUASHING, DONE, FAILED }

    /** One layer: WAITING → DOWNLOADING → DOWNLOADED → EXTRACTING → DONE, or EXISTS when its blob was stored already. */
    public enum LayerState { WAITING, DOWNLOADING, DOWNLOADED, EXTRACTING, DONE, EXISTS }

    /** {@code done} of {@code size} compressed bytes are in. */
    public record Layer(Digest digest, long size, long done, LayerState state) {
    }

    public PullSnapshot {
        layers = List.copyOf(layers);
    }

    public long bytesDone() {
        return layers.stream().mapToLong(Layer::done).sum();
    }

    public long bytesTotal() {
        return layers.stream().mapToLong(Layer::size).sum();
    }

    public boolean finished() {
        return phase == Phase.DONE || phase == Phase.FAILED;
    }
}
