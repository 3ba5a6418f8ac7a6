package org.vaelab.report;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Binarization;
import org.vaelab.metrics.MetricId;
import org.vaelab.export.ModelExport;
import org.vaelab.model.Activation;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.DataConfig;
import org.vaelab.train.DivergenceException;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.ConstantBeta;

class RunFilesTest {

    private static RunConfig config(int epochs) {
        return new RunConfig("test", "β=2", "β sweep", new DataConfig("mnist-digits", Binarization.DYNAMIC, 0, 0),
                VaeArchitecture.bernoulli(4, List.of(3), 2, Activation.RELU), new ConstantBeta(2),
                new TrainConfig(epochs, 2, 1e-3), 7);
    }

    private static String key(RunConfig c) {
        return Json.trainKey(c, "data");
    }

    private static Provenance provenance(RunConfig c) {
        return new Provenance(RunFiles.folderName(c, key(c)), Json.configTree(c), Json.configSha256(c), key(c),
                "code", c.seed(), "abc", false,
                Map.of("java", "17"), Map.of("cores", "2"), Map.of("train", "ff"), "2026-01-01T00:00:00Z",
                "2026-01-01T00:01:00Z", 1.5, 0.5, null,
                Json.evalKey(c, key(c), "data"), NumericsVersion.all());
    }

    /** A finished run as the evaluator leaves it: every reported metric, the KL of both latents, a KL trace. */
    private static RunRecord record(RunConfig c) {
        StepLog.Builder b = new StepLog.Builder();
        b.add(0, 0, 3.5, 0.25, Map.of(TraceKey.BETA, 2.0));
        b.klPerDim(0, new double[] {0.125, 0.125});
        b.add(1, 0, 3.25, 0.5, Map.of(TraceKey.BETA, 2.0));
        b.klPerDim(1, new double[] {0.375, 0.125});
        Map<MetricId, Double> m = SyntheticRuns.reportedMetrics(-3.75, 3.25);
        return new RunRecord(c, provenance(c), m, b.build(), null);
    }

    private static RunRecord failed(RunConfig c, String why) {
        return new RunRecord(c, provenance(c), Map.of(), null, why);
    }

    /** Stands in for the PNG of samples; the store does not decode it. */
    private static final byte[] SAMPLES = "\u0089PNG samples".getBytes(StandardCharsets.ISO_8859_1);

    /** Writes a run as the runner does: with samples, a posterior and a model. */
    private static Path store(Path dir, RunRecord r) throws IOException {
        Posterior q = new Posterior(2, 2, new double[] {0.5, -1, 2, 0}, new double[] {-0.5, 0, 0.25, -2});
        return RunFiles.write(dir, r, q, model(r.config(), 0.5f), Map.of(RunFiles.SAMPLES, out -> out.write(SAMPLES)));
    }

    /** Weights of {@link #config}'s 4-3-2 model, every one equal to {@code v}. */
    private static ModelParameters model(RunConfig c, float v) {
        return new ModelParameters(c.model(), List.of(dense(4, 3, v), dense(3, 4, v)), List.of(dense(2, 3, v), dense(3, 4, v)));
    }

