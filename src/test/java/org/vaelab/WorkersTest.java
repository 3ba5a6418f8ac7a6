package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.cpu.CpuAllocation;
import org.vaelab.experiment.Launch;
import org.vaelab.train.ConsoleProgress;

/** The launcher's side of -Dworkers without processes: exit codes, the hand-over of settings, the console. */
class WorkersTest {

    @Test
    void theWorstExitCodeWins() {
        assertEquals(0, Workers.worst(0, 0));
        assertEquals(Main.RUNS_FAILED, Workers.worst(0, Main.RUNS_FAILED));
        assertEquals(Main.RUNS_FAILED, Workers.worst(Main.RUNS_FAILED, 0));
        assertEquals(1, Workers.worst(Main.RUNS_FAILED, 1), "an unexpected error says more than failed runs");
        assertEquals(Main.BAD_DATA, Workers.worst(Main.BAD_USAGE, Main.BAD_DATA));
        assertEquals(137, Workers.worst(1, 137), "killed by a signal: the most serious");
        assertEquals(Main.VERIFY_FAILED, Workers.worst(Main.VERIFY_FAILED, Main.RUNS_FAILED));
    }

    /** What the launcher puts in a worker's environment is what the worker reads back. */
    @Test
    void aWorkerReadsBackWhatTheLauncherMarked() {
        Map<String, String> env = new HashMap<>();
        Instant t = Instant.parse("2026-12-02T00:37:15Z");
        Workers.mark(env, 2, 3, 1, true, t);
        assertEquals(Map.of(Workers.WORKER, "2/3@" + t.getEpochSecond(), CpuAllocation.WORKER_CPUS, "1",
                ConsoleProgress.LIVE, "1"), env);
        Launch l = Workers.launchOf(env.get(Workers.WORKER), Launch.DEFAULTS);
        assertEquals(Launch.DEFAULTS.asWorker(2, 3, t), l);
        assertEquals(1, CpuAllocation.of(env, 2, java.nio.file.Path.of("/nonexistent")).cpus());

        Map<String, String> log = new HashMap<>();
        Workers.mark(log, 1, 2, 1, false, t);
        assertTrue(!log.containsKey(ConsoleProgress.LIVE), "in a log the workers print plain progress lines");
        assertEquals(Launch.DEFAULTS, Workers.launchOf(null, Launch.DEFAULTS), "not a worker");
        for (String bad : new String[] {"2", "3/2@1", "0/2@1", "1/2", "a/b@c"})
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Workers.launchOf(bad, Launch.DEFAULTS))
                    .getMessage().startsWith("VAELAB_WORKER=" + bad + " is not k/N@S"), bad);
    }

    private static String feed(WorkerConsole console, int worker, boolean stderr, String text) throws InterruptedException {
        console.pump(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), worker, stderr).join();
        return text;
    }

    /** In a log: every finished line once, marked with its worker; an unfinished one at the end still appears. */
    @Test
    void inALogEachFinishedLineIsMarkedWithItsWorker() throws InterruptedException {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var console = new WorkerConsole(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), 2, false, 80);
        feed(console, 1, false, "threads: x\n[1/4] β=1 seed 1: trained\n");
        feed(console, 2, false, "[2/4] 25% …\n[2/4] 100% in 0:03\nno newline at the end");
        feed(console, 2, true, "vaelab: a warning\n");
        console.close();
        assertEquals("[w1] threads: x\n[w1] [1/4] β=1 seed 1: trained\n[w2] [2/4] 25% …\n[w2] [2/4] 100% in 0:03\n"
                + "[w2] no newline at the end\n", out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertEquals("[w2] vaelab: a warning\n", err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    /**
     * On a terminal: a bar redrawn with {@code \r} becomes the worker's line below the log, redrawn in place; a
     * finished line goes above it. The screen is replayed here with a tiny terminal emulator.
     */
    @Test
    void onATerminalEachWorkerKeepsOneRedrawnLine() throws InterruptedException {
        var out = new ByteArrayOutputStream();
        var console = new WorkerConsole(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, 2, true, 40);
        console.line(1, "start", false);
        console.progress(1, "[1/4] 10%");
        console.progress(2, "[2/4] 5%");
        console.progress(1, "[1/4] 60%");
        console.line(2, "[2/4] 100% in 0:01", false);
        console.progress(1, "[1/4] a line far longer than the forty columns of this terminal");
        String screen = Screen.replay(out.toString(StandardCharsets.UTF_8));
        // Cut to 39 columns: a line that fills the last column would leave some terminals a line lower.
        assertEquals("[w1] start\n[w2] [2/4] 100% in 0:01\n[w1] [1/4] a line far longer than the …", screen);
        console.close();
        assertEquals("[w1] start\n[w2] [2/4] 100% in 0:01\n", Screen.replay(out.toString(StandardCharsets.UTF_8)), "the cursor on a clean line");
    }

    /** Just enough of a VT100 for the sequences WorkerConsole writes: \r, \n, ESC[nA (up) and ESC[J (clear below). */
    static final class Screen {
        static String replay(String s) {
            java.util.List<StringBuilder> lines = new java.util.ArrayList<>(java.util.List.of(new StringBuilder()));
            int row = 0, col = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\r') {
                    col = 0;
                } else if (c == '\n') {
                    row++;
                    col = 0;
                    if (row == lines.size()) lines.add(new StringBuilder());
                } else if (c == '\033') {
                    int end = i + 2;
                    while (!Character.isLetter(s.charAt(end))) end++;
                    String arg = s.substring(i + 2, end);
                    if (s.charAt(end) == 'A') row -= arg.isEmpty() ? 1 : Integer.parseInt(arg);
                    if (s.charAt(end) == 'J') {
                        lines.get(row).setLength(col);
                        while (lines.size() > row + 1) lines.remove(lines.size() - 1);
                    }
                    i = end;
                } else {
                    StringBuilder l = lines.get(row);
                    if (col < l.length()) l.setCharAt(col, c);
                    else l.append(c);
                    col++;
                }
            }
            return String.join("\n", lines);
        }
    }
}
