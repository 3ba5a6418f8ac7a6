package org.vaelab.claims;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.vaelab.metrics.MetricId;

/**
 * How a claim's effect is formed from the runs of one seed. Seeds are shared across arms (equal seeds mean equal
 * initialisation, batches and noise), so the effect is computed seed by seed and the seeds' spread is that of the
 * effect itself: a paired comparison.
 */
public sealed interface Comparison {

    /** The arms this comparison reads; a seed counts if every one of them has a run with it. */
    List<String> arms();

    /** The comparison in words, e.g. {@code warm-up − β=1, paired by seed}. */
    String describe();

    /**
     * The effect of one seed, or NaN where it is undefined.
     *
     * @throws IllegalArgumentException if a value it needs is missing
     */
    double effect(SeedTable table, long seed);

    /** The effects of every seed all {@link #arms()} share; undefined or missing values are listed as excluded. */
    default Effects effects(SeedTable table) {
        TreeSet<Long> shared = null;
        for (String arm : arms()) {
            TreeSet<Long> s = new TreeSet<>(table.seeds(arm));
            if (shared == null) shared = s;
            else shared.retainAll(s);
        }
        List<Long> seeds = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        Map<Long, String> excluded = new LinkedHashMap<>();
        for (long seed : shared == null ? new TreeSet<Long>() : shared) {
            try {
                double v = effect(table, seed);
                if (Double.isFinite(v)) {
                    seeds.add(seed);
                    values.add(v);
                } else {
                    excluded.put(seed, "undefined (" + v + ")");
                }
            } catch (IllegalArgumentException e) {
                excluded.put(seed, e.getMessage());
            }
        }
        return new Effects(seeds.stream().mapToLong(Long::longValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray(), excluded);
    }

    /**
     * Arm A's value minus arm B's, seed by seed.
     *
     * @param armA   the arm the claim is about (e.g. warm-up)
     * @param armB   the arm it is compared with (e.g. β = 1)
     * @param metric the quantity
     */
    record Paired(String armA, String armB, MetricId metric) implements Comparison {
        public Paired {
            if (armA == null || armB == null || armA.equals(armB))
                throw new IllegalArgumentException("a paired comparison needs two different arms, got '" + armA + "' and '" + armB + "'");
            if (metric == null) throw new IllegalArgumentException("a paired comparison needs a metric");
        }

        @Override
        public List<String> arms() {
            return List.of(armA, armB);
        }

        @Override
        public String describe() {
            return armA + " − " + armB + ", paired by seed";
        }

        @Override
        public double effect(SeedTable t, long seed) {
            return t.get(armA, seed, metric) - t.get(armB, seed, metric);
        }
    }

    /**
     * One arm's value minus a fixed reference (e.g. a controller's KL minus its set point), seed by seed.
     *
     * @param arm       the arm
     * @param metric    the quantity
     * @param reference the value it is compared with, finite
     */
    record Offset(String arm, MetricId metric, double reference) implements Comparison {
        public Offset {
            if (arm == null || arm.isBlank()) throw new IllegalArgumentException("an offset comparison needs an arm");
            if (metric == null) throw new IllegalArgumentException("an offset comparison needs a metric");
            if (!Double.isFinite(reference)) throw new IllegalArgumentException("the reference must be finite, got " + reference);
        }

        @Override
        public List<String> arms() {
            return List.of(arm);
        }

        @Override
        public String describe() {
            return arm + " − " + new java.math.BigDecimal(reference).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }

        @Override
        public double effect(SeedTable t, long seed) {
            return t.get(arm, seed, metric) - reference;
        }
    }

    /**
     * A statistic of several arms' runs of one seed (e.g. the curvature of a β sweep's rate–distortion points).
     *
     * @param description what the statistic is, in words
     * @param arms        the arms it reads
     * @param statistic   the statistic of one seed; NaN where undefined
     */
    record PerSeed(String description, List<String> arms, Statistic statistic) implements Comparison {
        public PerSeed {
            if (description == null || description.isBlank()) throw new IllegalArgumentException("describe the statistic");
            arms = List.copyOf(arms);
            if (arms.isEmpty()) throw new IllegalArgumentException("a per-seed statistic needs at least one arm");
            if (statistic == null) throw new IllegalArgumentException("a per-seed statistic needs its function");
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public double effect(SeedTable t, long seed) {
            return statistic.of(t, seed);
        }
    }

    /** A statistic computed from the runs of one seed. */
    @FunctionalInterface
    interface Statistic {
        /**
         * @return the statistic, or NaN where it is undefined
         * @throws IllegalArgumentException if a value it needs is missing
         */
        double of(SeedTable table, long seed);
    }
}
