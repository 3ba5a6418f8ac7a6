package org.vaelab.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vaelab.cpu.CpuAllocation;

/**
 * Settings of the process rather than of the experiment: they change how runs are trained, never which runs or
 * their numbers, so none of them is part of a run's configuration or key.
 *
 * <p>Workers: with {@code -Dworkers=N} the launcher starts N JVMs on the same plan, each with its share of the
 * processors ({@link CpuAllocation#share}). They share the run store, whose per-run claims make each run train
 * once. Worker k tries the runs still to train in its own order ({@link #order}): every N-th from the k-th on
 * first, so that the workers start on different runs and do not meet at each claim, then the others' in turn, so
 * that a worker whose runs were quick takes over those still waiting. Worker 1 also waits for the runs the others
 * are training and writes the report; the others stop when nothing is left to claim.
 *
 * @param xmx              the child JVM's maximum heap ({@code vaelab.xmx}, default {@code 2g})
 * @param openblasCoreType the OpenBLAS kernels to use ({@code vaelab.openblasCoreType}), or null to let vaelab
 *                         choose from the CPU's flags
 * @param verbose          show ND4J's start-up logging ({@code vaelab.verbose})
 * @param workers          processes training runs at once ({@code workers}), or null for the default
 *                         ({@link #workerCount})
 * @param worker           which of them this process is, from 1 (the launcher, and a process started alone, are 1)
 * @param launched         when the launcher started the workers, or null for a process started alone: runs that
 *                         finished since then count as this invocation's for {@code -Dfresh=true}, so that a worker
 *                         that starts late does not train again what a quicker one has just trained
 */
public record Launch(String xmx, String openblasCoreType, boolean verbose, Integer workers, int worker,
                     Instant launched) {

    /** 2 GB of heap: the shootout's largest data set and model need about 1.2 GB. */
    public static final Launch DEFAULTS = new Launch("2g", null, false);

    /** Checks the worker numbers. */
    public Launch {
        if (workers != null && workers < 1)
            throw new IllegalArgumentException("-Dworkers=" + workers + " is not valid: expected at least 1");
        if (worker < 1 || worker > (workers == null ? 1 : workers))
            throw new IllegalArgumentException("worker " + worker + " is not one of 1 to " + (workers == null ? 1 : workers));
    }

    /** The settings without workers: the default count, and this process the first. */
    public Launch(String xmx, String openblasCoreType, boolean verbose) {
        this(xmx, openblasCoreType, verbose, null, 1, null);
    }

    /** These settings as seen by worker {@code k} of {@code n} started at {@code launched}, as the launcher hands them over. */
    public Launch asWorker(int k, int n, Instant launched) {
        return new Launch(xmx, openblasCoreType, verbose, n, k, launched);
    }

    /** Whether this process is a worker other than the first: it trains what it can claim, and neither waits nor reports. */
    public boolean helper() {
        return worker > 1;
    }

    /**
     * How many workers the launcher starts for experiment {@code e}: {@code -Dworkers} if given, else the default, one
     * for an experiment that is not a sweep (it does not take {@code workers}) or for {@code -Dverify=true}.
     *
     * @throws IllegalArgumentException if more workers are asked for than there are processors to give them, or
     *     several for a verification, which re-runs in one process
     */
    public int workerCount(Experiment e, boolean verify, CpuAllocation cpus) {
        if (workers == null) return verify || !e.options().contains("workers") ? 1 : defaultWorkers(cpus, heapBytes());
        if (workers > cpus.cpus())
            throw new IllegalArgumentException("-Dworkers=" + workers + " is not valid: this process may use "
                    + cpus.describe() + " processors and each worker needs one, so expected 1 to " + cpus.cpus());
        if (workers > 1 && verify)
            throw new IllegalArgumentException("-Dworkers=" + workers + " does not apply to -Dverify=true, which re-runs"
                    + " the runs in one process: drop -Dworkers");
        return workers;
    }

    /** How many workers a sweep gets by default under these settings (their heap) and allocation: {@link #defaultWorkers}. */
    public int sweepWorkers(CpuAllocation cpus) {
        return defaultWorkers(cpus, heapBytes());
    }

    /**
     * The workers of a sweep when {@code -Dworkers} is not given: one per processor, each on one thread, as long as
     * memory holds one heap ({@code vaelab.xmx}) and {@link #NATIVE_PER_WORKER} of arrays per worker. On 2 cores two
     * workers of one thread each finished the same 19-run sweep in 0.88 of one two-thread worker's time (median of 3
     * alternated rounds, pairs 0.74–0.98; docs/performance.md): a process alone on its core never waits for a second
     * thread at a product or an element-wise pass. The products give the same bits on one thread as on two
     * ({@code model.Gemm}; under SkylakeX except narrow ones), so the default changes no number.
     */
    static int defaultWorkers(CpuAllocation cpus, long heap) {
        // The machine's memory, or the container's limit where the JVM sees one.
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return defaultWorkers(cpus.cpus(), memory, heap);
    }

    /** Native memory a worker needs beside its heap: the reference model's worker peaked at 0.7–0.9 GiB resident. */
    static final long NATIVE_PER_WORKER = 1L << 30;

    /**
     * One worker per processor, at most as many as {@code memory} holds heaps of {@code heap} bytes plus
     * {@link #NATIVE_PER_WORKER}, and at least one.
     */
    static int defaultWorkers(int cpus, long memory, long heap) {
        long byMemory = memory / (heap + NATIVE_PER_WORKER);
        return (int) Math.max(1, Math.min(cpus, byMemory));
    }

    /** {@link #xmx} in bytes ({@code 2g}, {@code 3072m}: a number and one of k, m, g, t, as {@code -Xmx} reads it). */
    long heapBytes() {
        String x = xmx.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = switch (x.charAt(x.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> throw new IllegalStateException("heap size without a unit: " + xmx);
        };
        return Long.parseLong(x.substring(0, x.length() - 1)) << shift;
    }

    /**
     * The order in which this worker tries the runs still to train ({@code todo}, in plan order): positions
     * {@code worker − 1}, {@code worker − 1 + workers}, … first, then the next worker's, and so on round to its own.
     * One worker takes them in plan order.
     */
    public List<Integer> order(List<Integer> todo) {
        int n = workers == null ? 1 : workers;
        List<Integer> order = new ArrayList<>(todo.size());
        for (int j = 0; j < n; j++) {
            int slice = (worker - 1 + j) % n;
            for (int p = slice; p < todo.size(); p += n) order.add(todo.get(p));
        }
        return order;
    }
}
