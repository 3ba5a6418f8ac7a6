package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        int n = 2 * FlatAdam.BLOCK + 123;
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
}
