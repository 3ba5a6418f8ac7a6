package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * GECO, the generalized ELBO with constrained optimisation (Rezende &amp; Viola 2018, "Taming VAEs",
 * arXiv:1810.00597, Algorithm 1): minimise the KL subject to a reconstruction constraint, with a Lagrange
 * multiplier λ that the controller adapts.
 *
 * <p>Per step, with the batch's mean per-pixel squared error of the decoder mean ({@link BatchStats#sse()}/D):
 * <pre>
 *   C_batch = SSE/D − κ²                                   the constraint, ≤ 0 when met
 *   C_ma    = C_batch at the first step, then α·C_ma + (1 − α)·C_batch
 *   loss    = KL + λ·(C_batch + stopgrad(C_ma − C_batch))
 *   λ       ← clamp(λ·exp(ν·C_ma), λ_min, λ_max)           after the step's weights are fixed
 * </pre>
 * The loss's gradient is that of {@code KL + λ·C_batch}: loss coefficients {@code sse = λ/D} on the per-example
 * squared error, 1 on every KL dimension, and 0 on the decoder's own likelihood term Rec. So GECO trains any
 * decoder, Bernoulli included, through the squared error of its mean; the reported Rec stays the decoder's
 * likelihood. The step's weights use λ before its update, as in Algorithm 1. The trace records {@code lambda}
 * (the λ in force), {@code constraint} (C_batch) and {@code constraint_ma} (C_ma).
 *
 * <p>Defaults ({@link #withTarget(double)}): λ₀ = 1 and α = 0.99 (the paper). κ, the tolerated per-pixel RMS
 * error, depends on the data and has no default. ν is not given in the paper; vaelab uses ν = 0.1. C is measured in
 * per-pixel squared error, of order 10⁻¹ at the start and 10⁻³–10⁻² near the constraint, so λ then changes by
 * about 0.1 % per step: it adapts about ten times more slowly than the moving average forgets (≈ 100 steps at
 * α = 0.99), and does not overshoot. With ν = 1, a probe on dynamically binarised Fashion-MNIST (MLP
 * 784-512-256-32, κ = 0.3) drove λ from 1 to the clamp within 100 steps, because C_ma starts at the first batch's
 * large error and stays positive for its ~100-step memory; with ν = 0.1 (κ = 0.32) λ rose smoothly to about
 * 3·10³ within three epochs and settled as the constraint was met. λ is clamped to [10⁻⁶, 10⁶] so that a
 * constraint that cannot be met (or is met by far) does not drive it to 0 or overflow; Algorithm 1 has no clamp.
 *
 * <p>A batch whose squared error is not finite (a diverged run, which the trainer then stops) leaves C_ma and λ
 * unchanged.
 *
 * <p>Lifecycle: a controller with state (C_ma, λ). {@link #reset()} restores λ₀ and forgets C_ma;
 * {@link #copy()} returns an equal configuration with fresh state. Not thread-safe. Equality and the serialised
 * form (provenance, config hash) are the configuration only.
 */
public final class Geco implements Weighting {

    /**
     * GECO's settings.
     *
     * @param kappa      κ, the target per-pixel RMS error of the decoder mean (pixels in [0, 1]), finite and &gt; 0
     * @param alpha      α, the constraint's moving-average factor, in [0, 1)
     * @param nu         ν, the multiplier's rate, finite and &gt; 0
     * @param lambdaInit λ₀, in [lambdaMin, lambdaMax]
     * @param lambdaMin  the lower clamp of λ, finite and &gt; 0
     * @param lambdaMax  the upper clamp of λ, finite and ≥ lambdaMin
     */
    public record Config(double kappa, double alpha, double nu, double lambdaInit, double lambdaMin, double lambdaMax) {
        public Config {
            if (!Double.isFinite(kappa) || kappa <= 0)
                throw new IllegalArgumentException("GECO kappa (target per-pixel RMS error) must be finite and > 0, got " + kappa);
            if (!(alpha >= 0 && alpha < 1))
                throw new IllegalArgumentException("GECO alpha must be in [0, 1), got " + alpha + " (the paper uses 0.99)");
            if (!Double.isFinite(nu) || nu <= 0)
                throw new IllegalArgumentException("GECO nu must be finite and > 0, got " + nu);
            if (!Double.isFinite(lambdaMin) || lambdaMin <= 0)
                throw new IllegalArgumentException("GECO lambdaMin must be finite and > 0, got " + lambdaMin);
            if (!Double.isFinite(lambdaMax) || lambdaMax < lambdaMin)
                throw new IllegalArgumentException("GECO lambdaMax must be finite and ≥ lambdaMin = " + lambdaMin + ", got " + lambdaMax);
            if (!(lambdaInit >= lambdaMin && lambdaInit <= lambdaMax))
                throw new IllegalArgumentException("GECO lambdaInit must be in [" + lambdaMin + ", " + lambdaMax + "], got " + lambdaInit);
        }
    }

    /** ν when not given: see the class comment. */
    public static final double DEFAULT_NU = 0.1;
    /** The clamp of λ when not given. */
    public static final double DEFAULT_LAMBDA_MIN = 1e-6, DEFAULT_LAMBDA_MAX = 1e6;

    private final Config config;
    private double lambda;
    /** C_ma, or NaN before the first batch. */
    private double constraintMa;

    public Geco(Config config) {
        if (config == null) throw new IllegalArgumentException("GECO config must be set");
        this.config = config;
        reset();
    }

    /** λ₀ = 1, α = 0.99, ν = 0.1, λ ∈ [10⁻⁶, 10⁶], with the given target per-pixel RMS error κ. */
    public static Geco withTarget(double kappa) {
        return new Geco(new Config(kappa, 0.99, DEFAULT_NU, 1.0, DEFAULT_LAMBDA_MIN, DEFAULT_LAMBDA_MAX));
    }

    /** The configuration; also this weighting's serialised form. */
    @JsonValue
    public Config config() {
        return config;
    }

    /** λ in force for the next step. */
    public double lambda() {
        return lambda;
    }

    /** C_ma after the last step, NaN before the first. */
    public double constraintMovingAverage() {
        return constraintMa;
    }

    @Override
    public String label() {
        return "GECO κ=" + Format.number(config.kappa());
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        int dim = progress.inputDim();
        double constraint = batch.sse() / dim - config.kappa() * config.kappa();
        boolean finite = Double.isFinite(constraint);
        if (finite) constraintMa = Double.isNaN(constraintMa) ? constraint
                : config.alpha() * constraintMa + (1 - config.alpha()) * constraint;
        double[] kl = new double[progress.latentDim()];
        java.util.Arrays.fill(kl, 1.0);
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.LAMBDA, lambda);
        trace.put(TraceKey.CONSTRAINT, constraint);
        trace.put(TraceKey.CONSTRAINT_MA, constraintMa);
        LossWeights w = new LossWeights(0.0, lambda / dim, kl, trace);
        if (finite) lambda = Math.min(config.lambdaMax(), Math.max(config.lambdaMin(), lambda * Math.exp(config.nu() * constraintMa)));
        return w;
    }

    @Override
    public void reset() {
        lambda = config.lambdaInit();
        constraintMa = Double.NaN;
    }

    @Override
    public Geco copy() {
        return new Geco(config);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geco g && g.config.equals(config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public String toString() {
        return "Geco" + config + " state[lambda=" + lambda + ", C_ma=" + constraintMa + "]";
    }
}
