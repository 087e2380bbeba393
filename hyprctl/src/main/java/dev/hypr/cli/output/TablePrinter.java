package dev.hypr.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by three spaces, as kubectl prints them. */
public final class TablePrinter {
    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TablePrinter(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public TablePrinter row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + headers.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public int[] widths() {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        return w;
    }

    public void print(PrintWriter out, boolean withHeaders) {
        int[] w = widths();
        if (withHeaders) {
            out.println(line(headers, w));
        }
        for (List<String> r : rows) {
            out.println(line(r, w));
        }
    }

    /** One row laid out with the given widths (used to stream rows under an earlier table). */
    public static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) {
                int w = i < widths.length ? widths[i] : c.length();
                sb.append(" ".repeat(Math.max(0, w - c.length()))).append(GAP);
            }
        }
        return sb.toString().stripTrailing();
    }
}
