package org.vaelab;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.vaelab.cpu.CpuAllocation;
import org.vaelab.cpu.CpuKernels;
import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.ExperimentRegistry;
import org.vaelab.experiment.ExperimentRunner;
import org.vaelab.experiment.Launch;
import org.vaelab.experiment.Overrides;
import org.vaelab.process.ChildProcess;
import org.vaelab.train.Trainer;

/**
 * Command-line entry: {@code mvn -q compile exec:java -Dexperiment=NAME [-Dseeds=3 -Depochs=5 ...]}.
 *
 * <p>ND4J needs {@code OMP_NUM_THREADS=1} (or a passive OpenMP wait policy) in its environment <em>before the JVM
 * starts</em>: with the defaults its OpenMP threads spin while OpenBLAS needs the cores, and everything runs about
 * 2.3× slower (docs/performance.md). A JVM cannot change its own environment, and {@code exec:java} runs inside Maven's
 * JVM, so when the setting is missing this launcher starts one child JVM with the right environment and the same
 * classpath and options, and exits with its exit code. A user never has to export anything. The command line is
 * checked before the child starts, so a typo fails at once; the child gets every vaelab option and stops when the
 * launcher dies, even by {@code kill -9} ({@link ChildProcess}).
 *
 * <p>The child also gets {@code OPENBLAS_CORETYPE}: the OpenBLAS 0.3.19 bundled with ND4J does not recognise some
 * virtualised CPUs (they report only "Intel Xeon Processor") and falls back to its SSE3 kernels, which made every
 * matrix product 2–4× slower here. The core type is chosen from the CPU's own flags (AVX-512 → SkylakeX, AVX2 →
 * Haswell), never guessed. A value already in the environment is kept unless it names an older kernel family than
 * the CPU supports: some machine images export {@code OPENBLAS_CORETYPE=Haswell} for every CPU, and on an AVX-512
 * CPU (AMD EPYC, Zen 5) that made the reference model's products 1.36–1.59× slower than SkylakeX's kernels
 * ({@code EngineStepTiming}, 2 runs each). Such a value is replaced with a one-line note saying so;
 * {@code -Dvaelab.openblasCoreType=NAME} sets any core type, the environment's included.
 *
 * <p>Matrix products get every core, ND4J's own element-wise ops one thread: ND4J sets OpenBLAS's thread count to
 * {@code OMP_NUM_THREADS} when it starts, unless {@code ND4J_SKIP_BLAS_THREADS} is set, so the child gets
 * {@code ND4J_SKIP_BLAS_THREADS=1} and {@code OPENBLAS_NUM_THREADS} = the processors this process may use (each only
 * when unset): its allocation ({@link CpuAllocation}: affinity, cgroup quota, Slurm's {@code SLURM_CPUS_PER_TASK}),
 * not the machine's cores, so that a 1-CPU Slurm task runs one thread. With 2 OpenBLAS threads a training step of the reference model took 8.6 ms against 10.3 ms with 1
 * (median of 3 interleaved runs on 2 cores, element-wise work single-threaded).
 *
 * <p>The element-wise passes and Adam now run on two Java threads between the products ({@code RowSplit}), on the
 * core where OpenBLAS's worker thread would otherwise keep spinning for about 2^28 cycles after each product. So
 * the child also gets {@code OPENBLAS_THREAD_TIMEOUT=4} (when unset): the worker sleeps after 2^4 cycles. Measured
 * with both versions of the code in one JVM, alternating: the threaded passes took the step to 0.85–0.88 of the
 * single-threaded passes' time with the short timeout, 0.84–1.05 without it, and the importance-weighted NLL's
 * decoder calls from 1.03 to 0.78.
 *
 * <p>With {@code -Dworkers=N} (N &gt; 1) the launcher starts N such children on the same plan instead of one, each
 * with its share of the allocation ({@link Workers}); it does so even when the user set {@code OMP_NUM_THREADS}.
 */
public final class Main {

    /**
     * Exit codes: 0 success, 2 bad command line, 3 missing or corrupt data, 4 verification found differences, 5 some
     * runs failed (the report lists them), 1 anything else.
     */
    static final int BAD_USAGE = 2;
    static final int BAD_DATA = 3;
    static final int VERIFY_FAILED = 4;
    /** Some runs failed (e.g. diverged): the report was written and lists them; the next invocation retries them. */
    static final int RUNS_FAILED = 5;

