package dev.hypr.controller.image;

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
}
