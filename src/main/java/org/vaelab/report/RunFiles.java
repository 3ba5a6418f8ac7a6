package org.vaelab.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.vaelab.export.ModelExport;
import org.vaelab.metrics.KlTrace;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.Posterior;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;

/**
 * The files of one run under {@code reports/<experiment>/runs/<run-id>/}:
 * <ul>
 *   <li>{@code provenance.json}: config, config SHA-256, seed, git commit, versions, hardware, data checksums, times;</li>
 *   <li>{@code metrics.csv}: final test metrics, one {@code metric,value} row each (keys such as {@code model/elbo}, {@code z3/kl});</li>
 *   <li>{@code steps.csv}: per step: step, epoch, every weight in force, batch Rec, batch KL;</li>
 *   <li>{@code posterior.csv.gz}: one row per test image, columns {@code mu_1..mu_d, logvar_1..logvar_d};</li>
 *   <li>{@code model.npz}: the trained weights as NumPy arrays named by layer ({@link ModelExport});</li>
 *   <li>{@code samples.png}: test images and reconstructions, prior samples, traversals of the most used latents;</li>
 *   <li>{@code kl_per_dim.csv}: the batch KL of every latent dimension every few steps, columns {@code step, z0..z<d−1>}
 *       (0-based like the {@code z<j>/kl} metrics); only if the step log has a {@link KlTrace};</li>
 *   <li>{@code failure.txt}: only for a run that stopped (e.g. diverged), saying why.</li>
 * </ul>
 * A run is written into a hidden temporary folder and renamed into place only when complete, so an interrupted
 * sweep never leaves a half-written run that a later one would take as finished. A run is reused exactly when the
 * folder of its train key holds a complete record ({@link Json#trainKey}); the runner re-evaluates it from its model
 * when its recorded eval key differs.
 */
public final class RunFiles {

    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS = "metrics.csv";
    public static final String STEPS = "steps.csv";
    public static final String POSTERIOR = "posterior.csv.gz";
    public static final String FAILURE = "failure.txt";
    public static final String SAMPLES = "samples.png";
    public static final String MODEL = ModelExport.FILE_NAME;
    public static final String KL_PER_DIM = "kl_per_dim.csv";

    private RunFiles() {
    }

    /** Writes a run without a model file; see {@link #write(Path, RunRecord, Posterior, ModelParameters)}. */
    public static Path write(Path runsDir, RunRecord run, Posterior posterior) throws IOException {
        return write(runsDir, run, posterior, null);
    }

    /**
     * Writes a run atomically to {@code runsDir/<run-id>-<key>/} (its provenance's runId), replacing an older copy.
     *
     * @param posterior the test posterior for {@value #POSTERIOR}, or null (a failed run)
     * @param model     the trained weights for {@value #MODEL}, or null (a failed run)
     */
    public static Path write(Path runsDir, RunRecord run, Posterior posterior, ModelParameters model) throws IOException {
        return write(runsDir, run, posterior, model, Map.of());
    }

    /**
     * As {@link #write(Path, RunRecord, Posterior, ModelParameters)}, plus further files (e.g. {@value #SAMPLES})
     * written inside the same atomic folder.
     */
    public static Path write(Path runsDir, RunRecord run, Posterior posterior, ModelParameters model,
                             Map<String, AtomicFiles.Writer> extras) throws IOException {
        Files.createDirectories(runsDir);
        Path target = runsDir.resolve(run.runId());
        Path tmp = Files.createTempDirectory(runsDir, "." + run.runId() + ".partial-");
        tmp.toFile().setReadable(true, false);
        tmp.toFile().setExecutable(true, false);
        try {
            Files.writeString(tmp.resolve(METRICS), metricsCsv(run.metrics()));
            if (run.steps() != null) Files.writeString(tmp.resolve(STEPS), stepsCsv(run.steps()));
            if (run.steps() != null && !run.steps().klTrace().isEmpty())
                Files.writeString(tmp.resolve(KL_PER_DIM), klTraceCsv(run.steps().klTrace()));
            if (posterior != null) writePosterior(tmp.resolve(POSTERIOR), posterior);
            if (model != null) ModelExport.writeNpz(model, tmp.resolve(MODEL));
            for (var e : extras.entrySet()) {
                try (var out = Files.newOutputStream(tmp.resolve(e.getKey()))) {
                    e.getValue().write(out);
                }
            }
            if (run.failed()) Files.writeString(tmp.resolve(FAILURE), run.failure() + System.lineSeparator());
            Json.MAPPER.writeValue(tmp.resolve(PROVENANCE).toFile(), run.provenance());
            if (Files.exists(target)) {
                Path old = runsDir.resolve("." + run.runId() + ".old-" + System.nanoTime());
                AtomicFiles.move(target, old);
                deleteTree(old);
            }
            AtomicFiles.move(tmp, target);
            return target;
        } finally {
            if (Files.exists(tmp)) deleteTree(tmp);
        }
    }

