package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

class MeanReductionTest {

    private static final BatchStats ANY = new BatchStats(100, 10, new double[20], 5);

    @Test
    void betaEffectiveIsWTimesDOverD() {
        // docs/theory.md §1's worked example: D = 784, d = 20, w = 0.1 -> β_eff = 3.92, σ² = 1.96.
        MeanReduction m = new MeanReduction(0.1);
        assertEquals(3.92, m.betaEffective(784, 20), 1e-12);
        assertEquals(1.96, m.impliedSigmaSquared(784, 20), 1e-12);
    }

    @Test
    void weightsAreTheMeanReducedLossAndProportionalToBetaEff() {
        MeanReduction m = new MeanReduction(0.1);
        LossWeights w = m.weights(new Progress(0, 0, 10, 100, 784, 20), ANY);
        assertEquals(1.0 / 784, w.rec(), 1e-15);
        double[] expected = new double[20];
        java.util.Arrays.fill(expected, 0.1 / 20);
        assertArrayEquals(expected, w.kl(), 1e-15);
        // Rescaled by D, the loss is Rec + β_eff·KL: the ratio of the weights is β_eff.
        assertEquals(3.92, w.kl()[0] / w.rec(), 1e-12);
        assertEquals(3.92, w.trace().get(TraceKey.BETA), 1e-12);
        assertEquals(0.1, w.trace().get(TraceKey.W), 0);
    }

    @Test
    void constantBetaWeightsEveryDimensionEqually() {
        LossWeights w = new ConstantBeta(4).weights(new Progress(7, 0, 10, 100, 784, 3), ANY);
        assertEquals(1.0, w.rec());
        assertArrayEquals(new double[] {4, 4, 4}, w.kl());
        assertEquals(4.0, w.trace().get(TraceKey.BETA));
        assertEquals("β=4", new ConstantBeta(4).label());
        assertEquals("β=0.1", new ConstantBeta(0.1).label());
    }

    @Test
    void invalidWeightsNameTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ConstantBeta(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MeanReduction(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LossWeights(1, new double[] {1, Double.NaN}, java.util.Map.of()));
        assertTrue(e.getMessage().contains("dimension 1") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LossWeights(1, -0.5, new double[] {1}, java.util.Map.of()));
        assertTrue(e.getMessage().contains("sse") && e.getMessage().contains("-0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LossWeights(-1, new double[] {1}, java.util.Map.of()));
        assertTrue(e.getMessage().contains("rec") && e.getMessage().contains("-1"), e.getMessage());
        // Negative KL weights are allowed: capacity annealing pushes the rate up towards C_t.
        assertEquals(-2.0, new LossWeights(1, new double[] {1, -2}, java.util.Map.of()).kl()[1]);
    }
}
