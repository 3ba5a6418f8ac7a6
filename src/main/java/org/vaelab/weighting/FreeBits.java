package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * Free bits (Kingma et al. 2016, "Improved variational inference with inverse autoregressive flow", NeurIPS,
 * arXiv:1606.04934, the "free bits" of its appendix): every latent dimension j is granted λ nats for free,
 * <pre>  L = Rec + Σ_j max(λ, E_batch[KL_j])</pre>
 * A dimension whose batch-mean KL is at most λ pays the constant λ, so its KL gets no gradient and the encoder
 * has no reason to shut it down; a dimension above λ pays its KL as in the ELBO.
 *
 * <p>As loss coefficients: {@code rec = 1}, {@code kl[j] = 1} if the batch mean {@code KL_j > λ}, else 0 (at
 * {@code KL_j = λ} exactly, 0: the subgradient of the kink that keeps the dimension free). Groups of dimensions,
 * which the paper also allows, are not implemented: each dimension is its own group. The trace records
 * {@code lambda} and {@code dims_below_lambda}; there is no single β (each dimension's weight is 0 or 1).
 *
 * <p>Default ({@link #paperDefaults()}): λ = 0.25 nats per dimension, as in openai/iaf; the paper sweeps
 * {0.1, 0.25, 0.5, 1} (docs/theory.md §2).
 *
 * @param lambda λ, the free nats per dimension, finite and ≥ 0
 */
public record FreeBits(double lambda) implements Weighting {

    public FreeBits {
        if (!Double.isFinite(lambda) || lambda < 0)
            throw new IllegalArgumentException("free bits lambda must be finite and ≥ 0 nats, got " + lambda);
    }

    /** λ = 0.25 nats per dimension. */
    public static FreeBits paperDefaults() {
        return new FreeBits(0.25);
    }

    @Override
    public String label() {
        return "free bits λ=" + Format.number(lambda);
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        double[] perDim = batch.klPerDim();
        if (perDim.length != progress.latentDim())
            throw new IllegalArgumentException("batch has KL for " + perDim.length + " dimensions, the model has "
                    + progress.latentDim());
        double[] kl = new double[perDim.length];
        int below = 0;
        for (int j = 0; j < perDim.length; j++) {
            if (perDim[j] > lambda) kl[j] = 1;
            else below++;
        }
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.LAMBDA, lambda);
        trace.put(TraceKey.DIMS_BELOW_LAMBDA, (double) below);
        return new LossWeights(1.0, kl, trace);
    }
}