    private Main() {
    }

    /**
     * Checks the command line, then (in Maven's JVM, where the thread settings are missing) starts the child JVM that
     * trains, or (in the child, or with the user's own settings) runs the experiment; exits with the code of
     * {@link #run(Properties, boolean)}.
     */
    public static void main(String[] args) throws Exception {
        ChildProcess.exitWithParent();
        boolean launcher = System.getenv("OMP_NUM_THREADS") == null && !child();
        System.exit(run(System.getProperties(), launcher));
    }

    /**
     * Parses and checks the options in {@code props}, so that a bad command line fails at once, before a child JVM
     * starts or anything trains; then lists the experiments, relaunches, or runs the chosen one.
     *
     * @param relaunch start a child JVM with the thread settings and return its exit code, instead of running here;
     *     with more than one worker ({@code -Dworkers}) children are started unless this is one
     * @return the exit code (see {@link #BAD_USAGE} and the others)
     */
    static int run(Properties props, boolean relaunch) throws IOException, InterruptedException, URISyntaxException {
        ExperimentRegistry registry = ExperimentRegistry.standard();
        Overrides overrides;
        Experiment experiment;
        int workers = 1;
        try {
            overrides = Overrides.from(props);
            String name = overrides.experiment();
            if (name.isEmpty() || name.equals("list")) {
                System.out.println("vaelab experiments (run one with: mvn -q compile exec:java -Dexperiment=NAME):");
                System.out.println(registry.listing(Path.of(System.getProperty("vaelab.reports", "reports"))));
                System.out.println("Options: " + String.join(", ", Overrides.KEYS.stream().map(k -> "-D" + k + "=...").toList()));
                return name.isEmpty() ? BAD_USAGE : 0;
            }
            experiment = overrides.configure(registry.get(name));
            // A worker learns from its environment which one it is; the launcher splits its own allocation.
            if (child()) overrides = overrides.withLaunch(Workers.launchOf(System.getenv(Workers.WORKER), overrides.launch()));
            else workers = overrides.launch().workerCount(experiment, overrides.verify(), CpuAllocation.current());
        } catch (IllegalArgumentException e) {
            System.err.println("vaelab: " + e.getMessage());
            return BAD_USAGE;
        }
        if (relaunch || workers > 1) return relaunch(overrides.launch(), workers);
        // Before any ND4J class loads: its start-up banner is INFO-level slf4j output.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", overrides.launch().verbose() ? "info" : "warn");
        return run(experiment, overrides);
    }

