package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct CBLAS products against a triple loop, on the layouts the engine uses: offset views included. */
class GemmTest {

    /** c[i][j] = Σ_l op(a)[i][l]·op(b)[l][j] in double, read element by element through getDouble. */
    private static double[][] reference(INDArray a, boolean ta, INDArray b, boolean tb) {
        int m = (int) (ta ? a.columns() : a.rows()), k = (int) (ta ? a.rows() : a.columns());
        int n = (int) (tb ? b.rows() : b.columns());
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) s += (ta ? a.getDouble(l, i) : a.getDouble(i, l)) * (tb ? b.getDouble(j, l) : b.getDouble(l, j));
                c[i][j] = s;
            }
        return c;
    }

    private static void assertProduct(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double tol) {
        double[][] want = reference(a, ta, b, tb);
        Gemm.product(a, ta, b, tb, c);
        assertClose(want, c, tol, "");
    }

    /** Every c[i][j] within tol relative to (1 + |want|) of want[i][j]; {@code what} starts each message. */
    private static void assertClose(double[][] want, INDArray c, double tol, String what) {
        for (int i = 0; i < want.length; i++)
            for (int j = 0; j < want[0].length; j++)
                assertEquals(want[i][j], c.getDouble(i, j), tol * (1 + Math.abs(want[i][j])), what + "c[" + i + "][" + j + "]");
    }

    /** An 'f' matrix that is a view at an offset inside a larger flat vector, like the engine's weights. */
    private static INDArray weightView(INDArray flat, long offset, int rows, int cols) {
        return Nd4j.create(flat.data(), new long[]{rows, cols}, new long[]{1, rows}, offset, 'f', flat.dataType());
    }

    @Test
    void everyTransposeCombinationMatchesTheTripleLoopInBothPrecisions() {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            Random rng = new Random(3);
            double tol = t == DataType.FLOAT ? 1e-5 : 1e-12;
            // Weights as views of one flat vector at non-zero offsets; activations as transposes of row-major arrays.
            INDArray flat = EngineFixtures.uniform(rng, 1, 7 + 5 * 3 + 3 * 5, t).reshape(-1);
            INDArray w = weightView(flat, 7, 5, 3);       // in × out = 5 × 3
            INDArray gw = weightView(flat, 7 + 15, 5, 3); // written by the ∂W product
            INDArray x = EngineFixtures.uniform(rng, 4, 5, t), delta = EngineFixtures.uniform(rng, 4, 3, t);
            INDArray out = Nd4j.create(t, 4, 3), dIn = Nd4j.create(t, 4, 5);
            assertProduct(w, true, x.transpose(), false, out.transpose(), tol);            // forward outᵀ = Wᵀ·xᵀ
            assertProduct(x.transpose(), false, delta.transpose(), true, gw, tol);         // ∂W = xᵀ·δ
            assertProduct(w, false, delta.transpose(), false, dIn.transpose(), tol);       // ∂xᵀ = W·δᵀ
            assertProduct(w, true, w, false, Nd4j.create(t, new long[]{3, 3}, 'f'), tol); // both transposes of one view
            assertEquals(7 + 15, gw.offset());
            assertEquals(0.0, flat.get(NDArrayIndex.interval(0, 7)).sub(
                    EngineFixtures.uniform(new Random(3), 1, 37, t).reshape(-1).get(NDArrayIndex.interval(0, 7))).amaxNumber().doubleValue(),
                    "nothing before the written view changed");
        }
    }

    /** The threaded driver's rule, by hand: q while 2q remain, then one block of at most q or two halves. */
    @Test
    void innerBlocksFollowOpenBlasThreadedDriver() {
        assertArrayEquals(new int[] {392, 392}, Gemm.innerBlocks(784, 448));
        assertArrayEquals(new int[] {448}, Gemm.innerBlocks(448, 448));
        assertArrayEquals(new int[] {225, 224}, Gemm.innerBlocks(449, 448));
        assertArrayEquals(new int[] {448, 448, 448, 328, 328}, Gemm.innerBlocks(2000, 448));
        assertArrayEquals(new int[] {448, 448, 448, 448, 448, 448, 448, 448, 256, 256}, Gemm.innerBlocks(4096, 448));
        assertArrayEquals(new int[] {784}, Gemm.innerBlocks(784, 0));
        assertEquals(448, Gemm.floatBlock("SkylakeX"));
        assertEquals(448, Gemm.floatBlock(" skylakex "));
        assertEquals(0, Gemm.floatBlock("Cooperlake"));
        assertEquals(0, Gemm.floatBlock("Haswell"));
        assertEquals(0, Gemm.floatBlock(null));
        assertTrue(Gemm.cut(512, 128, 784, 448) && Gemm.cut(16, 256, 449, 448) && Gemm.cut(64, 64, 4096, 448));
        assertTrue(!Gemm.cut(512, 128, 448, 448), "k within one block");
        assertTrue(!Gemm.cut(200, 12, 784, 448) && !Gemm.cut(8, 512, 784, 448) && !Gemm.cut(32, 64, 784, 448), "narrow");
        assertTrue(!Gemm.cut(512, 128, 784, 0), "no block size: other kernels");
    }

    /** The product cut into blocks of k is still the product, for every transpose and a block count of 1 to 8. */
    @Test
    void productInBlocksMatchesTheTripleLoop() {
        Random rng = new Random(5);
        for (int q : new int[] {0, 5, 13, 40}) {
            for (int tr = 0; tr < 4; tr++) {
                boolean ta = (tr & 1) == 1, tb = (tr & 2) == 2;
                int m = 6, n = 4, k = 37;
                INDArray a = EngineFixtures.uniform(rng, ta ? k : m, ta ? m : k, DataType.FLOAT).dup('f');
                INDArray b = EngineFixtures.uniform(rng, tb ? n : k, tb ? k : n, DataType.FLOAT).dup('f');
                INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'f').addi(99); // β = 0 must overwrite
                double[][] want = reference(a, ta, b, tb);
                Gemm.productInBlocks(a, ta, b, tb, c, m, n, k, q);
                assertClose(want, c, 1e-5, "q " + q + " ta " + ta + " tb " + tb + " ");
            }
        }
    }

    /** The column split by hand: the largest multiple of 12 not above n / 2, none for small or narrow products. */
    @Test
    void columnSplitIsAMultipleOfTwelveNearTheMiddle() {
        assertEquals(60, Gemm.columnSplit(512, 128, 784));   // forward and ∂x over a batch of 128
        assertEquals(252, Gemm.columnSplit(784, 512, 128));  // ∂W of the first layer
        assertEquals(384, Gemm.columnSplit(512, 784, 128));
        assertEquals(12, Gemm.columnSplit(4096, 24, 784));
        assertEquals(0, Gemm.columnSplit(4096, 23, 784), "too narrow to split at a multiple of 12");
        assertEquals(0, Gemm.columnSplit(32, 64, 127), "fewer than 2^18 multiply-adds");
        assertEquals(24, Gemm.columnSplit(32, 64, 128), "exactly 2^18 multiply-adds");
    }

    /** The product as two column halves is still the product, for every transpose, views at offsets included. */
    @Test
    void productInHalvesMatchesTheTripleLoop() {
        Random rng = new Random(7);
        for (int split : new int[] {0, 1, 12, 25}) {
            for (int tr = 0; tr < 4; tr++) {
                boolean ta = (tr & 1) == 1, tb = (tr & 2) == 2;
                int m = 6, n = 26, k = 37;
                INDArray flat = EngineFixtures.uniform(rng, 1, 5 + k * n, DataType.FLOAT).reshape(-1);
                INDArray a = EngineFixtures.uniform(rng, ta ? k : m, ta ? m : k, DataType.FLOAT).dup('f');
                INDArray b = tb ? weightView(flat, 5, n, k) : weightView(flat, 5, k, n);
                INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'f').addi(99); // β = 0 must overwrite
                double[][] want = reference(a, ta, b, tb);
                Gemm.productInHalves(a, ta, b, tb, c, m, n, k, split);
                assertClose(want, c, 1e-5, "split " + split + " ta " + ta + " tb " + tb + " ");
            }
        }
    }

    @Test
    void rowRangeViewsOfARowMajorArrayAreReadAtTheirOffset() {
        Random rng = new Random(4);
        INDArray big = EngineFixtures.uniform(rng, 10, 6, DataType.FLOAT);
        INDArray rows = big.get(NDArrayIndex.interval(3, 7), NDArrayIndex.all()); // offset 18
        assertTrue(rows.offset() > 0);
        INDArray w = EngineFixtures.uniform(rng, 6, 2, DataType.FLOAT).dup('f');
        assertProduct(w, true, rows.transpose(), false, Nd4j.create(DataType.FLOAT, 4, 2).transpose(), 1e-5);
    }

    @Test
    void badShapesLayoutsAndTypesFailWithTheShapes() {
        INDArray a = Nd4j.create(DataType.FLOAT, new long[]{3, 4}, 'f'), c = Nd4j.create(DataType.FLOAT, new long[]{3, 3}, 'f');
        var e = assertThrows(IllegalArgumentException.class, () -> Gemm.product(a, false, a, false, c));
        assertTrue(e.getMessage().contains("[3, 4]"), e.getMessage());
        INDArray rowMajor = Nd4j.create(DataType.FLOAT, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> Gemm.product(rowMajor, false, a, true, c));
        INDArray d = Nd4j.create(DataType.DOUBLE, new long[]{3, 4}, 'f');
        assertThrows(IllegalArgumentException.class, () -> Gemm.product(a, false, d, true, c));
    }
}
