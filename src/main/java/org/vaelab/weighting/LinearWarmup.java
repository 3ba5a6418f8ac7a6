package org.vaelab.weighting;

import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * KL warm-up: β rises linearly from β₀ to β_max over the first N steps, then stays there,
 * <pre>  β_t = β₀ + (β_max − β₀)·min(1, t/N)</pre>
 * (Bowman et al. 2016, "Generating sentences from a continuous space", CoNLL, "KL cost annealing";
 * Sønderby et al. 2016, "Ladder variational autoencoders", NeurIPS, "warm-up"). With β_max = 1 this is
 * docs/theory.md §2's {@code β_t = β₀ + (1 − β₀)·min(1, t/N)}. Early on the decoder learns to reconstruct before the
 * KL term can pull the posterior onto the prior (posterior collapse).
 *
 * <p>Defaults ({@link #paperDefaults()}): β₀ = 0, β_max = 1, N = 10 epochs. He et al. (2019, "Lagging inference
 * networks and posterior collapse", ICLR) start from β₀ = 0.1 in their code ({@link #heEtAlCode()}).
 *
 * @param beta0   β at step 0, finite and ≥ 0
 * @param betaMax β after the warm-up, finite and ≥ 0 (1 gives the ELBO)
 * @param length  N, the warm-up length, in steps, epochs or a fraction of the run
 */
public record LinearWarmup(double beta0, double betaMax, Span length) implements Weighting {

    public LinearWarmup {
        if (!Double.isFinite(beta0) || beta0 < 0)
            throw new IllegalArgumentException("warm-up beta0 must be finite and ≥ 0, got " + beta0);
        if (!Double.isFinite(betaMax) || betaMax < 0)
            throw new IllegalArgumentException("warm-up betaMax must be finite and ≥ 0, got " + betaMax);
        if (length == null) throw new IllegalArgumentException("warm-up length must be set, e.g. Span.epochs(10)");
    }

    /** β₀ = 0 to β = 1 over 10 epochs (Bowman et al. 2016; Sønderby et al. 2016). */
    public static LinearWarmup paperDefaults() {
        return new LinearWarmup(0, 1, Span.epochs(10));
    }

    /** β₀ = 0.1 to β = 1 over 10 epochs, as in the code of He et al. (2019). */
    public static LinearWarmup heEtAlCode() {
        return new LinearWarmup(0.1, 1, Span.epochs(10));
    }

    /** From 0 to 1 over N optimiser steps. */
    public static LinearWarmup overSteps(long n) {
        return new LinearWarmup(0, 1, Span.steps(n));
    }

    /** From 0 to 1 over N epochs, converted with {@link Progress#stepsPerEpoch()}. */
    public static LinearWarmup overEpochs(double n) {
        return new LinearWarmup(0, 1, Span.epochs(n));
    }

    /** β at step t of a run at {@code p}. */
    public double beta(Progress p) {
        double n = length.inSteps(p);
        return beta0 + (betaMax - beta0) * Math.min(1.0, p.step() / n);
    }

    @Override
    public String label() {
        String range = beta0 == 0 && betaMax == 1 ? "" : " β " + Format.number(beta0) + "→" + Format.number(betaMax) + ",";
        return "warm-up" + range + " " + length.label();
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        return LossWeights.beta(beta(progress), progress.latentDim());
    }
}
