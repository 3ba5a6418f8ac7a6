package org.vaelab.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Sprites;
import org.vaelab.data.Split;

/**
 * What the evaluation images are known to be, beyond their pixels: class labels and ground-truth factors of
 * variation, each only where the data set has them. Metrics that need them declare
 * {@link VaeMetric.Requirement#LABELS} or {@link VaeMetric.Requirement#FACTORS} and run only where they are present.
 *
 * @param labels      one class label per image, or null if the data set has no labels (npy and csv files)
 * @param factorNames names of the factors, in column order (valid {@link MetricTarget.Factor} names); empty iff
 *                    factors is null
 * @param factors     n × K integer factor codes, or null if the data set has no known factors
 */
public record GroundTruth(int[] labels, List<String> factorNames, int[][] factors) {

    /** Nothing known: neither labels nor factors. */
    public static final GroundTruth NONE = new GroundTruth(null, List.of(), null);

    public GroundTruth {
        factorNames = List.copyOf(Objects.requireNonNull(factorNames, "factor names"));
        labels = labels == null ? null : labels.clone();
        if (factors == null) {
            if (!factorNames.isEmpty())
                throw new IllegalArgumentException("factor names " + factorNames + " given without factors");
        } else {
            if (factorNames.isEmpty()) throw new IllegalArgumentException("factors need at least one factor name");
            for (String f : factorNames) new MetricTarget.Factor(f);   // validates the name as a key token
            int[][] copy = new int[factors.length][];
            for (int i = 0; i < factors.length; i++) {
                if (factors[i].length != factorNames.size())
                    throw new IllegalArgumentException("factor row " + i + " has " + factors[i].length
                            + " entries, but there are " + factorNames.size() + " factor names " + factorNames);
                copy[i] = factors[i].clone();
            }
            factors = copy;
            if (labels != null && labels.length != factors.length)
                throw new IllegalArgumentException("labels (" + labels.length + ") and factors (" + factors.length
                        + " rows) must describe the same images");
        }
    }

    /** Labels only. */
    public static GroundTruth labels(int[] labels) {
        return new GroundTruth(Objects.requireNonNull(labels, "labels"), List.of(), null);
    }

    /** The number of images described, or empty if nothing is known. */
    public Optional<Integer> n() {
        if (labels != null) return Optional.of(labels.length);
        if (factors != null) return Optional.of(factors.length);
        return Optional.empty();
    }

    @Override
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    @Override
    public int[][] factors() {
        if (factors == null) return null;
        int[][] out = new int[factors.length][];
        for (int i = 0; i < factors.length; i++) out[i] = factors[i].clone();
        return out;
    }

    /**
     * What is known of the test images of a data set as {@code ExperimentRunner} loads them (by name, then the first
     * {@code test.n()} images when a test limit applies):
     * <ul>
     *   <li>labels for the built-in data sets and IDX files (the formats with label files); npy and csv data have
     *       none (their labels are all 0);</li>
     *   <li>factors for {@link DataSources#SPRITES}: the factors of {@link Sprites#split(Split)}'s test part, which
     *       are drawn again here (cheap: no image is rendered) and checked against the images' labels (the shape).</li>
     * </ul>
     *
     * @throws IllegalArgumentException if the sprites' labels do not match the regenerated factors (the test images
     *                                  are not the sprites test set)
     */
    public static GroundTruth ofTestSet(String dataset, ImageDataset test) {
        Objects.requireNonNull(dataset, "data set name");
        boolean hasLabels = DataSources.find(dataset).isPresent() || dataset.startsWith("idx:");
        int[] labels = hasLabels ? test.labels() : null;
        if (!DataSources.SPRITES.equals(dataset)) return new GroundTruth(labels, List.of(), null);
        int[][] all = Sprites.sampleFactors(Sprites.TRAIN_SIZE + Sprites.TEST_SIZE, Sprites.SPLIT_SEED);
        if (test.n() > Sprites.TEST_SIZE)
            throw new IllegalArgumentException(test.name() + " has " + test.n() + " images, the sprites test set "
                    + Sprites.TEST_SIZE);
        int[][] factors = Arrays.copyOfRange(all, Sprites.TRAIN_SIZE, Sprites.TRAIN_SIZE + test.n());
        for (int i = 0; i < test.n(); i++)
            if (factors[i][0] != test.labels()[i])
                throw new IllegalArgumentException(test.name() + " image " + i + " has label " + test.labels()[i]
                        + " but the sprites test set's shape there is " + factors[i][0] + ": not the sprites test set");
        return new GroundTruth(labels, Sprites.FACTORS, factors);
    }
}
