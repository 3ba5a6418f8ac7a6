package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.loss.LossWeights;
import org.vaelab.model.Activation;
import org.vaelab.loss.BatchStats;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;

class FreeBitsTest {

    private static final Progress P = new Progress(0, 0, 10, 100, 784, 4);

    @Test
    void dimensionsAtOrBelowLambdaGetNoKlWeight() {
        BatchStats b = new BatchStats(100, 1.65, new double[] {0.1, 0.25, 0.3, 1.0}, 20);
        LossWeights w = FreeBits.paperDefaults().weights(P, b);
        assertEquals(1.0, w.rec());
        assertEquals(0.0, w.sse());
        assertArrayEquals(new double[] {0, 0, 1, 1}, w.kl());
        assertEquals(0.25, w.trace().get(TraceKey.LAMBDA));
        assertEquals(2.0, w.trace().get(TraceKey.DIMS_BELOW_LAMBDA));
        assertArrayEquals(new double[] {0, 0, 0, 1}, new FreeBits(0.5).weights(P, b).kl());
        assertArrayEquals(new double[] {1, 1, 1, 1}, new FreeBits(0).weights(P, b).kl());
        assertEquals("free bits λ=0.25", FreeBits.paperDefaults().label());
        SchedulesTest.assertNames(() -> new FreeBits(-0.25), "lambda", "-0.25");
    }

    /**
     * End to end in the engine: with free-bits weights from the batch's own per-dimension KL, the gradient of the
     * encoder head's bias (μ_j and log σ²_j) for each freed dimension equals that of a loss without any KL term,
     * and differs from it for the dimensions that still pay their KL.
     */
    @Test
    void freedDimensionsGetNoKlGradientInTheEngine() {
        int dim = 12, latent = 4, batch = 16;
        VaeArchitecture arch = VaeArchitecture.bernoulli(dim, List.of(7, 5), latent, Activation.TANH);
        NativeMlpEngine engine = new NativeMlpEngine(arch, batch, 1e-3, 5, DataType.DOUBLE);
        Random rng = new Random(3);
        double[][] xs = new double[batch][dim], es = new double[batch][latent];
        for (double[] r : xs) for (int j = 0; j < dim; j++) r[j] = rng.nextDouble();
        for (double[] r : es) for (int j = 0; j < latent; j++) r[j] = rng.nextGaussian();
        INDArray x = Nd4j.createFromArray(xs), eps = Nd4j.createFromArray(es);

        // The batch's per-dimension KL, from the posterior; λ between the second- and third-smallest frees two dims.
        Posterior q = engine.encode(x);
        double[] klPerDim = new double[latent];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < latent; j++) {
                double mu = q.mu(i, j), lv = q.logvar(i, j);
                klPerDim[j] += 0.5 * (mu * mu + Math.exp(lv) - lv - 1) / batch;
            }
        double[] sorted = klPerDim.clone();
        java.util.Arrays.sort(sorted);
        double lambda = 0.5 * (sorted[1] + sorted[2]);
        LossWeights free = new FreeBits(lambda).weights(new Progress(0, 0, 1, 1, dim, latent),
                new BatchStats(0, 0, klPerDim, 0));
        assertEquals(2.0, free.trace().get(TraceKey.DIMS_BELOW_LAMBDA));

        engine.lossAndGradient(x, eps, free);
        double[] gFree = headBiasGradient(engine, latent);
        engine.lossAndGradient(x, eps, new LossWeights(1, new double[latent], Map.of()));
        double[] gNoKl = headBiasGradient(engine, latent);
        for (int j = 0; j < latent; j++) {
            boolean freed = free.kl()[j] == 0;
            for (int part = 0; part < 2; part++) { // μ_j, then log σ²_j
                int k = part * latent + j;
                if (freed) assertEquals(gNoKl[k], gFree[k], 1e-15, "freed dimension " + j + " part " + part);
                else assertNotEquals(gNoKl[k], gFree[k], "dimension " + j + " above λ must still get its KL gradient");
            }
        }
        assertTrue(free.kl()[0] + free.kl()[1] + free.kl()[2] + free.kl()[3] == 2);
    }

    /** The encoder head's bias [μ | log σ²] (2d entries) sits just before the decoder's parameters. */
    private static double[] headBiasGradient(NativeMlpEngine engine, int latent) {
        long encoderParams = (12 * 7 + 7) + (7 * 5 + 5) + (5 * 2 * latent + 2 * latent);
        double[] g = engine.gradient().toDoubleVector();
        return java.util.Arrays.copyOfRange(g, (int) encoderParams - 2 * latent, (int) encoderParams);
    }
}
