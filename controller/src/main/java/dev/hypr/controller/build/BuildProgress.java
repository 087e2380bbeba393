package dev.hypr.controller.build;

/** Where a build reports: one line per step (with CACHED when the cache answered), and step output. */
public interface BuildProgress {
    void line(String text);

    /** A RUN step's stdout/stderr as it arrives; only relayed with --progress=plain. */
    void output(byte[] data);

    BuildProgress NONE = new BuildProgress() {
        @Override
        public void line(String text) {
        }

        @Override
        public void output(byte[] data) {
        }
    };
}
