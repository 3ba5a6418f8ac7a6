package org.vaelab.metrics;

/**
 * Reconstruction quality measured without the model's likelihood, so that models with different decoders (a
 * Bernoulli and a Gaussian with some σ, or two σ) can be compared on the same scale. Both compare the targets x
 * with the decoder mean x̂ = E[x | z = μ(x)] at the posterior mean (a deterministic reconstruction).
 * <ul>
 *   <li>{@link #mse}: mean squared error <em>per pixel</em>, {@code (1/(n·D)) Σ_i Σ_p (x_ip − x̂_ip)²}, on the [0, 1]
 *       pixel scale;</li>
 *   <li>{@link #bce}: binary cross-entropy <em>per image, summed over pixels</em>, in nats,
 *       {@code (1/n) Σ_i Σ_p −[x log x̂ + (1 − x) log(1 − x̂)]}: the Bernoulli reconstruction term at z = μ. For
 *       grey (non-binary) targets its minimum is the targets' entropy, not 0.</li>
 * </ul>
 */
public final class Reconstruction {

    /**
     * Probabilities are clamped to [CLAMP, 1 − CLAMP] in {@link #bce}, so that a saturated float sigmoid (exactly 0
     * or 1) costs at most −log(1e-7) ≈ 16.1 nats per pixel instead of infinity. Where the logits are at hand,
     * compute the term from them instead ({@link TestSetEvaluator} uses the engine's exact reconstruction term).
     */
    public static final double CLAMP = 1e-7;

    private Reconstruction() {
    }

    /**
     * Mean squared error per pixel over all images and pixels.
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static double mse(float[] x, float[] xHat) {
        check(x.length, xHat.length);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double e = (double) x[i] - xHat[i];
            s += e * e;
        }
        return s / x.length;
    }

    /**
     * Binary cross-entropy per image (summed over its {@code dim} pixels), averaged over images, in nats.
     *
     * @param x   targets in [0, 1], n × dim row-major
     * @param p   predicted probabilities, n × dim, clamped to [{@link #CLAMP}, 1 − {@link #CLAMP}]
     * @param dim pixels per image
     * @throws IllegalArgumentException if the lengths differ, are empty, or are not a multiple of dim
     */
    public static double bce(float[] x, float[] p, int dim) {
        check(x.length, p.length);
        if (dim < 1 || x.length % dim != 0)
            throw new IllegalArgumentException("length " + x.length + " is not a whole number of images of " + dim + " pixels");
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double q = Math.min(1 - CLAMP, Math.max(CLAMP, p[i]));
            double t = x[i];
            // x·log p + (1 − x)·log(1 − p), skipping a zero factor so that 0·log(…) never makes a NaN.
            double ll = 0;
            if (t > 0) ll += t * Math.log(q);
            if (t < 1) ll += (1 - t) * Math.log1p(-q);
            s -= ll;
        }
        return s / (x.length / dim);
    }

    private static void check(int a, int b) {
        if (a != b) throw new IllegalArgumentException("targets and reconstructions differ in length: " + a + " and " + b);
        if (a == 0) throw new IllegalArgumentException("no pixels to compare");
    }
}
