package org.vaelab.weighting;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;
import org.vaelab.loss.TraceKey;
import org.vaelab.weighting.LossConvention.Reconstruction;
import org.vaelab.weighting.LossConvention.Reduction;

/**
 * A VAE loss exactly as some code writes it, trained literally: the reconstruction term summed or averaged over the D
 * pixels, the KL summed or averaged over the d latents, both summed or averaged over the batch, the KL weighted by w
 * and, optionally, by the minibatch fraction M/N (batch size over training-set size, PyTorch-VAE's {@code M_N}). For a
 * batch of B examples the loss is
 * <pre>  c · [ a·Σ_pixels rec + w·f·b·Σ_latents KL ]  averaged over the batch,</pre>
 * with {@code a = 1/D} for a mean over pixels (else 1), {@code b = 1/d} for a mean over latents (else 1),
 * {@code f = M/N} with the factor (else 1) and {@code c = B} for a sum over the batch (else 1; B is the rows of this
 * batch, so the short last batch of an epoch sums fewer). That is {@code c·a·(Rec + β·KL)} with
 * <b>β = w·f·b/a</b> ({@link #equivalentBeta}, the algebra of {@link LossConvention}); the constant {@code c·a} changes
 * Adam's steps only through its ε (the step is that of ε/(c·a)) and float rounding, and SGD's step in proportion.
 * A squared error ({@link Reconstruction#SQUARED_ERROR}) puts the weight on the engine's squared error of the decoder
 * mean instead of its likelihood: {@code SSE + β·KL} is a Gaussian decoder with σ² = β/2.
 *
 * <p>Unlike {@link MeanReduction} (which is the mean/mean convention without the batch and M/N options, and keeps its
 * own numbers), this scheme exists to show that each convention is the β-VAE it translates to: trained next to
 * {@link ConstantBeta} at {@link #equivalentBeta} on the same seeds, it should land on the same point of the
 * rate–distortion plane. The trace records {@code beta} (the equivalent β, against the summed reconstruction term as
 * written: the likelihood, or the squared error) and {@code w}.
 *
 * @param reconstruction     the engine's negative log-likelihood, or the squared error of the decoder mean
 * @param rec                reduction of the reconstruction term over pixels
 * @param kl                 reduction of the KL over latent dimensions
 * @param batch              reduction of both terms over the batch
 * @param minibatchFraction  whether the KL is also multiplied by M/N (batch size / training examples)
 * @param w                  the KL weight as written, finite and &gt; 0
 */
public record WrittenLoss(Reconstruction reconstruction, Reduction rec, Reduction kl, Reduction batch,
                          boolean minibatchFraction, double w) implements Weighting {

    public WrittenLoss {
        if (reconstruction == null || rec == null || kl == null || batch == null)
            throw new IllegalArgumentException("the reconstruction kind and the pixel, latent and batch reductions must"
                    + " all be given (e.g. LIKELIHOOD, MEAN, MEAN, MEAN)");
        if (!(w > 0) || !Double.isFinite(w))
            throw new IllegalArgumentException("the KL weight w must be finite and > 0, got " + w + " (e.g. 0.1)");
    }

    /** The convention with the batch averaged and no M/N factor: {@code a·rec + w·b·KL}. */
    public static WrittenLoss of(Reconstruction reconstruction, Reduction rec, Reduction kl, double w) {
        return new WrittenLoss(reconstruction, rec, kl, Reduction.MEAN, false, w);
    }

    /**
     * The same objective as a {@link LossConvention} (whose weight then includes M/N): batch reduction and the
     * factor M/N are folded in, so its {@link LossConvention#beta()} is this loss's β.
     *
     * @param batchSize M, used only with the minibatch fraction
     * @param trainSize N, used only with the minibatch fraction
     */
    public LossConvention convention(int inputDim, int latentDim, int batchSize, int trainSize) {
        double f = 1;
        if (minibatchFraction) {
            if (batchSize < 1 || trainSize < batchSize)
                throw new IllegalArgumentException("the M/N factor needs 1 ≤ M ≤ N, got M = " + batchSize + ", N = " + trainSize);
            f = (double) batchSize / trainSize;
        }
        return new LossConvention(reconstruction, rec, kl, w * f, inputDim, latentDim);
    }

    /** β of the β-VAE this loss equals: {@code w·f·b/a} (M and N matter only with the minibatch fraction). */
    public double equivalentBeta(int inputDim, int latentDim, int batchSize, int trainSize) {
        return convention(inputDim, latentDim, batchSize, trainSize).beta();
    }

    @Override
    public String label() {
        String r = reconstruction == Reconstruction.SQUARED_ERROR ? (rec == Reduction.SUM ? "SSE" : "MSE")
                : "NLL " + lower(rec);
        return r + " + " + number(w) + "·" + (minibatchFraction ? "(M/N)·" : "") + "KL " + lower(kl)
                + (batch == Reduction.SUM ? ", batch sum" : "");
    }

    @Override
    public LossWeights weights(Progress p, BatchStats stats) {
        double a = rec == Reduction.MEAN ? 1.0 / p.inputDim() : 1;
        double b = kl == Reduction.MEAN ? 1.0 / p.latentDim() : 1;
        double f = 1;
        if (minibatchFraction) {
            if (p.batchSize() == 0) throw new IllegalStateException("the M/N factor needs the batch and training-set sizes");
            f = (double) p.batchSize() / p.trainSize();
        }
        // The engine averages over the batch; a sum over it is that mean times the batch's rows.
        double c = batch == Reduction.SUM ? p.batchRows() : 1;
        double[] klWeights = new double[p.latentDim()];
        Arrays.fill(klWeights, c * w * f * b);
        Map<TraceKey, Double> trace = new LinkedHashMap<>();
        trace.put(TraceKey.BETA, w * f * b / a);
        trace.put(TraceKey.W, w);
        boolean squared = reconstruction == Reconstruction.SQUARED_ERROR;
        return new LossWeights(squared ? 0 : c * a, squared ? c * a : 0, klWeights, trace);
    }

    private static String lower(Reduction r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /** Short enough for a legend: 0.1, 0.00025, 2.3e-04 for a long fraction. */
    private static String number(double v) {
        String exact = Format.number(v);
        return exact.length() <= 7 ? exact : String.format(Locale.ROOT, "%.3g", v);
    }
}
