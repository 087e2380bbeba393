package dev.hypr.cli;

import java.util.ArrayList;
import java.util.List;

/** A unified diff ({@code diff -u}) of two lists of lines, by longest common subsequence. */
public final class UnifiedDiff {
    private UnifiedDiff() {
    }

    private record Edit(char op, String line, int aLine, int bLine) {
    }

    /** Empty when the texts are equal. */
    public static String diff(List<String> a, List<String> b, String labelA, String labelB, int context) {
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.op == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(labelA).append('\n');
        out.append("+++ ").append(labelB).append('\n');
        int i = 0;
        while (i < edits.size()) {
            // find the next change
            int change = i;
            while (change < edits.size() && edits.get(change).op == ' ') {
                change++;
            }
            if (change == edits.size()) {
                break;
            }
            int start = Math.max(i, change - context);
            // extend the hunk while changes are within 2*context of each other
            int end = change;
            int lastChange = change;
            while (end < edits.size()) {
                if (edits.get(end).op != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + context + 1);
            appendHunk(out, edits.subList(start, end));
            i = end;
        }
        return out.toString();
    }

    private static void appendHunk(StringBuilder out, List<Edit> hunk) {
        int aStart = 0;
        int bStart = 0;
        int aCount = 0;
        int bCount = 0;
        for (Edit e : hunk) {
            if (e.op != '+') {
                if (aCount++ == 0) {
                    aStart = e.aLine;
                }
            }
            if (e.op != '-') {
                if (bCount++ == 0) {
                    bStart = e.bLine;
                }
            }
        }
        if (aCount == 0) {
            aStart = hunk.get(0).aLine - 1;
        }
        if (bCount == 0) {
            bStart = hunk.get(0).bLine - 1;
        }
        out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount))
                .append(" @@\n");
        for (Edit e : hunk) {
            out.append(e.op).append(e.line).append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add(new Edit('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                edits.add(new Edit('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return edits;
    }
}
