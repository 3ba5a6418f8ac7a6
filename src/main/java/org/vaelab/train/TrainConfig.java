package org.vaelab.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.vaelab.model.WeightInit;

/**
 * Optimisation settings of one run (Adam, minibatches, epochs) and how its weights start.
 *
 * @param epochs       passes over the training set, ≥ 1
 * @param batchSize    examples per optimiser step, ≥ 1
 * @param learningRate Adam step size, in (0, 1]
 * @param init         the initial weights' distribution; {@link WeightInit#DEFAULT} when not given. The default is
 *                     left out of the run's JSON, so that configurations written before this field existed keep
 *                     their train keys (and their runs are reused); any other value is part of the key
 * @param curveEvery   record the test curve ({@link TestCurve}) every this many epochs and after the last; 0 = no
 *                     curve. Left out of the JSON when 0, like {@code init}; otherwise part of the train key, since
 *                     only training can produce the curve (the trained weights do not depend on it)
 */
public record TrainConfig(int epochs, int batchSize, double learningRate,
                          @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultInit.class) WeightInit init,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) int curveEvery) {

    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
        if (!(learningRate > 0 && learningRate <= 1))
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate + " (Adam's usual value is 1e-3)");
        if (init == null) init = WeightInit.DEFAULT;
        if (curveEvery < 0)
            throw new IllegalArgumentException("curveEvery must be ≥ 0 epochs (0 = no test curve), got " + curveEvery);
    }

    /** With the given initialisation and no test curve. */
    public TrainConfig(int epochs, int batchSize, double learningRate, WeightInit init) {
        this(epochs, batchSize, learningRate, init, 0);
    }

    /** With the default initialisation. */
    public TrainConfig(int epochs, int batchSize, double learningRate) {
        this(epochs, batchSize, learningRate, WeightInit.DEFAULT);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, learningRate, init, curveEvery);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, b, learningRate, init, curveEvery);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(epochs, batchSize, lr, init, curveEvery);
    }

    public TrainConfig withInit(WeightInit i) {
        return new TrainConfig(epochs, batchSize, learningRate, i, curveEvery);
    }

    public TrainConfig withCurveEvery(int every) {
        return new TrainConfig(epochs, batchSize, learningRate, init, every);
    }

    /**
     * Jackson's filter for {@link #init}: a value it reports {@code equals} to is left out of the JSON. It matches the
     * default only, so the default serialises as nothing, exactly as before the field existed.
     */
    static final class DefaultInit {
        @Override
        public boolean equals(Object value) {
            return value == null || value == WeightInit.DEFAULT;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
