package org.vaelab.claims;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A claim's per-seed effects: one value per seed that every arm of the comparison has, ascending by seed, and the
 * seeds left out with the reason (a value that is undefined, e.g. a slope between two equal rates, or missing).
 *
 * @param seeds    the seeds with a value, ascending
 * @param values   the effect of each seed, finite, aligned with {@code seeds}
 * @param excluded seeds every arm has but that gave no value, with the reason
 */
public record Effects(long[] seeds, double[] values, Map<Long, String> excluded) {

    public Effects {
        if (seeds.length != values.length)
            throw new IllegalArgumentException(seeds.length + " seeds but " + values.length + " values");
        for (int i = 0; i < values.length; i++)
            if (!Double.isFinite(values[i]))
                throw new IllegalArgumentException("effect of seed " + seeds[i] + " is " + values[i] + "; exclude it with a reason instead");
        seeds = seeds.clone();
        values = values.clone();
        excluded = Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
    }

    /** The number of seeds with a value. */
    public int n() {
        return values.length;
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Effects e && Arrays.equals(seeds, e.seeds) && Arrays.equals(values, e.values)
                && excluded.equals(e.excluded);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(seeds) + Arrays.hashCode(values)) + excluded.hashCode();
    }

    @Override
    public String toString() {
        return "Effects" + Arrays.toString(seeds) + "=" + Arrays.toString(values) + (excluded.isEmpty() ? "" : " excluded " + excluded);
    }
}
