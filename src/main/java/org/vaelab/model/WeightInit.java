package org.vaelab.model;

import java.util.SplittableRandom;

/**
 * How an engine draws its initial weights and biases. Papers rarely state it and frameworks differ, yet it moves
 * results (which units collapse, how fast a schedule's early steps act), so a run records it and the claims
 * experiment re-runs its claims under the alternative.
 *
 * <p>Every draw is uniform; fan_in and fan_out are a layer's input and output widths. The weights of a layer
 * {@code in × out} are drawn row-major from the layer's own stream, then (where not zero) its biases.
 */
public enum WeightInit {

    /**
     * vaelab's default, behind every run recorded before this option existed: He-uniform U(±√(6/fan_in)) for ReLU
     * hidden layers (He et al. 2015), Glorot-uniform U(±√(6/(fan_in + fan_out))) for tanh hidden layers and for
     * both output layers (Glorot &amp; Bengio 2010); biases 0.
     */
    HE_GLOROT_UNIFORM,

    /**
     * PyTorch's default for {@code nn.Linear} ({@code reset_parameters}: Kaiming-uniform with a = √5, which works out
     * to U(±1/√fan_in)), for weights <em>and</em> biases, in every layer. For a ReLU layer its weight bound is
     * √6 ≈ 2.45 times smaller than He-uniform's, so activations shrink layer by layer at the start of training.
     */
    PYTORCH_LINEAR;

    /** In words, for reports: "He/Glorot-uniform" or "PyTorch nn.Linear default". */
    public String describe() {
        return this == HE_GLOROT_UNIFORM ? "He/Glorot-uniform" : "PyTorch nn.Linear default";
    }

    /** The default: the initialisation of every run that does not name one. */
    public static final WeightInit DEFAULT = HE_GLOROT_UNIFORM;

    /**
     * The half-width of the uniform distribution of a layer's weights.
     *
     * @param fanIn     the layer's input width, ≥ 1
     * @param fanOut    the layer's output width, ≥ 1
     * @param reluHidden whether the layer is a hidden layer followed by a ReLU
     */
    public double weightBound(int fanIn, int fanOut, boolean reluHidden) {
        if (fanIn < 1 || fanOut < 1)
            throw new IllegalArgumentException("layer widths must be ≥ 1, got " + fanIn + " × " + fanOut);
        return switch (this) {
            case HE_GLOROT_UNIFORM -> reluHidden ? Math.sqrt(6.0 / fanIn) : Math.sqrt(6.0 / (fanIn + fanOut));
            case PYTORCH_LINEAR -> 1 / Math.sqrt(fanIn);
        };
    }

    /** The half-width of the uniform distribution of a layer's biases (0: biases start at 0). */
    public double biasBound(int fanIn) {
        if (fanIn < 1) throw new IllegalArgumentException("fan_in must be ≥ 1, got " + fanIn);
        return this == PYTORCH_LINEAR ? 1 / Math.sqrt(fanIn) : 0;
    }

    /**
     * Draws a layer's weights (fanIn × fanOut, row-major) and biases from {@code rng}: weights first, in row-major
     * order, then biases if their bound is not 0, so the weights of {@link #HE_GLOROT_UNIFORM} are exactly those
     * vaelab has always drawn.
     *
     * @return {@code [weights (fanIn·fanOut values), biases (fanOut values)]}
     */
    public double[][] draw(int fanIn, int fanOut, boolean reluHidden, SplittableRandom rng) {
        double w = weightBound(fanIn, fanOut, reluHidden), b = biasBound(fanIn);
        double[] weights = new double[fanIn * fanOut];
        for (int i = 0; i < weights.length; i++) weights[i] = rng.nextDouble(-w, w);
        double[] biases = new double[fanOut];
        if (b > 0) for (int j = 0; j < fanOut; j++) biases[j] = rng.nextDouble(-b, b);
        return new double[][]{weights, biases};
    }
}
