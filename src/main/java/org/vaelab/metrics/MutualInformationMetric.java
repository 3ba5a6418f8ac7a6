package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutual information I(x; z) under the encoder ({@link MutualInformation}; He et al. 2019): writes
 * {@link MetricId#MI} and the mixture size actually used, {@link MetricId#MI_BATCH} = B = min(batchSize, n), since
 * the estimate cannot exceed about log B. Its one z per image comes from evaluation stream
 * {@value EvaluationContext#MI_STREAM}.
 *
 * @param batchSize the mixture size B (consecutive images), ≥ 1; {@link #DEFAULT_BATCH} reproduces the recorded runs
 */
public record MutualInformationMetric(int batchSize) implements VaeMetric {

    /**
     * B = 500, the value of every recorded run. With it a trained VAE saturates near log 500 = 6.21 (docs/theory.md §3);
     * using the whole evaluation set is a separate, numbers-changing decision.
     */
    public static final int DEFAULT_BATCH = 500;

    public MutualInformationMetric {
        if (batchSize < 1) throw new IllegalArgumentException("MI batch size B must be ≥ 1, got " + batchSize);
    }

    @Override
    public String name() {
        return "mi";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MetricId.MI, MetricId.MI_BATCH);
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.of(MetricId.MI, "MI", "MI", 2,
                "I(x; z) under the encoder (He et al. 2019), batches of B images; bounded by about log B, nats"));
    }

    @Override
    public boolean reported() {
        return true;
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        int b = Math.min(batchSize, c.n());
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.MI, MutualInformation.of(c.posterior(), b, c.stream(EvaluationContext.MI_STREAM)));
        m.put(MetricId.MI_BATCH, (double) b);
        return m;
    }
}
