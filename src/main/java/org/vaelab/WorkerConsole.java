package org.vaelab;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of several workers on one console, each line marked with its worker ({@code [w1] }).
 *
 * <p>Each worker's output is read as a terminal would show it ({@link #pump}): a line ends at {@code \n}, and
 * {@code \r} starts the line again, which is how a progress bar redraws itself. Finished lines are printed as they
 * come. On a terminal ({@code live}), every worker's unfinished line, its progress bar, is also shown below them,
 * one line per worker, redrawn in place with ANSI cursor movements; in a log only finished lines appear, and the
 * workers then print a plain progress line at every quarter of a run instead of a bar.
 */
final class WorkerConsole {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean live;
    private final int width;
    /** Each worker's unfinished line, or null. */
    private final String[] current;
    /** How many of those lines are on the screen below the finished ones (live only). */
    private int drawn;

    /**
     * @param workers how many workers write here, numbered from 1
     * @param live    whether {@code out} is a terminal, where unfinished lines are drawn and redrawn
     * @param width   the terminal's width in columns: a longer drawn line would wrap and break the redrawing
     */
    WorkerConsole(PrintStream out, PrintStream err, int workers, boolean live, int width) {
        this.out = out;
        this.err = err;
        this.live = live;
        this.width = Math.max(20, width);
        this.current = new String[workers];
    }

    private static String mark(int worker) {
        return "[w" + worker + "] ";
    }

    /** A finished line of worker {@code worker}'s standard output ({@code stderr} false) or error. */
    synchronized void line(int worker, String text, boolean stderr) {
        undraw();
        PrintStream to = stderr ? err : out;
        to.println(mark(worker) + text);
        to.flush();
        if (!stderr) current[worker - 1] = null;
        draw();
    }

    /** Worker {@code worker}'s unfinished line of standard output as it stands now: its progress bar. */
    synchronized void progress(int worker, String text) {
        current[worker - 1] = text;
        if (!live) return;
        undraw();
        draw();
    }

    /** Removes the drawn lines: call once every worker has finished. */
    synchronized void close() {
        undraw();
    }

    /** Goes back to the first drawn line and clears to the end of the screen. */
    private void undraw() {
        if (drawn == 0) return;
        out.print("\r" + (drawn > 1 ? "\033[" + (drawn - 1) + "A" : "") + "\033[J");
        out.flush();
        drawn = 0;
    }

    private void draw() {
        if (!live) return;
        List<String> lines = new ArrayList<>();
        for (int w = 0; w < current.length; w++) {
            if (current[w] == null) continue;
            String s = mark(w + 1) + current[w];
            lines.add(s.length() < width ? s : s.substring(0, width - 2) + "…");
        }
        if (lines.isEmpty()) return;
        out.print(String.join("\n", lines));
        out.flush();
        drawn = lines.size();
    }

    /**
     * Reads {@code in} (a worker's standard output, or with {@code stderr} its error) to its end on a new thread,
     * passing on each finished line and, after each read, the unfinished one. Returns the started thread.
     */
    Thread pump(InputStream in, int worker, boolean stderr) {
        Thread t = new Thread(() -> {
            StringBuilder line = new StringBuilder();
            char[] buf = new char[8192];
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                for (int n; (n = r.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        char c = buf[i];
                        if (c == '\n') {
                            line(worker, line.toString(), stderr);
                            line.setLength(0);
                        } else if (c == '\r') {
                            line.setLength(0);
                        } else {
                            line.append(c);
                        }
                    }
                    if (line.length() > 0 && !stderr) progress(worker, line.toString());
                }
            } catch (IOException e) {
                // The worker's pipe closed under us: it has gone, and its exit code says how.
            }
            if (line.length() > 0) line(worker, line.toString(), stderr);
        }, "vaelab-worker-" + worker + (stderr ? "-err" : "-out"));
        t.setDaemon(true);
        t.start();
        return t;
    }
}
