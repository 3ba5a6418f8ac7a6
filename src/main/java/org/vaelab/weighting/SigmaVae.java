package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * The σ-VAE (Rybkin, Daniilidis &amp; Levine 2021, "Simple and effective VAE training with calibrated decoders",
 * ICML, arXiv:2006.13202): a Gaussian decoder whose variance σ², shared by all pixels, is calibrated instead of
 * fixed, with β = 1. Since {@code −log N(x; m, σ²I) = SSE/(2σ²) + D·log σ + (D/2)·log 2π}, a fixed σ is a hidden
 * β = 2σ² (docs/theory.md §1); calibrating σ removes the knob.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link Mode#LEARNED}: σ is a trained scalar. A raw parameter s is soft-clipped,
 *       {@code log σ = −6 + softplus(s + 6)}, and learned by gradient descent on the batch-mean Rec:
 *       {@code ∂Rec/∂log σ = D − SSE/σ²}, times the soft-clip's derivative {@code sigmoid(s + 6)}. The scalar has
 *       its own Adam (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸) at {@code learningRate} (default 10⁻³, the usual Adam step and
 *       the shootout's network learning rate; the weighting does not see the run's). s starts at 0 (σ ≈ 1) as in
 *       the official code, and is updated after the step's weights are fixed, with the same batch: network and σ
 *       take one simultaneous gradient step.</li>
 *   <li>{@link Mode#OPTIMAL}: σ is set in closed form on every batch to its maximum-likelihood value
 *       {@code σ*² = SSE/D} (mean over batch and pixels of the squared error), which makes
 *       {@code Rec = (D/2)·log σ*² + D/2 + (D/2)·log 2π}. Only a hard floor σ ≥ e⁻⁶ keeps a perfect batch finite.
 *       Deviation: the official code passes log σ* through the same soft clip as the learned σ, which biases σ up
 *       by the factor {@code exp(log1p(exp(−(log σ* + 6))))}, 1.2 % at σ* = 0.2; vaelab uses σ* itself, so Rec is
 *       exactly the closed form.</li>
 * </ul>
 * Either way, the network's gradient is that of the Gaussian term at the step's σ_t, held constant: loss
 * coefficients {@code sse = 1/(2σ_t²)}, 1 on every KL dimension, and 0 on the engine's own Rec. (In OPTIMAL mode
 * this is also the exact gradient of {@code (D/2)·log σ*²}, since {@code ∂/∂θ (D/2)·log(SSE/D) = ∂SSE/∂θ / (2σ*²)}.)
 *
 * <p>The run's decoder must be Gaussian. The trainer gives the engine the current σ after every step
 * ({@link DecoderSigma}), so reported Rec and ELBO use the calibrated σ; after training, the learned σ or the
 * last batch's σ* (the official code evaluates with each test batch's own σ*; vaelab keeps the training value, so
 * the test set does not calibrate its own score). The trace records {@code beta} (1) and {@code sigma} (σ_t). A
 * batch whose squared error is not finite (a diverged run, which the trainer then stops) keeps the last σ.
 *
 * <p>Lifecycle: LEARNED keeps state (s and its Adam moments), OPTIMAL the last σ*. {@link #reset()} restores the
 * initial state; {@link #copy()} returns an equal configuration with fresh state. Not thread-safe. Equality and
 * the serialised form (provenance, config hash) are the configuration only.
 */
public final class SigmaVae implements Weighting, DecoderSigma {

    /** How σ is calibrated. */
    public enum Mode {
        /** A learned scalar log σ, soft-clipped at −6. */
        LEARNED,
        /** σ*² = SSE/D of each batch. */
        OPTIMAL
    }

    /**
     * σ-VAE settings.
     *
     * @param mode         learned or optimal σ
     * @param learningRate the Adam step size of the learned log σ, finite and &gt; 0 (unused by OPTIMAL, recorded as 0)
     */
    public record Config(Mode mode, double learningRate) {
        public Config {
            if (mode == null) throw new IllegalArgumentException("σ-VAE mode must be LEARNED or OPTIMAL, got null");
            if (mode == Mode.OPTIMAL) learningRate = 0;
            else if (!Double.isFinite(learningRate) || learningRate <= 0)
                throw new IllegalArgumentException("σ-VAE learning rate must be finite and > 0, got " + learningRate);
        }
    }

    /** The soft clip's floor for the learned log σ, and the hard floor of the optimal one. */
    public static final double LOG_SIGMA_FLOOR = -6;
    private static final double ADAM_B1 = 0.9, ADAM_B2 = 0.999, ADAM_EPS = 1e-8;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Config config;
    /** LEARNED: the raw parameter s and its Adam state. */
    private double raw, m, v;
    private long adamSteps;
    /** σ after the last step; NaN in OPTIMAL mode before the first batch. */
    private double sigma;

    public SigmaVae(Config config) {
        if (config == null) throw new IllegalArgumentException("σ-VAE config must be set");
        this.config = config;
        reset();
    }

    /** A learned σ, Adam at 10⁻³. */
    public static SigmaVae learned() {
        return new SigmaVae(new Config(Mode.LEARNED, 1e-3));
    }

    /** The closed-form optimal σ of each batch. */
    public static SigmaVae optimal() {
        return new SigmaVae(new Config(Mode.OPTIMAL, 0));
    }

    /** {@code −6 + softplus(s + 6)}, computed without overflow. */
    public static double softClip(double logSigma) {
        double a = logSigma - LOG_SIGMA_FLOOR;
        return LOG_SIGMA_FLOOR + Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
    }

    /** Per-example Gaussian reconstruction term: {@code SSE/(2σ²) + D·log σ + (D/2)·log 2π}. */
    public static double gaussianRec(double sse, double sigma, int inputDim) {
        return sse / (2 * sigma * sigma) + inputDim * (Math.log(sigma) + HALF_LOG_2PI);
    }

    /** The same at σ = σ*: {@code (D/2)·log σ*² + D/2 + (D/2)·log 2π}, with {@code σ*² = SSE/D}. */
    public static double optimalRec(double sse, int inputDim) {
        return 0.5 * inputDim * (Math.log(sse / inputDim) + 1) + inputDim * HALF_LOG_2PI;
    }

    /** The configuration; also this weighting's serialised form. */
    @JsonValue
    public Config config() {
        return config;
    }

    @Override
    public double sigma() {
        if (Double.isNaN(sigma)) throw new IllegalStateException("the optimal σ is not known before the first batch");
        return sigma;
    }

    @Override
    public String label() {
        return "σ-VAE " + config.mode().name().toLowerCase();
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        int dim = progress.inputDim();
        double sse = batch.sse();
        double used;
        if (config.mode() == Mode.OPTIMAL) {
            if (Double.isFinite(sse) && sse >= 0) sigma = Math.max(Math.sqrt(sse / dim), Math.exp(LOG_SIGMA_FLOOR));
            // Only a first batch that is already not finite leaves σ unknown; the trainer stops that run.
            used = Double.isNaN(sigma) ? 1 : sigma;
        } else {
            used = sigma;
            if (Double.isFinite(sse)) learn(sse, dim);
        }
        double[] kl = new double[progress.latentDim()];
        java.util.Arrays.fill(kl, 1.0);
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.BETA, 1.0);
        trace.put(TraceKey.SIGMA, used);
        return new LossWeights(0.0, 1 / (2 * used * used), kl, trace);
    }

    /** One Adam step on s with ∂Rec/∂s = (D − SSE/σ²)·sigmoid(s + 6), at the current σ. */
    private void learn(double sse, int dim) {
        double s2 = sigma * sigma;
        double g = (dim - sse / s2) / (1 + Math.exp(-(raw - LOG_SIGMA_FLOOR)));
        adamSteps++;
        m = ADAM_B1 * m + (1 - ADAM_B1) * g;
        v = ADAM_B2 * v + (1 - ADAM_B2) * g * g;
        double mHat = m / (1 - Math.pow(ADAM_B1, adamSteps)), vHat = v / (1 - Math.pow(ADAM_B2, adamSteps));
        raw -= config.learningRate() * mHat / (Math.sqrt(vHat) + ADAM_EPS);
        sigma = Math.exp(softClip(raw));
    }

    @Override
    public void reset() {
        raw = 0;
        m = 0;
        v = 0;
        adamSteps = 0;
        sigma = config.mode() == Mode.LEARNED ? Math.exp(softClip(raw)) : Double.NaN;
    }

    @Override
    public SigmaVae copy() {
        return new SigmaVae(config);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmaVae s && s.config.equals(config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public String toString() {
        return "SigmaVae" + config + " state[sigma=" + sigma + ", s=" + raw + "]";
    }
}