    /** Runs a configured experiment ({@link Overrides#configure}) in this JVM. */
    private static int run(Experiment experiment, Overrides overrides) {
        try {
            ExperimentRunner runner = new ExperimentRunner(System.out, new Trainer());
            if (overrides.verify()) return runner.verify(experiment, overrides) == 0 ? 0 : VERIFY_FAILED;
            ExperimentRunner.Result result = runner.run(experiment, overrides);
            return result.failed() > 0 ? RUNS_FAILED : 0;
        } catch (org.vaelab.data.DataException e) {
            System.err.println("vaelab: " + e.getMessage());
            return BAD_DATA;
        } catch (IllegalArgumentException e) {
            System.err.println("vaelab: " + e.getMessage());
            return BAD_USAGE;
        } catch (IOException e) {
            System.err.println("vaelab: could not write results: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Starts this class again in a child JVM whose environment has the thread settings ND4J needs, with every vaelab
     * option, and returns its exit code. The child stops when this process dies ({@link ChildProcess}).
     */
    private static int relaunch(Launch launch, int workers) throws IOException, InterruptedException, URISyntaxException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + launch.xmx());
        for (String key : System.getProperties().stringPropertyNames()) {
            if (forwarded(key)) cmd.add("-D" + key + "=" + System.getProperty(key));
        }
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(Main.class.getName());
        CoreType coreType = CoreType.choose(System.getenv("OPENBLAS_CORETYPE"), CpuKernels.openBlasCoreType(), launch.openblasCoreType());
        // The choice is in every run's provenance and the sweep's "threads:" line; the why only when asked.
        if (coreType.note() != null && launch.verbose()) System.err.println("vaelab: " + coreType.note());
        CpuAllocation cpus = CpuAllocation.current();
        if (workers > 1) return Workers.run(cmd, workers, cpus, coreType.value());
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        childEnvironment(pb.environment(), cpus.cpus(), coreType.value());
        return ChildProcess.run(pb);
    }

    /** Whether this JVM is a child started by the launcher (one worker or several). */
    private static boolean child() {
        return System.getenv("VAELAB_CHILD") != null;
    }

    /**
     * Adds the child's thread and BLAS settings to {@code env} (a copy of this process's environment): the OpenMP
     * settings and the chosen core type always, the others only where the user has not set them.
     *
     * @param cores the processors the child may use: this process's allocation ({@link CpuAllocation}), or a
     *     worker's share of it
     * @param coreType the OpenBLAS core type the child runs with ({@link CoreType#choose}), or null to leave it to
     *     OpenBLAS
     */
    static void childEnvironment(Map<String, String> env, int cores, String coreType) {
        env.put("OMP_NUM_THREADS", "1");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.putIfAbsent("ND4J_SKIP_BLAS_THREADS", "1");
        env.putIfAbsent("OPENBLAS_NUM_THREADS", Integer.toString(cores));
        env.putIfAbsent("OPENBLAS_THREAD_TIMEOUT", "4");
        if (coreType != null) env.put("OPENBLAS_CORETYPE", coreType);
        env.put("VAELAB_CHILD", "1");
    }

    /**
     * The OpenBLAS core type a child runs with, and the note to print when it overrides the environment's.
     *
     * @param value the core type, or null to leave the choice to OpenBLAS
     * @param note one line for the user, or null when there is nothing to say
     */
    record CoreType(String value, String note) {

        /**
         * Chooses the core type: the one asked for with {@code -Dvaelab.openblasCoreType}; else the environment's,
         * unless it is a known kernel family older than the CPU's; else the CPU's.
         *
         * @param inherited {@code OPENBLAS_CORETYPE} from this process's environment, or null
         * @param detected the core type the CPU's flags support ({@link CpuKernels#openBlasCoreType()}), or null if unknown
         * @param requested {@code -Dvaelab.openblasCoreType}, or null
         */
        static CoreType choose(String inherited, String detected, String requested) {
            if (requested != null && !requested.isBlank()) return new CoreType(requested.trim(), null);
            if (inherited == null || inherited.isBlank()) return new CoreType(detected, null);
            int had = tier(inherited);
            if (detected != null && had >= 0 && had < tier(detected)) {
                return new CoreType(detected, "OPENBLAS_CORETYPE=" + inherited + " in the environment is an older kernel family"
                        + " than this CPU supports, so this run uses " + detected + " (its matrix products are faster;"
                        + " the results differ only by float rounding). To keep " + inherited
                        + ", add -Dvaelab.openblasCoreType=" + inherited + ".");
            }
            return new CoreType(inherited, null);
        }

        /**
         * How wide the vectors of an OpenBLAS x86-64 kernel family are: 3 AVX-512, 2 AVX2, 1 AVX, 0 SSE; -1 for a
         * name this list does not know (then the environment's value is kept).
         */
        static int tier(String coreType) {
            return switch (coreType.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "skylakex", "cooperlake", "sapphirerapids" -> 3;
                case "haswell", "zen", "excavator" -> 2;
                case "sandybridge", "bulldozer", "piledriver", "steamroller" -> 1;
                case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "opteron", "barcelona", "bobcat",
                        "katmai", "coppermine", "northwood", "banias", "generic" -> 0;
                default -> -1;
            };
        }
    }

    /**
     * Whether the child JVM gets system property {@code key}: every vaelab option candidate (all keys without a dot and
     * {@code vaelab.*}, so that a new option never disappears on the way; the child checks them again), and the
     * logging and native-library settings of slf4j and JavaCPP.
     */
    static boolean forwarded(String key) {
        return Overrides.isCandidate(key) || key.startsWith("org.slf4j.") || key.startsWith("org.bytedeco.");
    }

    /** The classpath this class was loaded with: exec:java's class loader URLs, or java.class.path. */
    private static String classpath() throws URISyntaxException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl instanceof URLClassLoader u && u.getURLs().length > 0) {
            List<String> parts = new ArrayList<>();
            for (URL url : u.getURLs()) parts.add(Path.of(url.toURI()).toString());
            return String.join(File.pathSeparator, parts);
        }
        return System.getProperty("java.class.path");
    }
}
