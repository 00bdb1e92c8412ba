package io.latentnlp.corpus;

import java.io.PrintStream;

/**
 * A one-line progress bar on a diagnostic stream (stderr): redrawn in place at most five times a
 * second on a terminal, and printed as a new line every 10% otherwise (logs, CI). Not
 * thread-safe.
 */
public final class ProgressBar {

    private static final int WIDTH = 24;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    /** The first update: the rate for the ETA is measured from here, past the first step's warm-up. */
    private long firstTime = -1;
    private long firstDone;
    private long lastDraw;
    private int lastDecile = -1;

    /**
     * @param label what is being counted, e.g. "epoch 3/10"
     * @param total the count at completion (at least 1)
     */
    public ProgressBar(String label, long total, PrintStream out) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.interactive = System.console() != null;
    }

    /** Reports {@code done} of total with a status text (running loss and so on). */
    public void update(long done, String status) {
        long now = System.nanoTime();
        if (firstTime < 0) {
            firstTime = now;
            firstDone = done;
        }
        int decile = (int) (10 * done / total);
        if (interactive) {
            if (now - lastDraw < 200_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(done, status, now) + "\u001b[K");
            out.flush();
        } else if (decile != lastDecile && done < total) {
            lastDecile = decile;
            out.println(line(done, status, now));
        }
    }

    /** Ends the bar with a final status on its own line. */
    public void finish(String status) {
        long now = System.nanoTime();
        if (interactive) {
            out.print("\r" + line(total, status, now) + "\u001b[K\n");
        } else {
            out.println(line(total, status, now));
        }
        out.flush();
    }

    private String line(long done, String status, long now) {
        double frac = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(frac * WIDTH);
        double elapsed = (now - start) / 1e9;
        // The first step (JIT, native warm-up) is often many times slower than the rest: estimate
        // from the steps after it, once there are some.
        double eta = done > firstDone && firstTime >= 0 ? (now - firstTime) / 1e9 * (total - done) / (done - firstDone)
                : done == 0 ? 0 : elapsed * (total - done) / done;
        return String.format("%s [%s%s] %3d%% %d/%d %s elapsed %s eta %s", label, "=".repeat(filled), " ".repeat(WIDTH - filled),
                (int) (frac * 100), done, total, status, duration(elapsed), duration(eta));
    }

    /** Seconds as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
