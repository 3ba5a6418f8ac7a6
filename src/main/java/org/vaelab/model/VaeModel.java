package org.vaelab.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A VAE that is evaluated, not trained: what the trainer hands out ({@code Trainer.Result#model()}) and what every
 * metric, sample grid and model file reads. Nothing here changes the function the model computes, so a trained
 * model's numbers cannot drift while it is being measured; training goes through {@link VaeEngine}.
 *
 * <p>Arrays are row-major, one example per row: {@code x} is B × D, {@code z} is B × d. Implementations may keep
 * scratch buffers, so they are not thread-safe.
 */
public interface VaeModel extends AutoCloseable {

    VaeArchitecture architecture();

    /** Posterior parameters for a batch of examples. */
    Posterior encode(INDArray x);

    /** Per-example reconstruction term −log p(x|z) in nats for given latents (B × d). */
    double[] reconstructionNll(INDArray x, INDArray z);

    /**
     * The reconstruction term of several latents per example: row i of x (n × D) is scored against rows
     * {@code i·times … (i+1)·times − 1} of z ((n·times) × d), exactly as {@link #reconstructionNll(INDArray, INDArray)}
     * scores x with every row repeated {@code times} times. Implementations may skip building that repeated array.
     */
    default double[] reconstructionNll(INDArray x, int times, INDArray z) {
        return reconstructionNll(times == 1 ? x : x.repeat(0, times), z);
    }

    /** Decoder mean, B × D, for latents z (B × d). */
    INDArray decode(INDArray z);

    /** Number of scalars the model is made of. */
    long parameterCount();

    /**
     * A float32 copy of the weights, by layer, for writing a model file ({@link org.vaelab.export.ModelExport}).
     * The copy does not change if the model is trained on.
     *
     * @throws UnsupportedOperationException if the model cannot list its weights as dense layers (the default,
     *                                       for closed-form models and test doubles)
     */
    default ModelParameters snapshot() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot export its weights");
    }

    /** Releases native memory; the default holds none. */
    @Override
    default void close() {
    }
}
