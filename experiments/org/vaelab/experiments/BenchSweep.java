package org.vaelab.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.vaelab.cpu.CpuAllocation;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.experiment.Launch;
import org.vaelab.metrics.IwNll;
import org.vaelab.process.ChildProcess;

/**
 * The sweep line of {@link Bench}: runs/hour of standard {@value #SWEEP_EPOCHS}-epoch runs of the reference model
 * with the default workers. With several workers each is measured in a JVM of its own ({@link #main}), all at once,
 * each with its share of the processors, so that they compete for cores, caches and memory as a sweep's workers do.
 */
public final class BenchSweep {

    /** Epochs of the standard run whose sweep throughput is reported. */
    static final int SWEEP_EPOCHS = 10;

    private BenchSweep() {
    }

    /**
     * One worker's timings of a standard run.
     *
     * @param cpus             the processors it was given
     * @param secondsPerEpoch  its training time per epoch
     * @param evalSeconds      its evaluation of the trained model, as a report's run is evaluated
     */
    record WorkerTiming(int cpus, double secondsPerEpoch, double evalSeconds) {

        /** Seconds of one standard run: {@value #SWEEP_EPOCHS} epochs and the evaluation. */
        double runSeconds() {
            return SWEEP_EPOCHS * secondsPerEpoch + evalSeconds;
        }
    }

    /**
     * The sweep line: runs/hour of standard {@value #SWEEP_EPOCHS}-epoch runs when the given workers train at once,
     * each finishing a run every {@link WorkerTiming#runSeconds} seconds.
     */
    static String sweepLine(List<WorkerTiming> workers, int trainImages, int testImages) {
        double perHour = workers.stream().mapToDouble(w -> 3600 / w.runSeconds()).sum();
        String each = workers.stream().map(w -> String.format(Locale.ROOT, "%d × %.2f s/epoch + %.1f s evaluation = %.1f s",
                SWEEP_EPOCHS, w.secondsPerEpoch(), w.evalSeconds(), w.runSeconds())).collect(Collectors.joining("; "));
        String who = workers.size() == 1 ? "1 worker with " + workers.get(0).cpus() + " processor(s)"
                : workers.size() + " workers training at once, " + workers.stream().map(w -> Integer.toString(w.cpus()))
                        .distinct().collect(Collectors.joining("/")) + " processor(s) each";
        return String.format(Locale.ROOT, "sweep: %.0f runs/hour (%s, the default -Dworkers; a %d-epoch run on %d training"
                        + " images, evaluated with IW-NLL K=%d on %d test images: %s)",
                perHour, who, SWEEP_EPOCHS, trainImages, IwNll.REPORT_K, testImages, each);
    }

    /**
     * One worker of the measurement, in a JVM of its own: loads the data, trains the reference model two epochs,
     * times the second and then the evaluation of a report's run, and prints {@code probe: S E}.
     *
     * @param args the training images to use (0 = all)
     */
    public static void main(String[] args) throws IOException {
        // A probe must not outlive the bench that started it, even after kill -9 of the bench.
        ChildProcess.exitWithParent("nothing of the bench is written until it finishes");
        ImageDataset train = DataSources.byName("fashion-mnist", Split.TRAIN);
        ImageDataset test = DataSources.byName("fashion-mnist", Split.TEST);
        int limit = Integer.parseInt(args[0]);
        if (limit > 0) train = DataSources.subset(train, limit);
        Bench.Timed t = Bench.trainAndEvaluate(train, test, 2);
        System.out.printf(Locale.ROOT, "probe: %.6f %.6f%n", t.secondsPerEpoch(), t.evalSeconds());
    }

    /**
     * Starts {@code n} probes at once, each with its share of {@code cpus} (one OpenBLAS thread per processor, as the
     * launcher gives a worker), and returns their timings in worker order.
     */
    static List<WorkerTiming> runAll(int n, CpuAllocation cpus, Integer trainLimit, PrintStream out) throws IOException {
        out.printf("sweep: timing %d workers at once (2 epochs and an evaluation each)%n", n);
        List<Process> started = new ArrayList<>();
        List<Integer> shares = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + Launch.DEFAULTS.xmx()));
            for (String key : System.getProperties().stringPropertyNames())
                if (key.startsWith("vaelab.")) cmd.add("-D" + key + "=" + System.getProperty(key));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchSweep.class.getName(),
                    Integer.toString(trainLimit == null ? 0 : trainLimit)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            int share = cpus.share(k, n);
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(share));
            pb.environment().put(CpuAllocation.WORKER_CPUS, Integer.toString(share));
            started.add(ChildProcess.start(pb));
            shares.add(share);
        }
        List<WorkerTiming> timings = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Process p = started.get(k);
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for sweep probe " + (k + 1));
            }
            String line = text.lines().filter(l -> l.startsWith("probe: ")).reduce((a, b) -> b).orElse(null);
            if (code != 0 || line == null)
                throw new IOException("sweep probe " + (k + 1) + " of " + n + " failed (exit " + code + "):\n" + text);
            String[] f = line.substring(7).trim().split(" ");
            timings.add(new WorkerTiming(shares.get(k), Double.parseDouble(f[0]), Double.parseDouble(f[1])));
        }
        return timings;
    }
}
