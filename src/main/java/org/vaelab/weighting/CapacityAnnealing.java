package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * Controlled capacity increase (Burgess et al. 2018, "Understanding disentangling in β-VAE", arXiv:1804.03599):
 * <pre>  L = Rec + γ·|KL − C_t|,   C_t = C_max·min(1, t/T_C)</pre>
 * The KL is held near a target capacity C_t that grows linearly, so the model gains information about the data a
 * few nats at a time.
 *
 * <p>Gradient: {@code ∂|KL − C_t|/∂θ = sign(KL − C_t)·∂KL/∂θ}, with the sign taken from the batch's KL. So the KL
 * weight is {@code γ·sign(KL_batch − C_t)} on every dimension, and it is <em>negative</em> while the rate is below
 * capacity: the term then pushes the KL up towards C_t (hence {@link LossWeights} accepts negative KL weights).
 * At KL = C_t exactly the weight is 0. The trace records {@code capacity} (C_t) and {@code kl_weight} (±γ); it is
 * deliberately not called {@code beta}, since a weight that flips between ±1000 is not a β on any useful scale.
 *
 * <p>Defaults ({@link #paperDefaults()}): γ = 1000 and C_max = 25 nats, from the paper. The paper raises C over
 * T_C = 10⁵ iterations; vaelab's runs are far shorter, so T_C is scaled to the run: by default C reaches C_max
 * halfway through (T_C = T/2), and the second half trains at full capacity.
 *
 * @param gamma       γ, finite and &gt; 0
 * @param capacityMax C_max in nats, finite and ≥ 0
 * @param rampLength  T_C, in steps, epochs or a fraction of the run
 */
public record CapacityAnnealing(double gamma, double capacityMax, Span rampLength) implements Weighting {

    public CapacityAnnealing {
        if (!Double.isFinite(gamma) || gamma <= 0)
            throw new IllegalArgumentException("capacity gamma must be finite and > 0, got " + gamma + " (the paper uses 1000)");
        if (!Double.isFinite(capacityMax) || capacityMax < 0)
            throw new IllegalArgumentException("capacity C_max must be finite and ≥ 0 nats, got " + capacityMax);
        if (rampLength == null) throw new IllegalArgumentException("capacity ramp length T_C must be set, e.g. Span.ofRun(0.5)");
    }

    /** γ = 1000, C_max = 25 nats, T_C = half the run (see the class comment). */
    public static CapacityAnnealing paperDefaults() {
        return new CapacityAnnealing(1000, 25, Span.ofRun(0.5));
    }

    /** C_t in nats at step t of a run at {@code p}. */
    public double capacity(Progress p) {
        return capacityMax * Math.min(1.0, p.step() / rampLength.inSteps(p));
    }

    @Override
    public String label() {
        return "capacity C=" + Format.number(capacityMax) + " γ=" + Format.number(gamma);
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        double c = capacity(progress);
        // sign(KL − C_t); a NaN KL (a diverged batch, which the trainer then stops) gives 0, not NaN.
        double w = batch.kl() > c ? gamma : batch.kl() < c ? -gamma : 0;
        double[] kl = new double[progress.latentDim()];
        java.util.Arrays.fill(kl, w);
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.CAPACITY, c);
        trace.put(TraceKey.KL_WEIGHT, w);
        return new LossWeights(1.0, kl, trace);
    }
}
