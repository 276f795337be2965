package io.sketchgate.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One progress line of a long step. On a terminal it is redrawn in place ({@code \r}); when stdout is a file or a
 * pipe, where a {@code \r} leaves one unreadable line, it prints a line each time another tenth is done.
 */
final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private long lastTenth = -1;
    private boolean printed;

    Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** {@code text} is the line without its percentage, which is computed from {@code done} of {@code total}. */
    void report(String text, long done, long total) {
        long percent = total <= 0 ? 100 : Math.min(100, done * 100 / total);
        String line = String.format(Locale.ROOT, "%s (%d%%)", text, percent);
        if (terminal) {
            out.print("\r" + line);
        } else {
            long tenth = percent / 10;
            if (tenth == lastTenth) {
                return;
            }
            lastTenth = tenth;
            out.println(line);
        }
        printed = true;
        out.flush();
    }

    /** Ends the redrawn line, so what follows starts on a line of its own. */
    void end() {
        if (terminal && printed) {
            out.println();
        }
        out.flush();
    }
}
