package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Posterior;

/**
 * I(x; z) for a Gaussian-linear encoder on Gaussian data, where z = μ(x) + σ·ε is Gaussian and
 * I = ½ log det Cov(z) − ½ log det Σ exactly. The estimator is biased (it cannot exceed about log B), so the
 * checks are that the error shrinks as the batch B grows and is small at the largest B.
 */
class MutualInformationTest {

    /** Posterior means correlated across dimensions (the aggregate posterior is not diagonal), fixed variances. */
    static final double[][] COV = {{2.0, 0.8, 0.0}, {0.8, 1.0, 0.3}, {0.0, 0.3, 0.5}};
    static final double[] VAR = {0.3, 0.5, 0.2};

    /** n posteriors whose means are drawn from N(0, COV) and whose variances are VAR. */
    static Posterior correlatedGaussian(int n, long seed) {
        return MutualInformation.sampleGaussianLinear(COV, VAR, n, seed);
    }

    @Test
    void closedFormByHandInOneAndTwoDimensions() {
        // 1-D: I = ½ log((c + s)/s).
        assertEquals(0.5 * Math.log(5.0 / 1.0), MutualInformation.gaussianClosedForm(new double[][]{{4}}, new double[]{1}), 1e-12);
        // 2-D: det([[2+1, 1], [1, 1+0.5]]) = 3·1.5 − 1 = 3.5, det Σ = 0.5.
        assertEquals(0.5 * Math.log(3.5) - 0.5 * Math.log(0.5),
                MutualInformation.gaussianClosedForm(new double[][]{{2, 1}, {1, 1}}, new double[]{1, 0.5}), 1e-12);
        // Means that do not vary: z tells nothing about x.
        assertEquals(0, MutualInformation.gaussianClosedForm(new double[][]{{0, 0}, {0, 0}}, new double[]{2, 3}), 1e-12);
    }

    /**
     * Small batches underestimate (the estimate is capped near log B): the estimate rises with B towards the truth,
     * the error shrinks from B = 10 to 100 to 1000, and at B = n = 4000 it is within 0.05 nats (the Monte-Carlo
     * error of 4000 single-sample terms is about 0.02 nats, and dominates beyond B ≈ 1000).
     */
    @Test
    void errorShrinksWithTheBatchSizeTowardsTheClosedForm() {
        double truth = MutualInformation.gaussianClosedForm(COV, VAR);
        Posterior q = correlatedGaussian(4000, 7);
        int[] batches = {10, 100, 1000, 4000};
        double[] est = new double[batches.length];
        for (int b = 0; b < batches.length; b++) {
            // The same seed draws the same z for every B, so the comparisons see only the change in log q(z).
            est[b] = MutualInformation.of(q, batches[b], new SplittableRandom(3));
            assertTrue(est[b] <= Math.log(batches[b]) + 1e-9, "the estimate cannot exceed log B");
        }
        for (int b = 1; b < batches.length; b++)
            assertTrue(est[b] > est[b - 1], "the estimate rises with B: " + est[b - 1] + " at B = " + batches[b - 1]
                    + ", " + est[b] + " at B = " + batches[b]);
        for (int b = 1; b < 3; b++)
            assertTrue(Math.abs(est[b] - truth) < Math.abs(est[b - 1] - truth), "error shrinks from B = " + batches[b - 1]
                    + " to " + batches[b]);
        assertEquals(truth, est[3], 0.05, "B = 4000");
    }

    /** Through an engine: the exact posterior of a linear-Gaussian model on its own data, I = ½ Σ log(1 + ‖w_j‖²/σ²). */
    @Test
    void exactEncoderOfALinearGaussianModel() {
        LinearGaussianVae model = LinearGaussianVae.random(6, new double[]{2.0, 1.0, 0.5}, 0.7, 11);
        Posterior q = model.encode(Nd4j.createFromArray(model.sample(4000, new SplittableRandom(8))));
        double est = MutualInformation.of(q, 4000, new SplittableRandom(9));
        assertEquals(model.exactMutualInformation(), est, 0.03);
    }

    /**
     * Collapsed posterior (q(z|x) = N(0, I) for every x): I = 0. The sampled log q(z) then equals the sampled
     * log q(z|x), and the estimate is the mean of ½‖ε‖² − d/2: zero in expectation, standard error √(d/2n) ≈ 0.01.
     */
    @Test
    void collapsedPosteriorHasNoInformation() {
        int n = 20_000, d = 4;
        Posterior q = new Posterior(n, d, new double[n * d], new double[n * d]);
        assertEquals(0, MutualInformation.of(q, 50, new SplittableRandom(1)), 0.04);
    }

