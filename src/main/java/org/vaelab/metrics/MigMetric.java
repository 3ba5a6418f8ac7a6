package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Mutual Information Gap ({@link Mig}; Chen et al. 2018, arXiv:1802.04942) of the posterior means against the
 * ground-truth factors: writes {@link #MIG} {@code model/mig} and, per factor, its normalised gap
 * {@code factor:<name>/mig}. Runs only where the data set has factors (the sprites set) and the model at least two
 * latents.
 *
 * @param bins bins per latent, ≥ 2 ({@link Mig#DEFAULT_BINS} = 20, as in the paper)
 */
public record MigMetric(int bins) implements VaeMetric {

    /** MIG over all factors, {@code model/mig}. */
    public static final MetricId MIG = MetricId.model("mig");

    public MigMetric {
        if (bins < 2) throw new IllegalArgumentException("MIG needs at least 2 bins, got " + bins);
    }

    @Override
    public String name() {
        return "mig";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MIG);
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.of(MIG, "MIG", "MIG", 2,
                "mutual information gap of the posterior means, " + bins + " bins (Chen et al. 2018), 0 to 1"));
    }

    @Override
    public Set<Requirement> requires() {
        return Set.of(Requirement.FACTORS);
    }

    @Override
    public Optional<String> unmet(EvaluationContext c) {
        Optional<String> why = VaeMetric.super.unmet(c);
        if (why.isPresent() || c.latentDim() >= 2) return why;
        return Optional.of("the model has " + c.latentDim() + " latent dimension; MIG needs at least 2");
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        GroundTruth truth = c.factors().orElseThrow();
        int n = c.n(), d = c.latentDim();
        double[] mu = c.posterior().mu();
        double[][] means = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(mu, i * d, means[i], 0, d);
        Mig.Result r = Mig.evaluate(means, truth.factors(), bins);
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MIG, r.mig());
        for (int k = 0; k < r.gaps().length; k++) m.put(MetricId.factor(truth.factorNames().get(k), "mig"), r.gaps()[k]);
        return m;
    }
}
