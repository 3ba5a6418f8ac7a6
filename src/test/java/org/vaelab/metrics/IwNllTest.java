package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.model.VaeModel;

/**
 * The importance-weighted NLL against the closed-form log-likelihood of a linear-Gaussian model (probabilistic
 * PCA), x = W z + b + noise with orthogonal columns of W, so that the exact posterior is diagonal.
 */
class IwNllTest {

    /** D = 6 pixels, d = 3 latents of decreasing strength, σ = 0.7. */
    static final LinearGaussianVae MODEL = LinearGaussianVae.random(6, new double[]{2.0, 1.0, 0.5}, 0.7, 11);

    static double[][] data(int n, long seed) {
        return MODEL.sample(n, new SplittableRandom(seed));
    }

    static double meanTrueNll(double[][] x) {
        double s = 0;
        for (double[] row : x) s -= MODEL.logLikelihood(row);
        return s / x.length;
    }

    @Test
    void pureFunctionIsMinusLogMeanExp() {
        assertEquals(-(1000 + Math.log(2)), IwNll.of(new double[]{1000 + Math.log(1), 1000 + Math.log(3)}), 1e-12);
        assertEquals(250, IwNll.of(new double[]{-250}), 0);
    }

    /**
     * With the exact posterior every weight p(x, z)/q(z|x) equals p(x): the estimate has no variance and must equal
     * the closed form to rounding, for every K and every image.
     */
    @Test
    void exactPosteriorReproducesTheClosedFormForEveryK() {
        double[][] x = data(25, 1);
        for (int k : new int[]{1, 7, 100}) {
            IwNll.Result r = IwNll.of(MODEL, Nd4j.createFromArray(x), k, 5);
            assertEquals(k, r.k());
            double[] per = r.perImage();
            for (int i = 0; i < x.length; i++)
                assertEquals(-MODEL.logLikelihood(x[i]), per[i], 1e-9, "image " + i + ", K = " + k);
            assertEquals(meanTrueNll(x), r.nll(), 1e-9);
            assertEquals(-r.nll(), r.elbo(), 1e-9, "the ELBO is tight for the exact posterior");
        }
    }

    /**
     * With a wrong encoder (means shifted by 0.6, variances ×2.5) the estimate is an upper bound on the NLL that
     * tightens as K grows. K = 1 is −(one-sample ELBO); the mean log-weight over all samples matches the closed-form
     * ELBO; K = 1000 is within its Monte-Carlo error of the truth.
     */
    @Test
    void wrongEncoderGivesAnUpperBoundThatTightensWithK() {
        LinearGaussianVae wrong = MODEL.withEncoderError(0.6, Math.log(2.5));
        double[][] x = data(40, 2);
        INDArray xs = Nd4j.createFromArray(x);
        double truth = meanTrueNll(x);
        double negElbo = 0;
        for (double[] row : x) negElbo -= wrong.elbo(row);
        negElbo /= x.length;
        assertTrue(negElbo - truth > 0.5, "the wrong encoder must leave a visible gap: " + (negElbo - truth));

        int[] ks = {1, 10, 100, 1000};
        IwNll.Result[] r = new IwNll.Result[ks.length];
        for (int i = 0; i < ks.length; i++) {
            r[i] = IwNll.of(wrong, xs, ks[i], 100 + i);
            assertTrue(-r[i].nll() >= r[i].elbo(), "log-mean-exp ≥ mean of logs (Jensen)");
            assertTrue(r[i].meanEss() >= 1 && r[i].meanEss() <= ks[i], "ESS in [1, K]: " + r[i].meanEss());
        }
        assertEquals(-r[0].elbo(), r[0].nll(), 1e-12, "K = 1: the estimate is minus the single log-weight");
        assertEquals(-negElbo, r[3].elbo(), 0.05, "40,000 log-weights average to the closed-form ELBO");
        for (int i = 1; i < ks.length; i++)
            assertTrue(r[i].nll() < r[i - 1].nll(), "K = " + ks[i] + " must be tighter than K = " + ks[i - 1] + ": "
                    + r[i].nll() + " vs " + r[i - 1].nll());
        IwNll.Result last = r[ks.length - 1];
        assertTrue(last.monteCarloError() > 0 && last.monteCarloError() < 0.05, "MC error " + last.monteCarloError());
        assertEquals(truth, last.nll(), 3 * last.monteCarloError() + 1e-3,
                "K = 1000 matches the truth within 3 Monte-Carlo standard errors");
        assertTrue(last.nll() - truth < 0.02 * (negElbo - truth),
                "K = 1000 closes ≥ 98% of the gap: " + (last.nll() - truth) + " of " + (negElbo - truth));
    }