    /**
     * Through the evaluation pipeline as every report runs it ({@link EvaluationContext}, {@link MutualInformationMetric}
     * against the whole set, the rate from {@link ElboMetric}), on exact encoders of linear-Gaussian models with weak,
     * medium and strong latents (column lengths 0.3, 1, 4; σ = 0.7): I = 0.25, 1.67 and 5.27 nats, all far below
     * log n = 8.0. Each estimate is near its closed form, the three are clearly apart, and the rate equals I (an exact
     * posterior's aggregate is the prior). Shifting every posterior mean by 0.5 leaves I unchanged but adds
     * KL(q(z) ‖ p(z)) = ½·d·0.5² = 0.375 nats to the rate: I ≤ R (Alemi et al. 2018), with the closed-form gap.
     */
    @Test
    void throughThePipelineMiFollowsTheClosedFormAndStaysBelowTheRate() {
        int n = 3000;
        double previous = -1;
        for (double scale : new double[]{0.3, 1, 4}) {
            LinearGaussianVae model = LinearGaussianVae.random(6, new double[]{scale, scale, scale}, 0.7, 21);
            double truth = model.exactMutualInformation();
            Map<MetricId, Double> m = evaluate(model, n);
            double mi = m.get(MetricId.MI), rate = m.get(MetricId.KL);
            assertEquals(n, m.get(MetricId.MI_BATCH), 0, "q(z) against the whole set");
            assertTrue(truth < Math.log(n) - 2, "the case is far from the bound log n");
            assertEquals(truth, mi, 0.05 + 0.03 * truth, "column length " + scale);
            assertEquals(truth, rate, 0.05 + 0.03 * truth, "an exact posterior's rate is I, column length " + scale);
            assertTrue(mi > previous + 1, "clearly more information at column length " + scale + ": " + mi + " after " + previous);
            previous = mi;
        }
        LinearGaussianVae exact = LinearGaussianVae.random(6, new double[]{1, 1, 1}, 0.7, 21);
        Map<MetricId, Double> exactM = evaluate(exact, n), shiftedM = evaluate(exact.withEncoderError(0.5, 0), n);
        assertEquals(exactM.get(MetricId.MI), shiftedM.get(MetricId.MI), 0.05, "a common shift of the means carries no information");
        assertEquals(0.375, shiftedM.get(MetricId.KL) - shiftedM.get(MetricId.MI), 0.06, "R − I = KL(q(z) ‖ p(z))");
    }

    private static Map<MetricId, Double> evaluate(LinearGaussianVae model, int n) {
        double[][] x = model.sample(n, new SplittableRandom(22));
        float[] px = new float[n * 6];
        for (int i = 0; i < n; i++) for (int j = 0; j < 6; j++) px[i * 6 + j] = (float) x[i][j];
        ImageDataset images = new ImageDataset("linear-gaussian", px, n, 3, 2, new int[n], "none");
        EvaluationContext c = EvaluationContext.of(model, images, GroundTruth.NONE, Binarization.NONE, 23, 500);
        Map<MetricId, Double> m = new java.util.HashMap<>(new MutualInformationMetric(MutualInformationMetric.WHOLE_SET).compute(c));
        m.putAll(new ElboMetric().compute(c));
        return m;
    }

    @Test
    void rejectsBatchSizesOutsideOneToN() {
        Posterior q = correlatedGaussian(10, 1);
        assertThrows(IllegalArgumentException.class, () -> MutualInformation.of(q, 0, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> MutualInformation.of(q, 11, new SplittableRandom(1)));
    }

    /**
     * Encoders with clearly different rates get clearly different MI, each near its closed form, when q(z) is
     * estimated against the whole set (the reports' default): posterior variances 0.05, 0.3 and 2 on means with
     * variance 1 in 4 dimensions give I = 6.09, 2.93 and 0.81 nats; with batches of 50 the first would be capped at
     * log 50 = 3.91 and could not be told apart from the second.
     */
    @Test
    void differentRatesGetDifferentMiAgainstTheWholeSet() {
        int n = 3000, d = 4;
        double[][] cov = new double[d][d];
        for (int j = 0; j < d; j++) cov[j][j] = 1;
        double[] variances = {0.05, 0.3, 2};
        double previous = Double.POSITIVE_INFINITY;
        for (double v : variances) {
            double[] var = {v, v, v, v};
            double truth = MutualInformation.gaussianClosedForm(cov, var);
            double whole = MutualInformation.of(MutualInformation.sampleGaussianLinear(cov, var, n, 5), n, new SplittableRandom(6));
            assertEquals(truth, whole, 0.05 + 0.05 * truth, "posterior variance " + v + " (the estimator is biased low)");
            assertTrue(whole < Math.log(n), "never above its bound log n");
            assertTrue(whole < previous - 1, "a lower rate gives clearly less MI: " + whole + " after " + previous);
            previous = whole;
        }
        double capped = MutualInformation.of(MutualInformation.sampleGaussianLinear(cov, new double[]{0.05, 0.05, 0.05, 0.05},
                n, 5), 50, new SplittableRandom(6));
        assertTrue(capped <= Math.log(50) + 1e-9 && capped < 4, "batches of 50 cap it at log 50: " + capped);
        assertTrue(MutualInformationMetric.saturated(Math.log(500) - 0.05, 500), "0.05 nats under log B is saturated");
        assertTrue(!MutualInformationMetric.saturated(Math.log(500) - 0.2, 500));
        assertTrue(!MutualInformationMetric.saturated(previous, n));
    }
}
