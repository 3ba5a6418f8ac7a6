package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Binarization;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TestCurve;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.ConstantBeta;

/** The test-curve figure: mean over seeds per configuration, drawn only when runs recorded a curve. */
class TestCurveChartTest {

    private static RunRecord run(String label, long seed, double offset, int epochs) {
        RunConfig c = new RunConfig("t", label, "", new DataConfig("fashion-mnist", Binarization.DYNAMIC, 0, 0),
                VaeArchitecture.bernoulli(784, List.of(16), 4, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(epochs, 128, 1e-3).withCurveEvery(2), seed);
        List<TestCurve.Point> pts = new ArrayList<>();
        for (int e = 2; e <= epochs; e += 2) pts.add(new TestCurve.Point(e, e * 100L, 230 + 40.0 / e + offset + seed, 1, -250));
        StepLog steps = new StepLog(new long[]{0}, new int[]{0}, new double[]{1}, new double[]{1}, Map.of())
                .withCurve(new TestCurve(pts));
        return new RunRecord(c, null, Map.of(MetricId.IW_NLL, 1.0), steps, null);
    }

    @Test
    void meanOverSeedsAndFigureWritten(@TempDir Path dir) throws IOException {
        Map<String, List<RunRecord>> finished = new LinkedHashMap<>();
        finished.put("β=1", List.of(run("β=1", 1, 0, 30), run("β=1", 2, 0, 30)));
        finished.put("cyclical", List.of(run("cyclical", 1, -1, 30), run("cyclical", 2, -1, 30)));
        Map<String, Series> means = TestCurveChart.meanCurves(finished);
        assertEquals(15, means.get("β=1").x().length);
        assertEquals(230 + 20 + 1.5, means.get("β=1").y()[0], 1e-12, "mean of seeds 1 and 2 at epoch 2");
        assertArrayEquals(means.get("β=1").x(), means.get("cyclical").x());
        List<Path> files = TestCurveChart.writeIfAny(finished, Palette.of(finished.keySet()), dir.resolve("test-curve"));
        assertEquals(3, files.size());
        for (Path f : files) assertTrue(Files.size(f) > 1000, f.toString());
        // No curve, no figure.
        Map<String, List<RunRecord>> none = Map.of("β=1", List.of(new RunRecord(finished.get("β=1").get(0).config(), null,
                Map.of(), new StepLog(new long[]{0}, new int[]{0}, new double[]{1}, new double[]{1}, Map.of()), null)));
        assertTrue(TestCurveChart.writeIfAny(none, Palette.of(none.keySet()), dir.resolve("none")).isEmpty());
    }
}
