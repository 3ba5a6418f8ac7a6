package org.vaelab.loss;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coefficients of the loss for one optimiser step. The engine minimises
 * <pre>  L = mean over the batch of [ rec · Rec_i + sse · SSE_i + Σ_j kl[j] · KL_ij ]</pre>
 * and differentiates with these coefficients held constant. {@code Rec_i} is the decoder's own
 * reconstruction term −log p(x_i|z_i); {@code SSE_i = Σ_pixels (x − m)²} is the squared error of the decoder
 * mean {@code m = sigmoid(logits)}, whatever the decoder's likelihood. Every scheme reduces to this form for
 * the gradient: a schedule sets {@code kl[j] = β_t}; the mean-reduction recipe sets {@code rec = 1/D,
 * kl[j] = w/d}; free bits sets {@code kl[j] = 0} for dimensions below λ; GECO and the σ-VAE put their weight on
 * {@code sse} instead of {@code rec}, and so on.
 *
 * <p>KL weights may be negative. The capacity objective of Burgess et al. (2018), {@code Rec + γ·|KL − C_t|},
 * has gradient {@code γ·sign(KL − C_t)·∂KL}: while the rate is below the capacity C_t the KL term pushes the
 * rate <em>up</em>, which only a negative coefficient expresses. Coefficients must be finite; the weights on
 * Rec and SSE must also be ≥ 0 (a negative one would reward bad reconstructions).
 *
 * @param rec   weight on the reconstruction term −log p(x|z), finite and ≥ 0
 * @param sse   weight on the per-example squared error of the decoder mean, finite and ≥ 0
 * @param kl    weight on each latent dimension's KL term (length d), each finite
 * @param trace every weight in force, by key (e.g. {@link TraceKey#BETA}), in the order it should be logged;
 *              written to {@code steps.csv}
 */
public record LossWeights(double rec, double sse, double[] kl, Map<TraceKey, Double> trace) {

    public LossWeights {
        if (!Double.isFinite(rec) || rec < 0) throw new IllegalArgumentException("rec weight must be finite and ≥ 0, got " + rec);
        if (!Double.isFinite(sse) || sse < 0) throw new IllegalArgumentException("sse weight must be finite and ≥ 0, got " + sse);
        kl = kl.clone();
        for (int j = 0; j < kl.length; j++)
            if (!Double.isFinite(kl[j]))
                throw new IllegalArgumentException("KL weight of dimension " + j + " must be finite, got " + kl[j]);
        trace = Collections.unmodifiableMap(new LinkedHashMap<>(trace));
    }

    /** Weights without a squared-error term ({@code sse = 0}): the form every likelihood-based scheme uses. */
    public LossWeights(double rec, double[] kl, Map<TraceKey, Double> trace) {
        this(rec, 0, kl, trace);
    }

    @Override
    public double[] kl() {
        return kl.clone();
    }

    /** The same weight β on every latent dimension and 1 on reconstruction; traced as {@link TraceKey#BETA}. */
    public static LossWeights beta(double beta, int latentDim) {
        double[] w = new double[latentDim];
        java.util.Arrays.fill(w, beta);
        return new LossWeights(1.0, w, Map.of(TraceKey.BETA, beta));
    }
}
