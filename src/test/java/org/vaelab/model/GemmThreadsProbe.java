package org.vaelab.model;

import java.util.Arrays;
import java.util.Random;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Child process of {@link GemmThreadsProcessTest}: prints, for each shape of {@link #SHAPES}, a hash of the bits of
 * {@link Gemm#product} and of one plain {@code cblas_sgemm} call on the same random matrices. The thread count and
 * the kernels are the environment's ({@code OPENBLAS_NUM_THREADS}, {@code OPENBLAS_CORETYPE}), fixed when OpenBLAS
 * loads, hence a process per setting.
 */
final class GemmThreadsProbe {

    /**
     * m, n, k, op(a) transposed (1) or not. First the shapes {@link Gemm} cuts: the engine's products over 784 and
     * 4,096 inputs (forward {@code Wᵀ·xᵀ} and backward {@code W·δᵀ}, on batches of 128 and 96 and evaluation chunks of
     * 1,024 and 16 rows), and shapes whose k is cut into three to ten blocks; then narrow ones it leaves to OpenBLAS.
     */
    static final int[][] SHAPES = {
            {512, 128, 784, 1}, {512, 128, 784, 0}, {512, 96, 784, 1}, {200, 128, 784, 1}, {200, 128, 784, 0},
            {512, 1024, 784, 1}, {256, 128, 4096, 1}, {256, 128, 4096, 0}, {256, 16, 784, 1},
            {64, 128, 1100, 1}, {64, 128, 2000, 0}, {300, 200, 4500, 1},
            {256, 4, 784, 1}, {200, 12, 784, 1}, {128, 3, 900, 0}, {1, 50, 2000, 1}};

    /** The shapes {@link Gemm} cuts: the first {@code CUT} of {@link #SHAPES}. */
    static final int CUT = 12;

    public static void main(String[] args) {
        Random rng = new Random(17);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            boolean ta = s[3] == 1;
            INDArray a = random(rng, ta ? k : m, ta ? m : k), b = random(rng, k, n);
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'f'), plain = c.dup('f');
            Gemm.product(a, ta, b, false, c);
            openblas_nolapack.cblas_sgemm(102, ta ? 112 : 111, 111, m, n, k, 1f,
                    (org.bytedeco.javacpp.FloatPointer) a.data().addressPointer(), (int) a.rows(),
                    (org.bytedeco.javacpp.FloatPointer) b.data().addressPointer(), k, 0f,
                    (org.bytedeco.javacpp.FloatPointer) plain.data().addressPointer(), m);
            System.out.printf("%s gemm %08x plain %08x%n", Arrays.toString(s), Arrays.hashCode(c.data().asFloat()),
                    Arrays.hashCode(plain.data().asFloat()));
        }
    }

    private static INDArray random(Random rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return Nd4j.create(v, new long[] {rows, cols}, 'f');
    }
}
