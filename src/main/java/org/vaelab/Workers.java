package org.vaelab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vaelab.cpu.CpuAllocation;
import org.vaelab.experiment.Launch;
import org.vaelab.process.ChildProcess;
import org.vaelab.train.ConsoleProgress;

/**
 * The workers of {@code -Dworkers=N}: N child JVMs that train the runs of one plan at once, each with its share of
 * the processors, started and watched by the launcher ({@link Main}).
 *
 * <p>Processes rather than threads in one JVM, because what must be divided is process-wide: OpenBLAS has one
 * thread count per process, and ND4J one set of native buffers. The run store already lets any number of processes
 * share a plan: each run is claimed with an operating-system lock, so it trains once, and a process that dies
 * releases its claims (docs/run-store.md). The workers need nothing more; which runs each tries first and who writes
 * the report is {@link Launch}'s. What N processes cost: a JVM start and a heap each ({@code -Dvaelab.xmx}, 2 GB by
 * default, of which the reference model uses about 0.7 GB).
 *
 * <p>The launcher marks each worker's lines with its number ({@link WorkerConsole}), passes a signal on to every
 * worker, and every worker stops by itself within a second when the launcher dies, even by {@code kill -9}
 * ({@link ChildProcess}). The exit code is the worst of the workers' ({@link #worst}).
 */
final class Workers {

    /**
     * Environment variable telling a worker which one it is and when the launcher started the workers, as
     * {@code k/N@S}: worker k of N, S the launch time in seconds since 1970 ({@link Launch#launched()}).
     */
    static final String WORKER = "VAELAB_WORKER";

    private Workers() {
    }

    /**
     * Adds what makes the child of {@code env} worker {@code k} of {@code n} with {@code cpus} processors: its number,
     * its share as a bound of its {@link CpuAllocation}, and whether its progress is shown live on a terminal. The
     * thread settings ({@link Main#childEnvironment}) come first, given the same share.
     */
    static void mark(Map<String, String> env, int k, int n, int cpus, boolean live, Instant launched) {
        env.put(WORKER, k + "/" + n + "@" + launched.getEpochSecond());
        env.put(CpuAllocation.WORKER_CPUS, Integer.toString(cpus));
        if (live) env.put(ConsoleProgress.LIVE, "1");
    }

    /**
     * In a worker: its launch settings, from {@value #WORKER} in its environment ({@code value}); {@code base} as it is
     * when the variable is absent.
     *
     * @throws IllegalArgumentException if the value is not {@code k/N@S} with 1 ≤ k ≤ N: only the launcher sets it
     */
    static Launch launchOf(String value, Launch base) {
        if (value == null) return base;
        if (value.matches("\\d{1,4}/\\d{1,4}@\\d{1,12}")) {
            String[] f = value.split("[/@]");
            int k = Integer.parseInt(f[0]), n = Integer.parseInt(f[1]);
            if (k >= 1 && k <= n) return base.asWorker(k, n, Instant.ofEpochSecond(Long.parseLong(f[2])));
        }
        throw new IllegalArgumentException(WORKER + "=" + value + " is not k/N@S with 1 ≤ k ≤ N; it is set by vaelab's"
                + " launcher for its workers, so unset it");
    }

    /**
     * Starts {@code n} workers running {@code cmd}, each with its share of {@code cpus} and the thread settings of
     * {@link Main#childEnvironment}, and returns the worst of their exit codes once all have ended.
     *
     * @param coreType the OpenBLAS core type of every worker, or null to leave it to OpenBLAS
     */
    static int run(List<String> cmd, int n, CpuAllocation cpus, String coreType) throws IOException, InterruptedException {
        boolean live = System.console() != null;
        Instant launched = Instant.now();
        List<ProcessBuilder> builders = new ArrayList<>();
        List<String> shares = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT);
            int share = cpus.share(k, n);
            Main.childEnvironment(pb.environment(), share, coreType);
            mark(pb.environment(), k, n, share, live, launched);
            builders.add(pb);
            shares.add(Integer.toString(share));
        }
        String each = shares.stream().distinct().count() == 1 ? shares.get(0) + " processor(s) each"
                : String.join(" + ", shares) + " processors";
        System.out.printf("vaelab: %d workers, %s; this process may use %s; their lines are marked [w1] to [w%d]%n",
                n, each, cpus.describe(), n);
        return run(builders, new WorkerConsole(System.out, System.err, n, live, live ? terminalWidth() : 80));
    }

    /**
     * Starts one worker per builder (each given its command, environment and share already), shows their output on
     * {@code console}, waits for all of them and returns the worst exit code. A worker that fails is named on the
     * error stream once all have ended.
     */
    static int run(List<ProcessBuilder> builders, WorkerConsole console) throws IOException, InterruptedException {
        List<Process> started = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        for (int k = 1; k <= builders.size(); k++) {
            Process p = ChildProcess.start(builders.get(k - 1));
            started.add(p);
            pumps.add(console.pump(p.getInputStream(), k, false));
            pumps.add(console.pump(p.getErrorStream(), k, true));
        }
        int[] codes = new int[started.size()];
        for (int k = 0; k < codes.length; k++) codes[k] = started.get(k).waitFor();
        for (Thread t : pumps) t.join();
        console.close();
        int code = 0;
        for (int k = 0; k < codes.length; k++) {
            if (codes[k] != 0) System.err.println("vaelab: worker " + (k + 1) + " exited with code " + codes[k]);
            code = worst(code, codes[k]);
        }
        return code;
    }

    /**
     * The exit code that says more of two workers' codes. From most to least serious: a code vaelab does not give
     * (a signal, 128 + its number), 1 (an unexpected error), 3 (bad data), 2 (bad command line), 4 (verification
     * differs), 5 (some runs failed; the report lists them), 0.
     */
    static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case 0 -> 0;
            case Main.RUNS_FAILED -> 1;
            case Main.VERIFY_FAILED -> 2;
            case Main.BAD_USAGE -> 3;
            case Main.BAD_DATA -> 4;
            case 1 -> 5;
            default -> 6;
        };
    }

    /** Columns of the terminal on standard input ({@code stty size}), or 80 when it cannot be told. */
    static int terminalWidth() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(2, TimeUnit.SECONDS) && out.matches("\\d+ \\d+")) return Integer.parseInt(out.split(" ")[1]);
        } catch (IOException e) {
            // no terminal, or no stty: the default below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }
}
