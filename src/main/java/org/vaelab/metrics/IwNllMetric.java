package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The importance-weighted NLL ({@link IwNll}; Burda et al. 2016): writes {@link MetricId#IW_NLL} and the K used,
 * {@link MetricId#IW_K}. Costs K decoder passes per image, so it is off (K = 0, skipped with that reason) unless the
 * run asks for it ({@code RunConfig.iwSamples() > 0}).
 *
 * @param k importance samples per image, ≥ 1, or 0 for off ({@link IwNll#DEFAULT_K} = 5000 for final numbers)
 */
public record IwNllMetric(int k) implements VaeMetric {

    public IwNllMetric {
        if (k < 0) throw new IllegalArgumentException("importance samples K must be ≥ 1, or 0 for off, got " + k);
    }

    /** Off (K = 0) is a reason not to run, stated like an unmet requirement. */
    @Override
    public Optional<String> unmet(EvaluationContext c) {
        if (k == 0) return Optional.of("off (K = 0 importance samples; set iwSamples to compute it)");
        return VaeMetric.super.unmet(c);
    }

    @Override
    public String name() {
        return "iw_nll";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MetricId.IW_NLL, MetricId.IW_K);
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.of(MetricId.IW_NLL, "IW-NLL", "IW-NLL", 2,
                "importance-weighted NLL −log (1/K) Σ_k w_k (Burda et al. 2016), nats per image")
                .withParameter(MetricId.IW_K, "K"));
    }

    @Override
    public Set<Requirement> requires() {
        return Set.of(Requirement.IMPORTANCE_SAMPLES);
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.IW_NLL, c.importanceSampled(k).nll());
        m.put(MetricId.IW_K, (double) k);
        return m;
    }
}
