package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.vaelab.data.Sprites;

/** MIG (Chen et al. 2018) on constructed latents whose answer is known. */
class MigTest {

    /** Every combination of factors with the given numbers of values, each once: exactly independent factors. */
    static int[][] grid(int... sizes) {
        int n = 1;
        for (int s : sizes) n *= s;
        int[][] f = new int[n][sizes.length];
        for (int i = 0; i < n; i++) {
            int rest = i;
            for (int k = sizes.length - 1; k >= 0; k--) {
                f[i][k] = rest % sizes[k];
                rest /= sizes[k];
            }
        }
        return f;
    }

    @Test
    void pluginEstimatesByHand() {
        int[] a = {0, 0, 1, 1};
        assertEquals(Math.log(2), Mig.mutualInformation(a, new int[]{5, 5, 9, 9}), 1e-12, "a copy: I = H = log 2");
        assertEquals(0, Mig.mutualInformation(a, new int[]{0, 1, 0, 1}), 1e-12, "independent: I = 0");
        assertEquals(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), Mig.entropy(new int[]{0, 0, 0, 7}), 1e-12);
        // Pairs (0,0), (0,0), (0,1), (1,1): I = H(a) + H(b) − H(a, b) with H(a) = H(¾, ¼), H(b) = log 2,
        // H(a, b) = H(½, ¼, ¼).
        double ha = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        double hab = -(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25));
        assertEquals(ha + Math.log(2) - hab, Mig.mutualInformation(new int[]{0, 0, 0, 1}, new int[]{0, 0, 1, 1}), 1e-12);
    }

    /** Equal-width bins over [min, max] (width 0.5 here); the maximum goes into the last bin. */
    @Test
    void discretizesInEqualWidthBins() {
        assertArrayEquals(new int[]{0, 0, 1, 2, 19, 19}, Mig.discretize(new double[]{0, 0.49, 0.5, 1, 9.6, 10}, 20));
        assertArrayEquals(new int[]{0, 0, 0}, Mig.discretize(new double[]{3, 3, 3}, 20), "a constant latent is one bin");
    }

    /**
     * Each latent an affine copy of one factor with ≤ 20 values, so that distinct values land in distinct bins:
     * every gap is H(v)/H(v) = 1. (Noise that splits a value across two bins would make a latent look slightly
     * dependent on the other factors: MIG is exact only up to binning.)
     */
    @Test
    void oneLatentPerFactorScoresOne() {
        int[][] f = grid(3, 6, 8, 5);
        double[][] z = new double[f.length][4];
        for (int i = 0; i < f.length; i++) {
            z[i][0] = f[i][2] * 2.5 - 1;   // latents in another order than the factors
            z[i][1] = -f[i][0];
            z[i][2] = f[i][3];
            z[i][3] = 0.1 * f[i][1];
        }
        Mig.Result r = Mig.evaluate(z, f, Mig.DEFAULT_BINS);
        assertEquals(1, r.mig(), 1e-12);
        assertArrayEquals(new int[]{1, 3, 0, 2}, r.bestLatent());
        assertEquals(Math.log(6), r.factorEntropy()[1], 1e-12);
    }

    /**
     * A factor with more values than bins loses information to binning: orientation's 40 values in 20 bins keep
     * log 20 of its log 40 nats, so a perfect copy of it scores log 20 / log 40 = 0.812, not 1.
     */
    @Test
    void binningCapsAFactorWithMoreValuesThanBins() {
        int[][] f = grid(40, 2);
        double[][] z = new double[f.length][2];
        for (int i = 0; i < f.length; i++) {
            z[i][0] = f[i][0];
            z[i][1] = f[i][1];
        }
        Mig.Result r = Mig.evaluate(z, f, 20);
        assertEquals(Math.log(20) / Math.log(40), r.gaps()[0], 1e-12);
        assertEquals(1, r.gaps()[1], 1e-12);
    }

    /**
     * One latent holds two factors (z0 = 4·v0 + v1: 12 distinct values, distinct bins) and z1 copies v1: v0 has one
     * informative latent (gap 1), v1 has two equally informative ones (gap 0): MIG = ½. Without z1's copy (z1 constant)
     * MIG is 1, because MIG only asks that each factor live in one latent, not that a latent hold one factor.
     */
    @Test
    void oneLatentEncodingTwoFactors() {
        int[][] f = grid(3, 4, 10);   // the third factor is only there to repeat every (v0, v1) ten times
        int[][] two = new int[f.length][];
        for (int i = 0; i < f.length; i++) two[i] = new int[]{f[i][0], f[i][1]};
        double[][] z = new double[f.length][2];
        double[][] alone = new double[f.length][2];
        for (int i = 0; i < f.length; i++) {
            z[i][0] = alone[i][0] = 4 * f[i][0] + f[i][1];
            z[i][1] = f[i][1];
            alone[i][1] = 7;
        }
        Mig.Result r = Mig.evaluate(z, two, 20);
        assertArrayEquals(new double[]{1, 0}, r.gaps(), 1e-12);
        assertEquals(0.5, r.mig(), 1e-12);
        assertEquals(1, Mig.of(alone, two, 20), 1e-12);
    }

    /**
     * Latents of pure noise carry nothing: the gap between two noise latents' plug-in MIs is small against H(v).
     * Factors from the sprite design (3, 6, 40, 32, 32 values), 10,000 sprites.
     */
    @Test
    void independentNoiseScoresNearZero() {
        int[][] f = Sprites.sampleFactors(10_000, 3);
        SplittableRandom rng = new SplittableRandom(2);
        double[][] z = new double[f.length][6];
        for (double[] row : z) for (int j = 0; j < row.length; j++) row[j] = rng.nextGaussian();
        double mig = Mig.of(z, f, Mig.DEFAULT_BINS);
        assertTrue(mig >= 0 && mig < 0.01, "MIG of noise " + mig);
    }

    @Test
    void rejectsDegenerateInputs() {
        double[][] z = {{0, 1}, {1, 0}};
        assertThrows(IllegalArgumentException.class, () -> Mig.of(z, new int[][]{{1}, {1}}, 20), "constant factor");
        assertThrows(IllegalArgumentException.class, () -> Mig.of(new double[][]{{0}, {1}}, new int[][]{{0}, {1}}, 20), "one latent");
        assertThrows(IllegalArgumentException.class, () -> Mig.of(z, new int[][]{{0}}, 20), "row counts");
        assertThrows(IllegalArgumentException.class, () -> Mig.of(z, new int[][]{{0}, {1}}, 1), "bins");
        assertThrows(IllegalArgumentException.class, () -> Mig.of(new double[][]{{0, Double.NaN}, {1, 0}}, new int[][]{{0}, {1}}, 20));
    }
}
