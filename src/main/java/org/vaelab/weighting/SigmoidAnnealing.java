package org.vaelab.weighting;

import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * Sigmoid KL annealing: β follows a logistic curve from ≈ 0 to 1,
 * <pre>  β_t = 1 / (1 + exp(−k·(t − t₀)))</pre>
 * (Bowman et al. 2016, "Generating sentences from a continuous space", CoNLL: the sigmoid-shaped KL weight they
 * plot; this logistic form is its common implementation). β = ½ at the midpoint t₀; k sets how fast it rises:
 * from 0.01 to 0.99 takes 2·ln 99 / k ≈ 9.2/k steps.
 *
 * <p>Both are given relative to the run length T ({@link Progress#totalSteps()}): {@code t₀ = midpoint·T},
 * {@code k = steepness/T}, so the curve keeps its shape when the epoch count changes. Bowman et al. give no
 * numbers that carry over to another data set, so the defaults ({@link #defaults()}) are vaelab's choice: the
 * midpoint at a quarter of the run and k·T = 20, i.e. β = 0.007 at the start, 0.99 at 0.48·T: the first half of
 * the run anneals, the second half trains the ELBO.
 *
 * @param midpoint  t₀/T, where β = ½, finite and ≥ 0
 * @param steepness k·T, finite and &gt; 0
 */
public record SigmoidAnnealing(double midpoint, double steepness) implements Weighting {

    public SigmoidAnnealing {
        if (!Double.isFinite(midpoint) || midpoint < 0)
            throw new IllegalArgumentException("sigmoid midpoint t0/T must be finite and ≥ 0, got " + midpoint);
        if (!Double.isFinite(steepness) || steepness <= 0)
            throw new IllegalArgumentException("sigmoid steepness k·T must be finite and > 0, got " + steepness);
    }

    /** t₀ = T/4, k = 20/T (see the class comment). */
    public static SigmoidAnnealing defaults() {
        return new SigmoidAnnealing(0.25, 20);
    }

    /** β at step t of a run at {@code p}. */
    public double beta(Progress p) {
        double t = p.totalSteps();
        return 1.0 / (1.0 + Math.exp(-steepness / t * (p.step() - midpoint * t)));
    }

    @Override
    public String label() {
        return "sigmoid t0=" + Format.number(midpoint) + "T k=" + Format.number(steepness) + "/T";
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        return LossWeights.beta(beta(progress), progress.latentDim());
    }
}
