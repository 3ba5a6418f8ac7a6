package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RdSlopesTest {

    /**
     * A frontier with a known answer: D(R) = 100·exp(−R/10) is convex, and minimising D + β·R gives
     * −D'(R) = 10·exp(−R/10) = β, i.e. R*(β) = 10·ln(10/β). Every chord between two optimal points must then have
     * a slope between the two βs (mean value theorem on a convex function).
     */
    @Test
    void chordsOfAConvexFrontierLieBetweenTheirBetas() {
        double[] betas = {0.1, 0.25, 0.5, 1, 2, 4, 8};
        List<RdSlopes.Point> pts = new java.util.ArrayList<>();
        for (double b : betas) {
            double r = 10 * Math.log(10 / b);
            pts.add(new RdSlopes.Point(b, r, 100 * Math.exp(-r / 10)));
        }
        List<RdSlopes.Chord> chords = RdSlopes.of(pts);
        assertEquals(6, chords.size());
        for (RdSlopes.Chord c : chords) assertTrue(c.withinBetas(), c.toString());
        // By hand for β 1→2: R = 23.026 and 16.094, D = 10β = 10 and 20: slope = 10/6.931 = 1.4427.
        assertEquals(10 / (10 * Math.log(2)), chords.get(3).slope(), 1e-12);
        assertTrue(RdSlopes.describe(chords).endsWith("(6 of 6 chords have a slope between their two βs)"));
        assertTrue(RdSlopes.describe(chords).startsWith("β 0.1→0.25: "), RdSlopes.describe(chords));
    }

    /** A chord steeper than its βs allow (here slope 5 between β = 1 and 2) is counted as a miss; order of input is free. */
    @Test
    void countsMissesAndSortsByBeta() {
        List<RdSlopes.Chord> chords = RdSlopes.of(List.of(new RdSlopes.Point(2, 10, 100), new RdSlopes.Point(1, 12, 90)));
        assertEquals(1, chords.size());
        assertEquals(5, chords.get(0).slope(), 1e-12);
        assertFalse(chords.get(0).withinBetas());
        assertEquals("β 1→2: 5.00 (0 of 1 chords have a slope between their two βs)", RdSlopes.describe(chords));
        assertEquals("β 100→200: – (0 of 1 chords have a slope between their two βs)",
                RdSlopes.describe(RdSlopes.of(List.of(new RdSlopes.Point(100, 1, 2), new RdSlopes.Point(200, 1, 3)))));
    }

    @Test
    void refusesTooFewPointsAndDuplicateBetas() {
        assertThrows(IllegalArgumentException.class, () -> RdSlopes.of(List.of(new RdSlopes.Point(1, 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> RdSlopes.of(List.of(new RdSlopes.Point(1, 1, 1), new RdSlopes.Point(1, 2, 0))));
        assertThrows(IllegalArgumentException.class, () -> new RdSlopes.Point(0, 1, 1));
    }
}
