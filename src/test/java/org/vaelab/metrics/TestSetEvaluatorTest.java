package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Activation;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;

/** The evaluator's new metrics on a small untrained engine: present, consistent with the pure functions. */
class TestSetEvaluatorTest {

    /** 600 binary 8 × 8 images with stripes of random strength, so that posterior means vary across images. */
    static ImageDataset images(int n) {
        SplittableRandom rng = new SplittableRandom(4);
        float[] px = new float[n * 64];
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble();
            for (int p = 0; p < 64; p++) px[i * 64 + p] = rng.nextDouble() < (p % 8 < 4 ? a : 1 - a) ? 1f : 0f;
        }
        return new ImageDataset("stripes", px, n, 8, 8, new int[n], "none");
    }

    static NativeMlpEngine engine(VaeArchitecture arch) {
        return new NativeMlpEngine(arch, 100, 1e-3, 5, DataType.FLOAT);
    }

    @Test
    void reportsMiMseBceAndActiveDimensionsConsistentlyWithThePureFunctions() {
        ImageDataset test = images(600);
        try (NativeMlpEngine e = engine(VaeArchitecture.bernoulli(64, List.of(32), 5, Activation.TANH))) {
            Map<MetricId, Double> m = TestSetEvaluator.evaluate(e, test, Binarization.NONE, 11).metrics();
            assertEquals(600, m.get(MetricId.MI_BATCH), "B = the whole evaluation set, not the evaluation chunk");
            assertTrue(m.get(MetricId.MI) >= -0.1 && m.get(MetricId.MI) <= Math.log(600), "MI " + m.get(MetricId.MI));
            assertFalse(m.containsKey(MetricId.IW_NLL), "IW-NLL is off by default");

            INDArray x = Nd4j.create(test.pixels(), new long[]{600, 64}, 'c');
            Posterior q = e.encode(x);
            float[] mu = new float[q.mu().length];
            for (int i = 0; i < mu.length; i++) mu[i] = (float) q.mu()[i];
            float[] xHat = e.decode(Nd4j.create(mu, new long[]{600, 5}, 'c')).castTo(DataType.FLOAT).dup('c').data().asFloat();
            assertEquals(Reconstruction.mse(test.pixels(), xHat), m.get(MetricId.MSE), 1e-9);
            // The engine computes the BCE from logits; the pure function from float probabilities: equal to ~1e-4.
            assertEquals(Reconstruction.bce(test.pixels(), xHat, 64), m.get(MetricId.BCE), 1e-3);

            List<Integer> active = ActiveUnits.activeDimensions(q);
            assertEquals(active.size(), m.get(MetricId.ACTIVE_UNITS));
            for (int j = 0; j < 5; j++)
                assertEquals(active.contains(j) ? 1.0 : 0.0, m.get(MetricId.activeOfDim(j)), "z" + j + "/active");
        }
    }

    /** IW-NLL draws from its own stream: switching it on adds two metrics and leaves every other number as it was. */
    @Test
    void iwNllIsOptInAndChangesNothingElse() {
        ImageDataset test = images(120);
        try (NativeMlpEngine e = engine(VaeArchitecture.gaussian(64, List.of(16), 3, Activation.RELU, 0.5))) {
            Map<MetricId, Double> off = TestSetEvaluator.evaluate(e, test, Binarization.NONE, 3).metrics();
            Map<MetricId, Double> on = TestSetEvaluator.evaluate(e, test, Binarization.NONE, 3, 50).metrics();
            assertFalse(off.containsKey(MetricId.BCE), "no BCE for a Gaussian decoder");
            assertEquals(120, off.get(MetricId.MI_BATCH), "B = n when the test set is smaller than a chunk");
            assertEquals(50, on.get(MetricId.IW_K));
            double iw = on.get(MetricId.IW_NLL);
            // K = 50 tightens the bound: below −ELBO up to the one-sample noise of the ELBO estimate.
            assertTrue(Double.isFinite(iw) && iw < -on.get(MetricId.ELBO) + 5, "IW-NLL " + iw + ", −ELBO " + -on.get(MetricId.ELBO));
            for (var entry : off.entrySet()) assertEquals(entry.getValue(), on.get(entry.getKey()), 0, entry.getKey().key());
        }
    }

    /** The chunk size is performance only: the same draws per image, the same B, numbers equal up to float rounding. */
    @Test
    void theEvaluationChunkSizeDoesNotChangeTheMetrics() {
        ImageDataset test = images(130);
        try (NativeMlpEngine e = engine(VaeArchitecture.bernoulli(64, List.of(16), 3, Activation.TANH))) {
            Map<MetricId, Double> big = TestSetEvaluator.evaluate(
                    EvaluationContext.of(e, test, GroundTruth.NONE, Binarization.NONE, 5, 500), MetricSet.standard()).metrics();
            Map<MetricId, Double> small = TestSetEvaluator.evaluate(
                    EvaluationContext.of(e, test, GroundTruth.NONE, Binarization.NONE, 5, 7), MetricSet.standard()).metrics();
            assertEquals(big.keySet(), small.keySet());
            assertEquals(130, small.get(MetricId.MI_BATCH), "B is the MI metric's parameter, not the chunk");
            for (var entry : big.entrySet())
                assertEquals(entry.getValue(), small.get(entry.getKey()), 1e-6 * Math.max(1, Math.abs(entry.getValue())),
                        entry.getKey().key());
        }
    }
}
