package org.vaelab.weighting;

/**
 * Where training is when a weighting is asked for its weights. Steps count optimiser steps from 0.
 *
 * @param step          t, optimiser steps taken before this one
 * @param epoch         current epoch, from 0
 * @param stepsPerEpoch minibatches per epoch
 * @param totalSteps    T, steps in the whole run
 * @param inputDim      D, pixels per example
 * @param latentDim     d, latent dimensions
 * @param batchSize     M, the configured minibatch size (the last batch of an epoch may be shorter, see
 *                      {@link #batchRows()}); 0 if not known
 * @param trainSize     N, training examples per epoch; 0 if not known (then {@code batchSize} is 0 too)
 */
public record Progress(long step, int epoch, int stepsPerEpoch, long totalSteps, int inputDim, int latentDim,
                       int batchSize, int trainSize) {
    public Progress {
        if (step < 0) throw new IllegalArgumentException("step must be ≥ 0, got " + step);
        if (stepsPerEpoch < 1) throw new IllegalArgumentException("stepsPerEpoch must be ≥ 1, got " + stepsPerEpoch);
        if (totalSteps < 1) throw new IllegalArgumentException("totalSteps must be ≥ 1, got " + totalSteps);
        if (batchSize < 0 || trainSize < 0 || (batchSize == 0) != (trainSize == 0))
            throw new IllegalArgumentException("batch size and training-set size must both be known (≥ 1) or both 0,"
                    + " got " + batchSize + " and " + trainSize);
        if (batchSize > 0 && (trainSize + batchSize - 1) / batchSize != stepsPerEpoch)
            throw new IllegalArgumentException(trainSize + " examples in batches of " + batchSize + " are "
                    + (trainSize + batchSize - 1) / batchSize + " steps per epoch, not " + stepsPerEpoch);
    }

    /**
     * Without the batch and training-set sizes: for the weightings that do not read them (every scheme but the
     * loss conventions that sum over the batch or scale the KL by M/N, {@link WrittenLoss}).
     */
    public Progress(long step, int epoch, int stepsPerEpoch, long totalSteps, int inputDim, int latentDim) {
        this(step, epoch, stepsPerEpoch, totalSteps, inputDim, latentDim, 0, 0);
    }

    /**
     * The examples in this step's batch: M, except in the last batch of an epoch, which holds what is left of N.
     *
     * @throws IllegalStateException if the sizes are not known
     */
    public int batchRows() {
        if (batchSize == 0) throw new IllegalStateException("the batch size is not known at this step (Progress without sizes)");
        long inEpoch = step - (long) epoch * stepsPerEpoch;
        return (int) Math.min(batchSize, trainSize - inEpoch * batchSize);
    }
}
