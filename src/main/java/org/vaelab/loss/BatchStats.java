package org.vaelab.loss;

/**
 * What a forward pass on one minibatch measured, averaged over the batch (docs/theory.md convention:
 * summed over pixels / latent dimensions per example, then averaged over examples).
 *
 * @param rec       mean reconstruction term −log p(x|z) in nats (one z sample per example)
 * @param kl        mean KL(q(z|x) ‖ N(0, I)) in nats
 * @param klPerDim  mean KL of each latent dimension; sums to {@code kl}
 * @param sse       mean per-example squared error Σ_pixels (x − x̂)², with x̂ the decoder mean
 */
public record BatchStats(double rec, double kl, double[] klPerDim, double sse) {
    public BatchStats {
        klPerDim = klPerDim.clone();
    }

    @Override
    public double[] klPerDim() {
        return klPerDim.clone();
    }

    /** True if every number is finite (the divergence guard's test). */
    public boolean isFinite() {
        if (!Double.isFinite(rec) || !Double.isFinite(kl) || !Double.isFinite(sse)) return false;
        for (double v : klPerDim) if (!Double.isFinite(v)) return false;
        return true;
    }
}
