package org.vaelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.PairedComparison;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TestCurve;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.CyclicalAnnealing;
import org.vaelab.weighting.LinearWarmup;
import org.vaelab.weighting.Weighting;

/** The long budget's verdicts on synthetic runs whose answers are known. */
class ShootoutConvergenceTest {

    private static final String B1 = new ConstantBeta(1).label(), CYC = CyclicalAnnealing.paperDefaults().label(),
            WARM = LinearWarmup.paperDefaults().label();
    /** Per-seed noise of seeds 1–5: small, so intervals are narrow but not zero. */
    private static final double[] NOISE = {0.05, -0.03, 0.02, -0.06, 0.01};

    /**
     * β = 1 has flattened (the last 10 epochs move by seed noise only), cyclical still falls 0.1 nats per epoch,
     * warm-up has turned upwards. At 10 epochs cyclical beat β = 1 clearly; at 40 they are equal.
     */
    @Test
    void trendsAndRankingChangesAreComputedFromTheRuns() {
        List<RunRecord> longRuns = new ArrayList<>(), shortRuns = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            double n = NOISE[s - 1];
            longRuns.add(run(B1, new ConstantBeta(1), 40, s, 235 + n, e -> e < 20 ? 236 + 20.0 / e : 236 + n * (e % 4 == 0 ? 1 : -1)));
            longRuns.add(run(CYC, CyclicalAnnealing.paperDefaults(), 40, s, 235 - n, e -> 238 - 0.1 * e + n));
            longRuns.add(run(WARM, LinearWarmup.paperDefaults(), 40, s, 236 + n, e -> 235 + Math.abs(e - 18) * 0.1 + n));
            shortRuns.add(run(B1, new ConstantBeta(1), 10, s, 237 + n, null));
            shortRuns.add(run(CYC, CyclicalAnnealing.paperDefaults(), 10, s, 236 + 2 * n, null));
            shortRuns.add(run(WARM, LinearWarmup.paperDefaults(), 10, s, 238 + n, null));
        }
        String text = ShootoutConvergence.of(longRuns, shortRuns, 10, B1);
        assertTrue(text.startsWith("- **Long budget:** 1 of 3 rows were still improving at epoch 40"), text);
        assertTrue(text.contains("| " + CYC + " | 30 → 40 (cycle ends) | 235.00 | 234.00 | -1.00 ± 0.00 | -0.100 | still improving |"), text);
        assertTrue(text.contains("| " + B1 + " | 30 → 40 | "), text);
        // On the curve, cyclical − β = 1 is −1 + n, 0, −1 + 2n, −2 (better, not separable, better, better) at epochs
        // 10, 20, 30, 40 (its cycle ends); warm-up − β = 1 is −2.2 + n, −0.8, +0.2 + 2n, +1.2: better, better, worse, worse.
        assertTrue(text.contains("every verdict against " + B1 + " has been the same since epoch 30."), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("| " + WARM) && l.endsWith("getting worse |")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("| " + B1) && l.endsWith("no improvement shown (interval contains 0) |")), text);
        // Cyclical: better than β = 1 at 10 epochs, not separable at 30; warm-up worse at both.
        assertTrue(text.lines().anyMatch(l -> l.startsWith("| " + CYC) && l.contains("(better)") && l.contains("(not separable)")
                && l.endsWith("**no** |")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("| " + WARM) && l.endsWith("| yes |")), text);
        assertTrue(text.contains("the 10-epoch ranking does not survive unchanged"), text);
        assertTrue(text.contains("changes for " + CYC + " (better → not separable)"), text);
    }

    /** A row worse at every checkpoint, and one that turns from worse to not separable at epoch 20 and stays. */
    @Test
    void settlingNamesTheEpochFromWhichNoVerdictChanges() {
        List<RunRecord> runs = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            double n = NOISE[s - 1];
            runs.add(run(B1, new ConstantBeta(1), 40, s, 235, e -> 236));
            runs.add(run(WARM, LinearWarmup.paperDefaults(), 40, s, 235, e -> 237 + n));
            runs.add(run(CYC, CyclicalAnnealing.paperDefaults(), 40, s, 235, e -> e < 20 ? 237 + n : 236 + n));
        }
        Map<String, List<RunRecord>> byLabel = ShootoutConvergence.byLabel(runs);
        String text = ShootoutConvergence.settling(byLabel, B1, 10, 40);
        assertTrue(text.contains("| " + WARM + " | +1.00 ± 0.05 worse | +1.00 ± 0.05 worse | +1.00 ± 0.05 worse | +1.00 ± 0.05 worse |"), text);
        assertTrue(text.contains("| " + CYC + " | +1.00 ± 0.05 worse | -0.00 ± 0.05 not separable |"), text);
        assertTrue(text.contains("every verdict against " + B1 + " has been the same since epoch 20."), text);
        byLabel.remove(CYC);
        assertTrue(ShootoutConvergence.settling(byLabel, B1, 10, 40)
                .contains("every verdict against " + B1 + " is the same at every epoch in the table."));
    }

    /**
     * 50 epochs, a point every 5: cyclical annealing's 4 cycles end at 12.5, 25, 37.5 and 50, so only epochs 25 and 50
     * compare it; between them it is "mid-cycle". Its verdict flips from worse to better at the last comparison.
     */
    @Test
    void cyclicalRowsAreComparedAtTheEndsOfTheirCyclesOnly() {
        List<RunRecord> runs = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            double n = NOISE[s - 1];
            runs.add(run(B1, new ConstantBeta(1), 50, 5, s, 235, e -> 236));
            runs.add(run(CYC, CyclicalAnnealing.paperDefaults(), 50, 5, s, 235,
                    e -> e == 50 ? 235 + n : e % 25 == 0 ? 237 + n : 250));
        }
        Map<String, List<RunRecord>> byLabel = ShootoutConvergence.byLabel(runs);
        List<RunRecord> cyc = byLabel.get(CYC);
        assertTrue(ShootoutConvergence.comparable(cyc, 25) && ShootoutConvergence.comparable(cyc, 50));
        assertTrue(!ShootoutConvergence.comparable(cyc, 10) && !ShootoutConvergence.comparable(cyc, 40));
        String text = ShootoutConvergence.settling(byLabel, B1, 10, 50);
        assertTrue(text.contains("| scheme | epoch 10 | epoch 20 | epoch 25 | epoch 30 | epoch 40 | epoch 50 |"), text);
        assertTrue(text.contains("| " + CYC + " | mid-cycle | mid-cycle | +1.00 ± 0.05 worse | mid-cycle | mid-cycle | -1.00 ± 0.05 better |"), text);
        assertTrue(text.contains("**not settled**: at the last comparison the verdict against " + B1 + " changed for " + CYC
                + " (worse → better between epoch 25 and 50)."), text);
        String all = ShootoutConvergence.of(runs, List.of(), 10, B1);
        assertTrue(all.contains("| " + CYC + " | 25 → 50 (cycle ends) | 237.00 | 235.00 | -2.00 ± 0.00 | -0.080 | still improving |"), all);
    }

    @Test
    void trendWordsFollowTheInterval() {
        assertEquals("still improving", ShootoutConvergence.trend(PairedComparison.of(new double[]{1, 1.1, 0.9}, new double[]{2, 2, 2})));
        assertEquals("getting worse", ShootoutConvergence.trend(PairedComparison.of(new double[]{3, 3.1, 2.9}, new double[]{2, 2, 2})));
        assertEquals("no improvement shown (interval contains 0)",
                ShootoutConvergence.trend(PairedComparison.of(new double[]{1, 3, 2}, new double[]{2, 2, 2})));
    }

    private static RunRecord run(String label, Weighting w, int epochs, long seed, double iwNll,
                                 java.util.function.IntToDoubleFunction curve) {
        return run(label, w, epochs, 2, seed, iwNll, curve);
    }

    private static RunRecord run(String label, Weighting w, int epochs, int every, long seed, double iwNll,
                                 java.util.function.IntToDoubleFunction curve) {
        RunConfig c = new RunConfig("weighting-shootout", label, "", new DataConfig("fashion-mnist", Binarization.DYNAMIC, 0, 0),
                WeightingShootout.BERNOULLI, w, new TrainConfig(epochs, 128, 1e-3).withCurveEvery(curve == null ? 0 : every), seed);
        String key = Json.trainKey(c, "data");
        Provenance p = new Provenance(RunFiles.folderName(c, key), Json.configTree(c), Json.configSha256(c), key,
                "code", seed, "abc", false, Map.of(), Map.of(), Map.of(), "2026-01-01T00:00:00Z",
                "2026-01-01T00:01:00Z", 1, 1, null, Json.evalKey(c, key, "data"), NumericsVersion.all());
        StepLog steps = new StepLog(new long[]{0}, new int[]{0}, new double[]{1}, new double[]{1}, Map.of());
        if (curve != null) {
            List<TestCurve.Point> points = new ArrayList<>();
            for (int e = every; e <= epochs; e += every) points.add(new TestCurve.Point(e, e * 469L, curve.applyAsDouble(e), 0.5, -240));
            steps = steps.withCurve(new TestCurve(points));
        }
        return new RunRecord(c, p, Map.of(MetricId.IW_NLL, iwNll), steps, null);
    }
}
