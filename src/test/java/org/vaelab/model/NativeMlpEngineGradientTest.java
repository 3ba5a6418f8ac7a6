package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.loss.LossWeights;

/**
 * Every entry of the hand-written gradient against finite differences, in double precision, for both
 * likelihoods and both activations, with rec weight ≠ 1, unequal (including zero and negative) per-dimension KL
 * weights, and a squared-error weight of zero or not (alone, and beside the likelihood's Rec), so that each term
 * of the reparameterised backward pass is exercised separately. The noise ε is held fixed, so the loss is a
 * deterministic function of the parameters.
 */
class NativeMlpEngineGradientTest {

    /** Details such as timings and gradient-check errors are printed only with {@code -Dvaelab.verbose=true}. */
    private static final boolean VERBOSE = Boolean.getBoolean("vaelab.verbose");

    private static final int D = 12, LATENT = 3, BATCH = 16;
    private static final double H = 1e-4;
    /**
     * Pass if |analytic − numeric| ≤ REL·max(|analytic|, |numeric|) + ABS. ABS covers the rounding noise of
     * the difference quotient, about ulp(L)/h ≈ 1e-11 here; the worst relative error is reported for entries
     * of at least SMALL, below which that noise could dominate it.
     */
    private static final double REL = 1e-5, ABS = 1e-9, SMALL = 1e-5;

    static Stream<Arguments> cases() {
        double[][] klWeights = {{0.3, 1.7, 0.9}, {0.0, 2.5, 0.0}, {-0.6, 1.2, 0.4}};
        // {rec, sse}: the likelihood alone, the likelihood plus squared error, squared error alone (GECO, σ-VAE).
        double[][] recSse = {{0.7, 0}, {0.7, 1.3}, {0, 2.1}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (Likelihood lik : Likelihood.values())
            for (Activation act : Activation.values())
                for (double[] kl : klWeights)
                    for (double[] rs : recSse) {
                        // The negative KL weights (capacity annealing) are checked on the plain likelihood only.
                        if (kl[0] < 0 && rs[1] != 0) continue;
                        b.add(Arguments.of(lik, act, kl, rs[0], rs[1]));
                    }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} kl={2} rec={3} sse={4}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(Likelihood lik, Activation act, double[] kl, double rec, double sse) {
        VaeArchitecture arch = lik == Likelihood.BERNOULLI
                ? VaeArchitecture.bernoulli(D, List.of(7, 5), LATENT, act)
                : VaeArchitecture.gaussian(D, List.of(7, 5), LATENT, act, 0.3);
        NativeMlpEngine engine = new NativeMlpEngine(arch, BATCH, 1e-3, 11, DataType.DOUBLE);
        // With both terms present, a σ set after construction (the σ-VAE's path) must reach the backward pass too.
        if (lik == Likelihood.GAUSSIAN && rec != 0 && sse != 0) engine.setDecoderSigma(0.45);
        Random rng = new Random(2024);
        // Perturbed weights and positive biases: the biases' role in the forward pass is tested too, and few
        // ReLU units are dead on the whole batch (a dead unit's weights have gradient exactly 0, which checks little).
        INDArray theta = engine.parameters();
        for (int i = 0; i < theta.length(); i++) {
            boolean bias = engine.describeParameter(i).contains(".b[");
            theta.putScalar(i, bias ? 0.05 + 0.25 * rng.nextDouble() : theta.getDouble(i) + 0.1 * rng.nextGaussian());
        }
        INDArray x = EngineFixtures.uniform(rng, BATCH, D, DataType.DOUBLE);
        INDArray eps = EngineFixtures.normal(rng, BATCH, LATENT, DataType.DOUBLE);
        LossWeights w = new LossWeights(rec, sse, kl, Map.of());

        double loss = engine.lossAndGradient(x, eps, w);
        double[] analytic = engine.gradient().toDoubleVector();
        assertEquals(loss, engine.loss(x, eps, w), 1e-12, "loss() and lossAndGradient() disagree");

        int skipped = 0;
        double worst = 0;
        int worstAt = -1, small = 0;
        double worstSmall = 0;
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < analytic.length; i++) {
            double t0 = theta.getDouble(i);
            double up1 = lossAt(engine, i, t0 + H, x, eps, w), down1 = lossAt(engine, i, t0 - H, x, eps, w);
            double up2 = lossAt(engine, i, t0 + 2 * H, x, eps, w), down2 = lossAt(engine, i, t0 - 2 * H, x, eps, w);
            theta.putScalar(i, t0);
            double central1 = (up1 - down1) / (2 * H), central2 = (up2 - down2) / (4 * H);
            // Five-point stencil: truncation error O(h⁴), so h can be large enough to keep rounding noise
            // (≈ ulp(L)/h) far below the tolerance.
            double numeric = (4 * central1 - central2) / 3;
            // A ReLU kink within ±2h makes the two central differences disagree far beyond the O(h²) gap a
            // smooth loss gives; such entries have no derivative to compare against.
            if (act == Activation.RELU && Math.abs(central1 - central2) > 1e-4 * Math.max(1e-2, Math.abs(numeric))) {
                skipped++;
                continue;
            }
            double err = Math.abs(analytic[i] - numeric);
            double scale = Math.max(Math.abs(analytic[i]), Math.abs(numeric));
            if (scale < SMALL) {
                small++;
                worstSmall = Math.max(worstSmall, err);
            } else if (err / scale > worst) {
                worst = err / scale;
                worstAt = i;
            }
            if (err > REL * scale + ABS && failures.length() < 2000)
                failures.append(String.format("%n  %s: analytic %.10g, numeric %.10g",
                        engine.describeParameter(i), analytic[i], numeric));
        }
        if (VERBOSE) System.out.printf("%s %s kl=%s rec=%s sse=%s: %d entries, %d skipped at kinks; worst relative error %.2e (%s, "
                        + "analytic %.4g); %d entries below %.0e, worst absolute error %.1e%n",
                lik, act, java.util.Arrays.toString(kl), rec, sse, analytic.length, skipped, worst,
                worstAt < 0 ? "-" : engine.describeParameter(worstAt), worstAt < 0 ? 0 : analytic[worstAt],
                small, SMALL, worstSmall);
        if (failures.length() > 0) fail("gradient mismatch (" + lik + ", " + act + "):" + failures);
        assertTrue(skipped <= analytic.length / 100, "too many entries at ReLU kinks: " + skipped);
        assertTrue(worst < REL, "worst relative error " + worst);
    }

