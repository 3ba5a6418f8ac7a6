package org.vaelab.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * 2D sprites with known factors of variation, for disentanglement metrics such as MIG. The design follows
 * dSprites (Matthey, Higgins, Hassabis and Lerchner 2017, https://github.com/deepmind/dsprites-dataset):
 * 64 × 64 binary images of one white shape on black, every combination of five independent factors,
 * <pre>  shape ∈ {square, ellipse, heart} (3) × scale (6) × orientation (40) × x position (32) × y position (32)
 *   = 737,280 images</pre>
 * The images are <em>generated here</em>, procedurally and deterministically in Java, not read from the original
 * files, so they resemble but do not equal dSprites pixel for pixel:
 * <ul>
 *   <li>scale s ∈ {0.5, 0.6, …, 1.0}; a shape of scale s has size unit h = 10·s pixels: the square has half-side
 *       0.8·h, the ellipse semi-axes h and h/2, the heart (the curve (x² + y² − 1)³ = x²y³, centred) about 2h
 *       across;</li>
 *   <li>orientation r ∈ 0…39 is the angle 2π·r/40, counter-clockwise (dSprites uses {@code linspace(0, 2π, 40)},
 *       whose first and last angles coincide; here all 40 differ). The square looks the same every 10 steps and
 *       the ellipse every 20, as in dSprites;</li>
 *   <li>positions p ∈ 0…31 place the centre at 12.8 + 38.4·p/31 pixels from the left (x) or top (y) edge, so no
 *       shape at any scale or angle touches the border;</li>
 *   <li>a pixel is on (1) if its centre lies inside the shape (no anti-aliasing).</li>
 * </ul>
 * The full set as floats would take 3 GB, so nothing is stored: {@link #render} draws one image on demand,
 * {@link #factorsOf(long)} maps an index of the full set (dSprites order: shape, scale, orientation, x, y, the
 * last varying fastest) to its factors, and {@link #sample(int, long)} draws a deterministic random subset
 * without replacement as an {@link ImageDataset} with its factor matrix. Geometry uses {@link StrictMath}, so
 * the same seed gives the same pixels on every JVM.
 */
public final class Sprites {

    /** Image side in pixels. */
    public static final int SIZE = 64;
    /** Names of the five factors, in the column order of every factor matrix. */
    public static final List<String> FACTORS = List.of("shape", "scale", "orientation", "pos_x", "pos_y");
    /** Shape codes (factor 0). */
    public static final int SQUARE = 0, ELLIPSE = 1, HEART = 2;
    /** Names of the shapes, by code. */
    public static final List<String> SHAPES = List.of("square", "ellipse", "heart");
    /** Number of values of each factor, in {@link #FACTORS} order. */
    public static final List<Integer> FACTOR_SIZES = List.of(3, 6, 40, 32, 32);
    /** Number of images in the full set: 3·6·40·32·32. */
    public static final int COUNT = 3 * 6 * 40 * 32 * 32;

    private static final double UNIT = 10;        // pixels per unit of shape size at scale 1
    private static final double MARGIN = 12.8;    // centre range [MARGIN, SIZE − MARGIN]
    private static final double HEART_SCALE = 1.15, HEART_SHIFT = 0.118;

    /**
     * A random subset of the sprites.
     *
     * @param images  n images, pixels 0 or 1, label = shape code; {@code sha256} is the SHA-256 of the pixels as
     *                bytes (one 0/1 byte per pixel, images in order), so two samples compare by hash
     * @param factors n × 5 factor codes, columns in {@link #FACTORS} order
     */
    public record Sample(ImageDataset images, int[][] factors) {
    }

    private Sprites() {
    }

    /** The scale of scale code s ∈ 0…5: 0.5 + 0.1·s. */
    public static double scale(int s) {
        check("scale", s, 1);
        return 0.5 + 0.1 * s;
    }

    /** The angle of orientation code r ∈ 0…39, radians: 2π·r/40. */
    public static double angle(int r) {
        check("orientation", r, 2);
        return 2 * Math.PI * r / 40;
    }

    /** Pixel coordinate of the centre for position code p ∈ 0…31: 12.8 + 38.4·p/31. */
    public static double centre(int p) {
        check("position", p, 3);
        return MARGIN + (SIZE - 2 * MARGIN) * p / 31.0;
    }

    /**
     * One sprite, 64 × 64 row-major, pixels 0 or 1.
     *
     * @throws IllegalArgumentException if a code is out of range
     */
    public static float[] render(int shape, int scale, int orientation, int x, int y) {
        float[] out = new float[SIZE * SIZE];
        render(shape, scale, orientation, x, y, out, 0);
        return out;
    }

    /** Draws one sprite into {@code out[offset … offset + 4095]}, which must be zero there. */
    public static void render(int shape, int scale, int orientation, int x, int y, float[] out, int offset) {
        check("shape", shape, 0);
        double h = UNIT * scale(scale);
        double theta = angle(orientation), cos = StrictMath.cos(theta), sin = StrictMath.sin(theta);
        double cx = centre(x), cy = centre(y);
        int reach = (int) Math.ceil(1.3 * h) + 1;   // every shape lies within 1.2·h of its centre
        int c0 = Math.max(0, (int) cx - reach), c1 = Math.min(SIZE - 1, (int) cx + reach);
        int r0 = Math.max(0, (int) cy - reach), r1 = Math.min(SIZE - 1, (int) cy + reach);
        for (int row = r0; row <= r1; row++) {
            double dy = -(row + 0.5 - cy);   // y up
            for (int col = c0; col <= c1; col++) {
                double dx = col + 0.5 - cx;
                // Into the shape's frame: rotate by −θ, divide by the size unit.
                double u = (cos * dx + sin * dy) / h, v = (-sin * dx + cos * dy) / h;
                if (inside(shape, u, v)) out[offset + row * SIZE + col] = 1f;
            }
        }
    }

    private static boolean inside(int shape, double u, double v) {
        switch (shape) {
            case SQUARE:
                return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
            case ELLIPSE:
                return u * u + 4 * v * v <= 1;
            default: {
                double a = u * HEART_SCALE, b = v * HEART_SCALE + HEART_SHIFT;
                double r = a * a + b * b - 1;
                return r * r * r - a * a * b * b * b <= 0;
            }
        }
    }

    /** The five factor codes of image {@code index} of the full set, 0 ≤ index &lt; {@link #COUNT}. */
    public static int[] factorsOf(long index) {
        if (index < 0 || index >= COUNT)
            throw new IllegalArgumentException("sprite index must be in [0, " + COUNT + "), got " + index);
        int[] f = new int[5];
        long rest = index;
        for (int k = 4; k >= 0; k--) {
            f[k] = (int) (rest % FACTOR_SIZES.get(k));
            rest /= FACTOR_SIZES.get(k);
        }
        return f;
    }

    /** Inverse of {@link #factorsOf(long)}. */
    public static int indexOf(int... factors) {
        if (factors.length != 5) throw new IllegalArgumentException("a sprite has 5 factors, got " + factors.length);
        int index = 0;
        for (int k = 0; k < 5; k++) {
            check(FACTORS.get(k), factors[k], k);
            index = index * FACTOR_SIZES.get(k) + factors[k];
        }
        return index;
    }

    /**
     * The factors of n distinct sprites drawn uniformly without replacement (a partial Fisher–Yates shuffle of the
     * 737,280 indices driven by {@code SplittableRandom(seed)}), in draw order; n × 5.
     *
     * @throws IllegalArgumentException if n is not in [1, {@link #COUNT}]
     */
    public static int[][] sampleFactors(int n, long seed) {
        if (n < 1 || n > COUNT)
            throw new IllegalArgumentException("sprite sample size must be in [1, " + COUNT + "], got " + n);
        int[] idx = new int[COUNT];
        for (int i = 0; i < COUNT; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] factors = new int[n][];
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(COUNT - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            factors[i] = factorsOf(idx[i]);
        }
        return factors;
    }

    /**
     * n distinct sprites with their factors (those of {@link #sampleFactors(int, long)}), rendered now: n × 4096
     * floats, 160 MB for n = 10,000.
     *
     * @throws IllegalArgumentException if n is not in [1, {@link #COUNT}]
     */
    public static Sample sample(int n, long seed) {
        return render("sprites/sample-" + n + "-seed-" + seed, sampleFactors(n, seed));
    }

    /** Images in the {@link Split#TRAIN} part of {@link #split(Split)}. */
    public static final int TRAIN_SIZE = 10_000;
    /** Images in the {@link Split#TEST} part of {@link #split(Split)}. */
    public static final int TEST_SIZE = 2_000;
    /** Seed of the draw that {@link #split(Split)} divides; fixed, so every run sees the same sprites. */
    public static final long SPLIT_SEED = 20_170_301L;

    /**
     * The data set {@code sprites} of {@link DataSources}: {@link #sampleFactors(int, long)} of
     * {@value #TRAIN_SIZE} + {@value #TEST_SIZE} sprites with seed {@value #SPLIT_SEED}; the first {@value #TRAIN_SIZE}
     * in draw order are {@link Split#TRAIN}, the last {@value #TEST_SIZE} {@link Split#TEST}, so the parts are
     * disjoint. Named {@code sprites/train} or {@code sprites/test}; only the part asked for is rendered (164 MB of
     * floats for train, 33 MB for test). The factors stay here, in {@link Sample#factors()}: an
     * {@link ImageDataset} carries only the shape as its label.
     */
    public static Sample split(Split split) {
        int[][] all = sampleFactors(TRAIN_SIZE + TEST_SIZE, SPLIT_SEED);
        int[][] part = split == Split.TRAIN ? java.util.Arrays.copyOfRange(all, 0, TRAIN_SIZE)
                : java.util.Arrays.copyOfRange(all, TRAIN_SIZE, all.length);
        return render("sprites/" + split.label(), part);
    }

    /** Renders the sprites of the given factors, hashing their pixels as 0/1 bytes. */
    private static Sample render(String name, int[][] factors) {
        int n = factors.length;
        int dim = SIZE * SIZE;
        float[] pixels = new float[Math.multiplyExact(n, dim)];
        int[] labels = new int[n];
        MessageDigest sha = sha256();
        byte[] bytes = new byte[dim];
        for (int i = 0; i < n; i++) {
            int[] f = factors[i];
            render(f[0], f[1], f[2], f[3], f[4], pixels, i * dim);
            labels[i] = f[0];
            for (int p = 0; p < dim; p++) bytes[p] = (byte) pixels[i * dim + p];
            sha.update(bytes);
        }
        return new Sample(new ImageDataset(name, pixels, n, SIZE, SIZE, labels, HexFormat.of().formatHex(sha.digest())),
                factors);
    }

    private static void check(String what, int value, int factor) {
        int size = FACTOR_SIZES.get(factor);
        if (value < 0 || value >= size)
            throw new IllegalArgumentException(what + " code must be in [0, " + (size - 1) + "], got " + value);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JRE provides no SHA-256", e);
        }
    }
}
