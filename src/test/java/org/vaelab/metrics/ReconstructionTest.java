package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReconstructionTest {

    /** Two images of two pixels (values exact in binary): squared errors 1/64, 1/16, 1/4, 0 over 4 pixels. */
    @Test
    void mseIsPerPixelByHand() {
        float[] x = {0f, 1f, 0.5f, 0.25f};
        float[] xHat = {0.125f, 0.75f, 0f, 0.25f};
        assertEquals((1 / 64.0 + 1 / 16.0 + 1 / 4.0) / 4, Reconstruction.mse(x, xHat), 0);
    }

    /**
     * Image 1: x = (1, 0), p = (0.9, 0.2): −log 0.9 − log 0.8. Image 2: x = (0.5, 1), p = (0.5, 0.5): a grey pixel
     * costs −½ log ½ − ½ log ½ = log 2, and x = 1 at p = ½ costs log 2. Mean over the two images.
     */
    @Test
    void bceIsPerImageSummedOverPixelsByHand() {
        float[] x = {1f, 0f, 0.5f, 1f};
        float[] p = {0.9f, 0.2f, 0.5f, 0.5f};
        double image1 = -Math.log((float) 0.9) - Math.log(1 - (double) (float) 0.2);
        double image2 = 2 * Math.log(2);
        assertEquals((image1 + image2) / 2, Reconstruction.bce(x, p, 2), 1e-9);
    }

    /** A saturated probability costs −log(CLAMP) ≈ 16.1 nats instead of infinity; a correct one costs ~0. */
    @Test
    void bceClampsSaturatedProbabilities() {
        assertEquals(-Math.log(Reconstruction.CLAMP), Reconstruction.bce(new float[]{0f}, new float[]{1f}, 1), 1e-6);
        assertEquals(0, Reconstruction.bce(new float[]{1f}, new float[]{1f}, 1), 1e-6);
    }

    @Test
    void rejectsMismatchedInputs() {
        assertThrows(IllegalArgumentException.class, () -> Reconstruction.mse(new float[2], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Reconstruction.mse(new float[0], new float[0]));
        assertThrows(IllegalArgumentException.class, () -> Reconstruction.bce(new float[3], new float[3], 2));
    }
}
