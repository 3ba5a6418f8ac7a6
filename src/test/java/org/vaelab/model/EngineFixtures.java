package org.vaelab.model;

import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.loss.LossWeights;

/** Seeded inputs for engine tests, drawn in Java so they do not depend on ND4J's global generator. */
final class EngineFixtures {
    private EngineFixtures() {
    }

    /** Uniform values in [0, 1): continuous targets, as the Bernoulli likelihood must accept. */
    static INDArray uniform(Random rng, int rows, int cols, DataType dtype) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) for (int j = 0; j < cols; j++) row[j] = rng.nextDouble();
        return Nd4j.createFromArray(v).castTo(dtype);
    }

    /** Standard-normal noise ε. */
    static INDArray normal(Random rng, int rows, int cols, DataType dtype) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) for (int j = 0; j < cols; j++) row[j] = rng.nextGaussian();
        return Nd4j.createFromArray(v).castTo(dtype);
    }

    /** One optimiser step as the trainer takes it, with fixed coefficients: forward pass, then update; the loss. */
    static double step(VaeEngine engine, INDArray x, INDArray eps, LossWeights weights) {
        engine.forward(x, eps);
        return engine.step(weights);
    }
}
