package org.vaelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {

    /** Details such as timings and gradient-check errors are printed only with {@code -Dvaelab.verbose=true}. */
    private static final boolean VERBOSE = Boolean.getBoolean("vaelab.verbose");

    static final int[] DIGITS_PER_CLASS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    static final int[] DIGITS_TRAIN_PER_CLASS = {800, 901, 792, 825, 784, 690, 811, 856, 755, 782};

    @TempDir
    Path tmp;

    /** Runs {@code body} with a system property set, restoring the previous value afterwards. */
    static <T> T withProperty(String key, String value, Supplier<T> body) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }

    static int[] perClass(int[] labels) {
        int[] c = new int[10];
        for (int y : labels) c[y]++;
        return c;
    }

    static void assertUnitPixels(ImageDataset d) {
        for (float p : d.pixels()) {
            // Pixels are exactly byte/255, so p*255 is an integer up to float rounding.
            float b = p * 255f;
            assertTrue(p >= 0f && p <= 1f && Math.abs(b - Math.round(b)) < 1e-3, "pixel " + p);
        }
    }

    @Test
    void mnistDigitsHasDocumentedSplit() {
        ImageDataset train = DataSources.mnistDigits(Split.TRAIN);
        ImageDataset test = DataSources.mnistDigits(Split.TEST);
        assertEquals("mnist-digits/train", train.name());
        assertEquals(7996, train.n());
        assertEquals(2004, test.n());
        assertEquals(28, train.width());
        assertEquals(28, train.height());
        assertArrayEquals(DIGITS_TRAIN_PER_CLASS, perClass(train.labels()));
        int[] total = perClass(train.labels());
        int[] testCounts = perClass(test.labels());
        for (int k = 0; k < 10; k++) total[k] += testCounts[k];
        assertArrayEquals(DIGITS_PER_CLASS, total);
        assertUnitPixels(train);
        assertUnitPixels(test);
        // Checksums.combine of the two files' hashes, as given in data/README.md.
        assertEquals("61b465619cdf542b6445cb6fa4896c697a2cad2c4fdfad8390c1292dbabce10f", train.sha256());
        assertEquals(train.sha256(), test.sha256());
    }

    @Test
    void mnistDigitsIsInterleavedByClassAndSplitsWithinClassInFileOrder() {
        ImageDataset train = DataSources.mnistDigits(Split.TRAIN);
        ImageDataset test = DataSources.mnistDigits(Split.TEST);
        for (int i = 0; i < 10 * 690; i++) assertEquals(i % 10, train.labels()[i], "label at " + i);

        // The j-th train image of class k is file image start_k + j; the j-th test image is
        // start_k + floor(4 n_k / 5) + j, where start_k is the index of the first image of class k.
        float[] file = IdxReader.readImages(Path.of("data/mnist-digits/images-idx3-ubyte.gz")).toUnitFloats();
        int[] start = new int[10];
        for (int k = 1; k < 10; k++) start[k] = start[k - 1] + DIGITS_PER_CLASS[k - 1];
        for (Split split : Split.values()) {
            ImageDataset d = split == Split.TRAIN ? train : test;
            int[] next = new int[10];
            for (int i = 0; i < d.n(); i++) {
                int k = d.labels()[i];
                int fileIndex = start[k] + (split == Split.TRAIN ? 0 : DIGITS_TRAIN_PER_CLASS[k]) + next[k]++;
                assertArrayEquals(Arrays.copyOfRange(file, fileIndex * 784, (fileIndex + 1) * 784),
                        Arrays.copyOfRange(d.pixels(), i * 784, (i + 1) * 784), split + " image " + i);
            }
        }
    }

    @Test
    void mnistDigitsChecksumFailureNamesFileAndRemedy() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data/mnist-digits"));
        Path src = Path.of("data/mnist-digits").toAbsolutePath();
        Files.copy(src.resolve("images-idx3-ubyte.gz"), dir.resolve("images-idx3-ubyte.gz"));
        Path labels = Files.copy(src.resolve("labels-idx1-ubyte.gz"), dir.resolve("labels-idx1-ubyte.gz"));
        corrupt(labels);
        DataException e = assertThrows(DataException.class,
                () -> withProperty(DataSources.REPO_DIR_PROPERTY, tmp.toString(), () -> DataSources.mnistDigits(Split.TEST)));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("git checkout data/mnist-digits"), e.getMessage());
    }

    @Test
    void mnistDigitsMissingSaysWhereItLooked() {
        DataException e = assertThrows(DataException.class,
                () -> withProperty(DataSources.REPO_DIR_PROPERTY, tmp.toString(), () -> DataSources.mnistDigits(Split.TRAIN)));
        assertTrue(e.getMessage().contains(tmp.resolve("data/mnist-digits").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("git checkout data/mnist-digits"), e.getMessage());
    }

    @Test
    void fashionMissingFolderMentionsAptGet() {
        Path nowhere = tmp.resolve("no-such-folder");
        DataException e = assertThrows(DataException.class,
                () -> withProperty(DataSources.DATA_DIR_PROPERTY, nowhere.toString(), () -> DataSources.fashionMnist(Split.TRAIN)));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dvaelab.data=DIR"), e.getMessage());

        DataException e2 = assertThrows(DataException.class,
                () -> withProperty(DataSources.DATA_DIR_PROPERTY, tmp.toString(), () -> DataSources.fashionMnist(Split.TEST)));
        assertTrue(e2.getMessage().contains("t10k-images-idx3-ubyte.gz"), e2.getMessage());
        assertTrue(e2.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e2.getMessage());
    }

    @Test
    void fashionChecksumFailureNamesFileAndHashes() throws IOException {
        assumeFashionInstalled();
        for (String f : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
            Files.copy(DataSources.DEFAULT_FASHION_DIR.resolve(f), tmp.resolve(f));
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        corrupt(labels);
        String actual = Checksums.sha256(labels);
        DataException e = assertThrows(DataException.class,
                () -> withProperty(DataSources.DATA_DIR_PROPERTY, tmp.toString(), () -> DataSources.fashionMnist(Split.TEST)));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"), e.getMessage());
        assertTrue(e.getMessage().contains(actual), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void fashionMnistLoadsFullSplits() {
        assumeFashionInstalled();
        long t0 = System.nanoTime();
        ImageDataset train = DataSources.fashionMnist(Split.TRAIN);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (VERBOSE) System.out.println("fashion-mnist/train loaded in " + ms + " ms");
        ImageDataset test = DataSources.fashionMnist(Split.TEST);
        assertEquals(60_000, train.n());
        assertEquals(10_000, test.n());
        assertEquals(784, train.dim());
        assertEquals("fashion-mnist/test", test.name());
        // The authors' files hold exactly 6,000 / 1,000 images per class.
        for (int c : perClass(train.labels())) assertEquals(6000, c);
        for (int c : perClass(test.labels())) assertEquals(1000, c);
        assertUnitPixels(test);
        assertEquals(Checksums.combine(Checksums.sha256(DataSources.DEFAULT_FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz")),
                Checksums.sha256(DataSources.DEFAULT_FASHION_DIR.resolve("t10k-labels-idx1-ubyte.gz"))), test.sha256());
    }

    @Test
    void byNameResolvesAndRejectsUnknownNames() {
        assertEquals("mnist-digits/test", DataSources.byName("mnist-digits", Split.TEST).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSources.byName("mnist", Split.TRAIN));
        assertTrue(e.getMessage().contains("fashion-mnist") && e.getMessage().contains("mnist-digits"), e.getMessage());
        assertTrue(e.getMessage().contains("sprites") && e.getMessage().contains("npy:FILE"), e.getMessage());
    }

    @Test
    void everyBuiltInSetIsOneRegistryEntry() {
        assertEquals(java.util.List.of("fashion-mnist", "mnist-digits", "sprites"), DataSources.names());
        for (DataSource d : DataSources.builtIn()) {
            assertSame(d, DataSources.find(d.name()).orElseThrow());
            assertTrue(!d.description().isBlank() && !d.origin().isBlank(), d.name());
            assertTrue(!d.pins().isEmpty(), d.name() + " pins its checksums");
            for (String sha : d.pins().values()) assertTrue(sha.matches("[0-9a-f]{64}"), d.name() + ": " + sha);
        }
        assertEquals("6147811c070e77823b67d8be7963f6ab00af77f5660c687bbdc8a3a1bc7b7459",
                DataSources.find("mnist-digits").orElseThrow().pins().get("images-idx3-ubyte.gz"));
        assertTrue(DataSources.find("npy:x.npy").isEmpty());
    }

    @Test
    void spritesAreReachableByNameWithTheirFactorsInSprites() {
        ImageDataset test = DataSources.byName("sprites", Split.TEST);
        assertEquals("sprites/test", test.name());
        assertEquals(Sprites.TEST_SIZE, test.n());
        assertEquals(64, test.width());
        assertEquals(DataSources.find("sprites").orElseThrow().pins().get("sprites/test"), test.sha256());
        Sprites.Sample sample = Sprites.split(Split.TEST);
        assertArrayEquals(test.pixels(), sample.images().pixels());
        for (int i = 0; i < test.n(); i++) assertEquals(sample.factors()[i][0], test.labels()[i], "label = shape");
        // Train and test are disjoint parts of one draw without replacement.
        int[][] all = Sprites.sampleFactors(Sprites.TRAIN_SIZE + Sprites.TEST_SIZE, Sprites.SPLIT_SEED);
        assertArrayEquals(all[Sprites.TRAIN_SIZE], sample.factors()[0]);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int[] f : all) assertTrue(seen.add(Sprites.indexOf(f)), "a sprite drawn twice");
    }

    @Test
    void subsetTakesFirstImages() {
        ImageDataset d = new ImageDataset("toy", new float[] {0, .1f, .2f, .3f, .4f, .5f}, 3, 2, 1, new int[] {4, 5, 6}, "h");
        ImageDataset s = DataSources.subset(d, 2);
        assertEquals("toy[:2]", s.name());
        assertArrayEquals(new float[] {0, .1f, .2f, .3f}, s.pixels());
        assertArrayEquals(new int[] {4, 5}, s.labels());
        assertEquals("h", s.sha256());
        assertSame(d, DataSources.subset(d, 3));
        assertThrows(IllegalArgumentException.class, () -> DataSources.subset(d, 4));
        assertThrows(IllegalArgumentException.class, () -> DataSources.subset(d, -1));
    }

    private static void assumeFashionInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(DataSources.DEFAULT_FASHION_DIR),
                "Fashion-MNIST not installed at " + DataSources.DEFAULT_FASHION_DIR);
    }

    /** Flips one byte in the middle of a file. */
    private static void corrupt(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x01;
        Files.write(file, b);
    }
}
