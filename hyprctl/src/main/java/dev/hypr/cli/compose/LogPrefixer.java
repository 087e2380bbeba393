package dev.hypr.cli.compose;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Prefixes each line of one VM's output with its name, padded to the widest name and separated by
 * {@code " | "}, as {@code docker compose logs} does; coloured per VM on a terminal. Output from
 * several VMs is interleaved line by line: a partial line waits for its end (or for {@link #flush}).
 */
public final class LogPrefixer {
    /** The colours compose cycles through (cyan, yellow, green, magenta, blue, then bright ones). */
    private static final List<String> COLOURS = List.of("36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1");
    private static final String RESET = "\u001b[0m";

    private final OutputStream out;
    private final byte[] prefix;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /**
     * @param out     shared by every VM's prefixer; lines are written to it whole, under its lock
     * @param width   the widest VM name being shown
     * @param ordinal which VM this is (picks the colour)
     */
    public LogPrefixer(OutputStream out, String vm, int width, int ordinal, boolean colour, boolean withPrefix) {
        this.out = out;
        String padded = vm + " ".repeat(Math.max(0, width - vm.length())) + " | ";
        String text = !withPrefix ? "" : colour ? "\u001b[" + COLOURS.get(ordinal % COLOURS.size()) + "m" + padded + RESET : padded;
        this.prefix = text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes every complete line of {@code data} (with what was pending before it). */
    public void write(byte[] data) throws IOException {
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                partial.write(data, start, i - start + 1);
                emit();
                start = i + 1;
            }
        }
        partial.write(data, start, data.length - start);
    }

    /** Writes a pending partial line, ended with a newline (the stream ended). */
    public void flush() throws IOException {
        if (partial.size() > 0) {
            partial.write('\n');
            emit();
        }
    }

    private void emit() throws IOException {
        synchronized (out) {
            out.write(prefix);
            partial.writeTo(out);
            out.flush();
        }
        partial.reset();
    }
}
