package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * ControlVAE (Shao et al. 2020, "ControlVAE: Controllable variational autoencoder", ICML, arXiv:2004.05988): a
 * nonlinear PI controller sets β every step so that the KL settles at a set point. With the batch's KL:
 * <pre>
 *   e_t = KL_target − KL_t
 *   β_t = K_p / (1 + exp(e_t)) − K_i·Σ_{j≤t} e_j + β_min,   clipped to [β_min, β_max]
 * </pre>
 * KL above target (e &lt; 0) raises β through both terms; KL below target lowers it. The proportional term lies in
 * (0, K_p), so the integral does the long-run work.
 *
 * <p><b>Anti-windup.</b> While β is clipped, the integral is frozen, so it does not keep growing while the output
 * cannot follow it (docs/theory.md §2). vaelab freezes it only in the saturating direction: when the last β was
 * clipped at β_max (β_min) and this step's error would raise (lower) the integral term further. A freeze in both
 * directions can lock β at a bound for good: once the integral term alone exceeds β_max − β_min, nothing but the
 * frozen integral could bring the output back, and it is frozen. Integration in the direction that leaves the
 * bound is therefore allowed (conditional integration, the usual form of this anti-windup).
 *
 * <p><b>Gains.</b> {@link #paperGains(double)}: K_p = 0.01, K_i = 10⁻⁴ (the paper). {@link #officialImageCode(double)}:
 * the official image-generation code ({@code shj1987/ControlVAE-ICML2020}, {@code Image_generation/PID.py}) uses
 * {@code Kp = 0.001, Ki = −0.001} and clips β to [0, 1]; its integral is {@code I ← I + Ki·e} and β = P + I, which
 * in the formula above is K_i = +0.001 (the code's sign convention is the opposite one). Its anti-windup test
 * ({@code W < 0 and W >= 1}) can never be true, so that code has none in effect; vaelab keeps the anti-windup above
 * for both gain sets.
 *
 * <p>The trace records {@code beta} (β in force), {@code error} (e_t), {@code p_term} and {@code i_term}
 * (−K_i·Σe). A batch whose KL is not finite (a diverged run, which the trainer then stops) keeps the last β and
 * leaves the state unchanged.
 *
 * <p>Lifecycle: a controller with state (Σe, the last β and whether it was clipped). {@link #reset()} restores
 * the initial state; {@link #copy()} returns an equal configuration with fresh state. Not thread-safe. Equality and
 * the serialised form (provenance, config hash) are the configuration only.
 */
public final class ControlVae implements Weighting {

    /**
     * ControlVAE's settings.
     *
     * @param klTarget the KL set point in nats, finite and ≥ 0
     * @param kp       K_p, finite and ≥ 0
     * @param ki       K_i in the convention {@code β = P − K_i·Σe + β_min}, finite and ≥ 0
     * @param betaMin  lower bound of β, finite and ≥ 0
     * @param betaMax  upper bound of β, finite and ≥ betaMin
     */
    public record Config(double klTarget, double kp, double ki, double betaMin, double betaMax) {
        public Config {
            if (!Double.isFinite(klTarget) || klTarget < 0)
                throw new IllegalArgumentException("ControlVAE KL target must be finite and ≥ 0 nats, got " + klTarget);
            if (!Double.isFinite(kp) || kp < 0)
                throw new IllegalArgumentException("ControlVAE K_p must be finite and ≥ 0, got " + kp);
            if (!Double.isFinite(ki) || ki < 0)
                throw new IllegalArgumentException("ControlVAE K_i must be finite and ≥ 0 (β = P − K_i·Σe + β_min), got " + ki);
            if (!Double.isFinite(betaMin) || betaMin < 0)
                throw new IllegalArgumentException("ControlVAE betaMin must be finite and ≥ 0, got " + betaMin);
            if (!Double.isFinite(betaMax) || betaMax < betaMin)
                throw new IllegalArgumentException("ControlVAE betaMax must be finite and ≥ betaMin = " + betaMin + ", got " + betaMax);
        }
    }

    private final Config config;
    private double errorSum;
    private double beta;
    /** +1 if the last β was clipped at β_max, −1 at β_min, 0 if not clipped. */
    private int clipped;

    public ControlVae(Config config) {
        if (config == null) throw new IllegalArgumentException("ControlVAE config must be set");
        this.config = config;
        reset();
    }

    /** The paper's gains K_p = 0.01, K_i = 10⁻⁴, with β ∈ [0, 1]. */
    public static ControlVae paperGains(double klTarget) {
        return new ControlVae(new Config(klTarget, 0.01, 1e-4, 0, 1));
    }

    /** The official image-generation code's gains: K_p = 0.001, K_i = 0.001 in this class's sign convention, β ∈ [0, 1]. */
    public static ControlVae officialImageCode(double klTarget) {
        return new ControlVae(new Config(klTarget, 0.001, 0.001, 0, 1));
    }

    /** The configuration; also this weighting's serialised form. */
    @JsonValue
    public Config config() {
        return config;
    }

    /** β of the last step (0 before the first). */
    public double beta() {
        return beta;
    }

    /** Σ e_j over the steps integrated so far. */
    public double errorSum() {
        return errorSum;
    }

    @Override
    public String label() {
        return "ControlVAE KL=" + Format.number(config.klTarget());
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        double e = config.klTarget() - batch.kl();
        double p = Double.NaN;
        if (Double.isFinite(e)) {
            p = config.kp() / (1 + Math.exp(e));
            // The integral term −K_i·Σe moves by −K_i·e: skip it if that pushes further past the bound β sits at.
            double di = -config.ki() * e;
            boolean windup = (clipped > 0 && di > 0) || (clipped < 0 && di < 0);
            if (!windup) errorSum += e;
            double raw = p - config.ki() * errorSum + config.betaMin();
            clipped = raw > config.betaMax() ? 1 : raw < config.betaMin() ? -1 : 0;
            beta = Math.min(config.betaMax(), Math.max(config.betaMin(), raw));
        }
        double[] kl = new double[progress.latentDim()];
        java.util.Arrays.fill(kl, beta);
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.BETA, beta);
        trace.put(TraceKey.ERROR, e);
        trace.put(TraceKey.P_TERM, p);
        trace.put(TraceKey.I_TERM, -config.ki() * errorSum);
        return new LossWeights(1.0, kl, trace);
    }

    @Override
    public void reset() {
        errorSum = 0;
        beta = 0;
        clipped = 0;
    }

    @Override
    public ControlVae copy() {
        return new ControlVae(config);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlVae c && c.config.equals(config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public String toString() {
        return "ControlVae" + config + " state[Σe=" + errorSum + ", beta=" + beta + ", clipped=" + clipped + "]";
    }
}
