package org.vaelab.model;

/**
 * The decoder's likelihood p(x|z), which fixes what "reconstruction" means (docs/theory.md §1).
 */
public enum Likelihood {
    /** Independent Bernoulli pixels; the decoder outputs logits. Rec = Σ BCE(x, sigmoid(l)). */
    BERNOULLI,
    /**
     * Independent Gaussian pixels with one shared, fixed σ; the decoder mean is sigmoid(l), so it stays
     * on the [0,1] pixel scale. Rec = ‖x−μ‖²/(2σ²) + (D/2)·log(2πσ²).
     */
    GAUSSIAN
}
