package dev.hypr.controller.image.layer;

import java.io.InputStream;

/** One layer of an image as the merger needs it: a label for messages and its uncompressed tar, openable more than once. */
public interface LayerSource {
    /** Names the layer in error messages, e.g. {@code 2/3 (sha256:1a2b3c4d5e6f)}. */
    String label();

    /**
     * Opens the layer's tar stream (already decompressed). May block, e.g. until the blob is
     * downloaded. Called at most once per layer in the common case, again when a hard link needs
     * data that was skipped (see {@link LayerMerger}).
     */
    InputStream open() throws Exception;

    /**
     * Called on the merging thread when the merge starts on this layer, top layer first; may
     * block like {@link #open}. Not part of {@code open}: layers are opened ahead, on other
     * threads and in any order.
     */
    default void merging() throws Exception {
    }
}
