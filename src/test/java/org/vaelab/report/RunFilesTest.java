package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private static RunRecord record(RunConfig c) {
        StepLog.Builder b = new StepLog.Builder();
        b.add(0, 0, 3.5, 0.25, Map.of("beta", 2.0));
        b.add(1, 0, 3.25, 0.5, Map.of("beta", 2.0));
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ELBO, -3.75);
        m.put(MetricId.KL, 0.5);
        m.put(MetricId.klOfDim(1), 0.125);
        Provenance p = new Provenance(RunFiles.folderName(c, key(c)), Json.configTree(c), Json.configSha256(c), key(c),
                "code", c.seed(), "abc", false,
                Map.of("java", "17"), Map.of("cores", "2"), Map.of("train", "ff"), "2026-01-01T00:00:00Z",
                "2026-01-01T00:01:00Z", 1.5, 0.5, null,
                Json.evalKey(c, key(c), "data"), NumericsVersion.all());
        return new RunRecord(c, p, m, b.build(), null);
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

    @Test
    void writesEveryFileAndReadsTheRunBack(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Posterior q = new Posterior(2, 2, new double[] {0.5, -1, 2, 0}, new double[] {-0.5, 0, 0.25, -2});
        Path run = RunFiles.write(dir, record(c), q, model(c, 0.5f));
        assertEquals(dir.resolve("beta-2-seed7-" + key(c).substring(0, 10)), run);
        for (String f : List.of(RunFiles.PROVENANCE, RunFiles.METRICS, RunFiles.STEPS, RunFiles.POSTERIOR, RunFiles.MODEL))
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        assertEquals("step,epoch,beta,rec,kl", Files.readAllLines(run.resolve(RunFiles.STEPS)).get(0));
        try (var in = new GZIPInputStream(Files.newInputStream(run.resolve(RunFiles.POSTERIOR)))) {
            List<String> lines = new String(in.readAllBytes()).lines().toList();
            assertEquals(List.of("mu_1,mu_2,logvar_1,logvar_2", "0.5,-1,-0.5,0", "2,0,0.25,-2"), lines);
        }
        RunRecord back = RunFiles.readIfCurrent(dir, c, key(c)).orElseThrow();
        assertEquals(record(c).metrics(), back.metrics());
        assertArrayEquals(new double[] {3.5, 3.25}, back.steps().rec());
        assertArrayEquals(new double[] {2, 2}, back.steps().weight("beta"));
        assertEquals(1.5, back.provenance().trainSeconds());
        // No temporary folders are left behind.
        try (var s = Files.list(dir)) {
            assertEquals(List.of(run), s.toList());
        }
    }

    @Test
    void aRunWithAnotherConfigOrNoProvenanceIsNotReused(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = RunFiles.write(dir, record(c), null, model(c, 0));
        assertFalse(RunFiles.readIfCurrent(dir, config(4), key(config(4))).isPresent(), "changed epochs must retrain");
        assertFalse(RunFiles.readIfCurrent(dir, c, Json.trainKey(c, "other data")).isPresent(), "changed data must retrain");
        assertTrue(RunFiles.findLatest(dir, c).isPresent(), "verification still finds the recorded run");
        Files.delete(run.resolve(RunFiles.PROVENANCE));
        assertFalse(RunFiles.readIfCurrent(dir, c, key(c)).isPresent(), "a run without provenance is unfinished");
    }

    @Test
    void rewritingReplacesTheOldRun(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        RunFiles.write(dir, record(c), null);
        RunRecord failed = new RunRecord(c, record(c).provenance(), Map.of(), null, "diverged at step 5");
        Path run = RunFiles.write(dir, failed, null);
        assertTrue(Files.exists(run.resolve(RunFiles.FAILURE)));
        assertFalse(Files.exists(run.resolve(RunFiles.STEPS)));
        assertEquals("diverged at step 5", RunFiles.readIfCurrent(dir, c, key(c)).orElseThrow().failure());
    }

    /** A run finished before model files existed has no model.npz, so it is retrained to get one. */
    @Test
    void aFinishedRunWithoutModelFileIsNotReused(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Path run = RunFiles.write(dir, record(c), null, model(c, 0));
        assertTrue(RunFiles.readIfCurrent(dir, c, key(c)).isPresent());
        Files.delete(run.resolve(RunFiles.MODEL));
        assertFalse(RunFiles.readIfCurrent(dir, c, key(c)).isPresent());
    }

    /**
     * The model section round-trips; provenance.json written before it existed (no {@code model} key) still reads,
     * with a null section, and so does one with keys this version does not know.
     */
    @Test
    void provenanceModelSectionIsOptional(@TempDir Path dir) throws IOException {
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
}
