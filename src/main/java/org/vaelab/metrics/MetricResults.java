package org.vaelab.metrics;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Look-ups in per-run metric maps that fail clearly, as Tribuo's {@code Evaluation.get} does: an unknown id is
 * a programming or configuration error and should say what is available.
 */
public final class MetricResults {

    private MetricResults() {
    }

    /**
     * The value of {@code id} in {@code results}.
     *
     * @throws IllegalArgumentException naming the unknown id and listing the known ones
     */
    public static <V> V get(Map<MetricId, V> results, MetricId id) {
        V v = results.get(id);
        if (v == null)
            throw new IllegalArgumentException("Unknown metric " + id.key() + "; known metrics: "
                    + results.keySet().stream().map(MetricId::key).collect(Collectors.joining(", ", "[", "]")));
        return v;
    }
}
