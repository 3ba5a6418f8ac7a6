package org.vaelab.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reconstruction binary cross-entropy per image at z = μ, {@link MetricId#BCE}: the mean Bernoulli reconstruction
 * term −log p(x | z = μ), exact from the decoder's logits (see {@link Reconstruction#bce} for the formula). Bernoulli
 * decoders only.
 */
public final class BceMetric implements VaeMetric {

    @Override
    public String name() {
        return "bce";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MetricId.BCE);
    }

    @Override
    public Set<Requirement> requires() {
        return Set.of(Requirement.BERNOULLI_DECODER);
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        double s = 0;
        for (double r : c.reconstructionTermsAtMean()) s += r;
        return Map.of(MetricId.BCE, s / c.n());
    }
}
