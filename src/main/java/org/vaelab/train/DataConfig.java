package org.vaelab.train;

import org.vaelab.data.Binarization;

/**
 * Which data a run trains and is evaluated on.
 *
 * @param dataset      a name known to {@link org.vaelab.data.DataSources#byName}, e.g. {@code mnist-digits}
 * @param binarization how pixel intensities become targets (none, dynamic, static)
 * @param trainLimit   use only the first n training images (0 = all)
 * @param testLimit    use only the first n test images (0 = all)
 */
public record DataConfig(String dataset, Binarization binarization, int trainLimit, int testLimit) {
    public DataConfig {
        if (dataset == null || dataset.isBlank()) throw new IllegalArgumentException("dataset must be named, got '" + dataset + "'");
        if (binarization == null) throw new IllegalArgumentException("binarization must be set (NONE, DYNAMIC or STATIC)");
        if (trainLimit < 0) throw new IllegalArgumentException("trainLimit must be ≥ 0 (0 = all), got " + trainLimit);
        if (testLimit < 0) throw new IllegalArgumentException("testLimit must be ≥ 0 (0 = all), got " + testLimit);
    }

    public DataConfig withLimits(int train, int test) {
        return new DataConfig(dataset, binarization, train, test);
    }
}
