package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Activation;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.ModelParameters.Dense;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.VaeArchitecture;

/**
 * The reported ELBO, Rec and IW-NLL of the real MLP engine with a Gaussian decoder on continuous pixels, against the
 * closed form, normaliser included. The network is built so that the answer is exact: the encoder's output layer is
 * zero (q(z|x) = N(0, I), the prior, so KL = 0) and the decoder's output weights are zero (its mean m = sigmoid(b)
 * whatever z is). Then every importance weight p(x|z)p(z)/q(z|x) equals p(x) = N(x; m, σ²I), so
 * <pre>  −ELBO = IW-NLL = Σ_p (x_p − m_p)²/(2σ²) + (D/2)·log 2πσ²   for every K,</pre>
 * and a σ changed after training (as the σ-VAE's is) must change the numbers by exactly that formula.
 */
class GaussianDecoderKnownAnswerTest {

    private static final int D = 12, N = 40;

    @Test
    void elboAndIwNllAreTheGaussianDensityWithItsNormaliser() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] logits = new float[D];
        for (int p = 0; p < D; p++) logits[p] = (float) (2 * rng.nextDouble() - 1);
        float[] px = new float[N * D];
        for (int i = 0; i < px.length; i++) px[i] = (float) rng.nextDouble();
        ImageDataset test = new ImageDataset("uniform", px, N, 3, 4, new int[N], "none");

        VaeArchitecture arch = VaeArchitecture.gaussian(D, List.of(5), 2, Activation.TANH, 0.3);
        ModelParameters params = new ModelParameters(arch,
                List.of(dense(D, 5, rng, 1), dense(5, 4, rng, 0)),
                List.of(dense(2, 5, rng, 1), new Dense(5, D, new float[5 * D], logits)));
        try (NativeMlpEngine engine = NativeMlpEngine.fromParameters(params, 16)) {
            for (double sigma : new double[] {0.3, 0.05, 1.7}) {
                engine.setDecoderSigma(sigma);
                double expected = 0;
                for (int i = 0; i < N; i++)
                    for (int p = 0; p < D; p++) {
                        double m = 1 / (1 + Math.exp(-logits[p])), r = px[i * D + p] - m;
                        expected += r * r / (2 * sigma * sigma) / N;
                    }
                expected += 0.5 * D * Math.log(2 * Math.PI * sigma * sigma);
                Map<MetricId, Double> m = TestSetEvaluator.evaluate(engine, test, Binarization.NONE, 7, 50).metrics();
                double tol = 1e-4 * Math.max(1, Math.abs(expected));
                assertEquals(0, m.get(MetricId.KL), 1e-6, "q(z|x) is the prior");
                assertEquals(expected, m.get(MetricId.REC), tol, "Rec at σ = " + sigma);
                assertEquals(-expected, m.get(MetricId.ELBO), tol, "ELBO at σ = " + sigma);
                assertEquals(expected, m.get(MetricId.IW_NLL), tol, "IW-NLL at σ = " + sigma);
                assertEquals(0, m.get(MetricId.IW_GAP), tol, "the ELBO is tight: every weight is p(x)");
                assertEquals(0, m.get(MetricId.IW_NLL_MC_SE), 1e-6, "equal weights have no Monte-Carlo error");
            }
        }
    }

    /** A dense layer with uniform weights in ±scale (0 gives the zero layer). */
    private static Dense dense(int in, int out, SplittableRandom rng, double scale) {
        float[] w = new float[in * out], b = new float[out];
        for (int i = 0; i < w.length; i++) w[i] = (float) (scale * (2 * rng.nextDouble() - 1));
        for (int i = 0; i < b.length; i++) b[i] = (float) (scale * (2 * rng.nextDouble() - 1));
        return new Dense(in, out, w, b);
    }
}
