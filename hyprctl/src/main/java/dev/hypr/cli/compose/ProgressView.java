package dev.hypr.cli.compose;

import dev.hypr.cli.compose.UpProgress.Item;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows {@link UpProgress} lines: on a terminal one live line per item, redrawn in place; otherwise a
 * plain line each time an item's state changes (logs and CI output stay readable).
 */
public final class ProgressView {
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> shown = new HashMap<>();
    private int linesDrawn;

    public ProgressView(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void show(List<Item> items) {
        if (terminal) {
            redraw(items);
        } else {
            for (Item i : items) {
                String key = i.kind() + " " + i.name();
                if (!i.state().equals(shown.put(key, i.state()))) {
                    out.println(line(i, 0));
                }
            }
        }
        out.flush();
    }

    private void redraw(List<Item> items) {
        if (linesDrawn > 0) {
            out.print("\u001b[" + linesDrawn + "A");
        }
        int width = items.stream().mapToInt(i -> (i.kind() + " " + i.name()).length()).max().orElse(0);
        for (Item i : items) {
            out.print("\r\u001b[2K" + line(i, width) + "\n");
        }
        linesDrawn = items.size();
    }

    static String line(Item i, int width) {
        String label = i.kind() + " " + i.name();
        return " " + label + " ".repeat(Math.max(1, width - label.length() + 2)) + i.state();
    }
}
