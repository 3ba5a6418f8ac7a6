package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vaelab.model.Posterior;

class ActiveUnitsTest {

    @Test
    void varianceUsesTheUnbiasedDenominator() {
        // μ = 1, 2, 3, 4 in one dimension: mean 2.5, Σ(μ − 2.5)² = 5, variance 5/3.
        Posterior q = new Posterior(4, 1, new double[]{1, 2, 3, 4}, new double[4]);
        assertArrayEquals(new double[]{5.0 / 3}, ActiveUnits.variances(q), 1e-12);
    }

    /**
     * μ_u(i) = offset_u + c_u·sin(i): A_u = c_u²·Var_i(sin i). With Var(sin) ≈ ½, c = 1, 0.5, 0.2 give
     * A ≈ 0.5, 0.125, 0.02 (active), c = 0.1, 0.01, 0 give 0.005, 5e-5, 0 (inactive). The large offset of
     * dimension 2 checks that the mean is removed before squaring.
     */
    @Test
    void countsUnitsWhosePosteriorMeanVariesAcrossExamples() {
        int n = 500;
        double[] c = {1, 0.1, 0.2, 0.01, 0.5, 0};
        double[] offset = {0, 3, 1000, -2, 0, 7};
        int d = c.length;
        double[] mu = new double[n * d];
        double[] logvar = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int u = 0; u < d; u++) {
                mu[i * d + u] = offset[u] + c[u] * Math.sin(i);
                logvar[i * d + u] = -1.0 * u;   // the posterior variance plays no part
            }
        Posterior q = new Posterior(n, d, mu, logvar);

        double meanSin = 0, varSin = 0;
        for (int i = 0; i < n; i++) meanSin += Math.sin(i);
        meanSin /= n;
        for (int i = 0; i < n; i++) varSin += (Math.sin(i) - meanSin) * (Math.sin(i) - meanSin);
        varSin /= n - 1;
        assertTrue(Math.abs(varSin - 0.5) < 0.01, "sin(i) over integers has variance near ½: " + varSin);

        double[] a = ActiveUnits.variances(q);
        for (int u = 0; u < d; u++) assertEquals(c[u] * c[u] * varSin, a[u], 1e-9, "A_" + u);

        assertEquals(List.of(0, 2, 4), ActiveUnits.activeDimensions(q));
        assertEquals(3, ActiveUnits.of(q));
        assertEquals(3, ActiveUnits.of(q, ActiveUnits.DEFAULT_THRESHOLD));
        assertEquals(List.of(0, 1, 2, 4), ActiveUnits.activeDimensions(q, 1e-3));
        assertEquals(1, ActiveUnits.of(q, 0.2));
    }

    @Test
    void rejectsTooFewExamplesAndBadThresholds() {
        Posterior one = new Posterior(1, 2, new double[]{1, 2}, new double[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ActiveUnits.of(one));
        assertTrue(e.getMessage().contains("n = 1"), e.getMessage());
        Posterior two = new Posterior(2, 1, new double[]{0, 1}, new double[2]);
        assertThrows(IllegalArgumentException.class, () -> ActiveUnits.of(two, -0.1));
        assertThrows(IllegalArgumentException.class, () -> ActiveUnits.of(two, Double.NaN));
    }
}
