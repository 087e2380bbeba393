package dev.hypr.controller.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The "key=value\0key=value" list that Kestrel parses for its boot config and for EXEC
 * requests. Keys may repeat (arg, env, dns) and order is kept, which a map would lose.
 */
public final class KeyValueText {
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    public KeyValueText add(String key, String value) {
        if (key.indexOf('=') >= 0 || key.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL or '=' in key, or NUL in value: " + key);
        }
        entries.add(Map.entry(key, value));
        return this;
    }

    public KeyValueText addAll(String key, Iterable<String> values) {
        values.forEach(v -> add(key, v));
        return this;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) out.write(0);
            byte[] kv = (entries.get(i).getKey() + "=" + entries.get(i).getValue()).getBytes(StandardCharsets.UTF_8);
            out.write(kv, 0, kv.length);
        }
        return out.toByteArray();
    }

    /** For the kernel command line: URL-safe alphabet, no padding, so no shell or cmdline quoting. */
    public String toBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(toBytes());
    }

    public static List<Map.Entry<String, String>> parse(byte[] bytes) {
        List<Map.Entry<String, String>> result = new ArrayList<>();
        for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) result.add(Map.entry(entry.substring(0, eq), entry.substring(eq + 1)));
        }
        return result;
    }
}
