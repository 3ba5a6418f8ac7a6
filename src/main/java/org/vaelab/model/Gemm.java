package org.vaelab.model;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matrix products {@code c = op(a)·op(b)} on column-major arrays, by a direct call to OpenBLAS's {@code cblas_sgemm} /
 * {@code cblas_dgemm} on the arrays' native memory: the same OpenBLAS library, and the same function, that ND4J's
 * {@code Nd4j.gemm} ends in (its {@code CpuLevel3} calls {@code openblas_nolapack.cblas_sgemm}).
 *
 * <p>Why not {@code Nd4j.gemm}: ND4J spends about 24 µs of checks and dispatch on every call (a 4 × 4 product took 15–28 µs
 * through ND4J, 0.03–0.3 µs through CBLAS), and a training step of the reference model makes 17 products; on the
 * products of that step alone the direct call took 3.23 ms against 3.79 ms (median of 9 interleaved rounds,
 * AMD EPYC, SkylakeX kernels, 2 threads).
 *
 * <p>Every matrix must be column-major with unit row stride ({@code stride(0) == 1}): a {@code 'f'} array, or the
 * transpose of a row-major one (which is how the engine's batch-major activations are seen). Shapes are checked, so a
 * wrong call fails with the shapes instead of reading out of bounds.
 *
 * <p>The same bits on any number of threads. OpenBLAS cuts a long inner dimension k into blocks and sums the blocks'
 * products into c; its single-threaded driver and its threaded one cut k by different rules once k exceeds the
 * kernels' block size Q (SGEMM's Q is 448 for the {@code SkylakeX} kernels of OpenBLAS 0.3.19, which vaelab picks on
 * every AVX-512 CPU: k = 784 becomes 400 + 384 on one thread, 392 + 392 on two). Training amplifies that last-bit
 * difference to tenths of a nat, so a run on one thread (a Slurm task of one CPU, one of two workers) did not repeat
 * a run on two. Under those kernels this class therefore cuts k itself, by the threaded driver's rule
 * ({@link #innerBlocks}), and calls OpenBLAS once per block with β = 1 after the first, so that no block is cut
 * again: one and two threads then give the same bits, and on the shapes it cuts ({@link #cut}) those are OpenBLAS's
 * own two-thread bits, so runs trained before keep their numbers (measured on 855 shapes × 4 transposes;
 * docs/performance.md). Narrow products are left to OpenBLAS: there a cut would change the bits of earlier runs.
 *
 * <p>Under any other kernels (the {@code Haswell} ones of an AVX2 CPU, say) no cut of k helps: those already differ
 * between one and two threads at k = 16. There vaelab runs OpenBLAS on one thread (it sets that when this class
 * loads) and does the threading itself: a product whose n is at least 24 is computed as two column halves
 * ({@link #columnSplit}), each one single-threaded OpenBLAS call, run on the caller and {@link RowSplit}'s helper
 * when this process may use two processors and one after the other when not. The halves are fixed by the shape, so
 * the bits cannot depend on the thread count. Under {@code Haswell} they are moreover those of one single-threaded
 * call over the whole product, which is what a 1-CPU Slurm task or one of two workers computed before: OpenBLAS
 * packs op(b) in panels of 12 columns (3 × its unroll of 4), and a split at a multiple of 12 leaves every panel as
 * it was (1,500 random shapes and transposes checked: all equal; a split at a multiple of 4 or 8 changed 185–196 of
 * 300). Only runs on two threads under such kernels get other numbers than before, namely their 1-thread ones.
 */
final class Gemm {

    /** CBLAS enum values (cblas.h): column-major order, no transpose, transpose. */
    private static final int COL_MAJOR = 102, NO_TRANS = 111, TRANS = 112;

    /** SGEMM's inner block size Q under the SkylakeX kernels: the largest k that one and two threads sum alike. */
    static final int SKYLAKEX_SGEMM_Q = 448;

    /** Q for float products under the core type this process started with, or 0 to leave k to OpenBLAS. */
    private static final int FLOAT_BLOCK = floatBlock(System.getenv("OPENBLAS_CORETYPE"));

    /**
     * Whether this process splits products into column halves on one OpenBLAS thread each ({@link #columnSplit}):
     * under every core type but SkylakeX (whose products are cut in k instead).
     */
    static final boolean COLUMN_HALVES = FLOAT_BLOCK == 0;

    /** OpenBLAS packs op(b) in panels of this many columns under Haswell's SGEMM: 3 × its unroll of 4 columns. */
    static final int PANEL = 12;

    /** Below this many multiply-adds (m·n·k) a product is not split: the hand-off would cost more than it saves. */
    static final long MIN_SPLIT_WORK = 1L << 18;

    static {
        // OpenBLAS's own threads would sum some products otherwise on two threads than on one (see above).
        if (COLUMN_HALVES) org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
    }

    private Gemm() {
    }

    /**
     * How this process computes float products, for its start-up line and every run's provenance: e.g.
     * {@code column halves on 2 threads, OpenBLAS on 1 thread each} or {@code k cut in blocks of 448 (SkylakeX
     * kernels), OpenBLAS threads}.
     */
    static String describe() {
        if (COLUMN_HALVES)
            return "column halves on " + (RowSplit.SHARED.threaded() ? "2 threads" : "1 thread") + ", OpenBLAS on 1 thread each";
        return "k cut in blocks of " + FLOAT_BLOCK + " (SkylakeX kernels), OpenBLAS threads";
    }

    /**
     * Where an m × n product over k is split into two column halves when {@link #COLUMN_HALVES}: at the largest
     * multiple of {@link #PANEL} not above n / 2, or 0 (no split) when that is 0 or the product has fewer than
     * {@link #MIN_SPLIT_WORK} multiply-adds. A function of the shape alone, so the bits are too.
     */
    static int columnSplit(int m, int n, int k) {
        if ((long) m * n * k < MIN_SPLIT_WORK) return 0;
        return n / 2 / PANEL * PANEL;
    }

    /**
     * The inner block size vaelab cuts float products into under an OpenBLAS core type, or 0 when it leaves k to
     * OpenBLAS: {@link #SKYLAKEX_SGEMM_Q} for SkylakeX, 0 for any other or an unknown (null) core type.
     */
    static int floatBlock(String coreType) {
        return coreType != null && coreType.trim().equalsIgnoreCase("SkylakeX") ? SKYLAKEX_SGEMM_Q : 0;
    }

    /**
     * Whether an m × n product over k is cut into blocks, for block size q: when k exceeds q and the product is wide
     * enough (m and n at least 16, m·n at least 4,096) that the cut blocks give OpenBLAS's own two-thread bits.
     * Narrower products, where they do not (as for 200 × 12 or 24 × 96 over 784, and wherever OpenBLAS takes its
     * single-threaded or small-matrix path), are left to OpenBLAS. Measured on 855 shapes × 4 transposes and on the
     * maps of docs/performance.md.
     */
    static boolean cut(int m, int n, int k, int q) {
        return q > 0 && k > q && m >= 16 && n >= 16 && (long) m * n >= 4096;
    }

    /**
     * The blocks OpenBLAS's threaded driver (driver/level3/level3_thread.c) cuts an inner dimension k into, for block
     * size q: blocks of q while at least 2q remain, then what remains in one block if it is at most q, else in two
     * halves (the first one larger by the odd element). q = 0 means one block.
     *
     * @return the block lengths, in order; they sum to k
     */
    static int[] innerBlocks(int k, int q) {
        if (q <= 0 || k <= q) return new int[] {k};
        int[] blocks = new int[k / q + 2];
        int n = 0;
        for (int done = 0; done < k; ) {
            int left = k - done, l = left >= 2 * q ? q : left > q ? (left + 1) / 2 : left;
            blocks[n++] = l;
            done += l;
        }
        return java.util.Arrays.copyOf(blocks, n);
    }

    /**
     * {@code c = op(a)·op(b)}, where op transposes when asked; c is overwritten.
     *
     * @throws IllegalArgumentException if the shapes do not chain, the types differ, or a matrix is not column-major
     */
    static void product(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c) {
        int m = (int) c.rows(), n = (int) c.columns();
        int k = (int) (transA ? a.rows() : a.columns());
        if ((transA ? a.columns() : a.rows()) != m || (transB ? b.columns() : b.rows()) != k
                || (transB ? b.rows() : b.columns()) != n)
            throw new IllegalArgumentException("gemm shapes do not chain: op(a) of " + java.util.Arrays.toString(a.shape())
                    + (transA ? "ᵀ" : "") + " · op(b) of " + java.util.Arrays.toString(b.shape()) + (transB ? "ᵀ" : "")
                    + " into " + java.util.Arrays.toString(c.shape()));
        DataType t = c.dataType();
        if (a.dataType() != t || b.dataType() != t)
            throw new IllegalArgumentException("gemm needs one type, got " + a.dataType() + ", " + b.dataType() + ", " + t);
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        if (t == DataType.FLOAT && COLUMN_HALVES) {
            productInHalves(a, transA, b, transB, c, m, n, k, columnSplit(m, n, k));
        } else if (t == DataType.FLOAT) {
            productInBlocks(a, transA, b, transB, c, m, n, k, cut(m, n, k, FLOAT_BLOCK) ? FLOAT_BLOCK : 0);
        } else if (t == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(COL_MAJOR, ta, tb, m, n, k, 1, doubles(a), ld(a), doubles(b), ld(b), 0, doubles(c), ld(c));
        } else {
            throw new IllegalArgumentException("gemm supports FLOAT and DOUBLE, got " + t);
        }
    }

    /**
     * The float product with k cut into {@link #innerBlocks}(k, q): block j of k is columns [s, s + l) of op(a) and
     * rows [s, s + l) of op(b), and every block after the first adds to c (β = 1).
     */
    static void productInBlocks(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k, int q) {
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        int lda = ld(a), ldb = ld(b), ldc = ld(c);
        FloatPointer pa = floats(a), pb = floats(b), pc = floats(c);
        long a0 = pa.position(), b0 = pb.position();
        float beta = 0f;
        int s = 0;
        for (int l : innerBlocks(k, q)) {
            // op(a)'s column s is a's column s (no transpose) or a's row s (transpose); op(b)'s row s likewise.
            pa.position(a0 + (transA ? s : (long) s * lda));
            pb.position(b0 + (transB ? (long) s * ldb : s));
            openblas_nolapack.cblas_sgemm(COL_MAJOR, ta, tb, m, n, l, 1f, pa, lda, pb, ldb, beta, pc, ldc);
            beta = 1f;
            s += l;
        }
    }

    /**
     * The float product as columns [0, split) and [split, n) of c, each one OpenBLAS call, on two threads when
     * {@link RowSplit#SHARED} has a helper free; split = 0 makes one call. Column j of c needs only column j of op(b):
     * column j of b (no transpose) or its row j (transpose).
     */
    static void productInHalves(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k, int split) {
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        int lda = ld(a), ldb = ld(b), ldc = ld(c);
        FloatPointer pa = floats(a), pb = floats(b), pc = floats(c);
        if (split <= 0) {
            openblas_nolapack.cblas_sgemm(COL_MAJOR, ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
            return;
        }
        // The second half's op(b) and c start at column split: pointers of their own, as a JavaCPP pointer carries its
        // position. Both halves read pa, whose position nothing changes.
        FloatPointer pb2 = new FloatPointer(pb).position(pb.position() + (transB ? split : (long) split * ldb));
        FloatPointer pc2 = new FloatPointer(pc).position(pc.position() + (long) split * ldc);
        RowSplit.SHARED.pair(
                () -> openblas_nolapack.cblas_sgemm(COL_MAJOR, ta, tb, m, split, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc),
                () -> openblas_nolapack.cblas_sgemm(COL_MAJOR, ta, tb, m, n - split, k, 1f, pa, lda, pb2, ldb, 0f, pc2, ldc));
    }

    /** The leading dimension of a column-major matrix: the distance between its columns. */
    private static int ld(INDArray x) {
        if (x.rank() != 2 || (x.rows() > 1 && x.stride(0) != 1))
            throw new IllegalArgumentException("gemm needs column-major matrices (stride(0) = 1), got shape "
                    + java.util.Arrays.toString(x.shape()) + " strides " + java.util.Arrays.toString(x.stride()));
        return (int) Math.max(Math.max(1, x.rows()), x.columns() > 1 ? x.stride(1) : 1);
    }

    /** A pointer to the array's first element (its buffer's own offset is in addressPointer; a further view offset is added). */
    private static FloatPointer floats(INDArray x) {
        FloatPointer p = new FloatPointer(base(x));
        return p.position(x.offset() - x.data().offset());
    }

    private static DoublePointer doubles(INDArray x) {
        DoublePointer p = new DoublePointer(base(x));
        return p.position(x.offset() - x.data().offset());
    }

    private static Pointer base(INDArray x) {
        Pointer p = x.data().addressPointer();
        if (p.position() != 0) throw new IllegalStateException("unexpected pointer position " + p.position());
        return p;
    }
}
