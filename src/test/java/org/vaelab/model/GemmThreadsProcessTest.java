package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.vaelab.cpu.CpuKernels;

/**
 * {@link Gemm}'s products give the same bits on one processor as on two, under both ways it has of making sure.
 * Under the SkylakeX kernels (what vaelab chooses on an AVX-512 CPU) the products it cuts in k give those of
 * OpenBLAS's own two-thread product, so runs trained before the blocks were cut by vaelab keep their numbers, and the
 * narrow products it leaves to OpenBLAS are OpenBLAS's, bit for bit. Under the Haswell kernels (an AVX2 CPU's) its
 * column halves give the bits of one single-threaded call. Each setting is a child JVM, as OpenBLAS reads its thread
 * count and kernels when it loads.
 */
class GemmThreadsProcessTest {

    /** The probe's lines in a child JVM with these kernels and this many processors (OpenBLAS threads and vaelab's). */
    private static List<String> probe(String coreType, int threads) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), GemmThreadsProbe.class.getName());
        pb.environment().put("OPENBLAS_CORETYPE", coreType);
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        pb.environment().put(org.vaelab.cpu.CpuAllocation.WORKER_CPUS, Integer.toString(threads));
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("ND4J_SKIP_BLAS_THREADS", "1");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.contains(" gemm ")).toList();
        assertEquals(2 * GemmThreadsProbe.SHAPES.length, lines.size(), out);
        return lines;
    }

    private static String field(String line, String name) {
        String[] w = line.split(" ");
        return w[List.of(w).indexOf(name) + 1];
    }

    @Test
    void cutProductsGiveTheSameBitsOnOneAndTwoThreadsAndKeepTheTwoThreadOnes() throws Exception {
        assumeTrue("SkylakeX".equals(CpuKernels.openBlasCoreType()), "the SkylakeX kernels need an AVX-512 CPU");
        List<String> one = probe("SkylakeX", 1), two = probe("SkylakeX", 2);
        int plainDiffer = 0;
        for (int i = 0; i < one.size(); i++) {
            if (i / 2 < GemmThreadsProbe.CUT) {
                assertEquals(field(two.get(i), "gemm"), field(one.get(i), "gemm"), "one thread vs two: " + one.get(i));
                assertEquals(field(two.get(i), "plain"), field(two.get(i), "gemm"), "kept the two-thread bits: " + two.get(i));
                if (!field(one.get(i), "plain").equals(field(two.get(i), "plain"))) plainDiffer++;
            } else {
                assertEquals(field(one.get(i), "plain"), field(one.get(i), "gemm"), "left to OpenBLAS: " + one.get(i));
                assertEquals(field(two.get(i), "plain"), field(two.get(i), "gemm"), "left to OpenBLAS: " + two.get(i));
            }
        }
        // The problem this solves is present here: OpenBLAS alone gives other bits on one thread for some shapes.
        assertTrue(plainDiffer > 0, "no cut shape differed between one and two threads without the cut: " + one + two);
    }

    @Test
    void columnHalvesGiveTheOneThreadBitsOnOneAndTwoProcessors() throws Exception {
        assumeTrue(CpuKernels.openBlasCoreType() != null, "the Haswell kernels need an AVX2 CPU");
        List<String> one = probe("Haswell", 1), two = probe("Haswell", 2);
        int plainDiffer = 0;
        for (int i = 0; i < one.size(); i++) {
            assertEquals(field(one.get(i), "gemm"), field(two.get(i), "gemm"), "one processor vs two: " + two.get(i));
            assertEquals(field(one.get(i), "plain"), field(one.get(i), "gemm"), "a single one-thread call: " + one.get(i));
            if (!field(one.get(i), "plain").equals(field(two.get(i), "plain"))) plainDiffer++;
        }
        // The problem this solves is present here: OpenBLAS alone gives other bits on two threads for some shapes.
        assertTrue(plainDiffer > 0, "no shape differed between one and two OpenBLAS threads: " + one + two);
    }
}