    /** The folder of a run in the store: its readable id plus the first 10 hex digits of its run key. */
    public static String folderName(RunConfig config, String runKey) {
        return config.runId() + "-" + runKey.substring(0, 10);
    }

    /**
     * Reads back the finished run with this train key ({@link Json#trainKey}: training config, numerics versions and
     * data all equal; its eval key may differ, which the caller checks); empty if there is
     * none, it is incomplete, or it finished without {@value #MODEL} (e.g. a committed run whose model file is not
     * in git): then it must be trained.
     */
    public static Optional<RunRecord> readIfCurrent(Path runsDir, RunConfig config, String runKey) {
        Path dir = runsDir.resolve(folderName(config, runKey));
        return read(dir, config).filter(r -> runKey.equals(r.provenance().runKey()))
                .filter(r -> r.failed() || Files.isRegularFile(dir.resolve(MODEL)));
    }

    /**
     * The most recently finished record of this configuration's run id (any run key), for comparing a re-run with
     * what was committed even after the code changed.
     */
    public static Optional<RunRecord> findLatest(Path runsDir, RunConfig config) {
        if (!Files.isDirectory(runsDir)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(config.runId() + "-"))
                    .map(d -> read(d, config)).flatMap(Optional::stream)
                    .max(Comparator.comparing(r -> r.provenance().endTime()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes run folders that are not in {@code keep} (runs of configurations or code no longer in the plan) and
     * leftovers of interrupted writes. Returns how many were removed.
     */
    public static int prune(Path runsDir, java.util.Set<String> keep) throws IOException {
        if (!Files.isDirectory(runsDir)) return 0;
        int removed = 0;
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                if (keep.contains(d.getFileName().toString())) continue;
                deleteTree(d);
                removed++;
            }
        }
        return removed;
    }

    private static Optional<RunRecord> read(Path dir, RunConfig config) {
        Path prov = dir.resolve(PROVENANCE);
        if (!Files.isRegularFile(prov)) return Optional.empty();
        try {
            Provenance p = Json.MAPPER.readValue(prov.toFile(), Provenance.class);
            String failure = Files.exists(dir.resolve(FAILURE)) ? Files.readString(dir.resolve(FAILURE)).strip() : null;
            Map<MetricId, Double> metrics = readMetrics(dir.resolve(METRICS));
            StepLog steps = Files.exists(dir.resolve(STEPS)) ? readSteps(dir.resolve(STEPS)) : null;
            if (steps != null && Files.exists(dir.resolve(KL_PER_DIM)))
                steps = steps.withKlTrace(readKlTrace(dir.resolve(KL_PER_DIM)));
            return Optional.of(new RunRecord(config, p, metrics, steps, failure));
        } catch (IOException | RuntimeException e) {
            // Unreadable or from an older format: treat as absent, so the run is retrained.
            return Optional.empty();
        }
    }

    static String metricsCsv(Map<MetricId, Double> metrics) {
        StringBuilder sb = new StringBuilder("metric,value\n");
        metrics.forEach((id, v) -> sb.append(id.key()).append(',').append(v).append('\n'));
        return sb.toString();
    }

    static Map<MetricId, Double> readMetrics(Path file) throws IOException {
        Map<MetricId, Double> m = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            int comma = line.lastIndexOf(',');
            m.put(MetricId.parse(line.substring(0, comma)), Double.parseDouble(line.substring(comma + 1)));
        }
        return m;
    }