    /** Every image has its own random stream, so how the samples are chunked cannot change a single bit. */
    @Test
    void chunkingChangesNothingAndBoundsTheRowsPerCall() {
        LinearGaussianVae wrong = MODEL.withEncoderError(0.3, 0.5);
        INDArray x = Nd4j.createFromArray(data(9, 3));
        int[] maxRows = {0};
        VaeModel counting = new Delegate(wrong) {
            @Override
            public double[] reconstructionNll(INDArray xs, INDArray z) {
                maxRows[0] = Math.max(maxRows[0], xs.rows());
                return super.reconstructionNll(xs, z);
            }
        };
        double[] reference = IwNll.of(wrong, x, 50, 9).perImage();
        for (int rows : new int[]{1, 7, 49, 50, 120, 10_000}) {
            maxRows[0] = 0;
            assertArrayEquals(reference, IwNll.of(counting, x, 50, 9, rows).perImage(), 0, "rows per call " + rows);
            assertTrue(maxRows[0] <= rows, "at most " + rows + " rows per decoder call, saw " + maxRows[0]);
        }
    }

    /**
     * The estimate from each image's first K' samples (K' = 1, 10, 100 of K = 1000) is exactly the estimate a run with
     * K = K' gives, since every image draws its samples from its own stream in order; and it falls with K'.
     */
    @Test
    void prefixEstimatesEqualRunsWithFewerSamples() {
        LinearGaussianVae wrong = MODEL.withEncoderError(0.6, Math.log(2.5));
        INDArray x = Nd4j.createFromArray(data(30, 6));
        IwNll.Result r = IwNll.of(wrong, x, 1000, 12, 70);
        assertEquals(java.util.List.of(1, 10, 100), java.util.List.copyOf(r.prefixNll().keySet()));
        for (int k : new int[]{1, 10, 100})
            assertEquals(IwNll.of(wrong, x, k, 12).nll(), r.prefixNll().get(k), 1e-12, "first " + k + " of 1000 samples");
        assertTrue(r.prefixNll().get(1) > r.prefixNll().get(10) && r.prefixNll().get(10) > r.prefixNll().get(100)
                && r.prefixNll().get(100) > r.nll(), "tightens with K: " + r.prefixNll() + ", K = 1000: " + r.nll());
        assertEquals(-r.prefixNll().get(1), IwNll.of(wrong, x, 1, 12).elbo(), 1e-12, "K' = 1 is a one-sample ELBO");
        assertArrayEquals(new int[]{1, 10}, IwNll.prefixes(100));
        assertArrayEquals(new int[]{1, 10, 100}, IwNll.prefixes(101));
        assertArrayEquals(new int[0], IwNll.prefixes(1));
    }

    /**
     * Through vaelab's float engine, as every report computes it: chunks of 1, 7, 64 or 300 decoder rows give the
     * number of one pass over all 600 rows (20 images × K = 30). The engine's matrix products see different row
     * counts, so float rounding may differ (with one row per call it did, by about 4e-7 nats per image); the
     * per-image estimates must agree to 1e-4 nats and the mean to 1e-5.
     */
    @Test
    void chunkingThroughTheFloatEngineGivesTheSinglePassNumber() {
        var arch = VaeArchitecture.bernoulli(40, java.util.List.of(24), 5, org.vaelab.model.Activation.RELU);
        try (var engine = new org.vaelab.model.NativeMlpEngine(arch, 16, 1e-3, 3, org.nd4j.linalg.api.buffer.DataType.FLOAT)) {
            SplittableRandom rng = new SplittableRandom(4);
            float[][] px = new float[20][40];
            for (float[] row : px) for (int j = 0; j < row.length; j++) row[j] = rng.nextDouble() < 0.3 ? 1 : 0;
            INDArray x = Nd4j.createFromArray(px);
            IwNll.Result single = IwNll.of(engine, x, 30, 5, 600);
            for (int rows : new int[]{1, 7, 64, 300}) {
                IwNll.Result chunked = IwNll.of(engine, x, 30, 5, rows);
                assertArrayEquals(single.perImage(), chunked.perImage(), 1e-4, rows + " rows per call");
                assertEquals(single.nll(), chunked.nll(), 1e-5, rows + " rows per call");
                assertEquals(single.prefixNll().get(10), chunked.prefixNll().get(10), 1e-5, rows + " rows per call, K' = 10");
            }
            assertTrue(single.nll() > 0 && Double.isFinite(single.nll()), "a Bernoulli NLL: " + single.nll());
        }
    }

    @Test
    void rejectsBadArguments() {
        INDArray x = Nd4j.createFromArray(data(2, 4));
        assertThrows(IllegalArgumentException.class, () -> IwNll.of(MODEL, x, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> IwNll.of(MODEL, x, 10, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> IwNll.of(MODEL, Nd4j.zeros(2, 5).castTo(x.dataType()), 10, 1));
        assertThrows(IllegalArgumentException.class, () -> IwNll.of(new double[0]));
    }

    /** Forwards everything to another model (for instrumenting calls). */
    static class Delegate implements VaeModel {
        private final VaeModel inner;

        Delegate(VaeModel inner) {
            this.inner = inner;
        }

        @Override
        public VaeArchitecture architecture() {
            return inner.architecture();
        }

        @Override
        public Posterior encode(INDArray x) {
            return inner.encode(x);
        }

        @Override
        public double[] reconstructionNll(INDArray x, INDArray z) {
            return inner.reconstructionNll(x, z);
        }

        @Override
        public INDArray decode(INDArray z) {
            return inner.decode(z);
        }

        @Override
        public long parameterCount() {
            return inner.parameterCount();
        }
    }
}
