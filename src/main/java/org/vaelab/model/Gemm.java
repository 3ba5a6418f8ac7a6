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
 */
final class Gemm {

    /** CBLAS enum values (cblas.h): column-major order, no transpose, transpose. */
    private static final int COL_MAJOR = 102, NO_TRANS = 111, TRANS = 112;

    private Gemm() {
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
        if (t == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(COL_MAJOR, ta, tb, m, n, k, 1f, floats(a), ld(a), floats(b), ld(b), 0f, floats(c), ld(c));
        } else if (t == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(COL_MAJOR, ta, tb, m, n, k, 1, doubles(a), ld(a), doubles(b), ld(b), 0, doubles(c), ld(c));
        } else {
            throw new IllegalArgumentException("gemm supports FLOAT and DOUBLE, got " + t);
        }
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
