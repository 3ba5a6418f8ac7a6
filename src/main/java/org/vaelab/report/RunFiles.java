package org.vaelab.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
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
import org.vaelab.loss.TraceKey;

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
    private static final List<String> RUN_FILES = List.of(PROVENANCE, METRICS, STEPS, POSTERIOR, FAILURE, SAMPLES,
            MODEL, KL_PER_DIM);
    /** A line of {@code sha256sum}'s output: text mode (two spaces) or binary mode (space, asterisk). */
    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");
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
            put(tmp, METRICS, text(metricsCsv(run.metrics())));
            if (run.steps() != null) put(tmp, STEPS, text(stepsCsv(run.steps())));
            if (run.steps() != null && !run.steps().klTrace().isEmpty())
                put(tmp, KL_PER_DIM, text(klTraceCsv(run.steps().klTrace())));
            if (posterior != null) put(tmp, POSTERIOR, out -> writePosterior(out, posterior));
            if (model != null) put(tmp, MODEL, out -> Npz.write(ModelExport.arrays(model), out));
            for (var e : extras.entrySet()) put(tmp, e.getKey(), e.getValue());
            if (run.failed()) put(tmp, FAILURE, text(run.failure() + "\n"));
            put(tmp, PROVENANCE, out -> out.write(Json.MAPPER.writeValueAsBytes(run.provenance())));
            writeManifest(tmp);
            if (inspect(tmp, run.runId(), run.config()) instanceof RunCheck.Damaged d)
                throw new IllegalArgumentException("run " + run.runId() + " not stored, it would not pass its check: "
                        + String.join("; ", d.problems()));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (inspect(target, run.runId(), run.config()) instanceof RunCheck.Damaged) {
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
     * from its first step; for a failed one {@value #PROVENANCE}, {@value #METRICS}, {@value #FAILURE}); a finished
     * run without one of {@link #REPORTED_METRICS} or the KL of a latent dimension; a file that does not parse; a
     * provenance naming another folder. The local files {@value #MODEL} and {@value #POSTERIOR} (not committed to
     * git) may be absent, but must match the manifest if present.
     *
     * @param runDir the run's folder, e.g. {@code runs/beta-1-seed1-0123456789}
     * @param config the configuration to attach to the record (the folder name already encodes its key)
     */
    public static RunCheck check(Path runDir, RunConfig config) {
        Path name = runDir.getFileName();
        return inspect(runDir, name == null ? "" : name.toString(), config);
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
        Path dir = runsDir.resolve(folderName(config, runKey));
        return check(dir, config) instanceof RunCheck.Complete c && runKey.equals(c.record().provenance().runKey())
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

    private static RunCheck inspect(Path dir, String expectedName, RunConfig config) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return new RunCheck.Absent();
        if (!Files.isDirectory(dir)) return new RunCheck.Damaged(List.of(dir.getFileName() + " is not a folder"));
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile))
            return new RunCheck.Damaged(List.of("no " + MANIFEST + " (written by an older vaelab)"));
        List<String> problems = new ArrayList<>();
        Map<String, String> listed = readManifest(manifestFile, problems);
        for (var e : listed.entrySet()) {
            String file = e.getKey();
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                if (!LOCAL.contains(file)) problems.add(file + " is listed in " + MANIFEST + " but missing");
                continue;
            }
            try {
                String actual = sha256(p);
                if (!actual.equals(e.getValue()))
                    problems.add(file + " was modified since the run finished (SHA-256 " + actual.substring(0, 12)
                            + "… instead of " + e.getValue().substring(0, 12) + "…)");
            } catch (IOException ex) {
                problems.add(file + " cannot be read: " + FileErrors.explain("read", p, ex).getMessage());
            }
        }
        for (String file : RUN_FILES)
            if (!listed.containsKey(file) && Files.exists(dir.resolve(file), LinkOption.NOFOLLOW_LINKS))
                problems.add(file + " is not listed in " + MANIFEST + " (added after the run finished?)");
        boolean failed = listed.containsKey(FAILURE);
        for (String file : failed ? List.of(PROVENANCE, METRICS, FAILURE) : List.of(PROVENANCE, METRICS, STEPS, SAMPLES))
            if (!listed.containsKey(file) && !Files.exists(dir.resolve(file), LinkOption.NOFOLLOW_LINKS))
                problems.add(file + " is missing: every " + (failed ? "failed" : "finished") + " run has one");

        Provenance provenance = parse(dir, PROVENANCE, problems,
                f -> Json.MAPPER.readValue(f.toFile(), Provenance.class));
        if (provenance != null && !expectedName.equals(provenance.runId()))
            problems.add(PROVENANCE + " is the record of run " + provenance.runId() + ", not of " + expectedName);
        if (provenance != null && provenance.endTime() == null) problems.add(PROVENANCE + " has no endTime");
        Map<MetricId, Double> metrics = parse(dir, METRICS, problems, RunFiles::readMetrics);
        if (metrics != null && !failed) {
            List<String> lacking = new ArrayList<>();
            for (MetricId id : REPORTED_METRICS) if (!metrics.containsKey(id)) lacking.add(id.key());
            for (int j = 0; j < config.model().latentDim(); j++)
                if (!metrics.containsKey(MetricId.klOfDim(j))) lacking.add(MetricId.klOfDim(j).key());
            if (!lacking.isEmpty())
                problems.add(METRICS + " lacks " + String.join(", ", lacking) + ", which the report reads");
        }
        StepLog steps = parse(dir, STEPS, problems, RunFiles::readSteps);
        KlTrace trace = parse(dir, KL_PER_DIM, problems, RunFiles::readKlTrace);
        if (!failed && steps != null && steps.size() > 0 && !listed.containsKey(KL_PER_DIM)
                && !Files.exists(dir.resolve(KL_PER_DIM), LinkOption.NOFOLLOW_LINKS))
            problems.add(KL_PER_DIM + " is missing: training traces the KL of every dimension from its first step");
        String failure = parse(dir, FAILURE, problems, f -> Files.readString(f).strip());
        if (failure != null && failure.isEmpty()) problems.add(FAILURE + " is empty: it should say why the run stopped");

        if (!problems.isEmpty()) return new RunCheck.Damaged(problems);
        if (steps != null && trace != null) steps = steps.withKlTrace(trace);
        RunRecord record = new RunRecord(config, provenance, metrics, steps, failure);
        return failed ? new RunCheck.Failed(record)
                : new RunCheck.Complete(record, Files.isRegularFile(dir.resolve(MODEL)),
                Files.isRegularFile(dir.resolve(POSTERIOR)));
    }

    /** Reads one file of a run with {@code reader}, or records why it cannot be read; null if absent or unreadable. */
    private static <T> T parse(Path dir, String file, List<String> problems, Reader<T> reader) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) return null;
        try {
            return reader.read(p);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            problems.add(file + " cannot be read: " + why);
            return null;
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(Path file) throws IOException;
    }

    /**
     * Writes {@value #MANIFEST}: the SHA-256 of every file of the run folder, in the format of {@code sha256sum}
     * ({@code <hex>  <name>}, sorted by name), so that {@code sha256sum -c manifest.sha256} checks the run without
     * vaelab. Also makes every file readable by all, as the folder is.
     */
    private static void writeManifest(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw FileErrors.explain("list", dir, e);
        }
        for (Path f : files) {
            FileErrors.run("set the permissions of", f, () -> AtomicFiles.setMode(f, AtomicFiles.FILE_MODE));
            try {
                sb.append(sha256(f)).append("  ").append(f.getFileName()).append('\n');
            } catch (IOException e) {
                throw FileErrors.explain("read", f, e);
            }
        }
        put(dir, MANIFEST, text(sb.toString()));
    }

    /** The manifest's entries by file name; malformed lines become problems. */
    private static Map<String, String> readManifest(Path file, List<String> problems) {
        Map<String, String> listed = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(MANIFEST + " cannot be read: " + FileErrors.explain("read", file, e).getMessage());
            return listed;
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MANIFEST_LINE.matcher(lines.get(i));
            if (!m.matches()) {
                problems.add(MANIFEST + " line " + (i + 1) + " is not '<SHA-256>  <file>': '" + lines.get(i) + "'");
            } else if (m.group(2).contains("/") || m.group(2).contains("\\") || m.group(2).startsWith(".")) {
                problems.add(MANIFEST + " line " + (i + 1) + " names " + m.group(2) + ", which is not a file of a run");
            } else if (listed.put(m.group(2), m.group(1)) != null) {
                problems.add(MANIFEST + " lists " + m.group(2) + " twice");
            }
        }
        if (lines.isEmpty()) problems.add(MANIFEST + " is empty");
        return listed;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Writes one file into the (still hidden) run folder. */
    private static void put(Path dir, String name, AtomicFiles.Writer writer) throws IOException {
        Path file = dir.resolve(name);
        FileErrors.run("write", file, () -> AtomicFiles.writeSynced(file, writer));
    }

    private static AtomicFiles.Writer text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    static String metricsCsv(Map<MetricId, Double> metrics) {
        StringBuilder sb = new StringBuilder("metric,value\n");
        metrics.forEach((id, v) -> sb.append(id.key()).append(',').append(v).append('\n'));
        return sb.toString();
    }

    /** Reads {@value #METRICS}; a malformed or truncated line is an IOException naming the line. */
    static Map<MetricId, Double> readMetrics(Path file) throws IOException {
        Map<MetricId, Double> m = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals("metric,value"))
            throw new IOException("line 1 is not the header 'metric,value'");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int comma = line.lastIndexOf(',');
            try {
                if (comma < 0) throw new IllegalArgumentException("no comma");
                MetricId id = MetricId.parse(line.substring(0, comma));
                if (m.put(id, Double.parseDouble(line.substring(comma + 1))) != null)
                    throw new IllegalArgumentException(id.key() + " appears twice");
            } catch (IllegalArgumentException e) {
                throw malformed(i, "metric,value", line, e);
            }
        }
        return m;
    }

    /** The error for a line that does not parse, numbered from 1 as editors do. */
    private static IOException malformed(int index, String expected, String line, RuntimeException e) {
        String shown = line.length() > 60 ? line.substring(0, 60) + "…" : line;
        return new IOException("line " + (index + 1) + " is not '" + expected + "' (" + e.getMessage() + "): '" + shown
                + "'", e);
    }

    static String stepsCsv(StepLog log) {
        StringBuilder sb = new StringBuilder("step,epoch");
        for (TraceKey w : log.weights().keySet()) sb.append(',').append(w.key());
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

    /** Reads {@value #STEPS}; a malformed or truncated line is an IOException naming the line. */
    static StepLog readSteps(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.isEmpty() ? new String[0] : lines.get(0).split(",");
        int nw = header.length - 4;
        if (nw < 0 || !header[0].equals("step") || !header[1].equals("epoch") || !header[nw + 2].equals("rec")
                || !header[nw + 3].equals("kl"))
            throw new IOException("line 1 is not a header 'step,epoch,<weights…>,rec,kl'");
        int rows = lines.size() - 1;
        long[] step = new long[rows];
        int[] epoch = new int[rows];
        double[] rec = new double[rows];
        double[] kl = new double[rows];
        double[][] w = new double[nw][rows];
        for (int i = 0; i < rows; i++) {
            String line = lines.get(i + 1);
            try {
                String[] f = line.split(",", -1);
                if (f.length != header.length)
                    throw new IllegalArgumentException(f.length + " fields instead of " + header.length);
                step[i] = Long.parseLong(f[0]);
                epoch[i] = Integer.parseInt(f[1]);
                for (int k = 0; k < nw; k++) w[k][i] = Double.parseDouble(f[2 + k]);
                rec[i] = Double.parseDouble(f[2 + nw]);
                kl[i] = Double.parseDouble(f[3 + nw]);
            } catch (IllegalArgumentException e) {
                throw malformed(i + 1, lines.get(0), line, e);
            }
        }
        Map<TraceKey, double[]> weights = new LinkedHashMap<>();
        for (int k = 0; k < nw; k++) weights.put(TraceKey.of(header[2 + k]), w[k]);
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

    /** Reads {@value #KL_PER_DIM}; a malformed or truncated line is an IOException naming the line. */
    static KlTrace readKlTrace(Path file) throws IOException {
        KlTrace.Builder b = new KlTrace.Builder();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("step"))
            throw new IOException("line 1 is not a header 'step,z0,z1,…'");
        int fields = lines.get(0).split(",").length;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                String[] f = line.split(",", -1);
                if (f.length != fields) throw new IllegalArgumentException(f.length + " fields instead of " + fields);
                double[] kl = new double[f.length - 1];
                for (int j = 0; j < kl.length; j++) kl[j] = Double.parseDouble(f[j + 1]);
                b.add(Long.parseLong(f[0]), kl);
            } catch (IllegalArgumentException e) {
                throw malformed(i, lines.get(0), line, e);
            }
        }
        return b.build();
    }

    private static void writePosterior(OutputStream file, Posterior q) throws IOException {
        try (var out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(file), StandardCharsets.UTF_8))) {
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

    /** Deletes a folder and everything in it; the error names the file that could not be deleted. */
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
