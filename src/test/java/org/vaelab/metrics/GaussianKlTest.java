package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vaelab.model.Posterior;

class GaussianKlTest {

    private static final double TOL = 1e-12;

    @Test
    void closedFormValues() {
        assertEquals(0.0, GaussianKl.of(0, 0), TOL, "posterior equal to the prior");
        assertEquals(0.5, GaussianKl.of(1, 0), TOL, "unit shift of the mean: ½μ²");
        assertEquals(0.5, GaussianKl.of(-1, 0), TOL, "symmetric in μ");
        assertEquals(0.5 * (2 - Math.log(2) - 1), GaussianKl.of(0, Math.log(2)), TOL, "σ² = 2");
        assertEquals(0.5 * (Math.exp(-3) + 3 - 1), GaussianKl.of(0, -3), TOL, "σ² = e^-3");
        assertEquals(0.5 * (4 + Math.exp(0.5) - 0.5 - 1), GaussianKl.of(2, 0.5), TOL, "μ = 2, lv = 0.5");
    }

    @Test
    void accurateNearTheSamePriorVariance() {
        // e^lv − lv − 1 = lv²/2 + lv³/6 + …; at lv = 1e-6 the naive form has no correct digit (error ~1e-16
        // against a value of 2.5e-13).
        double lv = 1e-6;
        double exact = 0.5 * (lv * lv / 2 + lv * lv * lv / 6);
        assertEquals(exact, GaussianKl.of(0, lv), 1e-9 * exact);
    }

    @Test
    void perDimensionAndTotalOnConstructedPosterior() {
        // rows: example 0 = (μ, lv) (0, 0), (1, 0); example 1 = (2, ln 2), (0, −1)
        Posterior q = new Posterior(2, 2,
                new double[]{0, 1, 2, 0},
                new double[]{0, 0, Math.log(2), -1});
        double kl00 = 0, kl01 = 0.5, kl10 = 0.5 * (4 + 2 - Math.log(2) - 1), kl11 = 0.5 * Math.exp(-1);
        double[] perDim = {(kl00 + kl10) / 2, (kl01 + kl11) / 2};
        assertArrayEquals(perDim, GaussianKl.perDimension(q), TOL);
        assertArrayEquals(new double[]{kl00 + kl01, kl10 + kl11}, GaussianKl.perExample(q), TOL);
        assertEquals(perDim[0] + perDim[1], GaussianKl.total(q), TOL);
    }

    @Test
    void emptyPosteriorIsRejected() {
        Posterior empty = new Posterior(0, 3, new double[0], new double[0]);
        assertThrows(IllegalArgumentException.class, () -> GaussianKl.perDimension(empty));
    }
}
