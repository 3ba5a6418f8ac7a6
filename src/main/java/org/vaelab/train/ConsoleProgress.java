package org.vaelab.train;

import java.io.PrintStream;

/**
 * A one-line progress bar with rate and ETA for long work. On a terminal it redraws in place (at most five
 * times a second); in a log (CI, redirected output) it prints a plain line at every 25% so logs stay short.
 * Hand-written rather than a library: the library candidates pull in a terminal stack (JLine) for what is
 * thirty lines here, and must behave identically inside {@code mvn exec:java}'s child JVM.
 */
public final class ConsoleProgress implements Trainer.Listener {

    private final PrintStream out;
    private final String prefix;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastQuarter = -1;
    /** Steps left out of the ETA, and then needed before one is shown. */
    static final int WARM_UP = 20;
    private long warmedAt = -1;
    private long warmedSteps;

    /**
     * Set to {@code 1} by the launcher in the environment of workers whose output it shows on a terminal: a worker's
     * output is a pipe, so it cannot see the terminal itself, and the launcher keeps one redrawn line per worker.
     */
    public static final String LIVE = "VAELAB_LIVE_PROGRESS";

    /** Progress lines on {@code out}, each starting with {@code prefix}; redrawn in place on a terminal. */
    public ConsoleProgress(PrintStream out, String prefix) {
        this(out, prefix, System.console() != null || "1".equals(System.getenv(LIVE)));
    }

    ConsoleProgress(PrintStream out, String prefix, boolean interactive) {
        this.out = out;
        this.prefix = prefix;
        this.interactive = interactive;
    }

    @Override
    public void stepDone(long done, long total) {
        long now = System.nanoTime();
        if (warmedAt < 0 && done >= Math.min(WARM_UP, total)) {
            warmedAt = now;
            warmedSteps = done;
        }
        if (interactive) {
            if (done < total && now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            out.print("\r" + line(done, total, now) + (done >= total ? System.lineSeparator() : ""));
            out.flush();
        } else {
            int quarter = (int) (4 * done / total);
            if (quarter > lastQuarter && quarter > 0) {
                lastQuarter = quarter;
                out.println(line(done, total, now));
            }
        }
    }

    String line(long done, long total, long now) {
        double seconds = (now - startNanos) / 1e9;
        double frac = total == 0 ? 1 : (double) done / total;
        int width = 24;
        int filled = (int) Math.round(frac * width);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        double rate = seconds > 0 ? done / seconds : 0;
        // The first steps include JIT compilation and native warm-up, so an ETA from them is wildly long: estimate
        // from the steps after the first WARM_UP only, and say nothing until some of those have run.
        String eta;
        if (done >= total) eta = " in " + clock(seconds);
        else if (warmedAt < 0 || done - warmedSteps < WARM_UP) eta = " ETA …";
        else eta = " ETA " + clock((total - done) * (now - warmedAt) / 1e9 / (done - warmedSteps));
        return String.format("%s [%s] %3.0f%% %d/%d steps, %.0f steps/s%s", prefix, bar, 100 * frac, done, total, rate, eta);
    }

    /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
