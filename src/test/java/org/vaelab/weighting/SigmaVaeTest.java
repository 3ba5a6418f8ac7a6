package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

class SigmaVaeTest {

    private static final int D = 784;
    private static final Progress P = new Progress(0, 0, 10, 100, D, 2);

    private static BatchStats sse(double sse) {
        return new BatchStats(0, 7, new double[] {3, 4}, sse);
    }

    @Test
    void optimalSigmaIsTheBatchRmseAndItsRecIsTheClosedForm() {
        SigmaVae s = SigmaVae.optimal();
        double sse = D * 0.04; // per-pixel mean squared error 0.04, RMSE 0.2
        LossWeights w = s.weights(P, sse(sse));
        assertEquals(0.2, s.sigma(), 1e-12);
        assertEquals(0.2, w.trace().get(TraceKey.SIGMA), 1e-12);
        assertEquals(1.0, w.trace().get(TraceKey.BETA));
        assertEquals(0.0, w.rec());
        assertEquals(1 / (2 * 0.04), w.sse(), 1e-9);
        assertArrayEquals(new double[] {1, 1}, w.kl());
        // Rec at σ* = (D/2)·log σ*² + D/2 + (D/2)·log 2π = 392·log 0.04 + 392 + 392·log 2π
        double closed = 392 * Math.log(0.04) + 392 + 392 * Math.log(2 * Math.PI);
        assertEquals(closed, SigmaVae.optimalRec(sse, D), 1e-9);
        assertEquals(closed, SigmaVae.gaussianRec(sse, 0.2, D), 1e-9);
        // σ* minimises the Gaussian Rec over σ.
        assertTrue(SigmaVae.gaussianRec(sse, 0.19, D) > closed && SigmaVae.gaussianRec(sse, 0.21, D) > closed);
        // The next batch sets its own σ.
        s.weights(P, sse(D * 0.09));
        assertEquals(0.3, s.sigma(), 1e-12);
        assertThrows(IllegalStateException.class, () -> SigmaVae.optimal().sigma());
    }

    @Test
    void softClipFloorsLogSigmaAtMinusSix() {
        assertEquals(-6 + Math.log1p(Math.exp(6)), SigmaVae.softClip(0), 1e-15);
        assertEquals(-6.0, SigmaVae.softClip(-60), 1e-15);
        assertEquals(5 + Math.log1p(Math.exp(-11)), SigmaVae.softClip(5), 1e-15);
        // A perfect batch would give log σ* = −∞; the optimal σ has a hard floor at e^{−6}.
        SigmaVae s = SigmaVae.optimal();
        s.weights(P, sse(0));
        assertEquals(Math.exp(-6), s.sigma(), 1e-15);
    }

    @Test
    void learnedSigmaMovesTowardTheRmse() {
        SigmaVae s = new SigmaVae(new SigmaVae.Config(SigmaVae.Mode.LEARNED, 0.05));
        double sigma0 = Math.exp(-6 + Math.log1p(Math.exp(6))); // s = 0: σ = 1.0025
        assertEquals(sigma0, s.sigma(), 1e-15);
        // Step 1 with SSE/D = 0.09: ∂Rec/∂s = (D − SSE/σ²)·sigmoid(6) > 0, and Adam's first step is lr·sign(g).
        LossWeights w = s.weights(P, sse(D * 0.09));
        assertEquals(sigma0, w.trace().get(TraceKey.SIGMA), 1e-15, "the step's weights use σ before its update");
        assertEquals(1 / (2 * sigma0 * sigma0), w.sse(), 1e-12);
        assertEquals(0.0, w.rec());
        assertEquals(Math.exp(SigmaVae.softClip(-0.05)), s.sigma(), 1e-9);
        // On a fixed per-pixel error of 0.09 (RMSE 0.3) σ falls monotonically and settles near 0.3.
        double prev = s.sigma();
        for (int t = 0; t < 400; t++) {
            s.weights(P, sse(D * 0.09));
            if (t < 20) assertTrue(s.sigma() < prev, "σ must fall while above the RMSE, step " + t);
            prev = s.sigma();
        }
        assertEquals(0.3, s.sigma(), 0.01);
        // The other way: from below, σ rises towards a larger error.
        for (int t = 0; t < 600; t++) s.weights(P, sse(D * 0.25));
        assertEquals(0.5, s.sigma(), 0.02);
    }

    @Test
    void resetCopyAndValidation() {
        SigmaVae s = SigmaVae.learned();
        s.weights(P, sse(D * 0.01));
        SigmaVae fresh = s.copy();
        assertEquals(s, fresh);
        assertTrue(s.sigma() < fresh.sigma(), "the copy starts afresh");
        fresh.weights(P, sse(D * 0.01));
        assertEquals(fresh.sigma(), s.sigma(), 1e-15, "equal histories give equal σ");
        s.reset();
        assertEquals(Math.exp(SigmaVae.softClip(0)), s.sigma(), 1e-15);
        assertEquals("σ-VAE learned", s.label());
        assertEquals("σ-VAE optimal", SigmaVae.optimal().label());
        SchedulesTest.assertNames(() -> new SigmaVae.Config(SigmaVae.Mode.LEARNED, -1e-3), "learning rate", "-0.001");
    }
}
