package org.vaelab.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.weighting.Progress;
import org.vaelab.weighting.Weighting;

/**
 * Computes one VAE and trains it. Experiments and the trainer see only this interface, so a faster
 * engine can replace an existing one without touching them.
 *
 * <p>Arrays are row-major, one example per row: {@code x} is B × D with values in [0, 1], {@code eps}
 * is B × d standard-normal noise supplied by the caller (so that every scheme can share one noise
 * stream), {@code z = μ + exp(½·logvar) ⊙ eps}. Implementations are not thread-safe.
 */
public interface VaeEngine extends AutoCloseable {

    VaeArchitecture architecture();

    /**
     * One optimiser step: forward pass on the batch, then {@code weighting.weights(progress, stats)}
     * chooses the loss coefficients, then backward pass and parameter update.
     */
    StepResult step(INDArray x, INDArray eps, Weighting weighting, Progress progress);

    /** Posterior parameters for a batch of examples (no parameter change). */
    Posterior encode(INDArray x);

    /**
     * Per-example reconstruction term −log p(x|z) in nats for given latents (B × d); no parameter change.
     */
    double[] reconstructionNll(INDArray x, INDArray z);

    /** Decoder mean (sigmoid of the logits), B × D, for latents z (B × d). */
    INDArray decode(INDArray z);

    /** Number of trainable scalars. */
    long parameterCount();

    /**
     * A float32 copy of the current weights, by layer, for writing a model file
     * ({@link org.vaelab.export.ModelExport}). The copy does not change when the engine trains on.
     *
     * @throws UnsupportedOperationException if the engine cannot list its weights as dense layers (the default,
     *                                       for test doubles)
     */
    default ModelParameters snapshot() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot export its weights");
    }

    /**
     * Replaces the σ of a Gaussian decoder (shared by all pixels) in every later step and in
     * {@link #reconstructionNll}. Schemes that calibrate σ during training (the σ-VAE, Rybkin et al. 2021) need
     * it: their reported Rec and ELBO must use the calibrated σ, not the architecture's starting value. The
     * trainer calls it after every step for weightings that implement
     * {@link org.vaelab.weighting.DecoderSigma}, so evaluation after training uses the final σ.
     *
     * @throws UnsupportedOperationException if this engine cannot change σ (the default)
     * @throws IllegalStateException         for a decoder that is not Gaussian
     */
    default void setDecoderSigma(double sigma) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot set the decoder σ");
    }

    @Override
    default void close() {
    }
}
