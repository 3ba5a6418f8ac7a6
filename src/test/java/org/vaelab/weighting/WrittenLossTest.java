package org.vaelab.weighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;
import org.vaelab.loss.TraceKey;
import org.vaelab.model.Activation;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.weighting.LossConvention.Reconstruction;
import org.vaelab.weighting.LossConvention.Reduction;

/** Each written convention's coefficients, β, loss and gradient against hand computations. */
class WrittenLossTest {

    /** Fashion-MNIST in batches of 128: 469 steps per epoch, the last one 60000 − 468·128 = 96 examples. */
    private static final int D = 784, LATENT = 32, M = 128, N = 60_000, STEPS = 469;
    private static final BatchStats ANY = new BatchStats(200, 10, new double[LATENT], 30);

    private static Progress at(long step, int epoch) {
        return new Progress(step, epoch, STEPS, 10L * STEPS, D, LATENT, M, N);
    }

    private static double[] filled(double v) {
        double[] a = new double[LATENT];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void meanOverPixelsAndLatentsIsTheAskersRecipe() {
        WrittenLoss l = WrittenLoss.of(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.MEAN, 0.1);
        LossWeights w = l.weights(at(5, 0), ANY);
        assertEquals(1.0 / 784, w.rec(), 1e-18);
        assertEquals(0.0, w.sse());
        assertArrayEquals(filled(0.1 / 32), w.kl(), 1e-18);
        // β = w·D/d = 0.1·784/32 = 2.45, traced and translated alike.
        assertEquals(2.45, w.trace().get(TraceKey.BETA), 1e-12);
        assertEquals(2.45, l.equivalentBeta(D, LATENT, M, N), 1e-12);
        assertEquals(0.1, w.trace().get(TraceKey.W));
        assertEquals("NLL mean + 0.1·KL mean", l.label());
        // At w = d/D the same recipe is the ELBO.
        assertEquals(1.0, WrittenLoss.of(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.MEAN, 32.0 / 784)
                .equivalentBeta(D, LATENT, M, N), 1e-12);
    }

    @Test
    void meanOverPixelsWithSummedKlIsWTimesD() {
        // PyTorch-VAE's form with its default kld_weight on 28×28 images: β = 0.00025·784 = 0.196.
        WrittenLoss l = WrittenLoss.of(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.SUM, 0.00025);
        LossWeights w = l.weights(at(0, 0), ANY);
        assertEquals(1.0 / 784, w.rec(), 1e-18);
        assertArrayEquals(filled(0.00025), w.kl(), 1e-18);
        assertEquals(0.196, l.equivalentBeta(D, LATENT, M, N), 1e-12);
    }

    @Test
    void theMinibatchFractionScalesTheKlByBatchOverData() {
        // kld_weight = M/N = 128/60000 with the MSE averaged over pixels: β = D·M/N = 784·128/60000 = 1.672533…
        WrittenLoss l = new WrittenLoss(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.SUM, Reduction.MEAN, true, 1);
        LossWeights w = l.weights(at(3, 0), ANY);
        assertArrayEquals(filled(128.0 / 60000), w.kl(), 1e-18);
        assertEquals(784 * 128.0 / 60000, w.trace().get(TraceKey.BETA), 1e-12);
        assertEquals(784 * 128.0 / 60000, l.equivalentBeta(D, LATENT, M, N), 1e-12);
        // The same code on a fifth of the data is a five times larger β: M/N is not a property of the model.
        assertEquals(5 * 784 * 128.0 / 60000, l.equivalentBeta(D, LATENT, M, N / 5), 1e-12);
        assertEquals("NLL mean + 1·(M/N)·KL sum", l.label());
        var e = assertThrows(IllegalStateException.class, () -> l.weights(new Progress(0, 0, 10, 100, D, LATENT), ANY));
        assertTrue(e.getMessage().contains("M/N"), e.getMessage());
    }

    @Test
    void summingOverTheBatchMultipliesByItsRows() {
        WrittenLoss l = new WrittenLoss(Reconstruction.LIKELIHOOD, Reduction.SUM, Reduction.SUM, Reduction.SUM, false, 1);
        LossWeights full = l.weights(at(100, 0), ANY);
        assertEquals(128.0, full.rec());
        assertArrayEquals(filled(128), full.kl());
        assertEquals(1.0, full.trace().get(TraceKey.BETA), "β is unchanged: only the scale is");
        // The last batch of an epoch holds the 96 examples left: their sum, not 128 means.
        LossWeights last = l.weights(at(468, 0), ANY);
        assertEquals(96.0, last.rec());
        assertArrayEquals(filled(96), last.kl());
        assertEquals(128.0, l.weights(at(469, 1), ANY).rec(), "the next epoch starts with a full batch");
        assertEquals("NLL sum + 1·KL sum, batch sum", l.label());
    }

    @Test
    void squaredErrorIsAGaussianWithSigmaSquaredHalfOfBeta() {
        WrittenLoss sse = WrittenLoss.of(Reconstruction.SQUARED_ERROR, Reduction.SUM, Reduction.SUM, 0.02);
        LossWeights w = sse.weights(at(0, 0), ANY);
        assertEquals(0.0, w.rec());
        assertEquals(1.0, w.sse());
        assertArrayEquals(filled(0.02), w.kl(), 1e-18);
        assertEquals(0.01, sse.convention(D, LATENT, M, N).sigmaSquared(), 1e-15, "σ = 0.1");
        assertEquals("SSE + 0.02·KL sum", sse.label());
        // The asker's MSE-mean + 0.1·KL-mean: β = 2.45, σ² = 1.225.
        WrittenLoss mse = WrittenLoss.of(Reconstruction.SQUARED_ERROR, Reduction.MEAN, Reduction.MEAN, 0.1);
        LossWeights m = mse.weights(at(0, 0), ANY);
        assertEquals(1.0 / 784, m.sse(), 1e-18);
        assertEquals(1.225, mse.convention(D, LATENT, M, N).sigmaSquared(), 1e-12);
        assertEquals("MSE + 0.1·KL mean", mse.label());
    }

    /**
     * On a real network, the written loss and its gradient are the β-VAE's at the equivalent β times the constant
     * c·a (batch rows over pixels' divisor): the loss's value, and every one of the gradient's entries, to rounding.
     */
    @Test
    void theLossAndItsGradientAreTheEquivalentBetaVaesScaled() {
        VaeArchitecture bern = VaeArchitecture.bernoulli(12, List.of(7), 3, Activation.TANH);
        VaeArchitecture gauss = VaeArchitecture.gaussian(12, List.of(7), 3, Activation.TANH, 0.3);
        int rows = 5, d = 3, dim = 12;
        Progress p = new Progress(0, 0, 2, 4, dim, d, rows, 2 * rows);
        record Case(VaeArchitecture arch, WrittenLoss loss, LossWeights reference, double scale) {
        }
        List<Case> cases = List.of(
                // NLL mean + 0.1·KL mean = (1/12)·[Rec + 0.1·12/3·KL]
                new Case(bern, WrittenLoss.of(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.MEAN, 0.1),
                        LossWeights.beta(0.4, d), 1.0 / 12),
                // summed over the batch of 5, with M/N = 5/10 on the KL: 5·(Rec + 0.5·KL)
                new Case(bern, new WrittenLoss(Reconstruction.LIKELIHOOD, Reduction.SUM, Reduction.SUM, Reduction.SUM, true, 1),
                        LossWeights.beta(0.5, d), 5),
                // SSE + 2σ²·KL = 2σ²·(Gaussian Rec at σ = 0.3 + KL) up to the normaliser, which has no gradient
                new Case(gauss, WrittenLoss.of(Reconstruction.SQUARED_ERROR, Reduction.SUM, Reduction.SUM, 0.18),
                        LossWeights.beta(1, d), 0.18));
        Random rng = new Random(4);
        for (Case c : cases) {
            double[][] xv = new double[rows][dim], ev = new double[rows][d];
            for (double[] r : xv) for (int j = 0; j < dim; j++) r[j] = rng.nextDouble();
            for (double[] r : ev) for (int j = 0; j < d; j++) r[j] = rng.nextGaussian();
            INDArray x = Nd4j.createFromArray(xv), eps = Nd4j.createFromArray(ev);
            try (NativeMlpEngine e = new NativeMlpEngine(c.arch(), rows, 1e-3, 9, DataType.DOUBLE)) {
                LossWeights written = c.loss().weights(p, e.forward(x, eps));
                double lw = e.lossAndGradient(x, eps, written);
                double[] gw = e.gradient().toDoubleVector();
                double lr = e.lossAndGradient(x, eps, c.reference());
                double[] gr = e.gradient().toDoubleVector();
                String what = c.loss().label();
                if (c.arch() == bern) assertEquals(c.scale() * lr, lw, 1e-12 * Math.abs(lw), what);
                else {
                    // The Gaussian Rec carries the normaliser (D/2)·log 2πσ²; the squared error does not.
                    double normaliser = 0.5 * dim * Math.log(2 * Math.PI * 0.09);
                    assertEquals(c.scale() * (lr - normaliser), lw, 1e-12 * Math.abs(lw), what);
                }
                for (int i = 0; i < gw.length; i++)
                    assertEquals(c.scale() * gr[i], gw[i], 1e-12 * Math.max(1e-3, Math.abs(gw[i])), what + ", parameter " + i);
            }
        }
    }

    @Test
    void badValuesNameTheValueAndTheFix() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> WrittenLoss.of(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.MEAN, 0));
        assertTrue(e.getMessage().contains("got 0.0") && e.getMessage().contains("e.g. 0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WrittenLoss(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.MEAN, null, false, 1));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WrittenLoss(Reconstruction.LIKELIHOOD, Reduction.MEAN,
                Reduction.SUM, Reduction.MEAN, true, 1).equivalentBeta(D, LATENT, 0, N));
        assertTrue(e.getMessage().contains("M = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Progress(0, 0, 469, 4690, D, LATENT, 128, 0));
        assertTrue(e.getMessage().contains("both"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Progress(0, 0, 400, 4000, D, LATENT, 128, 60000));
        assertTrue(e.getMessage().contains("469 steps per epoch, not 400"), e.getMessage());
    }
}
