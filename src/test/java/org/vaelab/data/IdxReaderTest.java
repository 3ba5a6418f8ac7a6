package org.vaelab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** 3 images of 2 rows × 4 cols covering 0, 255 and values above 127 (which are negative as Java bytes). */
    static final byte[] PIXELS = new byte[3 * 2 * 4];
    static final int[] LABELS = {7, 0, 9};

    static {
        for (int i = 0; i < PIXELS.length; i++) PIXELS[i] = (byte) (i * 11);
        PIXELS[5] = (byte) 255;
    }

    static byte[] imagesIdx(int magic, int n, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(n).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    static byte[] labelsIdx(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int y : labels) b.put((byte) y);
        return b.array();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTrip(boolean gzipped) throws IOException {
        byte[] images = imagesIdx(IdxReader.IMAGES_MAGIC, 3, 2, 4, PIXELS);
        byte[] labels = labelsIdx(LABELS);
        Path imagesFile = write("images.idx", gzipped ? gzip(images) : images);
        Path labelsFile = write("labels.idx", gzipped ? gzip(labels) : labels);

        IdxReader.Images img = IdxReader.readImages(imagesFile);
        assertEquals(3, img.count());
        assertEquals(2, img.rows());
        assertEquals(4, img.cols());
        assertArrayEquals(PIXELS, img.pixels());
        assertArrayEquals(LABELS, IdxReader.readLabels(labelsFile));

        float[] unit = img.toUnitFloats();
        for (int i = 0; i < unit.length; i++) assertEquals((PIXELS[i] & 0xFF) / 255f, unit[i]);
        assertEquals(1f, unit[5]);
        assertEquals(0f, unit[0]);
    }

    @Test
    void concatenatedGzipMembersReadAsOneFile() throws IOException {
        // gunzip accepts `cat a.gz b.gz`; the reader must too, although the last trailer then gives only
        // the second member's size.
        byte[] images = imagesIdx(IdxReader.IMAGES_MAGIC, 3, 2, 4, PIXELS);
        byte[] a = gzip(Arrays.copyOfRange(images, 0, 10));
        byte[] b = gzip(Arrays.copyOfRange(images, 10, images.length));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertArrayEquals(PIXELS, IdxReader.readImages(write("two-members.gz", both)).pixels());
    }

    @Test
    void wrongMagicNamesFileAndKind() throws IOException {
        Path labelsFile = write("labels.gz", gzip(labelsIdx(LABELS)));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(labelsFile));
        assertTrue(e.getMessage().contains(labelsFile.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("labels file"), e.getMessage());

        Path text = write("notes.txt", "hello, this is not IDX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        DataException e2 = assertThrows(DataException.class, () -> IdxReader.readLabels(text));
        assertTrue(e2.getMessage().contains("not an IDX file"), e2.getMessage());
    }

    @Test
    void truncatedBodyIsReported() throws IOException {
        byte[] images = imagesIdx(IdxReader.IMAGES_MAGIC, 3, 2, 4, PIXELS);
        Path file = write("short.idx", Arrays.copyOf(images, images.length - 5));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("3 × 2 × 4"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = gzip(imagesIdx(IdxReader.IMAGES_MAGIC, 3, 2, 4, PIXELS));
        Path file = write("short.gz", Arrays.copyOf(gz, gz.length / 2));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated gzip"), e.getMessage());
    }

    @Test
    void shortHeaderAndTrailingBytesAreReported() throws IOException {
        Path empty = write("empty.idx", new byte[0]);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(empty));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("header"), e.getMessage());

        byte[] labels = labelsIdx(LABELS);
        Path extra = write("extra.idx", Arrays.copyOf(labels, labels.length + 2));
        DataException e2 = assertThrows(DataException.class, () -> IdxReader.readLabels(extra));
        assertTrue(e2.getMessage().contains("2 unexpected bytes"), e2.getMessage());
    }

    @Test
    void invalidDimensionsAndMissingFileAreReported() throws IOException {
        Path zeroRows = write("zero.idx", imagesIdx(IdxReader.IMAGES_MAGIC, 3, 0, 4, new byte[0]));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(zeroRows));
        assertTrue(e.getMessage().contains("invalid IDX dimensions"), e.getMessage());

        Path missing = dir.resolve("nope.idx");
        DataException e2 = assertThrows(DataException.class, () -> IdxReader.readImages(missing));
        assertTrue(e2.getMessage().contains(missing.toString()), e2.getMessage());
    }
}
