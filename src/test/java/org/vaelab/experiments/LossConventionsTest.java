package org.vaelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.ExperimentRegistry;
import org.vaelab.experiment.Overrides;
import org.vaelab.experiments.LossConventions.Pair;
import org.vaelab.loss.TraceKey;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.Likelihood;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.LossConvention.Reconstruction;
import org.vaelab.weighting.SigmaVae;
import org.vaelab.weighting.WrittenLoss;

class LossConventionsTest {

    private static final LossConventions EXPERIMENT = new LossConventions(LossConventions.DEFAULT);

    @Test
    void everyConventionHasItsPlainModelAtTheTranslatedBeta() {
        List<Arm> arms = EXPERIMENT.arms();
        assertEquals(21, arms.size());
        assertEquals(arms.size(), new HashSet<>(arms.stream().map(Arm::label).toList()).size(), "labels must be unique");
        Map<String, Arm> byLabel = new LinkedHashMap<>();
        arms.forEach(a -> byLabel.put(a.label(), a));
        assertEquals(8, EXPERIMENT.pairs().size());
        for (Pair p : EXPERIMENT.pairs()) {
            Arm w = byLabel.get(p.written()), b = byLabel.get(p.plain());
            WrittenLoss loss = (WrittenLoss) w.weighting();
            double beta = ((ConstantBeta) b.weighting()).beta();
            assertEquals(w.model(), b.model(), p + ": the same decoder");
            assertEquals(w.data(), b.data(), p + ": the same data");
            double expected = loss.equivalentBeta(784, 32, 128, 60_000);
            if (loss.reconstruction() == Reconstruction.SQUARED_ERROR) expected /= 2 * w.model().sigma() * w.model().sigma();
            assertEquals(expected, beta, 1e-9 * beta, p.toString());
        }
        // The ELBO written as the recipe at w = d/D is the report's reference, β = 1 exactly.
        assertEquals(1.0, ((ConstantBeta) byLabel.get("β=1").weighting()).beta());
        assertEquals(784 * 128.0 / 60_000, ((ConstantBeta) byLabel.get("β=1.67").weighting()).beta(), 1e-9);
        for (Arm a : arms) {
            boolean gaussian = a.model().likelihood() == Likelihood.GAUSSIAN;
            assertEquals(gaussian ? Binarization.NONE : Binarization.DYNAMIC, a.data().binarization(), a.label());
            assertEquals(LossConventions.EPOCHS, a.train().epochs());
            assertEquals(2000, a.data().testLimit());
        }
        assertEquals(Math.sqrt(1.225), byLabel.get(LossConventions.GAUSSIAN_RECIPE).model().sigma(), 1e-12,
                "the asker's MSE-mean + 0.1·KL-mean is evaluated at the σ it implies");
        assertEquals(5, EXPERIMENT.seeds());
    }

    @Test
    void smokeBudgetShrinksTheRunsAndIsRegistered() {
        Properties p = new Properties();
        p.setProperty("budget", "smoke");
        var smoke = (LossConventions) Overrides.from(p).configure(new LossConventions());
        assertEquals(2, smoke.seeds());
        for (Arm a : smoke.arms()) {
            assertEquals(1, a.train().epochs());
            assertEquals(1280, a.data().trainLimit());
        }
        // N = 1280 makes the M/N factor's β 784·128/1280 = 78.4: its plain partner follows.
        assertTrue(smoke.pairs().contains(new Pair("NLL mean + (M/N)·KL sum", "β=78.4")), smoke.pairs().toString());
        assertTrue(smoke.question().contains("Budget `smoke`"));
        assertEquals("loss-conventions", ExperimentRegistry.standard().get("loss-conventions").name());
    }

    /** Every pair on the same point: seed noise of ±1 nat shared by the two rows of a pair, and ±0.01 of their own. */
    @Test
    void equivalenceIsDetectedWhenThePairsAgree() {
        String d = EXPERIMENT.discussion(runs((label, seed) -> 0.0));
        assertTrue(d.startsWith("- **Every loss convention tested lands on the β-VAE it translates to** (8 of 8"), d);
        assertTrue(d.contains("| NLL mean + 0.1·KL mean | β=2.45 |"), d);
        assertTrue(d.contains("same point (every \\|Δ\\| <"), d);
        assertFalse(d.contains("**differ**"), d);
        assertTrue(d.contains("Written the same way with w = d/D it is the ELBO"), d);
        assertTrue(d.contains("β = D·M/N = 1.67 here"), d);
    }

