package org.vaelab.model;

import java.util.List;

/**
 * Shape of an MLP VAE: encoder {@code inputDim → encoderHidden… → (μ, log σ²) ∈ R^latentDim},
 * decoder {@code latentDim → decoderHidden… → inputDim}.
 *
 * @param inputDim      D, pixels per image
 * @param encoderHidden hidden widths of the encoder, input side first
 * @param latentDim     d, number of latent dimensions
 * @param decoderHidden hidden widths of the decoder, latent side first
 * @param activation    hidden activation
 * @param likelihood    decoder likelihood
 * @param sigma         the fixed decoder standard deviation for {@link Likelihood#GAUSSIAN}; ignored (and
 *                      recorded as 0) for Bernoulli
 */
public record VaeArchitecture(int inputDim, List<Integer> encoderHidden, int latentDim,
                              List<Integer> decoderHidden, Activation activation,
                              Likelihood likelihood, double sigma) {

    public VaeArchitecture {
        if (inputDim < 1) throw new IllegalArgumentException("inputDim must be ≥ 1, got " + inputDim);
        if (latentDim < 1) throw new IllegalArgumentException("latentDim must be ≥ 1, got " + latentDim);
        encoderHidden = List.copyOf(encoderHidden);
        decoderHidden = List.copyOf(decoderHidden);
        for (int h : encoderHidden) if (h < 1) throw new IllegalArgumentException("encoder hidden width must be ≥ 1, got " + h);
        for (int h : decoderHidden) if (h < 1) throw new IllegalArgumentException("decoder hidden width must be ≥ 1, got " + h);
        if (activation == null) throw new IllegalArgumentException("activation must be set (RELU or TANH)");
        if (likelihood == null) throw new IllegalArgumentException("likelihood must be set (BERNOULLI or GAUSSIAN)");
        if (likelihood == Likelihood.GAUSSIAN && !(sigma > 0 && Double.isFinite(sigma)))
            throw new IllegalArgumentException("Gaussian decoder needs a finite sigma > 0, got " + sigma);
        if (likelihood == Likelihood.BERNOULLI) sigma = 0;
    }

    /** A Bernoulli MLP VAE whose decoder mirrors the encoder. */
    public static VaeArchitecture bernoulli(int inputDim, List<Integer> hidden, int latentDim, Activation act) {
        return new VaeArchitecture(inputDim, hidden, latentDim, reversed(hidden), act, Likelihood.BERNOULLI, 0);
    }

    /** A Gaussian (fixed σ) MLP VAE whose decoder mirrors the encoder. */
    public static VaeArchitecture gaussian(int inputDim, List<Integer> hidden, int latentDim, Activation act, double sigma) {
        return new VaeArchitecture(inputDim, hidden, latentDim, reversed(hidden), act, Likelihood.GAUSSIAN, sigma);
    }

    private static List<Integer> reversed(List<Integer> xs) {
        var copy = new java.util.ArrayList<>(xs);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /** A short human-readable description, e.g. {@code 784-512-256-32 relu, Bernoulli}. */
    public String describe() {
        var sb = new StringBuilder().append(inputDim);
        for (int h : encoderHidden) sb.append('-').append(h);
        sb.append('-').append(latentDim);
        sb.append(' ').append(activation.name().toLowerCase());
        sb.append(likelihood == Likelihood.BERNOULLI ? ", Bernoulli decoder" : ", Gaussian decoder (σ = " + sigma + ")");
        return sb.toString();
    }
}
