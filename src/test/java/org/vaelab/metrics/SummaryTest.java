package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void tIntervalMatchesHandComputation() {
        // mean 3, sd √2.5, t_{0.975,4} = 2.7764451 (tables), half-width = t·sd/√5
        Summary s = Summary.of(1, 2, 3, 4, 5);
        double half = 2.7764451 * Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(5, s.n());
        assertEquals(3.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(2.5), s.std(), 1e-12);
        assertEquals(half, s.halfWidth(), 1e-6);
        assertEquals(3 - half, s.ciLow(), 1e-6);
        assertEquals(3 + half, s.ciHigh(), 1e-6);
        assertEquals("3.00 ± 1.96", s.format(2));
    }

    @Test
    void twoSeedsUseTheWideT1Quantile() {
        // t_{0.975,1} = 12.7062047; values 0 and 2: mean 1, sd √2
        Summary s = Summary.of(0, 2);
        assertEquals(12.7062047 * Math.sqrt(2) / Math.sqrt(2), s.halfWidth(), 1e-6);
    }

    @Test
    void singleSeedHasNoSpread() {
        Summary s = Summary.of(-92.3149);
        assertEquals(1, s.n());
        assertEquals(-92.3149, s.mean(), 0);
        assertTrue(Double.isNaN(s.std()));
        assertTrue(Double.isNaN(s.ciLow()));
        assertTrue(Double.isNaN(s.ciHigh()));
        assertTrue(Double.isNaN(s.halfWidth()));
        assertEquals("-92.31 (n=1)", s.format(2));
    }

    @Test
    void formatIsLocaleIndependent() {
        assertEquals("-92.31 ± 0.85", new Summary(3, -92.314, 0.3, -92.314 - 0.85, -92.314 + 0.85).format(2));
        assertEquals("-92 ± 1", new Summary(3, -92.314, 0.3, -92.314 - 0.85, -92.314 + 0.85).format(0));
    }

    @Test
    void rejectsEmptyInput() {
        assertThrows(IllegalArgumentException.class, Summary::of);
        assertThrows(IllegalArgumentException.class, () -> new Summary(0, 0, 0, 0, 0));
    }
}
