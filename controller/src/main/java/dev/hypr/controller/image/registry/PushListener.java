package dev.hypr.controller.image.registry;

import dev.hypr.controller.image.ref.Digest;

/** What a push reports, blob by blob: states as docker push prints them. */
public interface PushListener {
    PushListener NONE = (digest, size, state, done) -> { };

    /** {@code state}: Waiting, Uploading, Layer already exists, Mounted from REPO, Pushed. */
    void blob(Digest digest, long size, String state, long bytesDone);

    /** Byte progress of one upload. */
    @FunctionalInterface
    interface Progress {
        void bytes(long done);
    }
}
