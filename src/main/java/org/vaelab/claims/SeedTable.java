package org.vaelab.claims;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vaelab.metrics.MetricId;

/**
 * The numbers of finished runs, by arm (configuration label), seed and metric: what every verdict is computed from.
 * Immutable; build one with {@link #builder()}. Metrics need not be test-set metrics: an experiment may add numbers
 * it read from a run's training log (e.g. a controller's final state) under ids of its own.
 */
public final class SeedTable {

    /** Arm → seed (ascending) → metric → value. */
    private final Map<String, TreeMap<Long, Map<MetricId, Double>>> arms;

    private SeedTable(Map<String, TreeMap<Long, Map<MetricId, Double>>> arms) {
        this.arms = arms;
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The arms, in the order they were first added. */
    public java.util.Set<String> arms() {
        return Collections.unmodifiableSet(arms.keySet());
    }

    /** Whether the table has any run of {@code arm}. */
    public boolean has(String arm) {
        return arms.containsKey(arm);
    }

    /** The seeds of {@code arm}, ascending; empty if the arm has no runs. */
    public SortedSet<Long> seeds(String arm) {
        TreeMap<Long, Map<MetricId, Double>> s = arms.get(arm);
        return s == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(s.keySet()));
    }

    /** The value of {@code metric} for the run of {@code arm} with {@code seed}, if there is one. */
    public OptionalDouble value(String arm, long seed, MetricId metric) {
        TreeMap<Long, Map<MetricId, Double>> s = arms.get(arm);
        Map<MetricId, Double> m = s == null ? null : s.get(seed);
        Double v = m == null ? null : m.get(metric);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * The value of {@code metric} for the run of {@code arm} with {@code seed}.
     *
     * @throws IllegalArgumentException naming the arm, seed and metric if there is no such value
     */
    public double get(String arm, long seed, MetricId metric) {
        OptionalDouble v = value(arm, seed, metric);
        if (v.isEmpty())
            throw new IllegalArgumentException("no value of " + metric + " for arm '" + arm + "', seed " + seed
                    + (has(arm) ? " (its seeds: " + seeds(arm) + ")" : " (no such arm; arms: " + arms.keySet() + ")"));
        return v.getAsDouble();
    }

    /** Collects values; {@link #build()} freezes them. */
    public static final class Builder {
        private final Map<String, TreeMap<Long, Map<MetricId, Double>>> arms = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Records one value.
         *
         * @throws IllegalArgumentException if the arm is blank or the same (arm, seed, metric) is given twice
         */
        public Builder put(String arm, long seed, MetricId metric, double value) {
            if (arm == null || arm.isBlank()) throw new IllegalArgumentException("an arm must be named, got '" + arm + "'");
            Objects.requireNonNull(metric, "metric");
            Map<MetricId, Double> m = arms.computeIfAbsent(arm, a -> new TreeMap<>())
                    .computeIfAbsent(seed, s -> new LinkedHashMap<>());
            if (m.putIfAbsent(metric, value) != null)
                throw new IllegalArgumentException("arm '" + arm + "', seed " + seed + " already has " + metric);
            return this;
        }

        /** Records every value of one run. */
        public Builder putAll(String arm, long seed, Map<MetricId, Double> metrics) {
            metrics.forEach((id, v) -> put(arm, seed, id, v));
            return this;
        }

        /** The table (a copy: later puts do not change it). */
        public SeedTable build() {
            Map<String, TreeMap<Long, Map<MetricId, Double>>> copy = new LinkedHashMap<>();
            arms.forEach((arm, seeds) -> {
                TreeMap<Long, Map<MetricId, Double>> s = new TreeMap<>();
                seeds.forEach((seed, m) -> s.put(seed, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
                copy.put(arm, s);
            });
            return new SeedTable(Collections.unmodifiableMap(copy));
        }
    }
}
