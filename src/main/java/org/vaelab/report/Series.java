package org.vaelab.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named curve for a figure: y against x, e.g. the KL of one configuration against the optimiser step.
 * Immutable: the arrays are copied on the way in and out.
 *
 * @param label legend label of the configuration, e.g. {@code β=4}; non-blank
 * @param x     abscissae, same length as y, at least one point
 * @param y     ordinates; NaN leaves a gap
 */
public record Series(String label, double[] x, double[] y) {

    public Series {
        Objects.requireNonNull(label, "series label");
        if (label.isBlank()) throw new IllegalArgumentException("series label must not be blank");
        if (x.length != y.length)
            throw new IllegalArgumentException("series '" + label + "': x and y differ in length, "
                    + x.length + " and " + y.length);
        if (x.length == 0) throw new IllegalArgumentException("series '" + label + "' has no points");
        x = x.clone();
        y = y.clone();
    }

    /**
     * The values sorted in descending order against their rank 1, 2, …, e.g. the per-dimension KL of one
     * configuration for {@link PerDimensionKlChart}.
     */
    public static Series sortedDescending(String label, double[] values) {
        double[] y = values.clone();
        Arrays.sort(y);
        double[] desc = new double[y.length];
        double[] rank = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            desc[i] = y[y.length - 1 - i];
            rank[i] = i + 1;
        }
        return new Series(label, rank, desc);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    /** Number of points. */
    public int size() {
        return x.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && label.equals(s.label) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, Arrays.hashCode(x), Arrays.hashCode(y));
    }

    @Override
    public String toString() {
        return "Series[" + label + ", " + x.length + " points]";
    }
}
