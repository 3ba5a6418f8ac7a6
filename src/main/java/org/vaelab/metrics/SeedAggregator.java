package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates the metrics of repeated runs (one per seed) of one configuration, in the manner of Tribuo's
 * {@code EvaluationAggregator.summarize}, going one step further: every metric gets n and a 95% t-interval
 * ({@link Summary}).
 */
public final class SeedAggregator {

    private SeedAggregator() {
    }

    /**
     * One {@link Summary} per metric over the seeds.
     *
     * @param perSeed one map of metric values per seed; every seed must report the same metrics
     * @return an unmodifiable map, metrics in first-seen order (the first seed's order, then any others)
     * @throws IllegalArgumentException if there are no seeds, a value is null, or a metric is missing from some
     *                                  seeds (the message names the metric and the seeds, by index, that lack it)
     */
    public static Map<MetricId, Summary> summarize(List<? extends Map<MetricId, Double>> perSeed) {
        if (perSeed.isEmpty()) throw new IllegalArgumentException("no seeds to summarize");
        Set<MetricId> ids = new LinkedHashSet<>();
        for (Map<MetricId, Double> seed : perSeed) ids.addAll(seed.keySet());
        Map<MetricId, Summary> out = new LinkedHashMap<>();
        for (MetricId id : ids) {
            double[] values = new double[perSeed.size()];
            List<Integer> missing = new ArrayList<>();
            for (int s = 0; s < perSeed.size(); s++) {
                Double v = perSeed.get(s).get(id);
                if (v == null) missing.add(s);
                else values[s] = v;
            }
            if (!missing.isEmpty())
                throw new IllegalArgumentException("metric " + id.key() + " is missing from seed(s) " + missing
                        + " of " + perSeed.size() + "; every seed must report the same metrics");
            out.put(id, Summary.of(values));
        }
        return Collections.unmodifiableMap(out);
    }
}
