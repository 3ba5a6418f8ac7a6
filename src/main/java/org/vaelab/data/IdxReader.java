package org.vaelab.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of LeCun's MNIST distribution: unsigned-byte images (magic {@code 0x00000803},
 * dimensions count × rows × cols) and unsigned-byte labels (magic {@code 0x00000801}, dimension count).
 * All integers are big-endian. Files may be gzip-compressed or plain; gzip is recognised by its magic bytes
 * {@code 1f 8b}, not by the file name, so a renamed file still reads.
 *
 * <p>The whole file is read into memory and decompressed in one pass: the datasets vaelab uses are at most
 * 47 MB uncompressed, and a single {@code readAllBytes} is several times faster than reading through a
 * {@code DataInputStream} byte by byte (60,000 Fashion-MNIST images decode in a few hundred milliseconds).
 *
 * <p>The header is checked against the data that follows: a wrong magic number, non-positive dimensions, a
 * truncated body or unexpected trailing bytes all raise a {@link DataException} naming the file. Trailing
 * bytes are an error rather than ignored because they mean the header and the body disagree, so one of
 * them is wrong.
 *
 * <p>{@link #parseImages(byte[], String)} and {@link #parseLabels(byte[], String)} take bytes already in
 * memory, so a caller that hashes a file (see {@link DataSources}) reads it from disk only once.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes in 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes in 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final String REMEDY = "Restore or re-download the file.";
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;
    // The largest array most JVMs allocate (ArraysSupport.SOFT_MAX_ARRAY_LENGTH).
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final float[] UNIT = new float[256];

    static {
        // Division once per grey level instead of once per pixel; also fixes the exact float used for b/255.
        for (int b = 0; b < 256; b++) UNIT[b] = b / 255f;
    }

    private IdxReader() {
    }

    /**
     * Images as stored: {@code count} images of {@code rows × cols} unsigned bytes, row-major, image after image.
     *
     * @param count  number of images
     * @param rows   image height
     * @param cols   image width
     * @param pixels {@code count·rows·cols} grey levels 0..255 (read with {@code & 0xFF})
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public Images {
            if ((long) count * rows * cols != pixels.length)
                throw new IllegalArgumentException("pixels must have count*rows*cols = " + (long) count * rows * cols
                        + " entries, got " + pixels.length);
        }

        /** Grey levels scaled to [0, 1] as {@code byte / 255f}, in the same order. */
        public float[] toUnitFloats() {
            float[] out = new float[pixels.length];
            for (int i = 0; i < out.length; i++) out[i] = UNIT[pixels[i] & 0xFF];
            return out;
        }
    }

    /** Reads an IDX image file (gzip or plain). */
    public static Images readImages(Path file) {
        return parseImages(readFile(file), file.toString());
    }

    /** Reads an IDX label file (gzip or plain); labels are returned as 0..255. */
    public static int[] readLabels(Path file) {
        return parseLabels(readFile(file), file.toString());
    }

    /**
     * Parses the bytes of an IDX image file.
     *
     * @param fileBytes the file's content, gzip-compressed or plain
     * @param source    the file name, used in error messages
     */
    public static Images parseImages(byte[] fileBytes, String source) {
        ByteBuffer idx = ByteBuffer.wrap(decompress(fileBytes, source)); // big-endian by default, as IDX is
        // Magic first: a wrong kind of file is the likelier mistake than a truncated one.
        requireHeader(idx, 4, source);
        requireMagic(idx.getInt(), IMAGES_MAGIC, "images (unsigned bytes, 3 dimensions)", source);
        requireHeader(idx, IMAGES_HEADER - 4, source);
        int count = idx.getInt();
        int rows = idx.getInt();
        int cols = idx.getInt();
        if (count < 0 || rows <= 0 || cols <= 0)
            throw new DataException(source + ": invalid IDX dimensions " + Integer.toUnsignedString(count) + " × "
                    + Integer.toUnsignedString(rows) + " × " + Integer.toUnsignedString(cols)
                    + "; the header is corrupt. " + REMEDY);
        long size = (long) count * rows * cols;
        if (size > MAX_ARRAY)
            throw new DataException(source + ": " + count + " × " + rows + " × " + cols + " = " + size
                    + " pixels do not fit in one Java array; split the file.");
        requireBodyLength(idx, size, count + " × " + rows + " × " + cols + " pixel bytes", source);
        byte[] pixels = new byte[(int) size];
        idx.get(pixels);
        return new Images(count, rows, cols, pixels);
    }

    /**
     * Parses the bytes of an IDX label file.
     *
     * @param fileBytes the file's content, gzip-compressed or plain
     * @param source    the file name, used in error messages
     */
    public static int[] parseLabels(byte[] fileBytes, String source) {
        ByteBuffer idx = ByteBuffer.wrap(decompress(fileBytes, source));
        // Magic first: a wrong kind of file is the likelier mistake than a truncated one.
        requireHeader(idx, 4, source);
        requireMagic(idx.getInt(), LABELS_MAGIC, "labels (unsigned bytes, 1 dimension)", source);
        requireHeader(idx, LABELS_HEADER - 4, source);
        int count = idx.getInt();
        if (count < 0)
            throw new DataException(source + ": invalid IDX label count " + Integer.toUnsignedString(count)
                    + "; the header is corrupt. " + REMEDY);
        requireBodyLength(idx, count, count + " label bytes", source);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = idx.get() & 0xFF;
        return labels;
    }

    private static byte[] readFile(Path file) {
        if (!Files.isRegularFile(file))
            throw new DataException(file + ": no such file. Check the path.");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e + "). Check its permissions.", e);
        }
    }

    /** The file's content, gunzipped if it starts with the gzip magic bytes {@code 1f 8b}. */
    static byte[] decompress(byte[] fileBytes, String source) {
        boolean gzip = fileBytes.length >= 4 && fileBytes[0] == (byte) 0x1f && fileBytes[1] == (byte) 0x8b;
        if (!gzip) return fileBytes;
        // The gzip trailer's last 4 bytes hold the uncompressed size mod 2^32 (RFC 1952, ISIZE). Inflating
        // straight into an array of that size saves readAllBytes' chunk copies (~20% of the load time). It is
        // only a hint: concatenated members make it too small, and a truncated file has compressed bytes there,
        // so it is capped at 8x the compressed size (IDX images compress 2-5x) to keep a garbage value from
        // allocating gigabytes. Whatever the hint, the stream decides the length.
        int n = fileBytes.length;
        long isize = ((fileBytes[n - 1] & 0xFFL) << 24) | ((fileBytes[n - 2] & 0xFF) << 16)
                | ((fileBytes[n - 3] & 0xFF) << 8) | (fileBytes[n - 4] & 0xFF);
        int hint = (int) Math.min(isize, Math.min(MAX_ARRAY, 8L * n + 65_536));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(fileBytes), 1 << 16)) {
            byte[] out = new byte[hint];
            int read = in.readNBytes(out, 0, hint);
            if (read < hint) return Arrays.copyOf(out, read);
            byte[] rest = in.readAllBytes();
            if (rest.length == 0) return out;
            byte[] all = Arrays.copyOf(out, out.length + rest.length);
            System.arraycopy(rest, 0, all, out.length, rest.length);
            return all;
        } catch (EOFException e) {
            throw new DataException(source + ": truncated gzip stream (" + e.getMessage()
                    + "); the file is incomplete, e.g. an interrupted download or copy. " + REMEDY, e);
        } catch (IOException e) {
            throw new DataException(source + ": corrupt gzip stream (" + e.getMessage() + "). " + REMEDY, e);
        }
    }

    /** Requires {@code bytes} more header bytes after the buffer's position. */
    private static void requireHeader(ByteBuffer idx, int bytes, String source) {
        if (idx.remaining() < bytes)
            throw new DataException(source + ": truncated: " + idx.limit() + " bytes (after decompression) end"
                    + " inside the IDX header. " + REMEDY);
    }

    private static void requireMagic(int found, int expected, String kind, String source) {
        if (found == expected) return;
        String hint;
        if (found == IMAGES_MAGIC) hint = "this is an IDX images file; pass the labels file here";
        else if (found == LABELS_MAGIC) hint = "this is an IDX labels file; pass the images file here";
        else if ((found >>> 16) != 0) hint = "an IDX file starts with two zero bytes, so this is not an IDX file";
        else hint = "IDX type byte 0x" + String.format("%02x", (found >>> 8) & 0xFF) + " with " + (found & 0xFF)
                    + " dimensions is not supported (only 0x08, unsigned bytes)";
        throw new DataException(String.format("%s: wrong magic number 0x%08x, expected 0x%08x for IDX %s: %s.",
                source, found, expected, kind, hint));
    }

    private static void requireBodyLength(ByteBuffer idx, long expected, String what, String source) {
        long actual = idx.remaining();
        if (actual < expected)
            throw new DataException(source + ": truncated: the header declares " + what + " (" + expected
                    + ") but only " + actual + " follow. " + REMEDY);
        if (actual > expected)
            throw new DataException(source + ": " + (actual - expected) + " unexpected bytes after the " + what
                    + " the header declares; header and data disagree, so the file is corrupt. " + REMEDY);
    }
}
