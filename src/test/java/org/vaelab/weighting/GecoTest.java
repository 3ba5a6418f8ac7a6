package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/** GECO on a scripted sequence of batch squared errors, every value worked out by hand. */
class GecoTest {

    /** D = 4 pixels, d = 2 latents. */
    private static final Progress P = new Progress(0, 0, 10, 100, 4, 2);

    /** κ = 0.5 (κ² = 0.25), α = 0.5, ν = 2, λ₀ = 1, λ clamped to [0.1, 3]: numbers that are easy by hand. */
    private static Geco geco() {
        return new Geco(new Geco.Config(0.5, 0.5, 2, 1, 0.1, 3));
    }

    private static BatchStats sse(double sse) {
        return new BatchStats(50, 7, new double[] {3, 4}, sse);
    }

    private static void assertStep(LossWeights w, double lambda, double c, double cMa) {
        assertEquals(0.0, w.rec(), "GECO puts no weight on the likelihood Rec");
        assertEquals(lambda / 4, w.sse(), 1e-12, "sse weight = λ/D");
        assertArrayEquals(new double[] {1, 1}, w.kl());
        assertEquals(lambda, w.trace().get(TraceKey.LAMBDA), 1e-12);
        assertEquals(c, w.trace().get(TraceKey.CONSTRAINT), 1e-12);
        assertEquals(cMa, w.trace().get(TraceKey.CONSTRAINT_MA), 1e-12);
    }

    @Test
    void scriptedSequence() {
        Geco g = geco();
        // t0: SSE 2 → C = 2/4 − 0.25 = 0.25; C_ma starts at C; weights use λ₀ = 1; then λ = e^{2·0.25} = e^{0.5}.
        assertStep(g.weights(P, sse(2)), 1, 0.25, 0.25);
        assertEquals(Math.exp(0.5), g.lambda(), 1e-12);
        // t1: SSE 1 → C = 0; C_ma = 0.5·0.25 + 0.5·0 = 0.125; then λ = e^{0.5}·e^{0.25} = e^{0.75}.
        assertStep(g.weights(P, sse(1)), Math.exp(0.5), 0, 0.125);
        assertEquals(Math.exp(0.75), g.lambda(), 1e-12);
        // t2: SSE 3 → C = 0.5; C_ma = 0.0625 + 0.25 = 0.3125; λ = e^{0.75 + 0.625} = 3.955 → clamped to 3.
        assertStep(g.weights(P, sse(3)), Math.exp(0.75), 0.5, 0.3125);
        assertEquals(3.0, g.lambda(), 0);
        // t3: SSE 0 → C = −0.25; C_ma = 0.15625 − 0.125 = 0.03125 > 0; λ = 3·e^{0.0625} → still clamped to 3.
        assertStep(g.weights(P, sse(0)), 3, -0.25, 0.03125);
        assertEquals(3.0, g.lambda(), 0);
        // t4: SSE 0 → C_ma = 0.015625 − 0.125 = −0.109375: the constraint is met on average, λ falls.
        assertStep(g.weights(P, sse(0)), 3, -0.25, -0.109375);
        assertEquals(3 * Math.exp(-0.21875), g.lambda(), 1e-12);
        // A batch that is not finite leaves the state alone.
        double lambda = g.lambda();
        g.weights(P, sse(Double.NaN));
        assertEquals(lambda, g.lambda());
        assertEquals(-0.109375, g.constraintMovingAverage(), 1e-12);
    }

    @Test
    void lambdaIsClampedBelowToo() {
        Geco g = geco();
        for (int t = 0; t < 20; t++) g.weights(P, sse(0)); // C = −0.25 every step: λ·e^{−0.5} per step
        assertEquals(0.1, g.lambda(), 0);
    }

    @Test
    void resetRestoresTheInitialStateAndCopySharesNothing() {
        Geco g = geco();
        g.weights(P, sse(2));
        g.weights(P, sse(3));
        Geco fresh = g.copy();
        assertEquals(g, fresh, "a copy is an equal configuration");
        assertEquals(1.0, fresh.lambda());
        assertTrue(Double.isNaN(fresh.constraintMovingAverage()));
        // Stepping the copy does not touch the original, and vice versa.
        double before = g.lambda();
        fresh.weights(P, sse(0));
        assertEquals(before, g.lambda());
        g.weights(P, sse(3));
        assertNotEquals(g.lambda(), fresh.lambda());
        // After reset the first batch initialises C_ma again and λ₀ is back.
        g.reset();
        assertEquals(1.0, g.lambda());
        assertStep(g.weights(P, sse(1)), 1, 0, 0);
    }

    @Test
    void defaultsAndValidation() {
        Geco g = Geco.withTarget(0.3);
        assertEquals(new Geco.Config(0.3, 0.99, 0.1, 1, 1e-6, 1e6), g.config());
        assertEquals("GECO κ=0.3", g.label());
        SchedulesTest.assertNames(() -> Geco.withTarget(0), "kappa", "0");
        SchedulesTest.assertNames(() -> new Geco.Config(0.3, 1, 1, 1, 1e-6, 1e6), "alpha", "1");
        SchedulesTest.assertNames(() -> new Geco.Config(0.3, 0.99, -2, 1, 1e-6, 1e6), "nu", "-2");
        SchedulesTest.assertNames(() -> new Geco.Config(0.3, 0.99, 1, 5, 1e-6, 2), "lambdaInit", "5");
        SchedulesTest.assertNames(() -> new Geco.Config(0.3, 0.99, 1, 1, 0, 2), "lambdaMin", "0");
    }
}
