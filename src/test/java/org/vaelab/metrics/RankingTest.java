package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RankingTest {

    private static Map<Long, Double> seeds(double... v) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) m.put((long) i + 1, v[i]);
        return m;
    }

    /**
     * Lower is better. "a" has the lowest mean (100.2). "b" differs from it by 1, 2, 3, 4, 4 on the five seeds: mean 2.8,
     * sd 1.30, so the paired interval 2.8 ± 1.62 excludes 0 and b is worse. "c" differs
     * by +1, −1, +1, −1, +0.5: mean 0.1, the interval contains 0, so c is tied although its mean is higher.
     */
    @Test
    void separatesWorseFromTiedByThePairedInterval() {
        Map<String, Map<Long, Double>> v = new LinkedHashMap<>();
        v.put("b", seeds(101, 102, 103, 104, 105));
        v.put("a", seeds(100, 100, 100, 100, 101));
        v.put("c", seeds(101, 99, 101, 99, 101.5));
        Ranking r = Ranking.of("IW-NLL", true, v);
        assertEquals("a", r.best().label());
        assertEquals(Ranking.Standing.BEST, r.best().standing());
        assertNull(r.best().vsBest());
        assertEquals(Ranking.Standing.WORSE, r.row("b").standing());
        assertEquals(Ranking.Standing.TIED, r.row("c").standing());
        assertEquals(2.8, r.row("b").vsBest().meanDifference(), 1e-12);
        assertTrue(r.row("b").vsBest().ciLow() > 0);
        assertEquals(0.1, r.row("c").vsBest().meanDifference(), 1e-12);
        assertEquals(1, r.tied().size());
        assertEquals(3, r.rows().size());
        // Best first, then by mean: a (100.2), c (100.3), b (103).
        assertEquals("c", r.rows().get(1).label());
        assertTrue(r.sentence(2).startsWith("a, 100.20 ± "), r.sentence(2));
        assertTrue(r.sentence(2).contains("not separable from it"), r.sentence(2));
        assertTrue(r.sentence(2).contains("c (Δ = 0.10 ± "), r.sentence(2));
    }

    /** Higher is better (ELBO): the direction flips which row is best. */
    @Test
    void higherIsBetterFlipsTheOrder() {
        Map<String, Map<Long, Double>> v = new LinkedHashMap<>();
        v.put("x", seeds(-240, -241, -239));
        v.put("y", seeds(-250, -252, -251));
        Ranking r = Ranking.of("ELBO", false, v);
        assertEquals("x", r.best().label());
        assertEquals(Ranking.Standing.WORSE, r.row("y").standing());
        assertTrue(r.sentence(1).contains("every other row is worse"), r.sentence(1));
    }

    /** A row that shares fewer than two seeds with the best gets no interval and is never called tied or worse. */
    @Test
    void rowsWithoutSharedSeedsAreNotCompared() {
        Map<String, Map<Long, Double>> v = new LinkedHashMap<>();
        v.put("x", seeds(1, 2, 3));
        v.put("y", Map.of(7L, 5.0));
        Ranking r = Ranking.of("IW-NLL", true, v);
        assertEquals(Ranking.Standing.NOT_COMPARABLE, r.row("y").standing());
        assertTrue(r.sentence(1).contains("no other row could be compared"), r.sentence(1));
    }

    @Test
    void refusesEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> Ranking.of("ELBO", false, Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ranking.of("ELBO", false, Map.of("z", Map.of())));
        assertTrue(e.getMessage().contains("z"), e.getMessage());
    }
}
