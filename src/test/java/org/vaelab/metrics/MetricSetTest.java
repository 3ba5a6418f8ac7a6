package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Likelihood;
import org.vaelab.model.Posterior;

/**
 * The evaluator over a hand-made {@link EvaluationContext} (no engine): requirements skip metrics with a reason,
 * factors switch MIG on, and a metric defined here (outside main) joins the list with no other change.
 */
class MetricSetTest {

    /**
     * 16 images on a 4 × 4 grid of two factors; latent j is factor j (plus a constant), so each factor has exactly
     * one informative latent and MIG = 1. Gaussian decoder, reconstruction terms 1, 2, …, 16.
     */
    static EvaluationContext context(boolean withFactors) {
        int n = 16, d = 2;
        double[] mu = new double[n * d], logvar = new double[n * d];
        int[][] factors = new int[n][];
        double[] rec = new double[n];
        for (int i = 0; i < n; i++) {
            factors[i] = new int[] {i / 4, i % 4};
            mu[i * d] = i / 4 + 0.5;
            mu[i * d + 1] = i % 4 - 1.5;
            rec[i] = i + 1;
        }
        ImageDataset targets = new ImageDataset("grid", new float[n * 4], n, 2, 2, new int[n], "none");
        GroundTruth truth = withFactors ? new GroundTruth(null, List.of("row", "col"), factors) : GroundTruth.NONE;
        return new EvaluationContext(new Posterior(n, d, mu, logvar), rec, targets, new float[n * 4], null,
                Likelihood.GAUSSIAN, truth, 9, null);
    }

    /** A metric that only this test knows: the number of evaluation images, with a table column. */
    record ImageCount() implements VaeMetric {
        static final MetricId ID = MetricId.model("images");

        @Override
        public String name() {
            return "images";
        }

        @Override
        public List<MetricId> ids() {
            return List.of(ID);
        }

        @Override
        public List<Column> columns() {
            return List.of(Column.of(ID, "images", "Images", 0, "number of evaluation images"));
        }

        @Override
        public Map<MetricId, Double> compute(EvaluationContext c) {
            return Map.of(ID, (double) c.n());
        }
    }

    @Test
    void metricsWhoseRequirementsAreUnmetAreSkippedWithTheirReason() {
        var eval = TestSetEvaluator.evaluate(context(false), MetricSet.standard(5));
        assertEquals(Set.of("bce", "iw_nll", "mig"), eval.skipped().keySet(), eval.skipped().toString());
        assertTrue(eval.skipped().get("mig").contains("no ground-truth factors"), eval.skipped().get("mig"));
        assertTrue(eval.skipped().get("bce").contains("gaussian"), eval.skipped().get("bce"));
        assertTrue(eval.skipped().get("iw_nll").contains("importance samples"), eval.skipped().get("iw_nll"));
        Map<MetricId, Double> m = eval.metrics();
        assertFalse(m.containsKey(MetricId.BCE) || m.containsKey(MetricId.IW_NLL) || m.containsKey(MigMetric.MIG));
        // Rec = mean of 1 … 16; KL of N(μ, 1) is ½μ² per dimension; ELBO = −(D + R).
        assertEquals(8.5, m.get(MetricId.REC), 1e-12);
        double kl0 = 0, kl1 = 0;
        for (int i = 0; i < 16; i++) {
            kl0 += 0.5 * Math.pow(i / 4 + 0.5, 2) / 16;
            kl1 += 0.5 * Math.pow(i % 4 - 1.5, 2) / 16;
        }
        assertEquals(kl0, m.get(MetricId.klOfDim(0)), 1e-12);
        assertEquals(kl0 + kl1, m.get(MetricId.KL), 1e-12);
        assertEquals(-(8.5 + kl0 + kl1), m.get(MetricId.ELBO), 1e-12);
        assertEquals(16, m.get(MetricId.MI_BATCH), "B = min(500, n)");
        assertTrue(MetricSet.standard().reportedIds().stream().allMatch(m::containsKey));
    }

