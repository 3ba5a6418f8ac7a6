package org.vaelab.weighting;

import java.util.Locale;

/**
 * How a VAE loss is written in someone's code, and the β-VAE it equals (docs/theory.md §1). A loss
 * {@code a·Rec + w·b·KL}, where {@code a = 1} for a reconstruction summed over pixels and {@code 1/D} for one averaged
 * over them, and {@code b = 1} for a KL summed over latents and {@code 1/d} for one averaged over them, is
 * {@code a·(Rec + β·KL)} with <b>β = w·b/a</b>: the same minimiser as the β-VAE against the summed likelihood, with
 * Adam's steps unchanged by the constant {@code a} (up to its ε; SGD's learning rate would scale with it). A summed
 * squared error stands for a Gaussian decoder: {@code SSE + β·KL = 2σ²·(−ELBO) + const} with <b>σ² = β/2</b>.
 *
 * <p>Averaging over the batch instead of summing multiplies the whole loss by a constant and changes nothing under
 * Adam; a minibatch "M/N" factor on the KL scales the data set's KL, not β per example, and is not a convention of
 * this record.
 *
 * @param reconstruction the reconstruction term: a negative log-likelihood, or a squared error (Gaussian decoder)
 * @param rec            how it is reduced over the D pixels
 * @param kl             how the KL is reduced over the d latents
 * @param w              the KL weight as written in the code, &gt; 0
 * @param pixels         D, the number of values per example (e.g. 64·64·3 = 12288), ≥ 1
 * @param latents        d, the latent dimensions, ≥ 1
 */
public record LossConvention(Reconstruction reconstruction, Reduction rec, Reduction kl, double w, int pixels, int latents) {

    /** How a term is reduced over its dimension. */
    public enum Reduction {
        SUM, MEAN;

        /** {@code sum} or {@code mean}, case-insensitive; the message names the value and the choices. */
        public static Reduction parse(String option, String value) {
            for (Reduction r : values()) if (r.name().equalsIgnoreCase(value.strip())) return r;
            throw new IllegalArgumentException("-D" + option + "=" + value + " is not valid: expected sum or mean");
        }
    }

    /** What the reconstruction term is. */
    public enum Reconstruction {
        /** −log p(x|z) of any decoder (Bernoulli cross-entropy, a Gaussian with its normaliser, …). */
        LIKELIHOOD,
        /** ‖x − x̂‖², the "MSE" of many VAE codes: a Gaussian decoder with σ² = β/2. */
        SQUARED_ERROR;

        /** {@code likelihood} or {@code squared-error} (also {@code sse}, {@code mse}). */
        public static Reconstruction parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "likelihood", "nll", "bce" -> LIKELIHOOD;
                case "squared-error", "sse", "mse" -> SQUARED_ERROR;
                default -> throw new IllegalArgumentException("-Dloss=" + value
                        + " is not valid: expected likelihood (a negative log-likelihood, e.g. BCE) or squared-error");
            };
        }
    }

    public LossConvention {
        if (reconstruction == null || rec == null || kl == null)
            throw new IllegalArgumentException("the reconstruction kind and both reductions must be given");
        if (!(w > 0) || !Double.isFinite(w))
            throw new IllegalArgumentException("-Dw=" + w + " is not valid: the KL weight must be a number > 0, e.g. 0.00025");
        if (pixels < 1) throw new IllegalArgumentException("-Dpixels=" + pixels + " is not valid: expected D ≥ 1, e.g. 784");
        if (latents < 1) throw new IllegalArgumentException("-Dlatents=" + latents + " is not valid: expected d ≥ 1, e.g. 32");
    }

    /** β against the summed reconstruction term: {@code w·b/a}. */
    public double beta() {
        double a = rec == Reduction.MEAN ? 1.0 / pixels : 1;
        double b = kl == Reduction.MEAN ? 1.0 / latents : 1;
        return w * b / a;
    }

    /** The KL weight w that, written the same way, gives β = 1 (the ELBO). */
    public double wForBetaOne() {
        return w / beta();
    }

    /** For a squared error, the Gaussian decoder variance σ² = β/2 it assumes; NaN for a likelihood. */
    public double sigmaSquared() {
        return reconstruction == Reconstruction.SQUARED_ERROR ? beta() / 2 : Double.NaN;
    }
}
