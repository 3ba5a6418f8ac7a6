package org.vaelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinarizationTest {

    /** 1,000 images of 100 pixels with values spread over [0, 1], including the end points. */
    static final ImageDataset GREY = grey();

    static ImageDataset grey() {
        SplittableRandom r = new SplittableRandom(1);
        float[] p = new float[1000 * 100];
        for (int i = 0; i < p.length; i++) p[i] = r.nextInt(256) / 255f;
        p[0] = 0f;
        p[1] = 1f;
        return new ImageDataset("grey", p, 1000, 10, 10, new int[1000], "h");
    }

    static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    static void assertBinary(float[] a) {
        for (float v : a) assertTrue(v == 0f || v == 1f, "not binary: " + v);
    }

    @Test
    void dynamicIsBinaryWithTheSourceMeanAndRespectsEndPoints() {
        float[] src = GREY.pixels();
        float[] dst = new float[src.length];
        Binarization.DYNAMIC.apply(src, 0, src.length, dst, new SplittableRandom(7));
        assertBinary(dst);
        // 100,000 Bernoulli draws with p near 1/2: standard error of the mean about 0.0016.
        assertEquals(mean(src), mean(dst), 0.01);
        assertEquals(0f, dst[0]);
        assertEquals(1f, dst[1]);
    }

    @Test
    void dynamicIsDeterministicGivenSeedAndResamplesOtherwise() {
        float[] src = GREY.pixels();
        float[] a = new float[500];
        float[] b = new float[500];
        Binarization.DYNAMIC.apply(src, 300, 500, a, new SplittableRandom(42));
        Binarization.DYNAMIC.apply(src, 300, 500, b, new SplittableRandom(42));
        assertArrayEquals(a, b);

        SplittableRandom rng = new SplittableRandom(42);
        Binarization.DYNAMIC.apply(src, 300, 500, a, rng);
        Binarization.DYNAMIC.apply(src, 300, 500, b, rng);
        assertFalse(Arrays.equals(a, b), "a second epoch must see a fresh sample");
    }

    @Test
    void staticSamplesOnceThenCopies() {
        ImageDataset s1 = Binarization.STATIC.prepare(GREY, Binarization.STATIC_SEED);
        ImageDataset s2 = Binarization.STATIC.prepare(GREY, Binarization.STATIC_SEED);
        assertArrayEquals(s1.pixels(), s2.pixels());
        assertBinary(s1.pixels());
        assertEquals(mean(GREY.pixels()), mean(s1.pixels()), 0.01);
        assertTrue(s1.name().startsWith("grey/static-binarized"), s1.name());
        assertArrayEquals(GREY.labels(), s1.labels());

        float[] batch = new float[200];
        Binarization.STATIC.apply(s1.pixels(), 100, 200, batch, new SplittableRandom(3));
        assertArrayEquals(Arrays.copyOfRange(s1.pixels(), 100, 300), batch);
    }

    @Test
    void noneKeepsContinuousTargetsAndDrawsNothing() {
        assertSame(GREY, Binarization.NONE.prepare(GREY, 1));
        assertSame(GREY, Binarization.DYNAMIC.prepare(GREY, 1));
        float[] batch = new float[100];
        SplittableRandom rng = new SplittableRandom(5);
        Binarization.NONE.apply(GREY.pixels(), 100, 100, batch, rng);
        assertArrayEquals(Arrays.copyOfRange(GREY.pixels(), 100, 200), batch);
        assertEquals(new SplittableRandom(5).nextLong(), rng.nextLong(), "NONE must not consume randomness");
    }
}
