package org.vaelab.model;

import org.vaelab.weighting.LossWeights;
import org.vaelab.weighting.Progress;
import org.vaelab.weighting.Weighting;

/** A weighting that always returns the same coefficients; the engine tests need nothing more. */
record FixedWeighting(LossWeights weights) implements Weighting {

    static FixedWeighting beta(double beta, int latentDim) {
        return new FixedWeighting(LossWeights.beta(beta, latentDim));
    }

    @Override
    public String label() {
        return "fixed";
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        return weights;
    }
}
