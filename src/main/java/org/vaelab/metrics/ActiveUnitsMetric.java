package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Active units ({@link ActiveUnits}; Burda et al. 2016): writes the count {@link MetricId#ACTIVE_UNITS} and, per
 * latent dimension j, {@code z<j>/active} = 1 if j is active, else 0.
 *
 * @param threshold the activity threshold on Cov_x(E_q[z_u]), {@link ActiveUnits#DEFAULT_THRESHOLD} in the paper
 */
public record ActiveUnitsMetric(double threshold) implements VaeMetric {

    public ActiveUnitsMetric {
        if (!Double.isFinite(threshold) || threshold < 0)
            throw new IllegalArgumentException("active-unit threshold must be finite and ≥ 0, got " + threshold);
    }

    @Override
    public String name() {
        return "active_units";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MetricId.ACTIVE_UNITS);
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.of(MetricId.ACTIVE_UNITS, "active units", "Active units", 1,
                "latent units with Cov_x(E_q[z_u]) > " + threshold + " (Burda et al. 2016)"));
    }

    @Override
    public boolean reported() {
        return true;
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        List<Integer> active = ActiveUnits.activeDimensions(c.posterior(), threshold);
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ACTIVE_UNITS, (double) active.size());
        for (int j = 0; j < c.latentDim(); j++) m.put(MetricId.activeOfDim(j), active.contains(j) ? 1.0 : 0.0);
        return m;
    }
}
