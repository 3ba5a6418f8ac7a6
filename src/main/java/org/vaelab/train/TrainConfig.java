package org.vaelab.train;

/**
 * Optimisation settings of one run (Adam, minibatches, epochs).
 *
 * @param epochs       passes over the training set, ≥ 1
 * @param batchSize    examples per optimiser step, ≥ 1
 * @param learningRate Adam step size, in (0, 1]
 */
public record TrainConfig(int epochs, int batchSize, double learningRate) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
        if (!(learningRate > 0 && learningRate <= 1))
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate + " (Adam's usual value is 1e-3)");
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, learningRate);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, b, learningRate);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(epochs, batchSize, lr);
    }
}