    /** A convention 3 nats of distortion away from its plain model in every seed is named, with the metrics. */
    @Test
    void aDifferenceIsDetectedAndNamed() {
        String d = EXPERIMENT.discussion(runs((label, seed) -> label.equals(LossConventions.RECIPE) ? 3.0 : 0.0));
        assertTrue(d.startsWith("- **7 of 8 loss conventions land on the β-VAE they translate to**"), d);
        assertTrue(d.contains("these differ: NLL mean + 0.1·KL mean (distortion, ELBO, IW-NLL)"), d);
        assertTrue(d.contains("**differ** in distortion, ELBO, IW-NLL"), d);
    }

    /** A consistent shift of 0.05 nats, far below the seeds' spread of about 1 nat, is real but not a different point. */
    @Test
    void aShiftBelowTheSeedSpreadIsCalledSo() {
        String d = EXPERIMENT.discussion(runs((label, seed) -> label.equals("NLL + KL, batch sum") ? 0.05 : 0.0));
        assertTrue(d.contains("NLL + KL, batch sum shows a real shift smaller than the seed-to-seed spread"), d);
        assertTrue(d.contains("same point up to a shift in distortion, ELBO, IW-NLL"), d);
    }

    @Test
    void theGaussianSectionFindsTheCalibratedSigma() {
        String d = EXPERIMENT.discussion(runs((label, seed) -> 0.0));
        // Every Gaussian row has the same errors, σ̂ = 0.1: the fixed σ = 0.1 scores best, and the report says so.
        assertTrue(d.contains("**Best fixed σ by test ELBO: σ=0.1**"), d);
        assertTrue(d.contains("by IW-NLL: **σ=0.1**"), d);
        assertTrue(d.contains("Its own errors call for σ̂ = 0.100"), d);
        assertTrue(d.contains("*σ-VAE optimal* picks σ = 0.120"), d);
        assertTrue(d.contains("σ = 1.107 (σ² = w·D/(2d) = 1.225), pixel noise 11× the σ̂ = 0.100"), d);
    }

    @Test
    void aWrittenLossWhoseBetaDiffersIsNotCompared() {
        RunRecord[] pair = new RunRecord[2];
        for (RunRecord r : runs((l, s) -> 0.0)) {
            if (r.config().seed() != 1) continue;
            if (r.config().label().equals("NLL mean + (M/N)·KL sum")) pair[0] = r;
            if (r.config().label().equals("β=1.67")) pair[1] = r;
        }
        assertEquals("", ConventionEvidence.betaMismatch(pair[0], pair[1]));
        RunRecord other = runs((l, s) -> 0.0).stream().filter(r -> r.config().label().equals("β=2.45")).findFirst().orElseThrow();
        assertTrue(ConventionEvidence.betaMismatch(pair[0], other).startsWith("β differs: 1.673 as written"),
                ConventionEvidence.betaMismatch(pair[0], other));
    }

    @Test
    void trajectoriesReportWhenTwoRunsPart() {
        StepLog a = log(new double[] {300, 250, 220, 210, 205, 200}, new int[] {0, 0, 0, 1, 1, 1});
        StepLog b = log(new double[] {300, 250.5, 221, 216, 208, 190}, new int[] {0, 0, 0, 1, 1, 1});
        ConventionEvidence.Trajectory t = ConventionEvidence.trajectory(a, b);
        assertEquals(3, t.firstApart(), "216 vs 210 is the first gap above 1%");
        assertEquals(10, t.maxEarly(), 1e-12);
        assertEquals((6 + 3 + 10) / 3.0, t.lastEpoch(), 1e-12);
        assertEquals((216 + 208 + 190) / 3.0, t.recLast(), 1e-12);
        assertEquals(0, t.startDiff());
        assertEquals(-1, ConventionEvidence.trajectory(a, a).firstApart());
        // σ̂ inverts the Gaussian Rec: SSE = 784·0.01 at σ = 0.3.
        double rec = 784 * 0.01 / (2 * 0.09) + 392 * Math.log(2 * Math.PI * 0.09);
        assertEquals(0.1, GaussianEvidence.sigmaHat(rec, 0.3, 784), 1e-12);
    }

