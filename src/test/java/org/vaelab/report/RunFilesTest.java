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
import org.vaelab.model.Activation;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
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
        return Json.runKey(c, "code", "data");
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
                "2026-01-01T00:01:00Z", 1.5, 0.5);
        return new RunRecord(c, p, m, b.build(), null);
    }

    @Test
    void writesEveryFileAndReadsTheRunBack(@TempDir Path dir) throws IOException {
        RunConfig c = config(3);
        Posterior q = new Posterior(2, 2, new double[] {0.5, -1, 2, 0}, new double[] {-0.5, 0, 0.25, -2});
        Path run = RunFiles.write(dir, record(c), q);
        assertEquals(dir.resolve("beta-2-seed7-" + key(c).substring(0, 10)), run);
        for (String f : List.of(RunFiles.PROVENANCE, RunFiles.METRICS, RunFiles.STEPS, RunFiles.POSTERIOR))
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
        Path run = RunFiles.write(dir, record(c), null);
        assertFalse(RunFiles.readIfCurrent(dir, config(4), key(config(4))).isPresent(), "changed epochs must retrain");
        assertFalse(RunFiles.readIfCurrent(dir, c, Json.runKey(c, "other code", "data")).isPresent(), "changed code must retrain");
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
}
