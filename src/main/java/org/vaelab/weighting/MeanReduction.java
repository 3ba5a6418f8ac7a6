package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * The mean-reduction recipe common in tutorials: average the reconstruction over the D pixels, average the
 * KL over the d latent dimensions, then weight the KL by w: {@code Rec/D + w·KL/d}.
 *
 * <p>It looks scale-free but is not: {@code Rec/D + w·KL/d = (1/D)·[Rec + w·(D/d)·KL]}, i.e. a β-VAE with
 * a fixed {@code β_eff = w·D/d} (the overall factor 1/D only rescales the gradient, which Adam largely
 * undoes). For a Gaussian decoder that is an implied pixel variance {@code σ² = β_eff/2 = w·D/(2d)}
 * (docs/theory.md §1). Example: D = 784, d = 20, w = 0.1 gives β_eff ≈ 3.9, σ² ≈ 1.96 on a [0,1] pixel
 * scale — far noisier than any real image.
 *
 * @param w the KL weight applied after both terms are mean-reduced, finite and ≥ 0
 */
public record MeanReduction(double w) implements Weighting {

    public MeanReduction {
        if (!Double.isFinite(w) || w < 0)
            throw new IllegalArgumentException("w must be finite and ≥ 0, got " + w + " (the usual recipe uses 0.1)");
    }

    /** The β of the equivalent summed-loss β-VAE: {@code w·D/d}. */
    public double betaEffective(int inputDim, int latentDim) {
        return w * inputDim / latentDim;
    }

    /** The pixel variance σ² a Gaussian decoder would need for that β: {@code β_eff / 2}. */
    public double impliedSigmaSquared(int inputDim, int latentDim) {
        return betaEffective(inputDim, latentDim) / 2;
    }

    @Override
    public String label() {
        return "mean w=" + Format.number(w);
    }

    @Override
    public LossWeights weights(Progress p, BatchStats batch) {
        double[] kl = new double[p.latentDim()];
        Arrays.fill(kl, w / p.latentDim());
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.BETA, betaEffective(p.inputDim(), p.latentDim()));
        trace.put(TraceKey.W, w);
        return new LossWeights(1.0 / p.inputDim(), kl, trace);
    }
}
