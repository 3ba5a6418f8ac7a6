package org.vaelab.model;

import java.util.Arrays;
import java.util.Random;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Child process of {@link GemmThreadsProcessTest}: prints, for each shape of {@link #SHAPES} with op(b) plain and
 * transposed, a hash of the bits of one plain {@code cblas_sgemm} call and of {@link Gemm#product} on the same random
 * matrices. The plain calls come first, before {@link Gemm} loads (which, under kernels other than SkylakeX, sets
 * OpenBLAS to one thread), so they run on the environment's thread count. The thread count and the kernels are the
 * environment's ({@code OPENBLAS_NUM_THREADS}, {@code OPENBLAS_CORETYPE}), fixed when OpenBLAS loads, and so is
 * vaelab's own helper thread ({@code VAELAB_WORKER_CPUS}), hence a process per setting.
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

    /** The shapes {@link Gemm} cuts under SkylakeX: the first {@code CUT} of {@link #SHAPES}. */
    static final int CUT = 12;

    public static void main(String[] args) {
        Random rng = new Random(17);
        int lines = 2 * SHAPES.length;
        INDArray[] as = new INDArray[lines], bs = new INDArray[lines];
        int[] plain = new int[lines];
        for (int i = 0; i < lines; i++) {
            int[] s = SHAPES[i / 2];
            int m = s[0], n = s[1], k = s[2];
            boolean ta = s[3] == 1, tb = i % 2 == 1;
            as[i] = random(rng, ta ? k : m, ta ? m : k);
            bs[i] = random(rng, tb ? n : k, tb ? k : n);
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'f');
            openblas_nolapack.cblas_sgemm(102, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1f,
                    (org.bytedeco.javacpp.FloatPointer) as[i].data().addressPointer(), (int) as[i].rows(),
                    (org.bytedeco.javacpp.FloatPointer) bs[i].data().addressPointer(), (int) bs[i].rows(), 0f,
                    (org.bytedeco.javacpp.FloatPointer) c.data().addressPointer(), m);
            plain[i] = Arrays.hashCode(c.data().asFloat());
        }
        for (int i = 0; i < lines; i++) {
            int[] s = SHAPES[i / 2];
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {s[0], s[1]}, 'f');
            Gemm.product(as[i], s[3] == 1, bs[i], i % 2 == 1, c);
            System.out.printf("%s%s gemm %08x plain %08x%n", Arrays.toString(s), i % 2 == 1 ? "T" : "N",
                    Arrays.hashCode(c.data().asFloat()), plain[i]);
        }
    }

    private static INDArray random(Random rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return Nd4j.create(v, new long[] {rows, cols}, 'f');
    }
}
