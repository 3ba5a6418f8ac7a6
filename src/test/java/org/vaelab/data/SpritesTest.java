package org.vaelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SpritesTest {

    private static int count(float[] img) {
        int c = 0;
        for (float v : img) {
            assertTrue(v == 0f || v == 1f, "binary pixels");
            if (v == 1f) c++;
        }
        return c;
    }

    /** Centroid (x, y) of the on pixels, in pixel coordinates (pixel centres at k + 0.5). */
    private static double[] centroid(float[] img) {
        double sx = 0, sy = 0;
        int c = 0;
        for (int r = 0; r < Sprites.SIZE; r++)
            for (int k = 0; k < Sprites.SIZE; k++)
                if (img[r * Sprites.SIZE + k] == 1f) {
                    sx += k + 0.5;
                    sy += r + 0.5;
                    c++;
                }
        return new double[]{sx / c, sy / c};
    }

    @Test
    void theFullSetHasTheDspritesDesign() {
        assertEquals(737_280, Sprites.COUNT);
        assertEquals(Sprites.COUNT, Sprites.FACTOR_SIZES.stream().reduce(1, (a, b) -> a * b));
        assertArrayEquals(new int[]{0, 0, 0, 0, 1}, Sprites.factorsOf(1), "y position varies fastest");
        assertArrayEquals(new int[]{2, 5, 39, 31, 31}, Sprites.factorsOf(Sprites.COUNT - 1));
        for (long i : new long[]{0, 1, 12_345, 400_000, Sprites.COUNT - 1})
            assertEquals(i, Sprites.indexOf(Sprites.factorsOf(i)));
        assertEquals(0.5, Sprites.scale(0), 1e-12);
        assertEquals(1.0, Sprites.scale(5), 1e-12);
        assertEquals(Math.PI / 2, Sprites.angle(10), 1e-12);
    }

    /**
     * Areas: a 16 × 16 square at scale 1 (half-side 0.8·10 px) and 8 × 8 at scale 0.5, exactly, where the centre
     * (12.8 px) puts no pixel centre on an edge; the ellipse π·10·5 ≈ 157 px and the heart ≈ 2.77·10² px within 5%.
     */
    @Test
    void shapesHaveTheirAreas() {
        assertEquals(256, count(Sprites.render(Sprites.SQUARE, 5, 0, 0, 0)));
        assertEquals(64, count(Sprites.render(Sprites.SQUARE, 0, 0, 0, 0)));
        assertEquals(Math.PI * 10 * 5, count(Sprites.render(Sprites.ELLIPSE, 5, 0, 10, 20)), 0.05 * Math.PI * 50);
        assertEquals(276.7, count(Sprites.render(Sprites.HEART, 5, 0, 10, 20)), 0.05 * 276.7);
    }

    @Test
    void positionAndOrientationMoveAndTurnTheShape() {
        double[] a = centroid(Sprites.render(Sprites.ELLIPSE, 3, 7, 5, 9));
        assertEquals(Sprites.centre(5), a[0], 0.25);
        assertEquals(Sprites.centre(9), a[1], 0.25);
        double[] b = centroid(Sprites.render(Sprites.ELLIPSE, 3, 7, 6, 9));
        assertEquals(38.4 / 31, b[0] - a[0], 0.25, "one x step moves the shape by 38.4/31 px");
        // A quarter turn leaves the square as it was; the ellipse's long axis goes from horizontal to vertical.
        assertArrayEquals(Sprites.render(Sprites.SQUARE, 5, 0, 0, 0), Sprites.render(Sprites.SQUARE, 5, 10, 0, 0));
        float[] flat = Sprites.render(Sprites.ELLIPSE, 5, 0, 15, 15), upright = Sprites.render(Sprites.ELLIPSE, 5, 10, 15, 15);
        assertTrue(extent(flat, true) > 1.8 * extent(flat, false), "orientation 0: wide");
        assertTrue(extent(upright, false) > 1.8 * extent(upright, true), "orientation 10 (90°): tall");
    }

    /** Width (columns) or height (rows) spanned by the on pixels. */
    private static int extent(float[] img, boolean columns) {
        int lo = Integer.MAX_VALUE, hi = -1;
        for (int r = 0; r < Sprites.SIZE; r++)
            for (int k = 0; k < Sprites.SIZE; k++)
                if (img[r * Sprites.SIZE + k] == 1f) {
                    int v = columns ? k : r;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
        return hi - lo + 1;
    }

    @Test
    void noShapeTouchesTheBorderAtAnyAngleOrExtremePosition() {
        for (int shape = 0; shape < 3; shape++)
            for (int r = 0; r < 40; r++)
                for (int p : new int[]{0, 31})
                    for (int q : new int[]{0, 31}) {
                        float[] img = Sprites.render(shape, 5, r, p, q);
                        for (int i = 0; i < Sprites.SIZE; i++) {
                            String at = "shape " + shape + " orientation " + r + " position " + p + "," + q;
                            assertEquals(0f, img[i], at);                                         // top row
                            assertEquals(0f, img[(Sprites.SIZE - 1) * Sprites.SIZE + i], at);     // bottom row
                            assertEquals(0f, img[i * Sprites.SIZE], at);                          // left column
                            assertEquals(0f, img[i * Sprites.SIZE + Sprites.SIZE - 1], at);       // right column
                        }
                    }
    }

    @Test
    void samplesAreDeterministicDistinctAndMatchTheirFactors() {
        Sprites.Sample s = Sprites.sample(40, 7);
        ImageDataset im = s.images();
        assertEquals(40, im.n());
        assertEquals(64, im.width());
        assertEquals(Sprites.SIZE * Sprites.SIZE, im.dim());
        for (int i = 0; i < 40; i++) {
            int[] f = s.factors()[i];
            float[] one = Sprites.render(f[0], f[1], f[2], f[3], f[4]);
            float[] stored = java.util.Arrays.copyOfRange(im.pixels(), i * im.dim(), (i + 1) * im.dim());
            assertArrayEquals(one, stored, "image " + i);
            assertEquals(f[0], im.labels()[i], "label = shape");
        }
        Sprites.Sample again = Sprites.sample(40, 7);
        assertEquals(im.sha256(), again.images().sha256());
        assertArrayEquals(im.pixels(), again.images().pixels());
        assertNotEquals(im.sha256(), Sprites.sample(40, 8).images().sha256());

        Set<Integer> seen = new HashSet<>();
        for (int[] f : Sprites.sampleFactors(5000, 1)) assertTrue(seen.add(Sprites.indexOf(f)), "drawn without replacement");
    }

    /** The pixels of a fixed sample, pinned: a change to the renderer must be deliberate (and update this hash). */
    @Test
    void renderingIsPinned() {
        assertEquals("69f0bf2e06ea881de541c6069c80f2bad05e2bd40a2dd1fba48a0593251a4ac2", Sprites.sample(20, 1).images().sha256());
    }

    @Test
    void rejectsCodesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Sprites.render(3, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Sprites.render(0, 6, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Sprites.render(0, 0, 40, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Sprites.render(0, 0, 0, 32, 0));
        assertThrows(IllegalArgumentException.class, () -> Sprites.render(0, 0, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> Sprites.sample(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Sprites.factorsOf(Sprites.COUNT));
    }
}
