package org.vaelab.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads NumPy's {@code .npz} archive: a zip file holding one {@code NAME.npy} entry per array, as
 * {@code numpy.savez} writes it (entries stored uncompressed, so a reader may memory-map them).
 *
 * <p>Each entry is NPY format version 1.0 (numpy.lib.format): the magic {@code \x93NUMPY}, version bytes
 * {@code 1 0}, a little-endian uint16 header length, then an ASCII header such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (784, 512), }} padded with spaces and ended by a newline
 * so that the data starts at a multiple of 64 bytes, then the values as little-endian float32 in C (row-major)
 * order. A scalar has shape {@code ()}. The reader accepts what this writer and {@code numpy.savez} write for
 * float32 C-order arrays (NPY 1.0 or 2.0, stored or deflated entries) and nothing else.
 *
 * <p>{@link #readNpy(byte[], String)} reads one stand-alone {@code .npy} file as {@code numpy.save} writes it, also
 * for float64 and uint8, so that users' data sets need no conversion (see {@code org.vaelab.data.UserData}).
 */
public final class Npz {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int ALIGN = 64;
    /** Names become file names inside the zip (and Python identifiers are not required), so keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    /**
     * A float32 array: its shape and its values in row-major order. The values are not copied (they can be
     * millions of floats); do not change them while the array is in use.
     */
    public record Array(int[] shape, float[] data) {
        public Array {
            long n = 1;
            for (int s : shape) {
                if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                n *= s;
            }
            if (n != data.length)
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                        + data.length);
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** A 0-dimensional array (shape {@code ()}) holding one value. */
        public static Array scalar(float v) {
            return new Array(new int[0], new float[] {v});
        }
    }

    private Npz() {
    }

    /**
     * Writes the arrays, in the map's order, as an {@code .npz} archive to {@code out} (which is not closed).
     *
     * @throws IllegalArgumentException if a name is empty or holds characters other than letters, digits,
     *                                  {@code _ . -}
     */
    public static void write(Map<String, Array> arrays, OutputStream out) throws IOException {
        Map<String, Array> copy = new LinkedHashMap<>(arrays);
        for (String name : copy.keySet())
            if (!NAME.matcher(name).matches())
                throw new IllegalArgumentException("array name '" + name + "' must match " + NAME.pattern());
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, Array> e : copy.entrySet()) {
            byte[] npy = npy(e.getValue());
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(npy.length);
            entry.setCompressedSize(npy.length);
            CRC32 crc = new CRC32();
            crc.update(npy);
            entry.setCrc(crc.getValue());
            // A fixed time keeps equal models byte-identical (the zip would otherwise record the write time).
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(npy);
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * Reads every array of an {@code .npz} archive, in archive order, keyed by entry name without {@code .npy}.
     *
     * @throws IOException naming {@code file} and the entry if the file is not a zip of float32 C-order NPY arrays
     */
    public static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                String name = e.getName();
                if (!name.endsWith(".npy"))
                    throw new IOException(file + ": entry '" + name + "' is not an .npy array; not a model archive");
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                out.put(name.substring(0, name.length() - 4), parseNpy(bytes, file + " entry " + name));
            }
        } catch (ZipException e) {
            throw new IOException(file + " is not an .npz (zip) archive: " + e.getMessage()
                    + "; re-export the model or retrain the run", e);
        }
        return out;
    }

    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr':\\s*'([^']*)',\\s*'fortran_order':\\s*(True|False),\\s*'shape':\\s*\\(([0-9, ]*)\\),?\\s*\\}\\s*");

    /** One NPY array; {@code where} names the file and entry in errors. Model archives hold float32 only. */
    static Array parseNpy(byte[] b, String where) throws IOException {
        return parseNpy(b, where, false);
    }

    /**
     * One stand-alone {@code .npy} array as {@code numpy.save} writes it (NPY 1.0 or 2.0, C order), of dtype float32
     * ({@code <f4}), float64 ({@code <f8}, narrowed to float) or uint8 ({@code |u1}, values 0…255 as floats, not
     * scaled). Other dtypes, big-endian and Fortran-order arrays are refused.
     *
     * @param bytes the file's content
     * @param where the file, for error messages
     * @throws IOException naming {@code where} and what is wrong (magic, header, dtype, order, length)
     */
    public static Array readNpy(byte[] bytes, String where) throws IOException {
        return parseNpy(bytes, where, true);
    }

    private static Array parseNpy(byte[] b, String where, boolean anyDtype) throws IOException {
        if (b.length < 10 || b[0] != (byte) 0x93 || !new String(b, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY"))
            throw new IOException(where + ": not an NPY array (bad magic)");
        int major = b[6];
        int headerLen, start;
        if (major == 1) {
            headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            start = 10;
        } else if (major == 2 && b.length >= 12) {
            headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        } else {
            throw new IOException(where + ": NPY version " + major + "." + b[7] + " is not supported (1.0 or 2.0)");
        }
        if (headerLen < 0 || start + headerLen > b.length) throw new IOException(where + ": truncated NPY header");
        String header = new String(b, start, headerLen, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) throw new IOException(where + ": unreadable NPY header " + header.strip());
        String dtype = m.group(1);
        int itemSize;
        if (dtype.equals("<f4")) itemSize = 4;
        else if (anyDtype && dtype.equals("<f8")) itemSize = 8;
        else if (anyDtype && (dtype.equals("|u1") || dtype.equals("<u1") || dtype.equals(">u1"))) itemSize = 1;
        else if (anyDtype)
            throw new IOException(where + ": dtype " + dtype + " is not supported; save the array as float32 ('<f4'),"
                    + " float64 ('<f8') or uint8 ('|u1'), little-endian, e.g. np.save(path, x.astype(np.float32))");
        else throw new IOException(where + ": dtype " + dtype + ", expected float32 little-endian ('<f4')");
        if (m.group(2).equals("True"))
            throw new IOException(where + ": Fortran-order array, expected C order"
                    + (anyDtype ? " (save np.ascontiguousarray(x))" : ""));
        String dims = m.group(3).trim();
        int[] shape;
        try {
            shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).map(String::trim)
                    .filter(t -> !t.isEmpty()).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IOException(where + ": bad shape (" + dims + ")", e);
        }
        long n = 1;
        for (int s : shape) n *= s;
        int dataStart = start + headerLen;
        if (n > Integer.MAX_VALUE - 8)
            throw new IOException(where + ": shape " + Arrays.toString(shape) + " has " + n
                    + " values, more than one Java array holds; split the file");
        if (b.length - dataStart != itemSize * n)
            throw new IOException(where + ": " + (b.length - dataStart) + " data bytes for shape " + Arrays.toString(shape)
                    + " (expected " + itemSize * n + ")");
        float[] values = new float[(int) n];
        ByteBuffer data = ByteBuffer.wrap(b, dataStart, itemSize * (int) n).order(ByteOrder.LITTLE_ENDIAN);
        switch (itemSize) {
            case 4 -> data.asFloatBuffer().get(values);
            case 8 -> {
                var doubles = data.asDoubleBuffer();
                for (int i = 0; i < values.length; i++) values[i] = (float) doubles.get(i);
            }
            default -> {
                for (int i = 0; i < values.length; i++) values[i] = b[dataStart + i] & 0xFF;
            }
        }
        return new Array(shape, values);
    }

    /** One array in NPY format 1.0. */
    static byte[] npy(Array a) {
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        int[] shape = a.shape();
        for (int i = 0; i < shape.length; i++) header.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) header.append(',');
        header.append("), }");
        // magic (6) + version (2) + header length (2) + header + padding + '\n' ≡ 0 (mod 64)
        int unpadded = MAGIC.length + 2 + header.length() + 1;
        header.append(" ".repeat((ALIGN - unpadded % ALIGN) % ALIGN)).append('\n');
        byte[] text = header.toString().getBytes(StandardCharsets.US_ASCII);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAGIC.length + 2 + text.length + 4 * a.data().length);
        bytes.writeBytes(MAGIC);
        bytes.write(text.length & 0xFF);
        bytes.write(text.length >>> 8);
        bytes.writeBytes(text);
        ByteBuffer values = ByteBuffer.allocate(4 * a.data().length).order(ByteOrder.LITTLE_ENDIAN);
        values.asFloatBuffer().put(a.data());
        bytes.writeBytes(values.array());
        return bytes.toByteArray();
    }
}
