package org.vaelab.report;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Binarization;
import org.vaelab.metrics.KlTrace;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TestCurve;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.ConstantBeta;

/**
 * {@code kl_per_dim.csv}: written when the step log has a KL trace, read back with the run; and {@code curve.csv},
 * the same for a test curve.
 */
class KlTraceFilesTest {

    private static RunRecord record(RunConfig c, KlTrace trace) {
        StepLog.Builder b = new StepLog.Builder();
        b.add(0, 0, 3.5, 0.25, Map.of(TraceKey.BETA, 1.0));
        b.add(1, 0, 3.25, 0.5, Map.of(TraceKey.BETA, 1.0));
        String key = Json.trainKey(c, "data");
        Provenance p = new Provenance(RunFiles.folderName(c, key), Json.configTree(c), Json.configSha256(c), key, "code",
                c.seed(), "abc", false, Map.of(), Map.of(), Map.of(), "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 1, 1, null,
                Json.evalKey(c, key, "data"), NumericsVersion.all());
        Map<MetricId, Double> m = new LinkedHashMap<>();
        for (MetricId id : RunFiles.REPORTED_METRICS) m.put(id, 1.0);
        m.put(MetricId.klOfDim(0), 0.5);
        m.put(MetricId.klOfDim(1), 0.25);
        return new RunRecord(c, p, m, b.build().withKlTrace(trace), null);
    }

    private static Path write(Path dir, RunRecord r) throws IOException {
        return RunFiles.write(dir, r, null, null, Map.of(RunFiles.SAMPLES, out -> out.write(new byte[] {1})));
    }

    @Test
    void roundTripsAndIsRequiredOnceThereAreSteps(@TempDir Path dir) throws IOException {
        RunConfig c = new RunConfig("test", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 0, 0),
                VaeArchitecture.bernoulli(4, List.of(3), 2, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(1, 2, 1e-3), 1);
        KlTrace trace = new KlTrace(new long[]{0, 1}, new double[][]{{0.125, 0.125}, {0.375, 0.0078125}});
        Path run = write(dir, record(c, trace));
        assertEquals(List.of("step,z0,z1", "0,0.125,0.125", "1,0.375,0.0078125"),
                Files.readAllLines(run.resolve(RunFiles.KL_PER_DIM)));
        assertEquals(trace, RunFiles.findLatest(dir, c).orElseThrow().steps().klTrace());
        assertArrayEquals(new double[]{3.5, 3.25}, RunFiles.findLatest(dir, c).orElseThrow().steps().rec());

        // Training traces the KL from its first step, so a run with steps but no trace is incomplete: not stored.
        var e = assertThrows(IllegalArgumentException.class, () -> write(dir.resolve("none"), record(c, KlTrace.empty())));
        assertTrue(e.getMessage().contains("kl_per_dim.csv is missing"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("none").resolve(run.getFileName())));
    }

    @Test
    void curveRoundTripsAndIsRequiredWhenTheConfigAsksForIt(@TempDir Path dir) throws IOException {
        RunConfig c = new RunConfig("test", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 0, 0),
                VaeArchitecture.bernoulli(4, List.of(3), 2, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(2, 2, 1e-3).withCurveEvery(1), 1);
        KlTrace trace = new KlTrace(new long[]{0, 1}, new double[][]{{0.125, 0.125}, {0.375, 0.0078125}});
        TestCurve curve = new TestCurve(List.of(new TestCurve.Point(1, 1, 90.5, 0.25, -95.125),
                new TestCurve.Point(2, 2, 89.75, 0.25, -94)));
        RunRecord r = record(c, trace);
        Path run = write(dir, new RunRecord(c, r.provenance(), r.metrics(), r.steps().withCurve(curve), null));
        assertEquals(List.of("epoch,step,iw_nll,iw_nll_se,elbo", "1,1,90.5,0.25,-95.125", "2,2,89.75,0.25,-94"),
                Files.readAllLines(run.resolve(RunFiles.CURVE)));
        assertEquals(curve, RunFiles.findLatest(dir, c).orElseThrow().steps().curve());

        var e = assertThrows(IllegalArgumentException.class, () -> write(dir.resolve("none"), r));
        assertTrue(e.getMessage().contains("curve.csv is missing"), e.getMessage());
    }
}
