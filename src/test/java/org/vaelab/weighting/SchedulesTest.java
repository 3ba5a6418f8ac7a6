package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/** The schedules (warm-up, sigmoid, cyclical, capacity) at hand-computed steps. */
class SchedulesTest {

    /** 10 steps per epoch, T = 1000 steps, D = 784, d = 3. */
    private static Progress at(long step) {
        return new Progress(step, (int) (step / 10), 10, 1000, 784, 3);
    }

    private static BatchStats kl(double kl) {
        return new BatchStats(100, kl, new double[] {kl / 3, kl / 3, kl / 3}, 20);
    }

    private static final BatchStats ANY = kl(5);

    // ------------------------------------------------------------------ linear warm-up

    @Test
    void warmUpIsHalfWayAtHalfOfN() {
        LinearWarmup w = LinearWarmup.overSteps(200);
        assertEquals(0.0, w.beta(at(0)));
        assertEquals(0.5, w.beta(at(100)), 1e-15);
        assertEquals(1.0, w.beta(at(200)), 1e-15);
        assertEquals(1.0, w.beta(at(999)), 1e-15);
        LossWeights lw = w.weights(at(50), ANY);
        assertEquals(1.0, lw.rec());
        assertEquals(0.0, lw.sse());
        assertArrayEquals(new double[] {0.25, 0.25, 0.25}, lw.kl(), 1e-15);
        assertEquals(0.25, lw.trace().get(TraceKey.BETA), 1e-15);
    }

    @Test
    void warmUpInEpochsUsesStepsPerEpoch() {
        // 10 epochs of 10 steps: N = 100 steps; the He et al. start β0 = 0.1 gives 0.1 + 0.9·0.5 = 0.55 at N/2.
        assertEquals(0.5, LinearWarmup.paperDefaults().beta(at(50)), 1e-15);
        assertEquals(0.55, LinearWarmup.heEtAlCode().beta(at(50)), 1e-15);
        assertEquals(0.1, LinearWarmup.heEtAlCode().beta(at(0)), 1e-15);
        assertEquals(1.0, LinearWarmup.heEtAlCode().beta(at(100)), 1e-15);
        assertEquals(0.25, LinearWarmup.overEpochs(2).beta(at(5)), 1e-15);
        // A target other than 1, and N as a fraction of the run: 0.5 T = 500 steps.
        LinearWarmup toFour = new LinearWarmup(0, 4, Span.ofRun(0.5));
        assertEquals(1.0, toFour.beta(at(125)), 1e-15);
        assertEquals(4.0, toFour.beta(at(600)), 1e-15);
        assertEquals("warm-up 10 ep", LinearWarmup.paperDefaults().label());
        assertEquals("warm-up β 0.1→1, 10 ep", LinearWarmup.heEtAlCode().label());
    }

    // ------------------------------------------------------------------ sigmoid

    @Test
    void sigmoidIsOneHalfAtItsMidpoint() {
        SigmoidAnnealing s = SigmoidAnnealing.defaults(); // t0 = 250, k = 20/1000 = 0.02
        assertEquals(0.5, s.beta(at(250)), 1e-15);
        // 1/(1 + e^{−0.02·(250 + ln 99/0.02 − 250)}) = 1/(1 + 1/99) = 0.99 at t = 250 + 229.76
        assertEquals(1 / (1 + Math.exp(-0.02 * 230)), s.beta(at(480)), 1e-15);
        assertTrue(s.beta(at(480)) > 0.99 && s.beta(at(479)) < 0.99);
        assertEquals(1 / (1 + Math.exp(5)), s.beta(at(0)), 1e-15); // 0.0067
        assertEquals(0.5, new SigmoidAnnealing(0.5, 8).beta(at(500)), 1e-15);
        assertEquals(0.5, s.weights(at(250), ANY).trace().get(TraceKey.BETA), 1e-15);
    }

    // ------------------------------------------------------------------ cyclical

    @Test
    void cyclicalRisesOverHalfOfEachOfFourCycles() {
        CyclicalAnnealing c = CyclicalAnnealing.paperDefaults(); // P = 250, rising over 125 steps
        assertEquals(0.0, c.beta(at(0)));
        assertEquals(0.4, c.beta(at(50)), 1e-15); // τ = 50/250 = 0.2, β = 0.2/0.5
        assertEquals(1.0, c.beta(at(125)), 1e-15); // the middle of the cycle ends the rise
        assertEquals(1.0, c.beta(at(200)), 1e-15); // plateau
        assertEquals(1.0, c.beta(at(249)), 1e-15); // end of the cycle
        assertEquals(0.0, c.beta(at(250)), 1e-15); // the next cycle restarts
        assertEquals(0.2, c.beta(at(275)), 1e-15);
        assertEquals(1.0, c.beta(at(999)), 1e-15);
        assertEquals(0.1, c.tau(at(275)), 1e-15);
    }

