package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * What an object counts against the store's byte limit: its JSON bytes plus
 * {@value #BYTES_PER_NODE} per JSON value, an upper bound of what Jackson's tree costs beyond
 * the text (measured on JDK 25: 60–120 bytes per node, e.g. 11× the JSON for env lists of short
 * variables, 31× for arrays of empty objects). Counting JSON alone would let a store "within
 * its limits" need 30 times that much heap.
 */
public final class ObjectSize {
    static final int BYTES_PER_NODE = 128;

    private ObjectSize() {
    }

    public static long of(JsonNode object) {
        return jsonBytes(object) + BYTES_PER_NODE * nodes(object);
    }

    static long nodes(JsonNode n) {
        long count = 1;
        for (JsonNode child : n) {
            count += nodes(child);
        }
        return count;
    }

    private static long jsonBytes(JsonNode object) {
        Counter counter = new Counter();
        try {
            Json.MAPPER.writeValue(counter, object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
