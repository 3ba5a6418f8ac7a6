package org.vaelab.export;

import java.io.IOException;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A reader of {@code .npz} files written for the tests from NumPy's format description alone, sharing no code
 * with {@link Npz}: it checks the magic, the version, the header's dict and its 64-byte alignment, and returns
 * each array's shape and float32 values.
 */
final class NpyTestReader {

    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '([^']*)', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), \\} *\n");

    /** Shape and row-major values of one array. */
    record Read(int[] shape, float[] values, ZipEntry entry) {
        float at(int r, int c) {
            return values[r * shape[1] + c];
        }
    }

    private NpyTestReader() {
    }

    /** Every array of the archive, in zip order, keyed by entry name without {@code .npy}. */
    static Map<String, Read> read(Path npz) throws IOException {
        Map<String, Read> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (!e.getName().endsWith(".npy")) throw new AssertionError("not an .npy entry: " + e.getName());
                byte[] bytes;
                try (var in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                out.put(e.getName().substring(0, e.getName().length() - 4), parse(bytes, e));
            }
        }
        return out;
    }

    private static Read parse(byte[] b, ZipEntry e) {
        String name = e.getName();
        if (!(b[0] == (byte) 0x93 && new String(b, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")))
            throw new AssertionError(name + ": bad magic");
        if (b[6] != 1 || b[7] != 0) throw new AssertionError(name + ": version " + b[6] + "." + b[7] + ", expected 1.0");
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        int dataStart = 10 + headerLen;
        if (dataStart % 64 != 0) throw new AssertionError(name + ": data starts at " + dataStart + ", not 64-aligned");
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) throw new AssertionError(name + ": unexpected header " + header);
        if (!m.group(1).equals("<f4")) throw new AssertionError(name + ": descr " + m.group(1));
        if (!m.group(2).equals("False")) throw new AssertionError(name + ": Fortran order");
        String dims = m.group(3).trim();
        int[] shape = dims.isEmpty() ? new int[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        if (shape.length == 1 && !dims.endsWith(",")) throw new AssertionError(name + ": 1-D shape needs a trailing comma");
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        if (b.length - dataStart != 4 * n)
            throw new AssertionError(name + ": " + (b.length - dataStart) + " data bytes for shape " + Arrays.toString(shape));
        float[] values = new float[n];
        ByteBuffer.wrap(b, dataStart, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new Read(shape, values, e);
    }
}
