package org.vaelab.data;

import java.util.SplittableRandom;

/**
 * How grey pixels p ∈ [0, 1] become reconstruction targets. The choice changes the likelihood being
 * reported, so results under different binarizations are not comparable: a Bernoulli log-likelihood is a
 * proper discrete log-probability only for 0/1 targets.
 *
 * <p>Lifecycle: call {@link #prepare(ImageDataset, long)} once per dataset before training, then
 * {@link #apply(float[], int, int, float[], SplittableRandom)} on every minibatch. {@link #STATIC} does its
 * work in {@code prepare}, {@link #DYNAMIC} in {@code apply}, {@link #NONE} in neither.
 *
 * <p>A pixel is set to 1 when a uniform draw u ∈ [0, 1) satisfies u &lt; p, so p = 0 always gives 0 and
 * p = 1 always gives 1. Output is a deterministic function of the input and the random generator's state.
 */
public enum Binarization {

    /**
     * Continuous targets in [0, 1], used with a Bernoulli (binary cross-entropy) likelihood as in many
     * tutorials. Convenient, but the "likelihood" is then not a normalised density of the data, so its value
     * is not comparable with published binarized-MNIST numbers.
     */
    NONE,

    /**
     * Each pixel is resampled as Bernoulli(p) every time a minibatch is drawn, so every epoch sees a fresh
     * binary image, which acts as data augmentation (as in Burda, Grosse &amp; Salakhutdinov 2016,
     * "Importance Weighted Autoencoders").
     */
    DYNAMIC,

    /**
     * Each pixel is sampled as Bernoulli(p) once, with a fixed seed, and that binary dataset is kept for the
     * whole run, like the fixed binarized MNIST of Larochelle &amp; Murray (2011). Use the same seed (e.g.
     * {@link #STATIC_SEED}) in every run that should see the same data.
     */
    STATIC;

    /** The seed vaelab uses for {@link #STATIC} unless an experiment says otherwise. */
    public static final long STATIC_SEED = 20_110_101L;

    /**
     * Once per dataset, before training. {@link #STATIC} returns a binarized copy sampled pixel by pixel, in
     * order, from {@code new SplittableRandom(seed)}, named e.g. {@code mnist-digits/train/static-binarized(seed=…)};
     * {@link #NONE} and {@link #DYNAMIC} return {@code data} itself.
     *
     * @param seed the seed for {@link #STATIC}; ignored by the other modes
     */
    public ImageDataset prepare(ImageDataset data, long seed) {
        if (this != STATIC) return data;
        float[] binary = new float[data.pixels().length];
        sample(data.pixels(), 0, binary.length, binary, new SplittableRandom(seed));
        return new ImageDataset(data.name() + "/static-binarized(seed=" + seed + ")", binary, data.n(),
                data.width(), data.height(), data.labels(), data.sha256());
    }

    /**
     * Per minibatch: writes the targets for {@code length} pixels of {@code src} starting at {@code offset}
     * into {@code dst[0, length)}. {@link #DYNAMIC} samples them from {@code rng}; {@link #NONE} and
     * {@link #STATIC} (already binary after {@link #prepare}) copy them and draw nothing from {@code rng}.
     * Give binarization its own generator, split off the run's, so that turning {@link #DYNAMIC} on does not
     * change the random numbers the rest of training draws.
     *
     * @param src    pixels in [0, 1], e.g. {@link ImageDataset#pixels()}
     * @param offset first pixel to use
     * @param length number of pixels, e.g. batch size × {@link ImageDataset#dim()}
     * @param dst    receives the targets; at least {@code length} long
     * @param rng    source of randomness for {@link #DYNAMIC}
     */
    public void apply(float[] src, int offset, int length, float[] dst, SplittableRandom rng) {
        if (this == DYNAMIC) sample(src, offset, length, dst, rng);
        else System.arraycopy(src, offset, dst, 0, length);
    }

    private static void sample(float[] src, int offset, int length, float[] dst, SplittableRandom rng) {
        for (int i = 0; i < length; i++) dst[i] = rng.nextFloat() < src[offset + i] ? 1f : 0f;
    }
}
