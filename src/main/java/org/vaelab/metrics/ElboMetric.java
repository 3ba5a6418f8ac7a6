package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ELBO, distortion and rate on the evaluation set ({@link Elbo}; Alemi et al. 2018, arXiv:1711.00464): writes
 * {@link MetricId#ELBO} = −(D + R), {@link MetricId#REC} = D, the mean of the one-sample reconstruction terms, and
 * {@link MetricId#KL} = R, the analytic KL summed over latent dimensions ({@link GaussianKl}).
 */
public final class ElboMetric implements VaeMetric {

    @Override
    public String name() {
        return "elbo";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MetricId.ELBO, MetricId.REC, MetricId.KL);
    }

    @Override
    public List<Column> columns() {
        return List.of(
                Column.of(MetricId.ELBO, "ELBO", "ELBO", 2, "ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)), nats per image"),
                Column.of(MetricId.REC, "Rec (D)", "Rec ($D$)", 2,
                        "distortion D = −E_x E_q[log p(x|z)], one posterior sample per image, nats"),
                Column.of(MetricId.KL, "KL (R)", "KL ($R$)", 2, "rate R = E_x KL(q(z|x) ‖ N(0, I)), analytic, nats"));
    }

    @Override
    public boolean reported() {
        return true;
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        // Summed in image order and then dimension order: the order behind every recorded number.
        double recSum = 0;
        for (double r : c.reconstructionTerms()) recSum += r;
        double rec = recSum / c.n();
        double kl = 0;
        for (double v : GaussianKl.perDimension(c.posterior())) kl += v;
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ELBO, Elbo.of(rec, kl));
        m.put(MetricId.REC, rec);
        m.put(MetricId.KL, kl);
        return m;
    }
}
