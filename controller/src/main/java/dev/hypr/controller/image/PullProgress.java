package dev.hypr.controller.image;

/** Called while a pull runs, from download threads; implementations must be thread-safe and cheap. */
@FunctionalInterface
public interface PullProgress {
    PullProgress NONE = (phase, done, total) -> { };

    /** phase: "downloading", "extracting", "squashing"; bytes done of total (total may be 0 when unknown). */
    void update(String phase, long done, long total);
}