    static String stepsCsv(StepLog log) {
        StringBuilder sb = new StringBuilder("step,epoch");
        for (String w : log.weights().keySet()) sb.append(',').append(w);
        sb.append(",rec,kl\n");
        long[] step = log.step();
        int[] epoch = log.epoch();
        double[] rec = log.rec();
        double[] kl = log.kl();
        List<double[]> cols = new ArrayList<>(log.weights().values());
        for (int i = 0; i < step.length; i++) {
            sb.append(step[i]).append(',').append(epoch[i]);
            for (double[] c : cols) sb.append(',').append(num(c[i]));
            sb.append(',').append(num(rec[i])).append(',').append(num(kl[i])).append('\n');
        }
        return sb.toString();
    }

    static StepLog readSteps(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        int rows = lines.size() - 1;
        long[] step = new long[rows];
        int[] epoch = new int[rows];
        double[] rec = new double[rows];
        double[] kl = new double[rows];
        int nw = header.length - 4;
        double[][] w = new double[nw][rows];
        for (int i = 0; i < rows; i++) {
            String[] f = lines.get(i + 1).split(",");
            step[i] = Long.parseLong(f[0]);
            epoch[i] = Integer.parseInt(f[1]);
            for (int k = 0; k < nw; k++) w[k][i] = Double.parseDouble(f[2 + k]);
            rec[i] = Double.parseDouble(f[2 + nw]);
            kl[i] = Double.parseDouble(f[3 + nw]);
        }
        Map<String, double[]> weights = new LinkedHashMap<>();
        for (int k = 0; k < nw; k++) weights.put(header[2 + k], w[k]);
        return new StepLog(step, epoch, rec, kl, weights);
    }

    static String klTraceCsv(KlTrace trace) {
        StringBuilder sb = new StringBuilder("step");
        for (int j = 0; j < trace.dims(); j++) sb.append(",z").append(j);
        sb.append('\n');
        long[] steps = trace.steps();
        for (int t = 0; t < steps.length; t++) {
            sb.append(steps[t]);
            for (int j = 0; j < trace.dims(); j++) sb.append(',').append(num(trace.kl(t, j)));
            sb.append('\n');
        }
        return sb.toString();
    }

    static KlTrace readKlTrace(Path file) throws IOException {
        KlTrace.Builder b = new KlTrace.Builder();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            double[] kl = new double[f.length - 1];
            for (int j = 0; j < kl.length; j++) kl[j] = Double.parseDouble(f[j + 1]);
            b.add(Long.parseLong(f[0]), kl);
        }
        return b.build();
    }

    private static void writePosterior(Path file, Posterior q) throws IOException {
        try (var out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
                StandardCharsets.UTF_8))) {
            StringBuilder sb = new StringBuilder();
            for (int j = 1; j <= q.d(); j++) sb.append(j > 1 ? "," : "").append("mu_").append(j);
            for (int j = 1; j <= q.d(); j++) sb.append(",logvar_").append(j);
            out.write(sb.append('\n').toString());
            for (int i = 0; i < q.n(); i++) {
                sb.setLength(0);
                for (int j = 0; j < q.d(); j++) sb.append(j > 0 ? "," : "").append(num(q.mu(i, j)));
                for (int j = 0; j < q.d(); j++) sb.append(',').append(num(q.logvar(i, j)));
                out.write(sb.append('\n').toString());
            }
        }
    }

    /** Seven significant digits: plenty for float32 training values, and half the size of full doubles. */
    private static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        return String.format(Locale.ROOT, "%.7g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