    private static StepLog log(double[] rec, int[] epoch) {
        StepLog.Builder b = new StepLog.Builder();
        for (int t = 0; t < rec.length; t++) b.add(t, epoch[t], rec[t], 10, Map.of(TraceKey.BETA, 1.0));
        return b.build();
    }

    /** Seed noise that the two rows of a pair share, and a written row's own; both average 0 over the five seeds. */
    private static final double[] SHARED = {0.6, -0.9, 1.1, -0.5, -0.3}, OWN = {0.005, -0.005, 0.01, -0.01, 0};

    /**
     * Five seeds of every arm. Bernoulli rows: rate and distortion from β (rate 20/β, distortion 250 + 5·log β), plus
     * seed noise of about ±1 nat that a pair shares and ±0.01 of a written row's own, plus {@code shift} on the distortion.
     * Gaussian rows: every model has squared error 784·0.01 per image (σ̂ = 0.1) and rate 20; the σ-VAE's σ is traced.
     */
    private static List<RunRecord> runs(BiFunction<String, Long, Double> shift) {
        List<RunRecord> out = new ArrayList<>();
        for (Arm a : EXPERIMENT.arms()) {
            for (long seed = 1; seed <= 5; seed++) {
                RunConfig c = a.run(EXPERIMENT.name(), seed);
                double shared = SHARED[(int) seed - 1];
                double own = a.weighting() instanceof WrittenLoss ? OWN[(int) seed - 1] : 0;
                Map<MetricId, Double> m = new LinkedHashMap<>();
                Map<TraceKey, Double> trace = new LinkedHashMap<>();
                double rate, rec;
                if (a.model().likelihood() == Likelihood.BERNOULLI) {
                    double beta = a.weighting() instanceof ConstantBeta cb ? cb.beta()
                            : ((WrittenLoss) a.weighting()).equivalentBeta(784, 32, 128, 60_000);
                    trace.put(TraceKey.BETA, beta);
                    beta = LossConventions.canonical(beta);   // the metrics of a pair differ by the noise alone
                    rate = 20 / beta + 0.3 * shared + 0.5 * own;
                    rec = 250 + 5 * Math.log(beta) + shared - own + shift.apply(a.label(), seed);
                } else {
                    double sigma = a.model().sigma();
                    if (a.weighting() instanceof SigmaVae s) {
                        sigma = s.label().contains("optimal") ? 0.12 : 0.11;
                        trace.put(TraceKey.SIGMA, sigma);
                    }
                    rate = 20 + 0.3 * shared + 0.5 * own;
                    rec = 784 * 0.01 / (2 * sigma * sigma) + 392 * Math.log(2 * Math.PI * sigma * sigma) + shared - own;
                    m.put(MetricId.MSE, 0.009);
                }
                m.put(MetricId.ELBO, -(rec + rate));
                m.put(MetricId.REC, rec);
                m.put(MetricId.KL, rate);
                m.put(MetricId.IW_NLL, rec + rate - 2);
                StepLog.Builder log = new StepLog.Builder();
                for (int t = 0; t < 4; t++) log.add(t, t / 2, rec + 100.0 / (t + 1), rate, trace);
                String key = Json.trainKey(c, "data");
                Provenance p = new Provenance(RunFiles.folderName(c, key), Json.configTree(c), Json.configSha256(c), key,
                        "code", seed, "abc", false, Map.of(), Map.of(), Map.of(), "2026-01-01T00:00:00Z",
                        "2026-01-01T00:01:00Z", 1, 1, null, Json.evalKey(c, key, "data"), NumericsVersion.all());
                out.add(new RunRecord(c, p, m, log.build(), null));
            }
        }
        return out;
    }
}
