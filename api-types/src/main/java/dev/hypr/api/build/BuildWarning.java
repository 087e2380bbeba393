package dev.hypr.api.build;

/** Something the builder accepts but the user should hear about (deprecated or ignored syntax). */
public record BuildWarning(String file, int line, String message) {
    @Override
    public String toString() {
        return (file == null ? "Dockerfile" : file) + (line > 0 ? ":" + line : "") + ": warning: " + message;
    }
}
