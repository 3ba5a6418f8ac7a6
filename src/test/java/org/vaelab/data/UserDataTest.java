package org.vaelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own files, written here as numpy, an MNIST distribution or a spreadsheet would write them. */
class UserDataTest {

    @TempDir
    Path dir;

    /** An NPY 1.0 file as numpy.save writes it: header padded to 64 bytes, then the little-endian values. */
    static byte[] npy(String descr, int[] shape, byte[] data) {
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) h.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) h.append(',');
        h.append("), }");
        int unpadded = 10 + h.length() + 1;
        h.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header).put(data);
        return b.array();
    }

    static byte[] f4(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static byte[] f8(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }

    /** n rows of D values in [0, 1]: row r, column c = ((r·D + c) mod 101) / 100. */
    static float[] unitValues(int n, int d) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = (i % 101) / 100f;
        return v;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static DataException fails(String spec, Split split) {
        return assertThrows(DataException.class, () -> UserData.load(spec, split));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    @Test
    void float32RowsHoldOutTheLastTenthAndHashTheFile() throws IOException {
        float[] v = unitValues(25, 16);
        Path f = write("x.npy", npy("<f4", new int[] {25, 16}, f4(v)));
        String spec = "npy:" + f;
        ImageDataset train = DataSources.byName(spec, Split.TRAIN);
        ImageDataset test = DataSources.byName(spec, Split.TEST);
        assertEquals(23, train.n(), "25 rows: the last ⌊25/10⌋ = 2 are test");
        assertEquals(2, test.n());
        assertEquals(4, train.width(), "D = 16 is a square: read as 4 × 4 images");
        assertEquals(4, train.height());
        assertArrayEquals(Arrays.copyOfRange(v, 0, 23 * 16), train.pixels());
        assertArrayEquals(Arrays.copyOfRange(v, 23 * 16, 25 * 16), test.pixels());
        assertEquals(spec + "/train", train.name());
        assertEquals(spec + "/test", test.name());
        assertEquals(Checksums.sha256(f), train.sha256(), "the SHA-256 of the file's bytes, as sha256sum prints it");
        assertEquals(train.sha256(), test.sha256());
        assertArrayEquals(new int[23], train.labels(), "no labels: all 0");
    }

    @Test
    void float64ImagesAndASeparateTestFile() throws IOException {
        double[] v = new double[3 * 2 * 5];
        for (int i = 0; i < v.length; i++) v[i] = i / 29.0;
        Path train = write("train.npy", npy("<f8", new int[] {3, 2, 5}, f8(v)));
        Path test = write("test.npy", npy("<f8", new int[] {1, 2, 5}, f8(Arrays.copyOf(v, 10))));
        String spec = "npy:" + train + "," + test;
        ImageDataset tr = UserData.load(spec, Split.TRAIN);
        ImageDataset te = UserData.load(spec, Split.TEST);
        assertEquals(3, tr.n(), "with a test file nothing is held out");
        assertEquals(5, tr.width());
        assertEquals(2, tr.height());
        for (int i = 0; i < v.length; i++) assertEquals((float) v[i], tr.pixels()[i]);
        assertEquals(1, te.n());
        assertEquals(Checksums.sha256(train), tr.sha256());
        assertEquals(Checksums.sha256(test), te.sha256(), "the test part is identified by the test file alone");
    }

    @Test
    void uint8GreyLevelsAreDividedBy255AndBinaryBytesKept() throws IOException {
        byte[] grey = new byte[20 * 9];
        for (int i = 0; i < grey.length; i++) grey[i] = (byte) (i * 7);
        ImageDataset g = UserData.load("npy:" + write("grey.npy", npy("|u1", new int[] {20, 9}, grey)), Split.TRAIN);
        assertEquals(18, g.n());
        for (int i = 0; i < g.pixels().length; i++) assertEquals((grey[i] & 0xFF) / 255f, g.pixels()[i]);

        byte[] binary = new byte[20 * 9];
        for (int i = 0; i < binary.length; i += 3) binary[i] = 1;
        ImageDataset b = UserData.load("npy:" + write("binary.npy", npy("|u1", new int[] {20, 9}, binary)), Split.TRAIN);
        assertEquals(1f, b.pixels()[0], "0/1 data are in [0, 1] already: kept as they are");
    }

    @Test
    void idxFolderGzippedLikeMnist() throws IOException {
        byte[] pixels = new byte[12 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 5);
        int[] labels = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
        Path folder = Files.createDirectories(dir.resolve("mine"));
        Files.write(folder.resolve("train-images-idx3-ubyte.gz"),
                IdxReaderTest.gzip(IdxReaderTest.imagesIdx(IdxReader.IMAGES_MAGIC, 12, 2, 3, pixels)));
        Files.write(folder.resolve("train-labels-idx1-ubyte.gz"), IdxReaderTest.gzip(IdxReaderTest.labelsIdx(labels)));
        // The test files plain, not gzipped: both are accepted.
        Files.write(folder.resolve("t10k-images-idx3-ubyte"),
                IdxReaderTest.imagesIdx(IdxReader.IMAGES_MAGIC, 2, 2, 3, Arrays.copyOf(pixels, 12)));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.labelsIdx(new int[] {7, 0}));

        ImageDataset train = DataSources.byName("idx:" + folder, Split.TRAIN);
        assertEquals(12, train.n());
        assertEquals(3, train.width());
        assertEquals(2, train.height());
        assertArrayEquals(labels, train.labels());
        assertEquals((pixels[7] & 0xFF) / 255f, train.pixels()[7]);
        assertEquals(Checksums.combine(Checksums.sha256(folder.resolve("train-images-idx3-ubyte.gz")),
                Checksums.sha256(folder.resolve("train-labels-idx1-ubyte.gz"))), train.sha256());
        ImageDataset test = DataSources.byName("idx:" + folder, Split.TEST);
        assertArrayEquals(new int[] {7, 0}, test.labels());

        Files.delete(folder.resolve("t10k-labels-idx1-ubyte"));
        assertMentions(fails("idx:" + folder, Split.TEST), folder.toAbsolutePath().toString(), "t10k-labels-idx1-ubyte");
        assertMentions(fails("idx:" + dir.resolve("nowhere"), Split.TRAIN), "is not a folder");
    }

    @Test
    void csvWithAndWithoutHeaderAndGreyLevels() throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 10; r++) rows.append(r / 10.0).append(", 0.5,1,0\n");
        Path plain = write("plain.csv", rows.toString().getBytes(StandardCharsets.UTF_8));
        ImageDataset p = UserData.load("csv:" + plain, Split.TRAIN);
        assertEquals(9, p.n(), "10 rows: the last one is test");
        assertEquals(2, p.width(), "D = 4: read as 2 × 2");
        assertArrayEquals(new float[] {0.1f, 0.5f, 1, 0}, Arrays.copyOfRange(p.pixels(), 4, 8));
        assertEquals(1, UserData.load("csv:" + plain, Split.TEST).n());

        Path header = write("header.csv", ("\uFEFFa,b,c\n\n0,255,128\n10,20,30\n").getBytes(StandardCharsets.UTF_8));
        Path test = write("test.csv", "1,2,3\n".getBytes(StandardCharsets.UTF_8));
        ImageDataset h = UserData.load("csv:" + header + "," + test, Split.TRAIN);
        assertEquals(2, h.n(), "the header and the empty line are skipped");
        assertEquals(3, h.width(), "D = 3 is no square: read as 1 × 3");
        assertEquals(1, h.height());
        assertArrayEquals(new float[] {0, 1, 128 / 255f, 10 / 255f, 20 / 255f, 30 / 255f}, h.pixels(),
                "whole numbers 0–255 are grey levels: divided by 255");
        assertEquals(Checksums.sha256(test), UserData.load("csv:" + header + "," + test, Split.TEST).sha256());
    }

    @Test
    void badShapesAreRefusedNamingFileAndShape() throws IOException {
        Path flat = write("flat.npy", npy("<f4", new int[] {12}, f4(new float[12])));
        assertMentions(fails("npy:" + flat, Split.TRAIN), flat.toString(), "[12]", "n × D", "n × H × W");
        Path four = write("four.npy", npy("<f4", new int[] {2, 1, 2, 2}, f4(new float[8])));
        assertMentions(fails("npy:" + four, Split.TRAIN), four.toString(), "[2, 1, 2, 2]");
        Path ints = write("ints.npy", npy("<i8", new int[] {2, 2}, new byte[32]));
        assertMentions(fails("npy:" + ints, Split.TRAIN), ints.toString(), "<i8", "float32");
        byte[] whole = npy("<f4", new int[] {4, 4}, f4(new float[16]));
        Path shortData = write("short.npy", Arrays.copyOf(whole, whole.length - 8));
        assertMentions(fails("npy:" + shortData, Split.TRAIN), shortData.toString(), "data bytes");
        Path ragged = write("ragged.csv", "1,0,1\n0,1\n".getBytes(StandardCharsets.UTF_8));
        assertMentions(fails("csv:" + ragged, Split.TRAIN), ragged.toString(), "line 2", "2 values", "3");
        Path text = write("text.csv", "a,b\n0,1\nx,1\n".getBytes(StandardCharsets.UTF_8));
        assertMentions(fails("csv:" + text, Split.TRAIN), "line 3, column 1", "'x' is not a number");
        Path few = write("few.npy", npy("<f4", new int[] {9, 4}, f4(new float[36])));
        assertMentions(fails("npy:" + few, Split.TRAIN), few.toString(), "9 rows", "give a test file");
    }

    @Test
    void valuesOutsideTheRuleAreRefusedWithTheirPosition() throws IOException {
        float[] v = unitValues(10, 4);
        v[4 * 3 + 2] = -0.5f;
        Path neg = write("neg.npy", npy("<f4", new int[] {10, 4}, f4(v)));
        assertMentions(fails("npy:" + neg, Split.TRAIN), neg.toString(), "-0.5", "row 4, column 3", "rescale");
        Path mixed = write("mixed.csv", "0.5,2\n1,1\n".getBytes(StandardCharsets.UTF_8));
        assertMentions(fails("csv:" + mixed + "," + mixed, Split.TRAIN), "0.5", "row 1, column 1", "0–255");
        Path big = write("big.csv", "0,300\n".getBytes(StandardCharsets.UTF_8));
        assertMentions(fails("csv:" + big + "," + big, Split.TEST), "300", "row 1, column 2");
        float[] nan = unitValues(10, 4);
        nan[0] = Float.NaN;
        assertMentions(fails("npy:" + write("nan.npy", npy("<f4", new int[] {10, 4}, f4(nan))), Split.TRAIN), "NaN");
    }

    @Test
    void aMissingFileNamesThePathAndWhatToDo() {
        Path missing = dir.resolve("no-such.npy");
        DataException e = fails("npy:" + missing, Split.TRAIN);
        assertMentions(e, missing.toAbsolutePath().toString(), "does not exist", "Check the path");
        Path test = dir.resolve("no-test.csv");
        assertMentions(fails("csv:" + missing + "," + test, Split.TEST), test.toAbsolutePath().toString());
    }

    @Test
    void specsAreParsedAndMalformedOnesRefused() {
        UserData.Spec s = UserData.Spec.parse(" npy:/a/train.npy, /a/test.npy ");
        assertEquals(UserData.Format.NPY, s.format());
        assertEquals(Path.of("/a/train.npy"), s.train());
        assertEquals(Path.of("/a/test.npy"), s.test());
        assertEquals("npy:/a/train.npy, /a/test.npy", s.text());
        assertNull(UserData.Spec.parse("IDX:data/mine").test());
        assertTrue(UserData.isSpec("csv:x.csv"));
        assertTrue(!UserData.isSpec("mnist-digits") && !UserData.isSpec(":x"));
        for (String bad : new String[] {"hdf5:x.h5", "npy:", "npy:a,", "npy:a,b,c", "idx:a,b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserData.Spec.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.strip()), e.getMessage());
        }
        assertMentions(assertThrows(IllegalArgumentException.class, () -> UserData.Spec.parse("hdf5:x")),
                UserData.SYNTAX);
    }

    @Test
    void aWrongDimensionNamesTheFileItsShapeAndTheExpectedD() throws IOException {
        Path f = write("small.npy", npy("<f4", new int[] {20, 10, 10}, f4(unitValues(20, 100))));
        String spec = "npy:" + f;
        ImageDataset train = UserData.load(spec, Split.TRAIN);
        DataException e = assertThrows(DataException.class,
                () -> DataSources.requireDimension(spec, Split.TRAIN, train, 784, "experiment tiny"));
        assertMentions(e, f.toString(), "18 examples of D = 100", "10 × 10", "D = 784", "experiment tiny", "28 × 28");
        DataSources.requireDimension(spec, Split.TRAIN, train, 100, "experiment tiny");
    }
}
