package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class KlTraceTest {

    /** First step, every N-th, and the last: 0, 5, 10, 11 of 12 steps with N = 5. */
    @Test
    void snapshotsAtTheFirstEveryNthAndTheLastStep() {
        List<Long> due = new ArrayList<>();
        for (long s = 0; s < 12; s++) if (KlTrace.due(s, 12, 5)) due.add(s);
        assertEquals(List.of(0L, 5L, 10L, 11L), due);
        assertEquals(1, KlTrace.defaultEvery(150), "short runs: every step");
        assertEquals(8, KlTrace.defaultEvery(1600), "quickstart's 1600 steps: 200 snapshots");
        assertEquals(9, KlTrace.defaultEvery(1601));
        assertThrows(IllegalArgumentException.class, () -> KlTrace.due(0, 10, 0));
    }

    @Test
    void buildsAStepsByDimensionsMatrix() {
        KlTrace t = new KlTrace.Builder().add(0, new double[]{0.1, 2.0, 0}).add(5, new double[]{0.2, 3.0, 0}).build();
        assertEquals(2, t.size());
        assertEquals(3, t.dims());
        assertArrayEquals(new long[]{0, 5}, t.steps());
        assertArrayEquals(new double[]{2.0, 3.0}, t.dimension(1));
        assertEquals(0.2, t.kl(1, 0));
        assertTrue(KlTrace.empty().isEmpty());
        assertTrue(new KlTrace.Builder().build().isEmpty());
        assertEquals(t, new KlTrace(new long[]{0, 5}, new double[][]{{0.1, 2.0, 0}, {0.2, 3.0, 0}}));
    }

    @Test
    void isImmutable() {
        double[] row = {1, 2};
        KlTrace t = new KlTrace.Builder().add(3, row).build();
        row[0] = 99;
        t.klPerDim()[0][1] = 99;
        t.steps()[0] = 99;
        assertArrayEquals(new double[]{1, 2}, t.klPerDim()[0]);
        assertEquals(3, t.steps()[0]);
    }

    @Test
    void rejectsNonIncreasingStepsAndRaggedRows() {
        KlTrace.Builder b = new KlTrace.Builder().add(4, new double[]{1, 2});
        assertThrows(IllegalArgumentException.class, () -> b.add(4, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> b.add(5, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> new KlTrace(new long[]{0, 1}, new double[][]{{1}, {1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> new KlTrace(new long[]{0}, new double[][]{{1}, {2}}));
        assertFalse(b.build().isEmpty());
    }
}
