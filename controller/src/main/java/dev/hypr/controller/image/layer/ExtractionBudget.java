package dev.hypr.controller.image.layer;

/**
 * Caps what one image may expand to, across all its layers: a few KiB of gzip can inflate to
 * terabytes (a decompression bomb), and a layer's declared sizes cannot be trusted.
 */
public final class ExtractionBudget {
    private final long maxBytes;
    private final long maxEntries;
    private long bytes;
    private long entries;

    public ExtractionBudget(long maxBytes, long maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    void addBytes(long n) throws LayerRejectedException {
        bytes += n;
        if (bytes > maxBytes) {
            throw new LayerRejectedException("image expands to more than " + maxBytes
                    + " bytes (limit hypr.image.max-extracted-bytes); refusing a possible decompression bomb");
        }
    }

    void addEntry() throws LayerRejectedException {
        if (++entries > maxEntries) {
            throw new LayerRejectedException("image has more than " + maxEntries + " entries (limit hypr.image.max-entries)");
        }
    }

    public long bytes() {
        return bytes;
    }

    public long entries() {
        return entries;
    }
}
