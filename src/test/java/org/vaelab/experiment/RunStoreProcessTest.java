package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.train.Trainer;

/**
 * The run store under real processes: {@code kill -9} at three points of a sweep and a resume, and two processes on
 * one folder at once, with equal and with different plans. Each process is a JVM of its own running
 * {@link Sweep}, so locks, atomic renames and a killed writer behave as they do for users.
 */
class RunStoreProcessTest {

    /** Two arms × two seeds of 1,000 images for 2 epochs: 40 steps per run, so that a kill can land inside training. */
    static ExperimentRunnerTest.Tiny small() {
        return new ExperimentRunnerTest.Tiny("small", 1000, 64, 2);
    }

    /** A process that runs {@link #small()} with the overrides in its system properties (as {@code Main} does). */
    public static final class Sweep {
        public static void main(String[] args) throws IOException {
            var result = new ExperimentRunner(System.out, new Trainer()).run(small(), Overrides.from(System.getProperties()));
            System.exit(result.failed() > 0 ? 5 : 0);
        }
    }

    private static ProcessBuilder sweep(Path reports, String... props) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dvaelab.reports=" + reports));
        for (String p : props) cmd.add("-D" + p);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Sweep.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        return pb;
    }

    /** Runs a sweep to its end; returns {exit code, output}. */
    private static String[] complete(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "sweep did not finish: " + text);
        return new String[] {Integer.toString(p.exitValue()), text};
    }

    /** Starts a sweep and kills it with SIGKILL as soon as a line of its output matches; returns the output so far. */
    private static String killAt(ProcessBuilder pb, Predicate<String> line) throws IOException, InterruptedException {
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
                if (line.test(l)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    break;
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "the kill point was never reached:\n" + seen);
        return seen.toString();
    }

    /** metrics.csv of every finished run folder, by folder name. */
    private static Map<String, String> metrics(Path runs) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(runs)) {
            for (Path r : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList())
                m.put(r.getFileName().toString(), Files.readString(r.resolve("metrics.csv")));
        }
        return m;
    }

    /** A report without what differs between two runs of the same plan: wall times and provenance. */
    private static String numbers(String report) {
        return report.replaceAll("(?s)## Provenance.*", "").replaceAll("(?m)\\| [0-9.]+ ± [0-9.]+ \\| (\\d+) \\|$", "| $1 |");
    }

    private static java.util.Properties props(String... kv) {
        var p = new java.util.Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    @Test
    void killedThreeTimesThenResumedGivesTheUninterruptedNumbers(@TempDir Path clean, @TempDir Path killed)
            throws IOException, InterruptedException {
        // The uninterrupted reference runs in this JVM: same code, same machine, so the same numbers.
        new ExperimentRunner(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), new Trainer())
                .run(small(), Overrides.from(props("vaelab.reports", clean.toString())));

        // 1. inside the first run's training; 2. between runs; 3. after the last run, while the report is written.
        killAt(sweep(killed), l -> l.contains("[1/4]") && l.contains("%"));
        String second = killAt(sweep(killed), l -> l.contains("[2/4]") && l.contains("stored in"));
        assertEquals(0, count(second, "[1/4] β=1 seed 1: finished earlier"), "run 1 never finished before the first kill");
        String third = killAt(sweep(killed), l -> l.contains("[4/4]") && l.contains("stored in"));
        assertTrue(third.contains("[1/4] β=1 seed 1: finished earlier") && third.contains("[2/4] β=1 seed 2: finished earlier"), third);
        String[] last = complete(sweep(killed));
        assertEquals("0", last[0], last[1]);
        assertEquals(4, count(last[1], "finished earlier"), last[1]);

        assertEquals(metrics(clean.resolve("small/runs")), metrics(killed.resolve("small/runs")));
        String report = Files.readString(killed.resolve("small/report.md"));
        assertEquals(numbers(Files.readString(clean.resolve("small/report.md"))), numbers(report),
                "the resumed report equals the uninterrupted one (but for wall times)");
    }

    @Test
    void twoProcessesWithTheSamePlanTrainEachRunOnce(@TempDir Path dir) throws IOException, InterruptedException {
        Process a = sweep(dir).start();
        Process b = sweep(dir).start();
        String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        assertEquals(4, count(outA + outB, "trained; stored in"), "each run is trained exactly once:\n" + outA + "\n" + outB);
        assertEquals(4, metrics(dir.resolve("small/runs")).size());
        assertTrue(outA.contains("4 of 4 runs finished") && outB.contains("4 of 4 runs finished"), outA + outB);
        String report = Files.readString(dir.resolve("small/report.md"));
        for (String run : metrics(dir.resolve("small/runs")).keySet())
            assertTrue(report.contains(run), "the report lists " + run);
    }

    @Test
    void aVariantBesideTheCanonicalPlanTouchesNeitherItsRunsNorItsReport(@TempDir Path dir)
            throws IOException, InterruptedException {
        Process a = sweep(dir).start();
        Process b = sweep(dir, "epochs=1", "seeds=1").start();
        String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        assertEquals(4, metrics(dir.resolve("small/runs")).size(), outA);
        assertEquals(2, metrics(dir.resolve("small.seeds-1.epochs-1/runs")).size(), outB);
        assertTrue(outB.contains("variant"), outB);
        assertTrue(outA.contains("4 of 4 runs finished"), outA);
        String canonical = Files.readString(dir.resolve("small/report.md"));
        for (String run : metrics(dir.resolve("small/runs")).keySet())
            assertTrue(canonical.contains(run), "the canonical report lists " + run);
        assertTrue(Files.readString(dir.resolve("small.seeds-1.epochs-1/report.md")).contains("variant -Dseeds=1 -Depochs=1"));

        // Running the canonical plan again reuses everything and still prunes nothing.
        String[] again = complete(sweep(dir));
        assertEquals(4, count(again[1], "finished earlier"), again[1]);
        assertEquals(2, metrics(dir.resolve("small.seeds-1.epochs-1/runs")).size());
    }

    /** Two shards started at once on one folder (a Slurm array): each trains its half, and whichever ends last writes the report. */
    @Test
    void shardsRunningAtOnceLeaveACompleteReport(@TempDir Path dir) throws IOException, InterruptedException {
        Process a = sweep(dir, "shard=1/2").start();
        Process b = sweep(dir, "shard=2/2").start();
        String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        assertEquals(4, count(outA + outB, "trained; stored in"), outA + "\n" + outB);
        assertTrue(outA.contains("4 of 4 runs finished") || outB.contains("4 of 4 runs finished"),
                "the shard that ended last wrote the report:\n" + outA + "\n" + outB);
        String report = Files.readString(dir.resolve("small/report.md"));
        for (String run : metrics(dir.resolve("small/runs")).keySet())
            assertTrue(report.contains(run), "the report lists " + run);
    }
}
