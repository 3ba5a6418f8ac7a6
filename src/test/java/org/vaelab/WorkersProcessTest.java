package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dworkers=2} with real processes, launched as a user launches vaelab: a launcher JVM without the thread
 * settings, which starts two workers on a small variant of the quickstart (the MNIST digits are committed).
 */
class WorkersProcessTest {

    /** 6 runs of 3 steps each, evaluated on 100 test images. */
    private static final String[] PLAN = {"experiment=quickstart", "seeds=1", "epochs=1", "trainLimit=300", "testLimit=100", "iwK=10"};

    @BeforeEach
    void twoProcessors() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two workers need two processors");
    }

    private static ProcessBuilder launcher(Path reports, String... props) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dvaelab.reports=" + reports, "-Dvaelab.xmx=768m"));
        for (String p : PLAN) cmd.add("-D" + p);
        for (String p : props) cmd.add("-D" + p);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // As a user's shell: none of the settings the launcher gives its children (Surefire sets some for tests).
        pb.environment().keySet().removeIf(k -> k.startsWith("OMP_") || k.startsWith("OPENBLAS_") || k.startsWith("VAELAB_")
                || k.startsWith("ND4J_") || k.startsWith("SLURM_"));
        return pb;
    }

    private static String[] complete(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "did not finish: " + text);
        return new String[] {Integer.toString(p.exitValue()), text};
    }

    private static Map<String, String> metrics(Path runs) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(runs)) {
            for (Path r : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList())
                m.put(r.getFileName().toString(), Files.readString(r.resolve("metrics.csv")));
        }
        return m;
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    /**
     * Two workers train each run once between them, each on one processor, every line marked; worker 1 writes the
     * report; and the numbers are those of one process with both processors, byte for byte: the matrix products give
     * the same bits on one processor as on two ({@code model.Gemm}: cut in k under the SkylakeX kernels of an AVX-512
     * CPU, in column halves under others).
     */
    @Test
    void twoWorkersTrainEachRunOnceAndGiveTheNumbersOfOne(@TempDir Path two, @TempDir Path one) throws Exception {
        String[] r = complete(launcher(two, "workers=2"));
        assertEquals("0", r[0], r[1]);
        String out = r[1];
        assertTrue(out.lines().findFirst().orElse("").startsWith("vaelab: 2 workers, 1 processor(s) each"), out);
        assertTrue(out.lines().skip(1).allMatch(l -> l.startsWith("[w1] ") || l.startsWith("[w2] ")),
                "every line after the launcher's first is marked with its worker:\n" + out);
        assertEquals(6, count(out, "trained; stored in"), "each run trained once:\n" + out);
        assertTrue(count(out, "[w1] [") > 0 && count(out, "[w2] [") > 0, "both workers trained runs:\n" + out);
        assertEquals(2, count(out, "OPENBLAS_NUM_THREADS=1,"), "one OpenBLAS thread each:\n" + out);
        assertEquals(2, count(out, "cpus 1 (availableProcessors="), out);
        assertTrue(out.contains("[w2] worker 2 of 2 done") && out.contains("[w1] done in") && out.contains("6 of 6 runs finished"), out);
        Path variant = two.resolve("quickstart.seeds-1.epochs-1.trainLimit-300.testLimit-100.iwK-10");
        assertTrue(Files.readString(variant.resolve("report.md")).contains("variant"), "worker 1 wrote the report");

        String[] single = complete(launcher(one, "workers=1"));
        assertEquals("0", single[0], single[1]);
        assertTrue(!single[1].contains("[w1]"), "one worker: no marks\n" + single[1]);
        assertTrue(single[1].contains("OPENBLAS_NUM_THREADS=2,"), single[1]);
        Path variantOne = one.resolve(variant.getFileName());
        assertEquals(6, metrics(variant.resolve("runs")).size());
        assertEquals(metrics(variantOne.resolve("runs")), metrics(variant.resolve("runs")),
                "two workers give the numbers of one process");
    }

    /** kill -9 of the launcher: both workers notice and stop within seconds, as a single child does. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killingTheLauncherStopsEveryWorker(@TempDir Path dir) throws Exception {
        // 30 epochs (the later -D wins): the workers are still training when the launcher dies.
        Process launcher = launcher(dir, "workers=2", "epochs=30").start();
        List<ProcessHandle> workers;
        try (var in = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            int started = 0;
            for (String l; started < 2 && (l = in.readLine()) != null; ) if (l.contains("threads: ")) started++;
            assertEquals(2, started, "both workers started");
            workers = launcher.children().toList();
            assertEquals(2, workers.size(), "two worker JVMs");
            assertTrue(workers.stream().allMatch(WorkersProcessTest::running), "both workers are training");
            launcher.destroyForcibly(); // SIGKILL: the launcher's shutdown hooks do not run
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workers.stream().anyMatch(WorkersProcessTest::running) && System.nanoTime() < deadline) Thread.sleep(100);
        for (ProcessHandle w : workers) assertTrue(!running(w), "worker " + w.pid() + " outlived its launcher");
    }

    /** Alive and not a zombie (a killed worker whose parent is gone may stay one until PID 1 reaps it). */
    private static boolean running(ProcessHandle h) {
        if (!h.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
