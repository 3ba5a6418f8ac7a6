package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutual information I(x; z) under the encoder ({@link MutualInformation}; He et al. 2019): writes
 * {@link MetricId#MI} and the mixture size actually used, {@link MetricId#MI_BATCH} = B = min(batchSize, n), since
 * the estimate cannot exceed log B. Its one z per image comes from evaluation stream
 * {@value EvaluationContext#MI_STREAM}.
 *
 * <p>By default the aggregate posterior q(z) is estimated against the <em>whole</em> evaluation set (B = n), so the
 * bound is log n (9.21 nats for 10,000 test images) rather than the log 500 = 6.21 of He et al.'s batches, at which
 * most trained VAEs sat and the column could not separate them. Over an empirical test set I(x; z) ≤ log n holds for
 * any encoder, so a value near the bound is not an estimator failure but it cannot be ranked: reports flag values
 * within {@value #SATURATION_NATS} nats of log B ({@link #saturated}).
 *
 * @param batchSize the mixture size B (consecutive images), ≥ 1, or {@link #WHOLE_SET} for all images
 */
public record MutualInformationMetric(int batchSize) implements VaeMetric {

    /** B = the whole evaluation set: the default since {@code NumericsVersion.EVALUATION} 2. */
    public static final int WHOLE_SET = 0;

    /** The default mixture: the whole evaluation set. He et al.'s batches of 500 remain available as {@code new MutualInformationMetric(500)}. */
    public static final int DEFAULT_BATCH = WHOLE_SET;

    /** A value this close to its bound log B is flagged as saturated and not ranked. */
    public static final double SATURATION_NATS = 0.1;

    public MutualInformationMetric {
        if (batchSize < 0) throw new IllegalArgumentException("MI batch size B must be ≥ 1, or 0 for the whole set, got " + batchSize);
    }

    /** Whether an estimate lies within {@value #SATURATION_NATS} nats of its bound log B. */
    public static boolean saturated(double mi, double b) {
        return b >= 1 && mi > Math.log(b) - SATURATION_NATS;
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
                "I(x; z) under the encoder (He et al. 2019), q(z) over B images (the whole set by default); at most log B, nats"));
    }

    @Override
    public boolean reported() {
        return true;
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        int b = batchSize == WHOLE_SET ? c.n() : Math.min(batchSize, c.n());
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.MI, MutualInformation.of(c.posterior(), b, c.stream(EvaluationContext.MI_STREAM)));
        m.put(MetricId.MI_BATCH, (double) b);
        return m;
    }
}