    private static double lossAt(NativeMlpEngine engine, int i, double value, INDArray x, INDArray eps, LossWeights w) {
        engine.parameters().putScalar(i, value);
        return engine.loss(x, eps, w);
    }

    /** With zero weight on reconstruction, the decoder receives no gradient and the encoder only the KL's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("likelihoods")
    void zeroRecWeightLeavesDecoderWithoutGradient(Likelihood lik) {
        VaeArchitecture arch = lik == Likelihood.BERNOULLI
                ? VaeArchitecture.bernoulli(D, List.of(7, 5), LATENT, Activation.TANH)
                : VaeArchitecture.gaussian(D, List.of(7, 5), LATENT, Activation.TANH, 0.3);
        NativeMlpEngine engine = new NativeMlpEngine(arch, BATCH, 1e-3, 3, DataType.DOUBLE);
        Random rng = new Random(5);
        INDArray x = EngineFixtures.uniform(rng, BATCH, D, DataType.DOUBLE);
        INDArray eps = EngineFixtures.normal(rng, BATCH, LATENT, DataType.DOUBLE);
        engine.lossAndGradient(x, eps, new LossWeights(0, new double[]{1, 1, 1}, Map.of()));
        double[] g = engine.gradient().toDoubleVector();
        long encoderParams = (D * 7 + 7) + (7 * 5 + 5) + (5 * 2 * LATENT + 2 * LATENT);
        for (int i = (int) encoderParams; i < g.length; i++)
            assertEquals(0.0, g[i], 0.0, engine.describeParameter(i));
    }

    static Stream<Likelihood> likelihoods() {
        return Stream.of(Likelihood.values());
    }
}
