package org.vaelab.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With real processes: a child started through {@link ChildProcess} never outlives its launcher. */
class ChildProcessTest {

    private static Process parent(String childCode, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                ChildProcessFixture.class.getName(), "parent", childCode))
                .redirectError(stderr.toFile()).start();
    }

    /** Reads "child PID" from the parent's stdout, which the child inherits. */
    private static long childPid(Process parent) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.startsWith("child "), "the child did not start: " + line);
        return Long.parseLong(line.substring("child ".length()).trim());
    }

    /**
     * Whether the process still runs. A killed process whose parent is gone may stay a zombie until PID 1 reaps it
     * (in some containers never): it holds no memory and runs nothing, so it counts as stopped.
     */
    private static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void childStopsWithinTwoSecondsWhenItsLauncherIsKilledHard(@TempDir Path tmp) throws Exception {
        Path stderr = tmp.resolve("stderr.txt");
        Process parent = parent("-1", stderr);
        long child = childPid(parent);
        try {
            Thread.sleep(300);
            assertTrue(running(child), "the child should be training while its launcher lives");
            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the launcher
            assertTrue(parent.waitFor(5, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            while (running(child) && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(5)) Thread.sleep(50);
            double seconds = (System.nanoTime() - killed) / 1e9;
            assertTrue(!running(child), "the child still runs " + seconds + " s after its launcher was killed");
            assertTrue(seconds < 2, "the child took " + seconds + " s to stop");
            List<String> lines = Files.readAllLines(stderr);
            assertEquals(1, lines.size(), "one line on stderr: " + lines);
            assertTrue(lines.get(0).startsWith("vaelab: the launching process (pid " + parent.pid() + ") has exited"), lines.get(0));
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A signal the launcher can handle (kill, Ctrl-C) reaches the child through the launcher's shutdown hook. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aTermSignalToTheLauncherStopsTheChildToo(@TempDir Path tmp) throws Exception {
        Path stderr = tmp.resolve("stderr.txt");
        Process parent = parent("-1", stderr);
        long child = childPid(parent);
        try {
            parent.destroy(); // SIGTERM
            assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
            assertEquals(143, parent.exitValue(), "128 + SIGTERM, as for any JVM ended by the signal");
            assertTrue(!running(child), "the launcher waits for its child before it exits");
            assertEquals(List.of(), Files.readAllLines(stderr), "stopped by its launcher, not orphaned");
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void theChildsExitCodeIsTheLaunchers(@TempDir Path tmp) throws Exception {
        Process parent = parent("3", tmp.resolve("stderr.txt"));
        childPid(parent);
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        assertEquals(3, parent.exitValue());
    }
}
