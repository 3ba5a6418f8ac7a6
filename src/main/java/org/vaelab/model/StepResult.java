package org.vaelab.model;

import org.vaelab.weighting.LossWeights;

/**
 * The outcome of one optimiser step.
 *
 * @param stats   the batch's Rec, KL and per-dimension KL, measured before the update
 * @param weights the loss coefficients the weighting chose for this step
 * @param loss    the weighted loss that was differentiated
 */
public record StepResult(BatchStats stats, LossWeights weights, double loss) {
}
