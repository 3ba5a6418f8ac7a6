package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * {@link RowSplit}: the parts cover the rows exactly once, in the fixed split the engine's per-part accumulators
 * rely on; the helper thread really takes parts; a failure in any part reaches the caller; and callers on several
 * threads at once (which fall back to running every part themselves) get the same results.
 */
class RowSplitTest {

    @Test
    void partsCoverEveryRowOnceWithTheFixedSplit() {
        for (int n : new int[]{0, 1, 2, RowSplit.MIN_SPLIT - 1, RowSplit.MIN_SPLIT, RowSplit.MIN_SPLIT + 1, 1001}) {
            List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
            int[] hits = new int[n];
            RowSplit.SHARED.run(n, (part, from, to) -> {
                calls.add(new int[]{part, from, to});
                for (int i = from; i < to; i++) hits[i]++;   // disjoint ranges: no two threads write one entry
            });
            calls.sort((a, b) -> a[0] - b[0]);
            assertEquals(RowSplit.PARTS, calls.size(), "n = " + n);
            for (int p = 0; p < RowSplit.PARTS; p++)
                assertArrayEquals(new int[]{p, n * p / RowSplit.PARTS, n * (p + 1) / RowSplit.PARTS}, calls.get(p), "n = " + n);
            for (int i = 0; i < n; i++) assertEquals(1, hits[i], "n = " + n + ", row " + i);
        }
    }

    /** With two cores the helper takes parts of a run whose parts take long enough for it to wake up. */
    @Test
    void theHelperTakesPartsWhenThereAreTwoCores() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int attempt = 0; attempt < 50 && threads.size() < 2; attempt++) {
            RowSplit.SHARED.run(RowSplit.MIN_SPLIT, (part, from, to) -> {
                threads.add(Thread.currentThread().getName());
                long until = System.nanoTime() + 2_000_000;   // 2 ms per part: far longer than a wake-up
                while (System.nanoTime() < until) Thread.onSpinWait();
            });
        }
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller always takes the first part: " + threads);
        if (Runtime.getRuntime().availableProcessors() > 1) assertTrue(threads.contains("vaelab-rowsplit"), threads.toString());
        else assertEquals(1, threads.size());
    }

    /** A pair runs both pieces once each, the helper taking one of them on two cores when it wakes in time. */
    @Test
    void aPairRunsBothPiecesOnceAndUsesTheHelperOnTwoCores() {
        Set<String> second = ConcurrentHashMap.newKeySet();   // the threads that ran a piece
        for (int attempt = 0; attempt < 50 && !second.contains("vaelab-rowsplit"); attempt++) {
            java.util.concurrent.atomic.AtomicInteger[] runs = {new java.util.concurrent.atomic.AtomicInteger(),
                    new java.util.concurrent.atomic.AtomicInteger()};
            RowSplit.SHARED.pair(() -> {
                runs[0].incrementAndGet();
                second.add(Thread.currentThread().getName());
                long until = System.nanoTime() + 2_000_000;   // 2 ms: far longer than a wake-up
                while (System.nanoTime() < until) Thread.onSpinWait();
            }, () -> {
                runs[1].incrementAndGet();
                second.add(Thread.currentThread().getName());
                long until = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < until) Thread.onSpinWait();
            });
            assertEquals(1, runs[0].get());
            assertEquals(1, runs[1].get());
        }
        if (Runtime.getRuntime().availableProcessors() > 1) assertTrue(second.contains("vaelab-rowsplit"), second.toString());
        IllegalStateException boom = new IllegalStateException("second");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> RowSplit.SHARED.pair(() -> { }, () -> {
            throw boom;
        })));
    }

    @Test
    void aFailureInAnyPartReachesTheCallerAndTheNextRunWorks() {
        for (int failing : new int[]{0, 1, RowSplit.PARTS - 1}) {
            IllegalStateException boom = new IllegalStateException("part " + failing);
            int f = failing;
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> RowSplit.SHARED.run(100, (part, from, to) -> {
                        if (part == f) throw boom;
                    }));
            assertSame(boom, thrown);
        }
        long[] sums = new long[RowSplit.PARTS];
        RowSplit.SHARED.run(100, (part, from, to) -> {
            for (int i = from; i < to; i++) sums[part] += i;
        });
        assertEquals(99 * 100 / 2, java.util.Arrays.stream(sums).sum());
    }

    /** A run inside a body (which holds the helper) runs on its caller alone instead of waiting for itself. */
    @Test
    void aRunInsideABodyRunsOnItsCaller() {
        long[] inner = new long[RowSplit.PARTS];
        long[] outer = new long[1];
        // Preemptive: a deadlock fails the test instead of hanging the build (the body then runs on another thread).
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                RowSplit.SHARED.run(100, (part, from, to) -> {
                    if (part != 0) return;
                    outer[0] = Thread.currentThread().getId();
                    RowSplit.SHARED.run(50, (h, f, t) -> inner[h] = Thread.currentThread().getId());
                }));
        for (long id : inner) assertEquals(outer[0], id);
    }

    /** Per-part float sums combined in part order: the same bits whichever thread ran which part. */
    @Test
    void concurrentCallersGetTheSameResultsAsOneCaller() throws Exception {
        float[] data = new float[10_000];
        java.util.Random rng = new java.util.Random(1);
        for (int i = 0; i < data.length; i++) data[i] = (float) rng.nextGaussian();
        float expected = partSums(data);
        float[] serial = new float[RowSplit.PARTS];
        RowSplit.serial(data.length, (part, from, to) -> serial[part] = sum(data, from, to));
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(inOrder(serial)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Float>> results = new ArrayList<>();
            for (int i = 0; i < 300; i++) results.add(pool.submit(() -> partSums(data)));
            for (Future<Float> r : results) assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(r.get()));
        } finally {
            pool.shutdownNow();
        }
    }

    private static float partSums(float[] data) {
        float[] sums = new float[RowSplit.PARTS];
        RowSplit.SHARED.run(data.length, (part, from, to) -> sums[part] = sum(data, from, to));
        return inOrder(sums);
    }

    private static float sum(float[] data, int from, int to) {
        float s = 0;
        for (int i = from; i < to; i++) s += data[i];
        return s;
    }

    private static float inOrder(float[] sums) {
        float s = 0;
        for (float v : sums) s += v;
        return s;
    }
}