    @Test
    void cyclicalPeriodNeedNotBeAWholeNumberOfSteps() {
        // T = 10, M = 3: P = 10/3; τ(4) = (4 mod 10/3)/(10/3) = (2/3)/(10/3) = 0.2; β = 0.2/0.5 = 0.4 (β_max 2 → 0.8).
        CyclicalAnnealing c = new CyclicalAnnealing(3, 0.5, 2);
        Progress p = new Progress(4, 0, 10, 10, 784, 3);
        assertEquals(0.2, c.tau(p), 1e-15);
        assertEquals(0.8, c.beta(p), 1e-15);
        assertEquals(0.0, c.beta(new Progress(0, 0, 10, 10, 784, 3)));
        assertEquals("cyclical M=3 R=0.5 β=2", c.label());
    }

    // ------------------------------------------------------------------ capacity

    @Test
    void capacityIsHalfOfItsMaximumHalfWayThroughTheRamp() {
        CapacityAnnealing c = CapacityAnnealing.paperDefaults(); // T_C = 0.5·1000 = 500 steps
        assertEquals(0.0, c.capacity(at(0)));
        assertEquals(12.5, c.capacity(at(250)), 1e-12);
        assertEquals(25.0, c.capacity(at(500)), 1e-12);
        assertEquals(25.0, c.capacity(at(900)), 1e-12);
        assertEquals(5.0, new CapacityAnnealing(1000, 25, Span.steps(100)).capacity(at(20)), 1e-12);
    }

    @Test
    void capacityWeightIsGammaTimesTheSignOfKlMinusCapacity() {
        CapacityAnnealing c = CapacityAnnealing.paperDefaults();
        // At step 250, C_t = 12.5 nats.
        LossWeights above = c.weights(at(250), kl(20));
        assertArrayEquals(new double[] {1000, 1000, 1000}, above.kl());
        assertEquals(1.0, above.rec());
        assertEquals(12.5, above.trace().get(TraceKey.CAPACITY), 1e-12);
        assertEquals(1000.0, above.trace().get(TraceKey.KL_WEIGHT));
        // Below capacity the weight is negative: the term pushes the KL up towards C_t.
        LossWeights below = c.weights(at(250), kl(3));
        assertArrayEquals(new double[] {-1000, -1000, -1000}, below.kl());
        assertEquals(-1000.0, below.trace().get(TraceKey.KL_WEIGHT));
        assertArrayEquals(new double[3], c.weights(at(250), kl(12.5)).kl());
        assertTrue(!above.trace().containsKey(TraceKey.BETA), "±γ is not a β");
    }

    // ------------------------------------------------------------------ validation

    @Test
    void invalidSettingsNameTheValue() {
        assertNames(() -> new LinearWarmup(-0.1, 1, Span.epochs(10)), "beta0", "-0.1");
        assertNames(() -> new LinearWarmup(0, Double.NaN, Span.epochs(10)), "betaMax", "NaN");
        assertNames(() -> Span.steps(0), "span", "0");
        assertNames(() -> new Span(-3, Span.Unit.EPOCHS), "span", "-3");
        assertNames(() -> new SigmoidAnnealing(0.25, 0), "steepness", "0");
        assertNames(() -> new SigmoidAnnealing(-1, 20), "midpoint", "-1");
        assertNames(() -> new CyclicalAnnealing(0, 0.5, 1), "cycles", "0");
        assertNames(() -> new CyclicalAnnealing(4, 1.5, 1), "ratio", "1.5");
        assertNames(() -> new CyclicalAnnealing(4, 0.5, -1), "betaMax", "-1");
        assertNames(() -> new CapacityAnnealing(0, 25, Span.ofRun(0.5)), "gamma", "0");
        assertNames(() -> new CapacityAnnealing(1000, -5, Span.ofRun(0.5)), "C_max", "-5");
    }

    static void assertNames(Executable e, String what, String value) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(what) && ex.getMessage().contains(value), ex.getMessage());
    }

    @Test
    void spansConvertToSteps() {
        assertEquals(30.0, Span.steps(30).inSteps(at(0)));
        assertEquals(25.0, Span.epochs(2.5).inSteps(at(0)));
        assertEquals(250.0, Span.ofRun(0.25).inSteps(at(0)));
        assertEquals("0.5 T", Span.ofRun(0.5).label());
    }
}
