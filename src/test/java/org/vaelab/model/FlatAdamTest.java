package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link FlatAdam} against Algorithm 1 of Kingma &amp; Ba written out with explicit bias-corrected moments, over
 * a length that is not a multiple of the block size and with a parameter written from outside between steps.
 */
class FlatAdamTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void matchesTextbookAdam(DataType type) {
        // 3 blocks run on the caller alone; 19 blocks are split between two threads (RowSplit.MIN_SPLIT = 16).
        for (int n : new int[]{2 * FlatAdam.BLOCK + 123, (RowSplit.MIN_SPLIT + 2) * FlatAdam.BLOCK + 123})
            matchesTextbookAdam(type, n);
    }

    private static void matchesTextbookAdam(DataType type, int n) {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Random rng = new Random(3);
        double[] theta = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) theta[i] = rng.nextGaussian();
        INDArray params = Nd4j.createFromArray(theta).castTo(type), grad = Nd4j.zeros(type, n);
        FlatAdam adam = new FlatAdam(params, grad, lr, b1, b2, eps);
        double tol = type == DataType.FLOAT ? 1e-5 : 1e-12;
        for (int t = 1; t <= 5; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = (i % 7 == 0 ? 0 : rng.nextGaussian() * Math.pow(10, -(i % 4)));
            grad.assign(Nd4j.createFromArray(g).castTo(type));
            if (t == 3) {
                // An outside write between steps (as through NativeMlpEngine.parameters()) is the new starting point.
                theta[n - 1] = 0.5;
                params.putScalar(n - 1, 0.5);
            }
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            adam.step();
            double[] got = params.toDoubleVector();
            for (int i = 0; i < n; i++) assertEquals(theta[i], got[i], tol, "step " + t + ", parameter " + i);
        }
        assertEquals(5, adam.steps());
    }

    /**
     * A weight whose gradient becomes exactly 0 (behind a dead ReLU) must not leave its moments in subnormal floats,
     * where x86 arithmetic is ~100× slower: they stay normal and reach exactly 0, and the parameter stops moving.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void momentsOfAZeroGradientNeverBecomeSubnormal(DataType type) {
        // Enough blocks for the two-thread split; entry 0 is in the first part (the caller's), n − 1 in the last.
        int n = (RowSplit.MIN_SPLIT + 1) * FlatAdam.BLOCK + 5;
        INDArray params = Nd4j.zeros(type, n), grad = Nd4j.zeros(type, n);
        FlatAdam adam = new FlatAdam(params, grad, 1e-3, 0.9, 0.999, 1e-8);
        grad.assign(1e-3);
        adam.step();
        grad.assign(0);
        double smallestNormal = type == DataType.FLOAT ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        for (int t = 2; t <= 1500; t++) {
            adam.step();
            for (int i : new int[] {0, n - 1}) {
                double m = Math.abs(adam.moment(1, i));
                assertTrue(m == 0 || m >= smallestNormal, "step " + t + ": first moment " + m + " is subnormal");
            }
        }
        // 0.9^1499 · 1e-4 ≈ 1e-73 is far below 2^-100, so the first moment has been flushed; the second
        // (decaying by 0.999) has not.
        assertEquals(0, adam.moment(1, 0));
        assertTrue(adam.moment(2, 0) > 0);
        double before = params.getDouble(0);
        adam.step();
        assertEquals(before, params.getDouble(0), 0, "a parameter with zero moments must not move");
    }
}