    @Test
    void migRunsWhereTheDataHaveFactorsAndWritesOneGapPerFactor() {
        var eval = TestSetEvaluator.evaluate(context(true), MetricSet.standard());
        assertFalse(eval.skipped().containsKey("mig"), eval.skipped().toString());
        Map<MetricId, Double> m = eval.metrics();
        assertEquals(1.0, m.get(MigMetric.MIG), 1e-12);
        assertEquals(1.0, m.get(MetricId.factor("row", "mig")), 1e-12);
        assertEquals(1.0, m.get(MetricId.factor("col", "mig")), 1e-12);
        // metrics.csv order: whole-model ids in list order, then per-latent, then per-factor.
        List<String> kinds = new ArrayList<>();
        for (MetricId id : m.keySet()) {
            String k = id.target().getClass().getSimpleName();
            if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals(k)) kinds.add(k);
        }
        assertEquals(List.of("Model", "Latent", "Factor"), kinds);
        assertEquals(List.of(MetricId.ELBO, MetricId.REC, MetricId.KL, MetricId.ACTIVE_UNITS, MetricId.MI,
                MetricId.MI_BATCH, MetricId.MSE, MigMetric.MIG), m.keySet().stream().limit(8).toList());
    }

    /** Adding a metric is one class (here, in the test) and one line: no main file changes. */
    @Test
    void aNewMetricJoinsTheEvaluationAndTheTableColumnsWithoutOtherChanges() {
        MetricSet set = MetricSet.standard().with(new ImageCount());
        assertEquals(16, TestSetEvaluator.evaluate(context(false), set).metrics().get(ImageCount.ID));
        List<VaeMetric.Column> columns = set.columns();
        assertEquals(ImageCount.ID, columns.get(columns.size() - 1).id(), "a new column comes after the standard ones");
        assertEquals(List.of(MetricId.ELBO, MetricId.IW_NLL, MetricId.IW_GAP, MetricId.REC, MetricId.KL, MetricId.MI,
                MetricId.ACTIVE_UNITS, MigMetric.MIG, ImageCount.ID), columns.stream().map(VaeMetric.Column::id).toList());
    }

    @Test
    void theMiMixtureSizeIsAParameterOfTheMetric() {
        var set = new MetricSet(List.of(new MutualInformationMetric(4)));
        Map<MetricId, Double> m = TestSetEvaluator.evaluate(context(false), set).metrics();
        assertEquals(4, m.get(MetricId.MI_BATCH));
        assertEquals(Map.of(MetricId.MI, MutualInformation.of(context(false).posterior(), 4,
                context(false).stream(EvaluationContext.MI_STREAM)), MetricId.MI_BATCH, 4.0), m);
        // The default mixture is the whole evaluation set: B = n, bound log n.
        Map<MetricId, Double> whole = TestSetEvaluator.evaluate(context(false), new MetricSet(List.of(
                new MutualInformationMetric(MutualInformationMetric.DEFAULT_BATCH)))).metrics();
        assertEquals(context(false).n(), whole.get(MetricId.MI_BATCH));
        assertTrue(whole.get(MetricId.MI) <= Math.log(context(false).n()) + 1e-12);
    }

    @Test
    void setsRejectDuplicateNamesAndIdsAndReportedMetricsWithRequirements() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MetricSet(List.of(new ElboMetric(), new ElboMetric())));
        assertTrue(e.getMessage().contains("'elbo'"), e.getMessage());
        VaeMetric sameId = new VaeMetric() {
            public String name() {
                return "other";
            }

            public List<MetricId> ids() {
                return List.of(MetricId.ELBO);
            }

            public Map<MetricId, Double> compute(EvaluationContext c) {
                return Map.of();
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> MetricSet.standard().with(sameId));
        assertTrue(e.getMessage().contains("model/elbo"), e.getMessage());
        VaeMetric reportedWithFactors = new VaeMetric() {
            public String name() {
                return "needy";
            }

            public List<MetricId> ids() {
                return List.of(MetricId.model("needy"));
            }

            public Set<Requirement> requires() {
                return Set.of(Requirement.FACTORS);
            }

            public boolean reported() {
                return true;
            }

            public Map<MetricId, Double> compute(EvaluationContext c) {
                return Map.of();
            }
        };
        assertThrows(IllegalArgumentException.class, () -> new MetricSet(List.of(reportedWithFactors)));
        assertThrows(IllegalArgumentException.class, () -> new MutualInformationMetric(-1));
        assertThrows(IllegalArgumentException.class, () -> new IwNllMetric(-1));
    }

    @Test
    void contextsRejectArraysThatDoNotFitTheImages() {
        EvaluationContext ok = context(false);
        var e = assertThrows(IllegalArgumentException.class, () -> new EvaluationContext(ok.posterior(), new double[3],
                ok.targets(), ok.meanReconstructions(), null, Likelihood.GAUSSIAN, GroundTruth.NONE, 1, null));
        assertTrue(e.getMessage().contains("3 values for 16 images"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EvaluationContext(ok.posterior(), ok.reconstructionTerms(),
                ok.targets(), ok.meanReconstructions(), null, Likelihood.BERNOULLI, GroundTruth.NONE, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationContext(ok.posterior(), ok.reconstructionTerms(),
                ok.targets(), ok.meanReconstructions(), null, Likelihood.GAUSSIAN, GroundTruth.labels(new int[5]), 1, null));
    }
}
