package dev.hypr.controller.image;

/** When an image is fetched from its registry (Kubernetes' imagePullPolicy). */
public enum PullPolicy {
    IfNotPresent, Always, Never;

    public static PullPolicy parse(String s) {
        return s == null || s.isBlank() ? IfNotPresent : valueOf(s);
    }
}
