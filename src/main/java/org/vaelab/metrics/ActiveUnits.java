package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.List;

import org.vaelab.model.Posterior;

/**
 * Active units (Burda, Grosse and Salakhutdinov 2016, "Importance Weighted Autoencoders", arXiv:1509.00519,
 * §5.2): the activity of latent unit u is
 * <pre>  A_u = Cov_x(E_{q(z|x)}[z_u])</pre>
 * the variance over the evaluation set of the posterior mean μ_u(x), and u is active if A_u exceeds a
 * threshold, 0.01 in the paper. An inactive unit's posterior mean does not depend on x: the unit carries no
 * information about the input (posterior collapse). The variance uses the n − 1 denominator (docs/theory.md §3).
 */
public final class ActiveUnits {

    /** The activity threshold of Burda et al. 2016: a unit is active if A_u &gt; 0.01. */
    public static final double DEFAULT_THRESHOLD = 0.01;

    private ActiveUnits() {
    }

    /**
     * Activity A_u of every latent unit: the sample variance (n − 1 denominator) over examples of μ_u.
     *
     * @return d variances
     * @throws IllegalArgumentException if the posterior has fewer than 2 examples
     */
    public static double[] variances(Posterior q) {
        int n = q.n(), d = q.d();
        if (n < 2)
            throw new IllegalArgumentException("active units need at least 2 examples for a variance, got n = " + n);
        double[] mu = q.mu();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += mu[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        // Two passes: the centred sum of squares does not cancel when |mean| ≫ spread.
        double[] var = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                double c = mu[i * d + j] - mean[j];
                var[j] += c * c;
            }
        for (int j = 0; j < d; j++) var[j] /= (n - 1);
        return var;
    }

    /** Number of active units with the paper's threshold 0.01. */
    public static int of(Posterior q) {
        return of(q, DEFAULT_THRESHOLD);
    }

    /**
     * Number of units with A_u &gt; threshold.
     *
     * @throws IllegalArgumentException if the threshold is negative or not finite
     */
    public static int of(Posterior q, double threshold) {
        return activeDimensions(q, threshold).size();
    }

    /** Indices u (ascending) of the active units with the paper's threshold 0.01. */
    public static List<Integer> activeDimensions(Posterior q) {
        return activeDimensions(q, DEFAULT_THRESHOLD);
    }

    /**
     * Indices u (ascending) with A_u &gt; threshold.
     *
     * @throws IllegalArgumentException if the threshold is negative or not finite
     */
    public static List<Integer> activeDimensions(Posterior q, double threshold) {
        if (!Double.isFinite(threshold) || threshold < 0)
            throw new IllegalArgumentException("active-unit threshold must be finite and ≥ 0, got " + threshold);
        double[] a = variances(q);
        List<Integer> active = new ArrayList<>();
        for (int u = 0; u < a.length; u++) if (a[u] > threshold) active.add(u);
        return List.copyOf(active);
    }
}
