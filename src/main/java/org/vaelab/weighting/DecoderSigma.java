package org.vaelab.weighting;

/**
 * A weighting that calibrates the σ of a Gaussian decoder while it trains (the σ-VAE, {@link SigmaVae}). Its
 * reported Rec and ELBO must use that σ, not the architecture's starting value, so after every step the trainer
 * passes {@link #sigma()} to the engine ({@code VaeEngine.setDecoderSigma}): the next
 * batch's reported Rec uses the σ of the step before, and evaluation after training uses the final σ. A run
 * whose weighting implements this interface must have a Gaussian decoder; the trainer rejects any other.
 */
public interface DecoderSigma {

    /** The decoder σ in force after the last step (pixels in [0, 1]). */
    double sigma();
}
