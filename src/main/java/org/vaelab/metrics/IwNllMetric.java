package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The importance-weighted NLL ({@link IwNll}; Burda et al. 2016): writes {@link MetricId#IW_NLL}, the K used
 * ({@link MetricId#IW_K}), its Monte-Carlo standard error ({@link MetricId#IW_NLL_MC_SE}) and the gap −ELBO − NLL
 * ({@link MetricId#IW_GAP}), the ELBO taken from the same samples, and the estimate from the first K' = 1, 10,
 * 100, … of the K samples ({@link MetricId#iwNllAt}), which shows how it moves with K at no extra cost. Costs K
 * decoder passes per image, so it is off (K = 0, skipped with that reason) unless the run asks for it
 * ({@code RunConfig.iwSamples() > 0}).
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
        List<MetricId> ids = new ArrayList<>(List.of(MetricId.IW_NLL, MetricId.IW_K, MetricId.IW_NLL_MC_SE, MetricId.IW_GAP));
        for (int p : IwNll.prefixes(k)) ids.add(MetricId.iwNllAt(p));
        return ids;
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.of(MetricId.IW_NLL, "IW-NLL", "IW-NLL", 2,
                "importance-weighted NLL −log (1/K) Σ_k w_k (Burda et al. 2016), nats per image")
                .withParameter(MetricId.IW_K, "K"),
                Column.of(MetricId.IW_GAP, "gap", "gap", 2,
                        "−ELBO − IW-NLL from the same K samples per image: the ELBO's distance to the likelihood bound, nats"));
    }

    @Override
    public Set<Requirement> requires() {
        return Set.of(Requirement.IMPORTANCE_SAMPLES);
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        Map<MetricId, Double> m = new LinkedHashMap<>();
        IwNll.Result r = c.importanceSampled(k);
        m.put(MetricId.IW_NLL, r.nll());
        m.put(MetricId.IW_K, (double) k);
        m.put(MetricId.IW_NLL_MC_SE, r.monteCarloError());
        m.put(MetricId.IW_GAP, -r.elbo() - r.nll());
        r.prefixNll().forEach((p, nll) -> m.put(MetricId.iwNllAt(p), nll));
        return m;
    }
}
