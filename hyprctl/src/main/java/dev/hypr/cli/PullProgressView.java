package dev.hypr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Shows an Image's {@code status.progress} ({@code phase, bytesDone, bytesTotal}) as hyprd
 * publishes it: on a terminal one bar redrawn in place with bytes, rate and ETA; otherwise a
 * plain line per phase and per 10 % so logs stay short.
 */
public final class PullProgressView {
    private static final int BAR = 30;
    private final PrintWriter out;
    private final boolean terminal;
    private String lastPhase = "";
    private long lastTenth = -1;
    private long firstBytes = -1;
    private Instant firstAt;
    private boolean drawn;

    public PullProgressView(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void update(JsonNode progress, Instant now) {
        if (!progress.isObject()) {
            return;
        }
        String phase = progress.path("phase").asText("");
        long done = progress.path("bytesDone").asLong();
        long total = progress.path("bytesTotal").asLong();
        if (firstBytes < 0) {
            firstBytes = done;
            firstAt = now;
        }
        String rateEta = rateAndEta(done, total, now);
        if (terminal) {
            out.print("\r" + bar(done, total) + " " + bytes(done) + " / " + bytes(total) + rateEta + "  " + phase + "\u001b[K");
            drawn = true;
        } else {
            long tenth = total > 0 ? done * 10 / total : 0;
            if (!phase.equals(lastPhase) || tenth != lastTenth) {
                out.println(phase + ": " + bytes(done) + " / " + bytes(total) + (total > 0 ? " (" + done * 100 / total + "%)" : "")
                        + rateEta);
            }
            lastTenth = tenth;
        }
        lastPhase = phase;
        out.flush();
    }

    /** Ends the redrawn line so what follows starts on its own. */
    public void finish() {
        if (drawn) {
            out.println();
            out.flush();
            drawn = false;
        }
    }

    private String rateAndEta(long done, long total, Instant now) {
        long millis = firstAt == null ? 0 : Duration.between(firstAt, now).toMillis();
        if (millis < 200 || done <= firstBytes) {
            return "";
        }
        double perSecond = (done - firstBytes) * 1000.0 / millis;
        String eta = total > done ? "  ETA " + Duration.ofSeconds((long) Math.ceil((total - done) / perSecond)).toString()
                .substring(2).toLowerCase(Locale.ROOT) : "";
        return "  " + bytes((long) perSecond) + "/s" + eta;
    }

    static String bar(long done, long total) {
        int filled = total > 0 ? (int) Math.min(BAR, done * BAR / total) : 0;
        return "[" + "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "") + "]";
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
