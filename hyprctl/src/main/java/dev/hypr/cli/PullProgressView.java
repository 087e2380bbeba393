package dev.hypr.cli;

import dev.hypr.api.grpc.LayerProgress;
import dev.hypr.api.grpc.LayerState;
import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullPhase;
import dev.hypr.cli.output.Sizes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows {@code PullImage}'s snapshots as {@code docker pull} does. On a terminal: a block of one
 * line per layer (short digest, state, and while downloading a bar, bytes, rate and ETA) plus a
 * total line, redrawn in place. Otherwise plain lines that are never redrawn: one per layer and
 * state change, and a progress line per downloading layer at most every 5 s. Rates are derived
 * from the snapshots' own timestamps (hyprd's clock) over the last 5 s, so the output depends only
 * on the messages given.
 */
public final class PullProgressView {
    static final int BAR = 16;
    static final long RATE_WINDOW_MS = 5000;
    static final long PLAIN_PROGRESS_EVERY_MS = 5000;
    private static final String TOTAL = "total";

    private final PrintWriter out;
    private final boolean terminal;
    private final int width;
    /** Per layer digest (and TOTAL): recent (timestamp, bytes) samples. */
    private final Map<String, Deque<long[]>> samples = new HashMap<>();
    private final Map<String, String> printedState = new HashMap<>();
    private final Map<String, Long> printedProgressAt = new HashMap<>();
    private boolean headerPrinted;
    private boolean squashPrinted;
    private int drawn;

    /** width: the terminal's columns (lines are cut to fit so redrawing never wraps). */
    public PullProgressView(PrintWriter out, boolean terminal, int width) {
        this.out = out;
        this.terminal = terminal;
        this.width = Math.max(40, width);
    }

    public void update(PullImageProgress p) {
        long at = p.getTimestampMillis();
        for (LayerProgress l : p.getLayersList()) {
            sample(l.getDigest(), at, l.getBytesDone());
        }
        sample(TOTAL, at, p.getBytesDone());
        if (terminal) {
            redraw(block(p));
        } else {
            plain(p);
        }
        out.flush();
    }

    /** The lines a terminal shows for {@code p}: header, one per layer, the total. */
    List<String> block(PullImageProgress p) {
        List<String> lines = new ArrayList<>();
        lines.add(header(p));
        for (LayerProgress l : p.getLayersList()) {
            String line = shortDigest(l.getDigest()) + ": ";
            if (l.getState() == LayerState.LAYER_DOWNLOADING) {
                line += bar(l.getBytesDone(), l.getSizeBytes()) + " " + Sizes.bytes(l.getBytesDone()) + " / "
                        + Sizes.bytes(l.getSizeBytes()) + rateAndEta(l.getDigest(), l.getBytesDone(), l.getSizeBytes());
            } else {
                line += label(l.getState());
            }
            lines.add(line);
        }
        lines.add(switch (p.getPhase()) {
            case PULL_RESOLVING -> "Resolving " + p.getRef();
            case PULL_DOWNLOADING -> "Total " + bar(p.getBytesDone(), p.getBytesTotal()) + " " + Sizes.bytes(p.getBytesDone())
                    + " / " + Sizes.bytes(p.getBytesTotal()) + rateAndEta(TOTAL, p.getBytesDone(), p.getBytesTotal());
            case PULL_EXTRACTING -> "Extracting layers";
            case PULL_SQUASHING -> "Building root filesystem (squashfs)";
            case PULL_DONE -> "Pulled " + Sizes.bytes(p.getBytesTotal());
            case PULL_FAILED -> "Failed";
            default -> "";
        });
        return lines;
    }

    private void redraw(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\u001b[").append(drawn).append('A');
        }
        for (String line : lines) {
            sb.append('\r').append(fit(line)).append("\u001b[K\n");
        }
        out.print(sb);
        drawn = lines.size();
    }

    private void plain(PullImageProgress p) {
        if (!headerPrinted) {
            out.println(header(p));
            headerPrinted = true;
        }
        boolean finalUpToDate = p.getPhase() == PullPhase.PULL_DONE && p.getUpToDate() && printedState.isEmpty();
        for (LayerProgress l : p.getLayersList()) {
            if (finalUpToDate) {
                break; // nothing was pulled: docker prints no layer lines either
            }
            String d = l.getDigest();
            String label = label(l.getState());
            long at = p.getTimestampMillis();
            if (!label.equals(printedState.get(d))) {
                printedState.put(d, label);
                String detail = l.getState() == LayerState.LAYER_DOWNLOADING
                        ? " " + Sizes.bytes(l.getBytesDone()) + " / " + Sizes.bytes(l.getSizeBytes()) : "";
                out.println(shortDigest(d) + ": " + label + detail);
                printedProgressAt.put(d, at);
            } else if (l.getState() == LayerState.LAYER_DOWNLOADING && at - printedProgressAt.getOrDefault(d, 0L) >= PLAIN_PROGRESS_EVERY_MS) {
                long pct = l.getSizeBytes() > 0 ? l.getBytesDone() * 100 / l.getSizeBytes() : 0;
                out.println(shortDigest(d) + ": Downloading " + Sizes.bytes(l.getBytesDone()) + " / " + Sizes.bytes(l.getSizeBytes())
                        + " (" + pct + "%)" + rateAndEta(d, l.getBytesDone(), l.getSizeBytes()));
                printedProgressAt.put(d, at);
            }
        }
        if (p.getPhase() == PullPhase.PULL_SQUASHING && !squashPrinted) {
            out.println("Building root filesystem (squashfs)");
            squashPrinted = true;
        }
    }

    private static String header(PullImageProgress p) {
        return "Pulling " + p.getRef() + " (" + p.getPlatform() + ")";
    }

    static String label(LayerState s) {
        return switch (s) {
            case LAYER_WAITING -> "Waiting";
            case LAYER_DOWNLOADING -> "Downloading";
            case LAYER_DOWNLOADED -> "Download complete";
            case LAYER_EXTRACTING -> "Extracting";
            case LAYER_DONE -> "Pull complete";
            case LAYER_EXISTS -> "Already exists";
            default -> s.name();
        };
    }

    private void sample(String key, long at, long bytes) {
        Deque<long[]> q = samples.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!q.isEmpty() && bytes < q.peekLast()[1]) {
            q.clear(); // the transfer restarted
        }
        q.addLast(new long[] {at, bytes});
        while (q.size() > 2 && at - q.peekFirst()[0] > RATE_WINDOW_MS) {
            q.removeFirst();
        }
    }

    /** "  1.0 MiB/s  ETA 8s" from the samples of the last 5 s, or "" while there is too little to tell. */
    String rateAndEta(String key, long done, long total) {
        Deque<long[]> q = samples.get(key);
        if (q == null || q.size() < 2) {
            return "";
        }
        long[] first = q.peekFirst();
        long[] last = q.peekLast();
        long millis = last[0] - first[0];
        if (millis < 500) {
            return "";
        }
        double perSecond = (last[1] - first[1]) * 1000.0 / millis;
        String rate = "  " + Sizes.bytes((long) perSecond) + "/s";
        if (perSecond <= 0 || total <= done) {
            return rate;
        }
        return rate + "  ETA " + Sizes.eta(Duration.ofSeconds((long) Math.ceil((total - done) / perSecond)));
    }

    static String bar(long done, long total) {
        int filled = total > 0 ? (int) Math.min(BAR, done * BAR / total) : 0;
        return "[" + "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "") + "]";
    }

    static String shortDigest(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private String fit(String line) {
        return line.length() < width ? line : line.substring(0, width - 1);
    }
}
