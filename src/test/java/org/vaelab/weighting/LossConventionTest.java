package org.vaelab.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaelab.weighting.LossConvention.Reconstruction;
import org.vaelab.weighting.LossConvention.Reduction;

/** Each convention of docs/theory.md §1 against a hand computation. */
class LossConventionTest {

    private static LossConvention of(Reconstruction r, Reduction rec, Reduction kl, double w, int px, int lat) {
        return new LossConvention(r, rec, kl, w, px, lat);
    }

    @Test
    void sumOverPixelsAndLatentsIsTheElboWeight() {
        assertEquals(4.0, of(Reconstruction.LIKELIHOOD, Reduction.SUM, Reduction.SUM, 4, 784, 32).beta(), 0);
        assertEquals(1.0, of(Reconstruction.LIKELIHOOD, Reduction.SUM, Reduction.SUM, 4, 784, 32).wForBetaOne(), 0);
    }

    @Test
    void meanOverPixelsAndLatentsIsWTimesDOverD() {
        // The "normalised" recipe: D = 784, d = 20, w = 0.1 -> β = 0.1·784/20 = 3.92; β = 1 needs w = 20/784.
        LossConvention c = of(Reconstruction.LIKELIHOOD, Reduction.MEAN, Reduction.MEAN, 0.1, 784, 20);
        assertEquals(3.92, c.beta(), 1e-12);
        assertEquals(20.0 / 784, c.wForBetaOne(), 1e-15);
        assertTrue(Double.isNaN(c.sigmaSquared()), "a likelihood assumes no σ of its own here");
    }

    @Test
    void mseMeanWithSummedKlIsWTimesD() {
        // PyTorch-VAE's default: F.mse_loss (mean over 64·64·3 = 12288 values) + kld_weight 0.00025 · KL summed.
        LossConvention c = of(Reconstruction.SQUARED_ERROR, Reduction.MEAN, Reduction.SUM, 0.00025, 12288, 128);
        assertEquals(3.072, c.beta(), 1e-12);
        assertEquals(1.536, c.sigmaSquared(), 1e-12, "σ² = w·D/2");
        assertEquals(1.0 / 12288, c.wForBetaOne(), 1e-18);
    }

    @Test
    void summedSquaredErrorIsAGaussianWithSigmaSquaredHalfOfBeta() {
        LossConvention c = of(Reconstruction.SQUARED_ERROR, Reduction.SUM, Reduction.SUM, 0.02, 784, 16);
        assertEquals(0.02, c.beta(), 0);
        assertEquals(0.01, c.sigmaSquared(), 1e-15, "σ = 0.1 on a [0, 1] pixel scale");
    }

    @Test
    void badValuesNameTheOptionAndTheFix() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> of(Reconstruction.LIKELIHOOD, Reduction.SUM, Reduction.SUM, 0, 784, 16));
        assertTrue(e.getMessage().contains("-Dw=0.0"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Reduction.parse("rec", "avg")).getMessage()
                .contains("-Drec=avg is not valid: expected sum or mean"));
        assertEquals(Reconstruction.SQUARED_ERROR, Reconstruction.parse("MSE"));
        assertThrows(IllegalArgumentException.class, () -> of(Reconstruction.LIKELIHOOD, Reduction.SUM, Reduction.SUM, 1, 0, 16));
    }
}
