package org.vaelab.weighting;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coefficients of the loss for one optimiser step. The engine minimises
 * <pre>  L = mean over the batch of [ rec · Rec_i + Σ_j kl[j] · KL_ij ]</pre>
 * and differentiates with these coefficients held constant. Every scheme reduces to this form for the
 * gradient: a schedule sets {@code kl[j] = β_t}; the mean-reduction recipe sets {@code rec = 1/D,
 * kl[j] = w/d}; free bits sets {@code kl[j] = 0} for dimensions below λ, and so on.
 *
 * @param rec   weight on the reconstruction term
 * @param kl    weight on each latent dimension's KL term (length d)
 * @param trace every weight in force, by name (e.g. {@code beta}), in the order it should be logged;
 *              written to {@code steps.csv}
 */
public record LossWeights(double rec, double[] kl, Map<String, Double> trace) {

    public LossWeights {
        if (!Double.isFinite(rec) || rec < 0) throw new IllegalArgumentException("rec weight must be finite and ≥ 0, got " + rec);
        kl = kl.clone();
        for (int j = 0; j < kl.length; j++)
            if (!Double.isFinite(kl[j]) || kl[j] < 0)
                throw new IllegalArgumentException("KL weight of dimension " + j + " must be finite and ≥ 0, got " + kl[j]);
        trace = Collections.unmodifiableMap(new LinkedHashMap<>(trace));
    }

    @Override
    public double[] kl() {
        return kl.clone();
    }

    /** The same weight β on every latent dimension and 1 on reconstruction; traced as {@code beta}. */
    public static LossWeights beta(double beta, int latentDim) {
        double[] w = new double[latentDim];
        java.util.Arrays.fill(w, beta);
        return new LossWeights(1.0, w, Map.of("beta", beta));
    }
}
