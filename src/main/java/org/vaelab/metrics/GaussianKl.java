package org.vaelab.metrics;

import org.vaelab.model.Posterior;

/**
 * Closed-form KL divergence of a diagonal Gaussian posterior q(z|x) = N(μ, diag(σ²)) from the standard normal
 * prior p(z) = N(0, I) (Kingma and Welling 2014, arXiv:1312.6114, Appendix B):
 * <pre>  KL_j = ½ (μ_j² + σ_j² − log σ_j² − 1)</pre>
 * per latent dimension j. Averaged over examples, the per-dimension KL shows which dimensions carry
 * information; summed over dimensions and averaged over examples it is the rate R of Alemi et al. 2018
 * (arXiv:1711.00464).
 *
 * <p>Evaluated as ½(μ² + expm1(lv) − lv): for σ² close to 1 (a collapsed dimension) the error is then of the
 * order of ulp(lv) rather than ulp(1), so tiny per-dimension KLs are not rounding noise.
 */
public final class GaussianKl {

    private GaussianKl() {
    }

    /**
     * KL(N(μ, e^logvar) ‖ N(0, 1)) of one dimension of one example, in nats.
     *
     * @param mu     posterior mean
     * @param logvar posterior log variance log σ²
     */
    public static double of(double mu, double logvar) {
        return 0.5 * (mu * mu + Math.expm1(logvar) - logvar);
    }

    /**
     * Mean over examples of the KL of each latent dimension: {@code result[j] = (1/n) Σ_i KL(i, j)}.
     *
     * @return d values in nats; they sum to {@link #total(Posterior)}
     * @throws IllegalArgumentException if the posterior has no examples
     */
    public static double[] perDimension(Posterior q) {
        requireExamples(q);
        int n = q.n(), d = q.d();
        double[] mu = q.mu(), lv = q.logvar();
        double[] kl = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) kl[j] += of(mu[i * d + j], lv[i * d + j]);
        for (int j = 0; j < d; j++) kl[j] /= n;
        return kl;
    }

    /**
     * KL of each example, summed over latent dimensions: {@code result[i] = Σ_j KL(i, j)}; the per-example
     * array {@link Elbo} combines with the reconstruction terms.
     *
     * @return n values in nats
     */
    public static double[] perExample(Posterior q) {
        int n = q.n(), d = q.d();
        double[] mu = q.mu(), lv = q.logvar();
        double[] kl = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += of(mu[i * d + j], lv[i * d + j]);
            kl[i] = s;
        }
        return kl;
    }

    /**
     * The rate R: KL summed over latent dimensions, averaged over examples, in nats per example.
     *
     * @throws IllegalArgumentException if the posterior has no examples
     */
    public static double total(Posterior q) {
        double s = 0;
        for (double v : perDimension(q)) s += v;
        return s;
    }

    private static void requireExamples(Posterior q) {
        if (q.n() < 1) throw new IllegalArgumentException("posterior has no examples (n = " + q.n() + ")");
    }
}
