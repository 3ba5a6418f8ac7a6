package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * {@link RowSplit}: the two halves cover the rows exactly once, in the split the engine's per-half accumulators
 * rely on; the helper thread really runs the second half; a failure in either half reaches the caller; and callers
 * on several threads at once (which fall back to running both halves themselves) get the same results.
 */
class RowSplitTest {

    @Test
    void halvesCoverEveryRowOnceWithTheFixedSplit() {
        for (int n : new int[]{0, 1, 2, RowSplit.MIN_SPLIT - 1, RowSplit.MIN_SPLIT, RowSplit.MIN_SPLIT + 1, 1001}) {
            List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
            int[] hits = new int[n];
            RowSplit.SHARED.run(n, (half, from, to) -> {
                calls.add(new int[]{half, from, to});
                for (int i = from; i < to; i++) hits[i]++;   // disjoint ranges: no two threads write one entry
            });
            calls.sort((a, b) -> a[0] - b[0]);
            assertEquals(2, calls.size(), "n = " + n);
            assertArrayEquals(new int[]{0, 0, n / 2}, calls.get(0), "n = " + n);
            assertArrayEquals(new int[]{1, n / 2, n}, calls.get(1), "n = " + n);
            for (int i = 0; i < n; i++) assertEquals(1, hits[i], "n = " + n + ", row " + i);
        }
    }

    @Test
    void theSecondHalfRunsOnTheHelperWhenThereAreTwoCores() {
        String[] threads = new String[2];
        RowSplit.SHARED.run(RowSplit.MIN_SPLIT, (half, from, to) -> threads[half] = Thread.currentThread().getName());
        assertEquals(Thread.currentThread().getName(), threads[0]);
        String expected = Runtime.getRuntime().availableProcessors() > 1 ? "vaelab-rowsplit" : Thread.currentThread().getName();
        assertEquals(expected, threads[1]);
    }

    @Test
    void aFailureInEitherHalfReachesTheCallerAndTheNextRunWorks() {
        for (int failing = 0; failing < 2; failing++) {
            IllegalStateException boom = new IllegalStateException("half " + failing);
            int f = failing;
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> RowSplit.SHARED.run(100, (half, from, to) -> {
                        if (half == f) throw boom;
                    }));
            assertSame(boom, thrown);
        }
        long[] sums = new long[2];
        RowSplit.SHARED.run(100, (half, from, to) -> {
            for (int i = from; i < to; i++) sums[half] += i;
        });
        assertEquals(99 * 100 / 2, sums[0] + sums[1]);
    }

    /** A run inside a body (which holds the helper) runs on its caller alone instead of waiting for itself. */
    @Test
    void aRunInsideABodyRunsOnItsCaller() {
        long[] inner = new long[2];
        long[] outer = new long[1];
        // Preemptive: a deadlock fails the test instead of hanging the build (the body then runs on another thread).
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                RowSplit.SHARED.run(100, (half, from, to) -> {
                    if (half != 0) return;
                    outer[0] = Thread.currentThread().getId();
                    RowSplit.SHARED.run(50, (h, f, t) -> inner[h] = Thread.currentThread().getId());
                }));
        assertEquals(outer[0], inner[0]);
        assertEquals(outer[0], inner[1]);
    }

    /** Per-half float sums combined in half order: the same bits whichever thread ran which half. */
    @Test
    void concurrentCallersGetTheSameResultsAsOneCaller() throws Exception {
        float[] data = new float[10_000];
        java.util.Random rng = new java.util.Random(1);
        for (int i = 0; i < data.length; i++) data[i] = (float) rng.nextGaussian();
        float expected = halfSums(data);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Float>> results = new ArrayList<>();
            for (int i = 0; i < 300; i++) results.add(pool.submit(() -> halfSums(data)));
            for (Future<Float> r : results) assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(r.get()));
        } finally {
            pool.shutdownNow();
        }
    }

    private static float halfSums(float[] data) {
        float[] sums = new float[2];
        RowSplit.SHARED.run(data.length, (half, from, to) -> {
            float s = 0;
            for (int i = from; i < to; i++) s += data[i];
            sums[half] = s;
        });
        return sums[0] + sums[1];
    }
}
