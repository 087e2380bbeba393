package dev.hypr.controller.store;

import java.util.Locale;

/** How full the store is: objects, and bytes as {@link ObjectSize} counts them. */
public record StoreUsage(long objects, long bytes) {

    /** e.g. "63.9 MiB" (bytes of Long.MAX_VALUE: "unlimited"). */
    public static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
