package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LogSumExpTest {

    @Test
    void matchesTheNaiveFormulaWhereThatIsSafe() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] a = new double[50];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble(-20, 20);
        double naive = 0;
        for (double v : a) naive += Math.exp(v);
        assertEquals(Math.log(naive), LogSumExp.of(a), 1e-12);
        assertEquals(Math.log(naive / a.length), LogSumExp.mean(a), 1e-12);
    }

    /** Log-weights of real models are hundreds of nats: exp overflows (or underflows) a double, the result must not. */
    @Test
    void isExactFarOutsideTheRangeOfExp() {
        assertEquals(1000 + Math.log(2), LogSumExp.of(new double[]{1000, 1000}), 1e-12);
        assertEquals(-1000, LogSumExp.mean(new double[]{-1000, -1000}), 1e-12);
        // exp(a) = e^-800·{1, 3}: mean 2·e^-800.
        assertEquals(-800 + Math.log(2), LogSumExp.mean(new double[]{-800, -800 + Math.log(3)}), 1e-12);
    }

    @Test
    void runningReductionIsOrderAndChunkIndependent() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] a = new double[1000];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble(-500, 500);
        LogSumExp.Running forward = new LogSumExp.Running(), backward = new LogSumExp.Running();
        for (double v : a) forward.add(v);
        for (int i = a.length - 1; i >= 0; i--) backward.add(a[i]);
        assertEquals(LogSumExp.of(a), forward.logSum(), 1e-12);
        assertEquals(forward.logSum(), backward.logSum(), 1e-12);
        assertEquals(LogSumExp.mean(a), forward.logMean(), 1e-12);
        assertEquals(1000, forward.count());
    }

    @Test
    void infinitiesAndNaN() {
        double ninf = Double.NEGATIVE_INFINITY;
        assertEquals(ninf, LogSumExp.of(new double[]{ninf, ninf}));
        assertEquals(0, LogSumExp.of(new double[]{ninf, 0}), 0);
        assertEquals(Double.POSITIVE_INFINITY, LogSumExp.of(new double[]{1, Double.POSITIVE_INFINITY}));
        assertTrue(Double.isNaN(LogSumExp.of(new double[]{1, Double.NaN})));
        assertThrows(IllegalArgumentException.class, () -> LogSumExp.of(new double[0]));
        assertThrows(IllegalStateException.class, () -> new LogSumExp.Running().logMean());
    }
}
