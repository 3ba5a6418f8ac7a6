package org.vaelab.weighting;

import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * β-VAE: loss {@code Rec + β·KL} with a constant β (Higgins et al. 2017, "β-VAE: Learning basic visual
 * concepts with a constrained variational framework", ICLR). β = 1 is the plain ELBO. With a Gaussian decoder
 * of variance σ², a β-VAE on summed squared error is the same model as a Gaussian VAE with β = 2σ²
 * (docs/theory.md §1), so choosing β is choosing the assumed pixel noise.
 *
 * @param beta the KL weight, finite and ≥ 0
 */
public record ConstantBeta(double beta) implements Weighting {

    public ConstantBeta {
        if (!Double.isFinite(beta) || beta < 0)
            throw new IllegalArgumentException("beta must be finite and ≥ 0, got " + beta + " (try a value in [0.1, 8])");
    }

    @Override
    public String label() {
        return "β=" + Format.number(beta);
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        return LossWeights.beta(beta, progress.latentDim());
    }
}
