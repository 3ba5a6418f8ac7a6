package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mean KL of every latent dimension, {@code z<j>/kl} ({@link MetricId#klOfDim}; {@link GaussianKl}):
 * KL_j = ½ E_x(μ_j² + σ_j² − log σ_j² − 1). Their sum is the rate {@link MetricId#KL}.
 */
public final class KlPerDimensionMetric implements VaeMetric {

    @Override
    public String name() {
        return "kl_per_dimension";
    }

    /** None at model level: it writes {@code z<j>/kl} for every latent dimension j. */
    @Override
    public List<MetricId> ids() {
        return List.of();
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        double[] kl = GaussianKl.perDimension(c.posterior());
        Map<MetricId, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < kl.length; j++) m.put(MetricId.klOfDim(j), kl[j]);
        return m;
    }
}
