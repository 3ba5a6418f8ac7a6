package org.vaelab.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The processors this process may use: the smallest of several upper bounds, each recorded with its source so that
 * the start-up line and every run's provenance say what limited the threads.
 *
 * <p>The bounds:
 * <ul>
 *   <li>{@code availableProcessors}: {@link Runtime#availableProcessors()}. JDK 17 on Linux counts the CPU affinity
 *       mask ({@code sched_getaffinity}) and the CPU quota of the process's own cgroup. Checked on this project's
 *       2-core machine kind with JDK 17.0.15: plain {@code java} saw 2, {@code taskset -c 0 java} saw 1, and a process
 *       in a cgroup v1 group with {@code cpu.cfs_quota_us} 100000 over a period of 100000 saw 1.</li>
 *   <li>{@code SLURM_CPUS_PER_TASK}: what a Slurm task asked for with {@code --cpus-per-task}. A cluster configured
 *       with {@code TaskPlugin=task/none} binds nothing, so the affinity mask is the whole node's and this variable is
 *       the only word a task gets of its share: a 1-CPU task on a 2-core node otherwise ran two OpenBLAS threads.</li>
 *   <li>{@code SLURM_CPUS_ON_NODE}: the processors of the whole job on this node. Not always tight (several tasks of
 *       one job may share them), but no single process of the job may use more. {@code SLURM_JOB_CPUS_PER_NODE} is
 *       not read: it lists every node of the job ({@code 2(x3),1}) without saying which one this is, and
 *       {@code SLURM_CPUS_ON_NODE} is this node's entry of it.</li>
 *   <li>{@code cgroup cpu.max} (v2) and {@code cgroup cpu.cfs_quota_us} (v1): the CPU quota of the process's cgroup
 *       <em>and of every group above it</em>, in processors, rounded up as the JVM rounds its own (a quota of 1.5 lets
 *       two threads run at three quarters each, which still uses all that was given). Read here although the JVM reads
 *       a quota too, because JDK 17 looks only at the process's own group, and batch systems and container runtimes
 *       often put the quota on a parent (a Slurm job's group above its steps' groups).</li>
 *   <li>{@value #WORKER_CPUS}: the share the launcher gives each of its workers ({@code -Dworkers=N} splits the
 *       allocation between N JVMs).</li>
 * </ul>
 * A value that is not a positive whole number is ignored: these come from the environment and the kernel, not from
 * the user's command line, and a garbled one must not stop a sweep.
 *
 * @param cpus   the processors this process may use, ≥ 1: the smallest bound
 * @param bounds every bound found, by source, in the order above ({@code availableProcessors} always first)
 */
public record CpuAllocation(int cpus, Map<String, Integer> bounds) {

    /** Set by the launcher in each worker's environment: that worker's share of the allocation. */
    public static final String WORKER_CPUS = "VAELAB_WORKER_CPUS";

    /** Checks the count and copies the bounds, so that the record stays immutable. */
    public CpuAllocation {
        if (cpus < 1) throw new IllegalArgumentException("cpus = " + cpus + " is not valid: expected at least 1");
        bounds = Collections.unmodifiableMap(new LinkedHashMap<>(bounds));
    }

    /** The allocation of this process, read once: the environment, the JVM and the cgroup files do not change. */
    public static CpuAllocation current() {
        return Current.VALUE;
    }

    private static final class Current {
        static final CpuAllocation VALUE = of(System.getenv(), Runtime.getRuntime().availableProcessors(), Path.of("/"));
    }

    /**
     * The allocation from these sources.
     *
     * @param env            the environment ({@link System#getenv()})
     * @param jvmProcessors  {@link Runtime#availableProcessors()}
     * @param root           the file-system root under which {@code proc/self/cgroup}, {@code proc/self/mountinfo} and
     *                       the cgroup mounts are read ({@code /}; a temporary folder in tests)
     */
    public static CpuAllocation of(Map<String, String> env, int jvmProcessors, Path root) {
        Map<String, Integer> bounds = new LinkedHashMap<>();
        bounds.put("availableProcessors", Math.max(1, jvmProcessors));
        for (String name : List.of("SLURM_CPUS_PER_TASK", "SLURM_CPUS_ON_NODE")) positive(env.get(name)).ifPresent(v -> bounds.put(name, v));
        bounds.putAll(CgroupQuota.read(root));
        positive(env.get(WORKER_CPUS)).ifPresent(v -> bounds.put(WORKER_CPUS, v));
        int cpus = bounds.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        return new CpuAllocation(cpus, bounds);
    }

    /**
     * One line for the start of a sweep and for provenance: the count, and the bounds when more than the JVM's own,
     * e.g. {@code 1 (availableProcessors=2, SLURM_CPUS_PER_TASK=1)}.
     */
    public String describe() {
        if (bounds.size() == 1) return Integer.toString(cpus);
        return cpus + " (" + bounds.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * The share of worker {@code worker} (1-based) when this allocation is split between {@code workers} processes:
     * {@code cpus / workers}, and one more for the first {@code cpus % workers} workers, so that the shares add up
     * to the allocation.
     *
     * @throws IllegalArgumentException if {@code workers} is not from 1 to {@link #cpus()}, or {@code worker} not
     *     from 1 to {@code workers}
     */
    public int share(int worker, int workers) {
        if (workers < 1 || workers > cpus)
            throw new IllegalArgumentException(workers + " workers cannot share " + cpus + " processors: expected 1 to " + cpus);
        if (worker < 1 || worker > workers)
            throw new IllegalArgumentException("worker " + worker + " is not one of 1 to " + workers);
        return cpus / workers + (worker <= cpus % workers ? 1 : 0);
    }

    /** A whole number ≥ 1, or empty for null, blank, non-numeric or non-positive text. */
    static java.util.OptionalInt positive(String s) {
        if (s == null || !s.trim().matches("\\d{1,9}")) return java.util.OptionalInt.empty();
        int v = Integer.parseInt(s.trim());
        return v >= 1 ? java.util.OptionalInt.of(v) : java.util.OptionalInt.empty();
    }

    /** Reads a small text file, or null if it is missing or unreadable. */
    static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
