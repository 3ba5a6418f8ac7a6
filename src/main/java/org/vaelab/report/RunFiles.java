package org.vaelab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.vaelab.export.ModelExport;
import org.vaelab.export.Npz;
import org.vaelab.metrics.KlTrace;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.MetricSet;
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
 *   <li>{@code curve.csv}: the test IW-NLL and ELBO at the end of some epochs ({@link org.vaelab.train.TestCurve});
 *       only for a run whose config asks for one ({@code curveEvery} &gt; 0);</li>
 *   <li>{@code failure.txt}: only for a run that stopped (e.g. diverged), saying why: for a divergence the step and
 *       the values;</li>
 *   <li>{@code manifest.sha256}: written last, the SHA-256 of every other file, as {@code sha256sum} writes it.</li>
 * </ul>
 * A run is written into a hidden temporary folder and renamed into place only when complete, so an interrupted
 * sweep never leaves a half-written run that a later one would take as finished. The store is content-addressed:
 * a run is reused exactly when the folder of its train key ({@link Json#trainKey}) holds a run that finished and
 * passes {@link #check}; the runner re-evaluates it from its model when its recorded eval key differs. Files
 * are 0644 and folders 0755 where the file system is POSIX; every IOException names the path and the operation.
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
    public static final String CURVE = "curve.csv";
    public static final String MANIFEST = "manifest.sha256";
    /** The folder under {@code runs/} that {@link #quarantine} moves damaged runs into. */
    public static final String DAMAGED = ".damaged";

    /**
     * Files kept out of git for their size (see .gitignore): a run without them can still be reported, but its
     * model not re-evaluated.
     */
    public static final Set<String> LOCAL = Set.of(MODEL, POSTERIOR);

    /**
     * The model-level metrics the report reads from every finished run (the results table, the rate–distortion
     * plane, the MI batch size); a finished run lacking one is damaged. The evaluator writes them all: they are the
     * ids of the standard metrics marked {@link org.vaelab.metrics.VaeMetric#reported() reported}.
     */
    public static final List<MetricId> REPORTED_METRICS = MetricSet.standard().reportedIds();

    /** Every file name a run may have; one of these present but not in the manifest was added afterwards. */
    static final List<String> RUN_FILES = List.of(PROVENANCE, METRICS, STEPS, POSTERIOR, FAILURE, SAMPLES,
            MODEL, KL_PER_DIM, CURVE);
    /** A line of {@code sha256sum}'s output: text mode (two spaces) or binary mode (space, asterisk). */
    /** UTC, without colons (not allowed in Windows file names). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

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
     *
     * <p>The files go into a hidden temporary folder; {@value #MANIFEST} is written last, then the folder is checked
     * as {@link #check} would check it later, and only then renamed into place. An older folder of the same run is
     * deleted if it is intact (a retrained or failed run) and moved aside with {@link #quarantine} if it is not, so
     * that nothing unverifiable is destroyed.
     *
     * @throws IllegalArgumentException if the record would not pass {@link #check} (e.g. a finished run without
     *                                  {@value #SAMPLES} or without a metric the report reads); nothing is written
     * @throws IOException              naming the file and the operation that failed
     */
    public static Path write(Path runsDir, RunRecord run, Posterior posterior, ModelParameters model,
                             Map<String, AtomicFiles.Writer> extras) throws IOException {
        AtomicFiles.createFolders(runsDir);
        Path target = runsDir.resolve(run.runId());
        Path tmp;
        try {
            tmp = Files.createTempDirectory(runsDir, "." + run.runId() + ".partial-");
        } catch (IOException e) {
            throw FileErrors.explain("create a temporary folder in", runsDir, e);
        }
        try {
            FileErrors.run("set the permissions of", tmp, () -> AtomicFiles.setMode(tmp, AtomicFiles.FOLDER_MODE));
            put(tmp, METRICS, text(RunCsv.metricsCsv(run.metrics())));
            if (run.steps() != null) put(tmp, STEPS, text(RunCsv.stepsCsv(run.steps())));
            if (run.steps() != null && !run.steps().klTrace().isEmpty())
                put(tmp, KL_PER_DIM, text(RunCsv.klTraceCsv(run.steps().klTrace())));
            if (run.steps() != null && !run.steps().curve().isEmpty())
                put(tmp, CURVE, text(RunCsv.curveCsv(run.steps().curve())));
            if (posterior != null) put(tmp, POSTERIOR, out -> RunCsv.writePosterior(out, posterior));
            if (model != null) put(tmp, MODEL, out -> Npz.write(ModelExport.arrays(model), out));
            for (var e : extras.entrySet()) put(tmp, e.getKey(), e.getValue());
            if (run.failed()) put(tmp, FAILURE, text(run.failure() + "\n"));
            put(tmp, PROVENANCE, out -> out.write(Json.MAPPER.writeValueAsBytes(run.provenance())));
            RunManifest.write(tmp);
            if (RunInspection.of(tmp, run.runId(), run.config()) instanceof RunCheck.Damaged d)
                throw new IllegalArgumentException("run " + run.runId() + " not stored, it would not pass its check: "
                        + String.join("; ", d.problems()));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (RunInspection.of(target, run.runId(), run.config()) instanceof RunCheck.Damaged) {
                    quarantine(target);
                } else {
                    Path old = runsDir.resolve("." + run.runId() + ".old-" + System.nanoTime());
                    AtomicFiles.move(target, old);
                    deleteTree(old);
                }
            }
            AtomicFiles.move(tmp, target);
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                if (Files.exists(tmp)) deleteTree(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Copies a finished run folder into another store ({@code toRunsDir}) under the same name, atomically (a hidden
     * temporary folder renamed into place), so that a variant whose training equals the canonical plan's can be
     * evaluated its own way without retraining and without touching the canonical run.
     *
     * @return the new folder
     */
    public static Path copyRun(Path runDir, Path toRunsDir) throws IOException {
        String name = runDir.getFileName().toString();
        AtomicFiles.createFolders(toRunsDir);
        Path tmp;
        try {
            tmp = Files.createTempDirectory(toRunsDir, "." + name + ".partial-");
        } catch (IOException e) {
            throw FileErrors.explain("create a temporary folder in", toRunsDir, e);
        }
        try {
            FileErrors.run("set the permissions of", tmp, () -> AtomicFiles.setMode(tmp, AtomicFiles.FOLDER_MODE));
            try (Stream<Path> files = Files.list(runDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList())
                    FileErrors.run("copy " + f + " to", tmp, () -> Files.copy(f, tmp.resolve(f.getFileName())));
            }
            Path target = toRunsDir.resolve(name);
            FileErrors.run("move " + tmp + " to", target, () -> AtomicFiles.move(tmp, target));
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
     * Checks a run folder against its manifest and reads it back. Never throws for a bad run: whatever is wrong
     * becomes one line of {@link RunCheck.Damaged}. Damaged are: a folder without {@value #MANIFEST} (written by a
     * vaelab from before manifests); a listed file that is missing or whose SHA-256 differs; a file of the run that
     * is not listed; a required file that is neither (for a finished run {@value #PROVENANCE}, {@value #METRICS},
     * {@value #STEPS}, {@value #SAMPLES}, and {@value #KL_PER_DIM} when it has steps, since training traces the KL
     * from its first step, and {@value #CURVE} when its config asks for a test curve; for a failed one {@value #PROVENANCE}, {@value #METRICS}, {@value #FAILURE}); a finished
     * run without one of {@link #REPORTED_METRICS} or the KL of a latent dimension; a file that does not parse; a
     * provenance naming another folder. The local files {@value #MODEL} and {@value #POSTERIOR} (not committed to
     * git) may be absent, but must match the manifest if present.
     *
     * @param runDir the run's folder, e.g. {@code runs/beta-1-seed1-0123456789}
     * @param config the configuration to attach to the record (the folder name already encodes its key)
     */
    public static RunCheck check(Path runDir, RunConfig config) {
        Path name = runDir.getFileName();
        return RunInspection.of(runDir, name == null ? "" : name.toString(), config);
    }

    /**
     * Moves a run folder aside to {@code <runsDir>/.damaged/<folder>-<UTC time>/}, so that the run can be trained
     * again without destroying what the user had. Never deletes anything.
     *
     * @return the folder's new path
     * @throws IOException naming the folders if the move fails
     */
    public static Path quarantine(Path runDir) throws IOException {
        Path dir = runDir.toAbsolutePath();
        Path aside = dir.resolveSibling(DAMAGED);
        AtomicFiles.createFolders(aside);
        String stamp = STAMP.format(Instant.now());
        Path to = aside.resolve(dir.getFileName() + "-" + stamp);
        // Two quarantines of one run within a second (a retrain that is damaged again): number the later ones.
        for (int i = 2; Files.exists(to, LinkOption.NOFOLLOW_LINKS); i++)
            to = aside.resolve(dir.getFileName() + "-" + stamp + "-" + i);
        // A plain rename: a folder moved within one file system, no need for the replace of AtomicFiles.move.
        Path target = to;
        FileErrors.run("move " + dir + " to", target, () -> Files.move(dir, target));
        return target;
    }

    /**
     * Reads back the finished run with this run key (config, code version and data all equal) if it is
     * {@link RunCheck.Complete}, whether or not its local {@value #MODEL} is there; empty if there is none, it
     * failed (a failed run is trained again) or it is damaged.
     */
    public static Optional<RunRecord> readIfCurrent(Path runsDir, RunConfig config, String runKey) {
        return current(check(runsDir.resolve(folderName(config, runKey)), config), runKey);
    }

    /** The record of a check that found a finished, intact run with this train key; empty otherwise. */
    public static Optional<RunRecord> current(RunCheck check, String runKey) {
        return check instanceof RunCheck.Complete c && runKey.equals(c.record().provenance().runKey())
                ? Optional.of(c.record()) : Optional.empty();
    }

    /**
     * The most recently finished record of this configuration's run id (any run key), complete or failed but never
     * damaged, for comparing a re-run with what was committed even after the code changed.
     */
    public static Optional<RunRecord> findLatest(Path runsDir, RunConfig config) {
        if (!Files.isDirectory(runsDir)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(config.runId() + "-"))
                    .map(d -> check(d, config)).flatMap(RunFiles::intact)
                    .max(Comparator.comparing(r -> r.provenance().endTime()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The record of a run that passed its check, finished or failed. */
    private static Stream<RunRecord> intact(RunCheck check) {
        if (check instanceof RunCheck.Complete c) return Stream.of(c.record());
        if (check instanceof RunCheck.Failed f) return Stream.of(f.record());
        return Stream.empty();
    }

    /**
     * Run folders under {@code runsDir} that are not in {@code keep} (runs of configurations or code versions no
     * longer in the plan), and hidden leftovers of interrupted writes; sorted by name.
     */
    public static List<Path> notInPlan(Path runsDir, java.util.Set<String> keep) throws IOException {
        if (!Files.isDirectory(runsDir)) return List.of();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            return dirs.filter(Files::isDirectory).filter(d -> {
                String name = d.getFileName().toString();
                // .locks holds the claims of live processes, .damaged what a user may still want to look at.
                return !keep.contains(name) && !name.equals(".locks") && !name.equals(DAMAGED);
            }).sorted().toList();
        }
    }

    /**
     * Deletes what {@link #notInPlan} lists, except folders another process is writing right now (it holds their
     * run's {@link StoreLock}). Only called when the user asks for it ({@code -Dprune=true}).
     *
     * @return the folders removed
     */
    public static List<Path> prune(Path runsDir, java.util.Set<String> keep) throws IOException {
        List<Path> removed = new ArrayList<>();
        for (Path d : notInPlan(runsDir, keep)) {
            String name = d.getFileName().toString();
            // A partial folder is ".<folder>.partial-<n>": its claim is the run folder's.
            String claim = name.startsWith(".") && name.contains(".partial-")
                    ? name.substring(1, name.indexOf(".partial-")) : name;
            Optional<StoreLock> lock = StoreLock.tryAcquire(runsDir, claim);
            if (lock.isEmpty()) continue;
            try (StoreLock held = lock.get()) {
                deleteTree(d);
                removed.add(d);
            }
        }
        return removed;
    }

    /** Writes one file into the (still hidden) run folder. */
    private static void put(Path dir, String name, AtomicFiles.Writer writer) throws IOException {
        Path file = dir.resolve(name);
        FileErrors.run("write", file, () -> AtomicFiles.writeSynced(file, writer));
    }

    private static AtomicFiles.Writer text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    static void deleteTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw FileErrors.explain("list", dir, e);
        }
        for (Path p : paths) FileErrors.run("delete", p, () -> Files.deleteIfExists(p));
    }
}
