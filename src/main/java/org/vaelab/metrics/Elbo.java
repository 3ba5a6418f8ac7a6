package org.vaelab.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evidence lower bound from per-example terms (Kingma and Welling 2014, arXiv:1312.6114):
 * <pre>  ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) = −(Rec + KL)</pre>
 * with {@code Rec = −log p(x|z)} (for one or more z samples) and the KL summed over latent dimensions.
 * Averaged over a data set, Rec is the distortion D and KL the rate R of Alemi et al. 2018
 * (arXiv:1711.00464), so ELBO = −(D + R). All values in nats per example.
 *
 * <p>Non-finite terms (a diverged run) propagate to the result rather than throwing, so that they are reported.
 */
public final class Elbo {

    private Elbo() {
    }

    /**
     * ELBO of a data set from its mean reconstruction term and mean KL: −(rec + kl).
     *
     * @param meanRec distortion D, nats per example
     * @param meanKl  rate R, nats per example
     */
    public static double of(double meanRec, double meanKl) {
        return -(meanRec + meanKl);
    }

    /**
     * Mean ELBO of n examples: −(1/n) Σ_i (rec_i + kl_i).
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static double of(double[] rec, double[] kl) {
        check(rec, kl);
        double s = 0;
        for (int i = 0; i < rec.length; i++) s += rec[i] + kl[i];
        return -s / rec.length;
    }

    /**
     * ELBO of every example: {@code result[i] = −(rec_i + kl_i)}.
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static double[] perExample(double[] rec, double[] kl) {
        check(rec, kl);
        double[] e = new double[rec.length];
        for (int i = 0; i < rec.length; i++) e[i] = -(rec[i] + kl[i]);
        return e;
    }

    /**
     * The three standard whole-model metrics from per-example terms, in the order
     * {@link MetricId#ELBO}, {@link MetricId#REC} (distortion D), {@link MetricId#KL} (rate R).
     *
     * @return an unmodifiable map in that order
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static Map<MetricId, Double> metrics(double[] rec, double[] kl) {
        check(rec, kl);
        double d = mean(rec), r = mean(kl);
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ELBO, of(rec, kl));
        m.put(MetricId.REC, d);
        m.put(MetricId.KL, r);
        return Collections.unmodifiableMap(m);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static void check(double[] rec, double[] kl) {
        if (rec.length != kl.length)
            throw new IllegalArgumentException("rec and kl must have one entry per example, got "
                    + rec.length + " and " + kl.length);
        if (rec.length == 0) throw new IllegalArgumentException("ELBO of zero examples is undefined");
    }
}
