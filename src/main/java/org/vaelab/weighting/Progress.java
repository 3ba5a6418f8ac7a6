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
 */
public record Progress(long step, int epoch, int stepsPerEpoch, long totalSteps, int inputDim, int latentDim) {
    public Progress {
        if (step < 0) throw new IllegalArgumentException("step must be ≥ 0, got " + step);
        if (stepsPerEpoch < 1) throw new IllegalArgumentException("stepsPerEpoch must be ≥ 1, got " + stepsPerEpoch);
        if (totalSteps < 1) throw new IllegalArgumentException("totalSteps must be ≥ 1, got " + totalSteps);
    }
}
