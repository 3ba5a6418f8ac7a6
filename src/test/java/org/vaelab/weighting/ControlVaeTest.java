package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/** ControlVAE's PI controller on a scripted sequence of batch KLs, every value worked out by hand. */
class ControlVaeTest {

    private static final Progress P = new Progress(0, 0, 10, 100, 784, 2);

    /** Target 10 nats, K_p = 0.5, K_i = 0.1, β ∈ [0, 1]: large gains so that every term shows. */
    private static ControlVae controller() {
        return new ControlVae(new ControlVae.Config(10, 0.5, 0.1, 0, 1));
    }

    private static BatchStats kl(double kl) {
        return new BatchStats(100, kl, new double[] {kl / 2, kl / 2}, 20);
    }

    /** One step; checks the weights are (rec 1, β on every dimension) and returns β. */
    private static double step(ControlVae c, double kl) {
        LossWeights w = c.weights(P, kl(kl));
        assertEquals(1.0, w.rec());
        assertEquals(0.0, w.sse());
        double beta = w.trace().get(TraceKey.BETA);
        assertArrayEquals(new double[] {beta, beta}, w.kl());
        assertEquals(10 - kl, w.trace().get(TraceKey.ERROR), 1e-12);
        return beta;
    }

    @Test
    void scriptedSequenceWithClippingAndAntiWindup() {
        ControlVae c = controller();
        // t0: KL 10, e = 0: P = 0.5/(1 + 1) = 0.25, Σe = 0 → β = 0.25.
        assertEquals(0.25, step(c, 10), 1e-12);
        // t1: KL 14, e = −4: P = 0.5/(1 + e^{−4}); Σe = −4 → β = P + 0.4.
        assertEquals(0.5 / (1 + Math.exp(-4)) + 0.4, step(c, 14), 1e-12);
        // t2: KL 15, e = −5: Σe = −9 → raw = 0.5/(1 + e^{−5}) + 0.9 = 1.397 → clipped to β_max = 1.
        assertEquals(1.0, step(c, 15), 0);
        assertEquals(-9.0, c.errorSum(), 0);
        // t3: KL 15 again: β is clipped at β_max and e < 0 would raise it further → the integral is frozen.
        assertEquals(1.0, step(c, 15), 0);
        assertEquals(-9.0, c.errorSum(), 0, "integral frozen while clipped");
        // t4: KL 6, e = +4 lowers β, leaving the bound → integrate: Σe = −5, β = 0.5/(1 + e^{4}) + 0.5.
        assertEquals(0.5 / (1 + Math.exp(4)) + 0.5, step(c, 6), 1e-12);
        // Without anti-windup Σe would be −14 here and β would still read 1.
        // t5: KL 0, e = 10: Σe = 5 → raw = 0.5/(1 + e^{10}) − 0.5 < 0 → clipped to β_min = 0.
        assertEquals(0.0, step(c, 0), 0);
        assertEquals(5.0, c.errorSum(), 0);
        // t6: KL 0 again, pushing below β_min further → frozen.
        assertEquals(0.0, step(c, 0), 0);
        assertEquals(5.0, c.errorSum(), 0);
        // t7: KL 12, e = −2: integrate, Σe = 3 → β = 0.5/(1 + e^{−2}) − 0.3.
        assertEquals(0.5 / (1 + Math.exp(-2)) - 0.3, step(c, 12), 1e-12);
        // A batch whose KL is not finite keeps β and the state.
        double beta = c.beta();
        LossWeights w = c.weights(P, kl(Double.NaN));
        assertEquals(beta, w.trace().get(TraceKey.BETA));
        assertEquals(3.0, c.errorSum(), 0);
    }

    @Test
    void betaMinIsAddedAndBoundsTheOutput() {
        // β_min = 1, β_max = 4, K_p = 0.01, K_i = 1e-4 (the paper's gains): KL 30 above a target of 20, e = −10.
        ControlVae c = new ControlVae(new ControlVae.Config(20, 0.01, 1e-4, 1, 4));
        assertEquals(0.01 / (1 + Math.exp(-10)) + 1e-3 + 1, step2(c, 30), 1e-12);
        assertEquals(0.01 / (1 + Math.exp(-10)) + 2e-3 + 1, step2(c, 30), 1e-12);
    }

    private static double step2(ControlVae c, double kl) {
        return c.weights(P, kl(kl)).trace().get(TraceKey.BETA);
    }

    @Test
    void resetRestoresTheInitialStateAndCopySharesNothing() {
        ControlVae c = controller();
        step(c, 14);
        step(c, 15);
        ControlVae fresh = c.copy();
        assertEquals(c, fresh);
        assertEquals(0.0, fresh.errorSum());
        assertEquals(0.0, fresh.beta());
        step(fresh, 0);
        assertEquals(-9.0, c.errorSum(), 0, "stepping the copy must not touch the original");
        c.reset();
        assertEquals(0.0, c.errorSum());
        // After reset the clipped flag is gone as well: the first step integrates whatever its sign.
        assertEquals(0.25, step(c, 10), 1e-12);
        assertEquals(0.5 / (1 + Math.exp(-4)) + 0.4, step(c, 14), 1e-12);
        assertNotEquals(c.errorSum(), fresh.errorSum());
    }

    @Test
    void namedGainsAndValidation() {
        assertEquals(new ControlVae.Config(25, 0.01, 1e-4, 0, 1), ControlVae.paperGains(25).config());
        // The official code's Ki = −0.001 in I ← I + Ki·e is K_i = +0.001 in β = P − K_i·Σe.
        assertEquals(new ControlVae.Config(25, 0.001, 0.001, 0, 1), ControlVae.officialImageCode(25).config());
        assertEquals("ControlVAE KL=25", ControlVae.paperGains(25).label());
        SchedulesTest.assertNames(() -> new ControlVae.Config(-1, 0.01, 1e-4, 0, 1), "KL target", "-1");
        SchedulesTest.assertNames(() -> new ControlVae.Config(25, 0.01, -1e-4, 0, 1), "K_i", "-1.0E-4");
        SchedulesTest.assertNames(() -> new ControlVae.Config(25, 0.01, 1e-4, 2, 1), "betaMax", "1");
    }
}
