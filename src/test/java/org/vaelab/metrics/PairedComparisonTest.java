package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    /**
     * Differences 1, 2, 3, 4, 5 by hand: mean 3, sd = √2.5 = 1.5811, se = sd/√5 = 0.70711, t = 4.2426 on 4 degrees
     * of freedom; t_{0.975, 4} = 2.776445, so the interval is 3 ± 1.963243 = [1.036757, 4.963243] and the two-sided
     * p-value is 0.01324 (R: {@code t.test(1:5)}). Wilcoxon: all five differences positive, W+ = 15, and exactly one
     * of the 2⁵ sign patterns reaches 15, so p = 2/32 = 0.0625.
     */
    @Test
    void matchesTheHandComputation() {
        double[] a = {11, 22, 33, 44, 55};
        double[] b = {10, 20, 30, 40, 50};
        PairedComparison c = PairedComparison.of(a, b);
        assertEquals(5, c.n());
        assertEquals(3, c.meanDifference(), 1e-12);
        assertEquals(Math.sqrt(2.5), c.std(), 1e-12);
        assertEquals(1.036757, c.ciLow(), 1e-6);
        assertEquals(4.963243, c.ciHigh(), 1e-6);
        assertEquals(0.01324, c.pValue(), 1e-5);
        assertEquals(0.0625, c.wilcoxonPValue(), 1e-12);
        assertEquals("Δ = 3.00 ± 1.96 (95% CI, paired t, p = 0.013; Wilcoxon p = 0.063; n = 5)", c.format(2));
    }

    /** Swapping the sides flips the difference and the interval, and keeps the p-values. */
    @Test
    void isAntisymmetric() {
        double[] a = {1.3, 0.2, 2.9, 1.1}, b = {0.7, 0.9, 1.0, 0.2};
        PairedComparison ab = PairedComparison.of(a, b), ba = PairedComparison.of(b, a);
        assertEquals(-ab.meanDifference(), ba.meanDifference(), 1e-12);
        assertEquals(-ab.ciHigh(), ba.ciLow(), 1e-12);
        assertEquals(ab.pValue(), ba.pValue(), 1e-12);
        assertEquals(ab.wilcoxonPValue(), ba.wilcoxonPValue(), 1e-12);
    }

    /**
     * Pairing is the point: a shared per-seed offset (here ±50) swamps an unpaired comparison, but cancels in the
     * differences, which are all 1 ± 0.1.
     */
    @Test
    void pairingRemovesWhatTheSeedsShare() {
        double[] seedEffect = {50, -50, 20, -20, 0, 35};
        double[] noise = {0.1, -0.1, 0.05, 0, -0.05, 0.02};
        double[] a = new double[6], b = new double[6];
        for (int i = 0; i < 6; i++) {
            b[i] = 100 + seedEffect[i];
            a[i] = b[i] + 1 + noise[i];
        }
        PairedComparison c = PairedComparison.of(a, b);
        assertTrue(c.pValue() < 1e-5, "paired p " + c.pValue());
        assertTrue(c.ciLow() > 0.9 && c.ciHigh() < 1.1, "interval " + c.ciLow() + " … " + c.ciHigh());
        assertEquals(2.0 / 64, c.wilcoxonPValue(), 1e-12, "six positive differences: the smallest Wilcoxon p, 2/2⁶");
        Summary sa = Summary.of(a), sb = Summary.of(b);
        assertTrue(sa.ciLow() < sb.ciHigh(), "unpaired, the intervals overlap");
    }

    @Test
    void constantDifferencesHaveNoSpread() {
        PairedComparison same = PairedComparison.of(new double[]{1, 2, 3}, new double[]{1, 2, 3});
        assertEquals(0, same.meanDifference());
        assertEquals(1, same.pValue());
        assertEquals(1, same.wilcoxonPValue());
        PairedComparison shifted = PairedComparison.of(new double[]{2, 3, 4}, new double[]{1, 2, 3});
        assertEquals(1, shifted.ciLow(), 0);
        assertEquals(1, shifted.ciHigh(), 0);
        assertEquals(0, shifted.pValue());
    }

    @Test
    void bySeedPairsSharedSeedsOnly() {
        PairedComparison c = PairedComparison.bySeed(
                Map.of(1L, 11.0, 2L, 22.0, 3L, 33.0, 4L, 44.0, 5L, 55.0, 9L, 1000.0),
                Map.of(5L, 50.0, 4L, 40.0, 3L, 30.0, 2L, 20.0, 1L, 10.0, 7L, -1000.0));
        assertEquals(5, c.n());
        assertEquals(3, c.meanDifference(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.bySeed(Map.of(1L, 1.0, 2L, 2.0), Map.of(2L, 1.0, 3L, 2.0)));
        assertTrue(e.getMessage().contains("at least 2 shared seeds"), e.getMessage());
    }

    @Test
    void rejectsUnpairedOrTooFewOrNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(new double[]{1, 2}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(new double[]{1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(new double[]{1, Double.NaN}, new double[]{1, 2}));
    }
}