    private static ModelParameters.Dense dense(int in, int out, float v) {
        float[] w = new float[in * out], b = new float[out];
        java.util.Arrays.fill(w, v);
        java.util.Arrays.fill(b, v);
        return new ModelParameters.Dense(in, out, w, b);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    /** Rewrites a file and its manifest line, as a writer without the checks of this version could have. */
    private static void replaceListed(Path run, String file, String content) throws Exception {
        Path f = run.resolve(file);
        String before = sha256(f);
        Files.writeString(f, content);
        Path manifest = run.resolve(RunFiles.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace(before, sha256(f)));
    }

    private static List<String> problems(Path run, RunConfig c) {
        return assertInstanceOf(RunCheck.Damaged.class, RunFiles.check(run, c)).problems();
    }

    private static boolean anyContains(List<String> problems, String text) {
        return problems.stream().anyMatch(p -> p.contains(text));
    }

    @Test
    void writesEveryFileAndReadsTheRunBack(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        assertEquals(dir.resolve("beta-2-seed7-" + key(c).substring(0, 10)), run);
        for (String f : List.of(RunFiles.PROVENANCE, RunFiles.METRICS, RunFiles.STEPS, RunFiles.POSTERIOR, RunFiles.MODEL,
                RunFiles.SAMPLES, RunFiles.KL_PER_DIM, RunFiles.MANIFEST))
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        assertEquals("step,epoch,beta,rec,kl", Files.readAllLines(run.resolve(RunFiles.STEPS)).get(0));
        try (var in = new GZIPInputStream(Files.newInputStream(run.resolve(RunFiles.POSTERIOR)))) {
            List<String> lines = new String(in.readAllBytes()).lines().toList();
            assertEquals(List.of("mu_1,mu_2,logvar_1,logvar_2", "0.5,-1,-0.5,0", "2,0,0.25,-2"), lines);
        }
        var complete = assertInstanceOf(RunCheck.Complete.class, RunFiles.check(run, c));
        assertTrue(complete.hasModel() && complete.hasPosterior());
        RunRecord back = RunFiles.readIfCurrent(dir, c, key(c)).orElseThrow();
        assertEquals(record(c).metrics(), back.metrics());
        assertArrayEquals(new double[] {3.5, 3.25}, back.steps().rec());
        assertArrayEquals(new double[] {2, 2}, back.steps().weight(TraceKey.BETA));
        assertEquals(record(c).steps().klTrace(), back.steps().klTrace());
        assertEquals(1.5, back.provenance().trainSeconds());
        // No temporary folders are left behind.
        try (var s = Files.list(dir)) {
            assertEquals(List.of(run), s.toList());
        }
    }

    @Test
    void filesAreReadableByAllAndTheFolderTraversable(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path run = store(dir.resolve("runs"), record(config(3)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("runs"))));
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.toList())
                assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }

    /** The manifest lists every other file, sorted, with its SHA-256, in the format sha256sum checks. */
    @Test
    void manifestCoversEveryFileInSha256sumFormat(@TempDir Path dir) throws Exception {
        Path run = store(dir, record(config(3)));
        List<String> lines = Files.readAllLines(run.resolve(RunFiles.MANIFEST));
        List<String> files;
        try (Stream<Path> s = Files.list(run)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunFiles.MANIFEST)).sorted().toList();
        }
        assertEquals(7, files.size(), files.toString());
        assertEquals(files.size(), lines.size());
        for (int i = 0; i < files.size(); i++)
            assertEquals(sha256(run.resolve(files.get(i))) + "  " + files.get(i), lines.get(i));

        Path sha256sum = Path.of("/usr/bin/sha256sum");
        assumeTrue(Files.isExecutable(sha256sum), "sha256sum installed");
        Process p = new ProcessBuilder(sha256sum.toString(), "-c", "--quiet", RunFiles.MANIFEST).directory(run.toFile())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

    @Test
    void anEditedMetricIsCaughtAndNotReused(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        Path metrics = run.resolve(RunFiles.METRICS);
        Files.writeString(metrics, Files.readString(metrics).replace("model/elbo,-3.75", "model/elbo,-1.0"));
        List<String> problems = problems(run, c);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("metrics.csv was modified since the run finished (SHA-256 "), problems.get(0));
        assertFalse(RunFiles.readIfCurrent(dir, c, key(c)).isPresent());
        assertFalse(RunFiles.findLatest(dir, c).isPresent(), "verification never compares with a damaged record");
    }

    @Test
    void aRunMissingAFileIsDamaged(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        for (String file : List.of(RunFiles.STEPS, RunFiles.KL_PER_DIM, RunFiles.SAMPLES, RunFiles.PROVENANCE,
                RunFiles.METRICS)) {
            Path run = store(dir, record(c));
            Files.delete(run.resolve(file));
            assertEquals(List.of(file + " is listed in manifest.sha256 but missing"), problems(run, c), file);
            assertFalse(RunFiles.readIfCurrent(dir, c, key(c)).isPresent(), file);
            RunFiles.quarantine(run);
        }
    }

    /** A finished run must have its samples and KL trace even if the manifest does not list them. */
    @Test
    void aRequiredFileMissingFromTheManifestIsDamaged(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        Path manifest = run.resolve(RunFiles.MANIFEST);
        Files.write(manifest, Files.readAllLines(manifest).stream()
                .filter(l -> !l.endsWith(RunFiles.SAMPLES) && !l.endsWith(RunFiles.KL_PER_DIM)).toList());
        Files.delete(run.resolve(RunFiles.SAMPLES));
        Files.delete(run.resolve(RunFiles.KL_PER_DIM));
        List<String> problems = problems(run, c);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(anyContains(problems, "samples.png is missing"), problems.toString());
        assertTrue(anyContains(problems, "kl_per_dim.csv is missing"), problems.toString());
    }

    @Test
    void aFileAddedAfterTheRunFinishedIsDamaged(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        Files.writeString(run.resolve(RunFiles.FAILURE), "diverged\n");
        assertEquals(List.of("failure.txt is not listed in manifest.sha256 (added after the run finished?)"),
                problems(run, c));
    }

    @Test
    void aRunWithoutManifestCountsAsDamaged(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        Files.delete(run.resolve(RunFiles.MANIFEST));
        assertEquals(List.of("no manifest.sha256 (written by an older vaelab)"), problems(run, c));
        assertFalse(RunFiles.readIfCurrent(dir, c, key(c)).isPresent());
    }

    /** A metrics.csv written without a metric the report reads (it used to end in a NullPointerException). */
    @Test
    void aMetricTheReportReadsMustBeThere(@TempDir Path dir) throws Exception {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        String metrics = Files.readString(run.resolve(RunFiles.METRICS));
        replaceListed(run, RunFiles.METRICS, metrics.replace("model/active_units,1.0\n", "").replace("z1/kl,0.125\n", ""));
        assertEquals(List.of("metrics.csv lacks model/active_units, z1/kl, which the report reads"), problems(run, c));

        // And the store refuses to write such a run at all, rather than leaving it to be found damaged later.
        RunRecord full = record(c);
        Map<MetricId, Double> m = new LinkedHashMap<>(full.metrics());
        m.remove(MetricId.ACTIVE_UNITS);
        Path other = dir.resolve("other");
        var e = assertThrows(IllegalArgumentException.class, () ->
                store(other, new RunRecord(c, full.provenance(), m, full.steps(), null)));
        assertTrue(e.getMessage().contains("model/active_units"), e.getMessage());
        try (Stream<Path> s = Files.list(other)) {
            assertEquals(0, s.count(), "nothing is left behind");
        }
        e = assertThrows(IllegalArgumentException.class, () -> RunFiles.write(other, full, null));
        assertTrue(e.getMessage().contains("samples.png is missing"), e.getMessage());
    }

    @Test
    void aTruncatedCsvIsDamagedWithItsLine(@TempDir Path dir) throws Exception {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        String steps = Files.readString(run.resolve(RunFiles.STEPS));
        replaceListed(run, RunFiles.STEPS, steps.substring(0, steps.length() - 6));
        List<String> problems = problems(run, c);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("steps.csv cannot be read: line 3 is not 'step,epoch,beta,rec,kl'"),
                problems.get(0));

        Path run2 = store(dir.resolve("b"), record(c));
        replaceListed(run2, RunFiles.METRICS, "metric,value\nmodel/elbo,-3.7");
        replaceListed(run2, RunFiles.KL_PER_DIM, "step,z0,z1\n0,0.125");
        problems = problems(run2, c);
        assertTrue(anyContains(problems, "metrics.csv lacks model/rec"), problems.toString());
        assertTrue(anyContains(problems, "kl_per_dim.csv cannot be read: line 2"), problems.toString());
    }

    /** model.npz and posterior.csv.gz stay out of git: a run without them is complete, with them they must match. */
    @Test
    void localFilesMayBeAbsentButNotChanged(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        Files.delete(run.resolve(RunFiles.MODEL));
        Files.delete(run.resolve(RunFiles.POSTERIOR));
        var complete = assertInstanceOf(RunCheck.Complete.class, RunFiles.check(run, c));
        assertFalse(complete.hasModel());
        assertFalse(complete.hasPosterior());
        assertTrue(RunFiles.readIfCurrent(dir, c, key(c)).isPresent(), "reported without its model");

        Path run2 = store(dir.resolve("b"), record(c));
        Files.write(run2.resolve(RunFiles.MODEL), new byte[] {1, 2, 3});
        List<String> problems = problems(run2, c);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("model.npz was modified since the run finished"), problems.get(0));
    }

    @Test
    void aFailedRunKeepsItsReasonAndIsNotReused(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        var diverged = new DivergenceException(c.runId(), 5, "Rec=NaN KL=0.5 loss=NaN (weights {beta=2.0})");
        Path run = RunFiles.write(dir, failed(c, diverged.getMessage()), null);
        String text = Files.readString(run.resolve(RunFiles.FAILURE));
        assertTrue(text.contains("diverged at step 5: Rec=NaN KL=0.5 loss=NaN"), text);
        var f = assertInstanceOf(RunCheck.Failed.class, RunFiles.check(run, c));
        assertEquals(diverged.getMessage(), f.reason());
        assertFalse(RunFiles.readIfCurrent(dir, c, key(c)).isPresent(), "a failed run is trained again");
        assertTrue(RunFiles.findLatest(dir, c).orElseThrow().failed(), "verification sees the failure");
    }

    @Test
    void aMissingFolderIsAbsent(@TempDir Path dir) {
        assertInstanceOf(RunCheck.Absent.class, RunFiles.check(dir.resolve("nothing-here"), config(3)));
    }

    @Test
    void aRunWithAnotherConfigOrNoProvenanceIsNotReused(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        assertFalse(RunFiles.readIfCurrent(dir, config(4), key(config(4))).isPresent(), "changed epochs must retrain");
        assertFalse(RunFiles.readIfCurrent(dir, c, Json.trainKey(c, "other data")).isPresent(), "changed data must retrain");
        assertTrue(RunFiles.findLatest(dir, c).isPresent(), "verification still finds the recorded run");
        Files.move(run, dir.resolve("beta-2-seed7-0000000000"));
        assertTrue(anyContains(problems(dir.resolve("beta-2-seed7-0000000000"), c),
                "provenance.json is the record of run " + run.getFileName() + ", not of beta-2-seed7-0000000000"));
    }

    /** Retraining replaces an intact run, but moves a damaged one aside instead of deleting it. */
    @Test
    void rewritingReplacesAnIntactRunAndKeepsADamagedOne(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        store(dir, record(c));
        Path run = RunFiles.write(dir, failed(c, "diverged at step 5"), null);
        assertTrue(Files.exists(run.resolve(RunFiles.FAILURE)));
        assertFalse(Files.exists(run.resolve(RunFiles.STEPS)));
        assertFalse(Files.exists(dir.resolve(RunFiles.DAMAGED)), "the intact run was replaced");

        Files.writeString(run.resolve(RunFiles.FAILURE), "edited\n");
        store(dir, record(c));
        assertInstanceOf(RunCheck.Complete.class, RunFiles.check(run, c));
        Path kept;
        try (Stream<Path> s = Files.list(dir.resolve(RunFiles.DAMAGED))) {
            kept = s.findFirst().orElseThrow();
        }
        assertEquals("edited\n", Files.readString(kept.resolve(RunFiles.FAILURE)));
    }

    @Test
    void quarantineMovesTheRunAsideAndPruneKeepsIt(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = store(dir, record(c));
        Files.writeString(run.resolve(RunFiles.METRICS), "metric,value\n");
        Path aside = RunFiles.quarantine(run);
        assertFalse(Files.exists(run));
        assertEquals(dir.resolve(RunFiles.DAMAGED), aside.getParent());
        assertTrue(aside.getFileName().toString().matches(run.getFileName() + "-\\d{8}T\\d{6}Z"), aside.toString());
        assertEquals("metric,value\n", Files.readString(aside.resolve(RunFiles.METRICS)), "nothing is lost");

        Path again = store(dir, record(c));
        Files.delete(again.resolve(RunFiles.STEPS));
        Path second = RunFiles.quarantine(again);
        assertFalse(second.equals(aside), "a second quarantine in the same second gets its own folder");

        assertEquals(List.of(), RunFiles.prune(dir, Set.of()), "quarantined runs are not pruned");
        assertTrue(Files.isDirectory(aside) && Files.isDirectory(second));
    }

    /**
     * The model section round-trips; provenance.json written before it existed (no {@code model} key) still reads,
     * with a null section, and so does one with keys this version does not know.
     */
    @Test
    void provenanceModelSectionIsOptional() throws IOException {
        RunConfig c = config(3);
        Provenance old = record(c).provenance();
        Provenance withModel = new Provenance(old.runId(), old.config(), old.configSha256(), old.runKey(), old.codeSha256(),
                old.seed(), old.gitCommit(),
                old.gitDirty(), old.versions(), old.hardware(), old.dataSha256(), old.startTime(), old.endTime(),
                old.trainSeconds(), old.evalSeconds(), ModelExport.describe(c.model()), old.evalKey(), old.numericsVersion());
        String json = Json.MAPPER.writeValueAsString(withModel);
        Provenance back = Json.MAPPER.readValue(json, Provenance.class);
        assertEquals(ModelExport.LAYOUT, back.model().get("layout"));
        assertEquals("logits", ((List<?>) back.model().get("layers")).stream()
                .map(l -> (Map<?, ?>) l).filter(l -> l.get("name").equals("dec.out")).findFirst().orElseThrow().get("activation"));

        String before = Json.MAPPER.writeValueAsString(old);
        assertFalse(Json.MAPPER.readTree(before).has("model"), "a run without model file must not write a model section");
        assertEquals(null, Json.MAPPER.readValue(before, Provenance.class).model());
        String future = before.replaceFirst("\\{", "{\"addedLater\": 1,");
        assertEquals(old.runId(), Json.MAPPER.readValue(future, Provenance.class).runId());
    }

    /** steps.csv keeps the trace keys' strings as column names, and a column this version does not know reads back. */
    @Test
    void stepsCsvColumnsAreTheTraceKeys(@TempDir Path dir) throws IOException {
        StepLog.Builder b = new StepLog.Builder();
        b.add(0, 0, 3.5, 0.25, java.util.Map.of(TraceKey.BETA, 1.0));
        StepLog log = b.build();
        String csv = RunCsv.stepsCsv(log);
        assertEquals("step,epoch,beta,rec,kl", csv.lines().findFirst().orElseThrow());
        Path f = dir.resolve("steps.csv");
        Files.writeString(f, "step,epoch,beta,tau,rec,kl\n0,0,1,7,3.5,0.25\n");
        StepLog back = RunCsv.readSteps(f);
        assertEquals(List.of(TraceKey.BETA, TraceKey.of("tau")), List.copyOf(back.weights().keySet()));
        assertEquals(1.0, back.last(TraceKey.BETA));
        assertEquals(7.0, back.weight(TraceKey.of("tau"))[0]);
        assertTrue(Double.isNaN(back.last(TraceKey.LAMBDA)), "a column the log lacks");
    }
}
