package org.vaelab.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * A {@link VaeModel} that trains. The trainer sees only this interface, so a faster engine can replace an existing
 * one without touching it.
 *
 * <p>An optimiser step has two halves, so that the engine never sees how the loss is weighted: {@link #forward}
 * measures the batch ({@link BatchStats}), the caller chooses the loss coefficients from that measurement
 * ({@link LossWeights}; in training, the run's weighting does), and {@link #step} differentiates the loss with those
 * coefficients and updates the parameters. {@code eps} is B × d standard-normal noise supplied by the caller (so
 * that every scheme can share one noise stream), {@code z = μ + exp(½·logvar) ⊙ eps}. Not thread-safe.
 */
public interface VaeEngine extends VaeModel {

    /**
     * The first half of an optimiser step: the forward pass on a batch, kept for {@link #step}. No parameter changes.
     *
     * @param x   B × D, values in [0, 1]
     * @param eps B × d reparameterisation noise
     * @return the batch's Rec, KL, per-dimension KL and squared error, before the update
     */
    BatchStats forward(INDArray x, INDArray eps);

    /**
     * The second half: the backward pass of the last {@link #forward} with these coefficients held constant, then
     * one parameter update.
     *
     * @return the weighted loss that was differentiated
     * @throws IllegalStateException    if no forward pass is waiting (none yet, already stepped, or evaluation in
     *                                  between has reused its buffers)
     * @throws IllegalArgumentException if the weights do not have one KL coefficient per latent dimension
     */
    double step(LossWeights weights);

    /**
     * Replaces the σ of a Gaussian decoder (shared by all pixels) in every later step and in
     * {@link #reconstructionNll}. Schemes that calibrate σ during training (the σ-VAE, Rybkin et al. 2021) need
     * it: their reported Rec and ELBO must use the calibrated σ, not the architecture's starting value. The
     * trainer calls it after every step for weightings that calibrate σ, so the trained model evaluates with the
     * final σ.
     *
     * @throws UnsupportedOperationException if this engine cannot change σ (the default)
     * @throws IllegalStateException         for a decoder that is not Gaussian
     */
    default void setDecoderSigma(double sigma) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot set the decoder σ");
    }
}
