package org.vaelab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vaelab.export.Npz;

/**
 * A user's own data set, named by a spec that {@code -Dvaelab.dataset=SPEC} (or an experiment's
 * {@code DataConfig.dataset}) carries in place of a built-in name:
 * <ul>
 *   <li>{@code npy:TRAIN.npy[,TEST.npy]}: NumPy arrays as {@code numpy.save} writes them, dtype float32, float64 or
 *       uint8, C order, shape n × D (one row per example) or n × H × W (images);</li>
 *   <li>{@code idx:FOLDER}: the four IDX files of an MNIST-style distribution,
 *       {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, gzip-compressed or not ({@code test-} for
 *       {@code t10k-} and {@code .idx3-ubyte} for {@code -idx3-ubyte} are accepted too);</li>
 *   <li>{@code csv:TRAIN.csv[,TEST.csv]}: one example per line, D numbers separated by commas; the first line is a
 *       header, and skipped, if any of its fields is not a number. Empty lines are skipped.</li>
 * </ul>
 * Paths may be relative (to the working directory) and may not contain commas.
 *
 * <p><b>Values.</b> IDX files hold grey bytes, used as {@code byte / 255}, as for the built-in sets. For npy and
 * csv, one rule per file: if every value lies in [0, 1] the values are used as they are; otherwise, if every value is
 * a whole number from 0 to 255 (8-bit grey levels, whatever the dtype), every value is divided by 255; anything else
 * (negative values, fractions above 1, values above 255, NaN or infinities) is refused with a {@link DataException}
 * naming the file, the row and column of the first offending value and how to rescale.
 *
 * <p><b>Split.</b> With a test file, the train file is {@link Split#TRAIN} and the test file {@link Split#TEST}.
 * Without one, the <em>last</em> ⌊n/10⌋ rows of the file in file order are held out as {@link Split#TEST} and the
 * first n − ⌊n/10⌋ are {@link Split#TRAIN}; a file with fewer than 10 rows is refused. The split is positional, not
 * random, so anyone can reproduce it ({@code x[:n - n//10], x[n - n//10:]}); shuffle a file sorted by class once, or
 * give a test file.
 *
 * <p><b>Identity.</b> A part's {@link ImageDataset#sha256()} is the SHA-256 of the file it came from (what
 * {@code sha256sum FILE} prints); for IDX, {@link Checksums#combine} of its images and labels files, as for the
 * built-in sets. It enters provenance and the run key, so changed bytes make new runs. Its name is the spec followed by
 * {@code /train} or {@code /test}. There are no labels in npy and csv files: every label is 0.
 */
public final class UserData {

    /** The formats of a spec, by their prefix. */
    public enum Format {
        /** {@code npy:TRAIN[,TEST]}. */
        NPY,
        /** {@code idx:FOLDER}. */
        IDX,
        /** {@code csv:TRAIN[,TEST]}. */
        CSV;

        /** The spec prefix without the colon, e.g. {@code npy}. */
        public String prefix() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Without a test file, 1/{@value} of the rows (the last ones) are held out for testing. */
    public static final int HOLDOUT_DIVISOR = 10;

    /** The accepted syntax, for messages. */
    public static final String SYNTAX = "npy:TRAIN.npy[,TEST.npy], idx:FOLDER or csv:TRAIN.csv[,TEST.csv]";

    private static final Pattern IDX_NAME = Pattern.compile(
            "(train|t10k|test)-(images|labels)[-.]idx([13])-ubyte(\\.gz)?");

    private UserData() {
    }

    /**
     * A parsed spec.
     *
     * @param format the file format
     * @param train  the training file (npy, csv) or the folder (idx)
     * @param test   the test file, or null to hold out the last rows of {@code train} (always null for idx)
     * @param text   the spec as given, trimmed: the data set's name in configs and reports
     */
    public record Spec(Format format, Path train, Path test, String text) {

        /**
         * Parses {@code npy:TRAIN[,TEST]}, {@code idx:FOLDER} or {@code csv:TRAIN[,TEST]}. Only the syntax is checked
         * here; whether the files exist is checked when they are loaded.
         *
         * @throws IllegalArgumentException naming the spec and the accepted syntax
         */
        public static Spec parse(String spec) {
            String text = spec == null ? "" : spec.strip();
            int colon = text.indexOf(':');
            String prefix = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
            Format format = Arrays.stream(Format.values()).filter(f -> f.prefix().equals(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a data spec: expected "
                            + SYNTAX));
            String rest = text.substring(colon + 1);
            String[] parts = rest.split(",", -1);
            int max = format == Format.IDX ? 1 : 2;
            if (parts.length > max || Arrays.stream(parts).anyMatch(String::isBlank))
                throw new IllegalArgumentException("'" + text + "' is not a valid " + prefix + " spec: expected "
                        + (format == Format.IDX ? "idx:FOLDER (one folder holding the four IDX files)"
                        : prefix + ":TRAIN." + prefix + " or " + prefix + ":TRAIN." + prefix + ",TEST." + prefix
                        + " (paths without commas)"));
            try {
                return new Spec(format, Path.of(parts[0].strip()), parts.length == 2 ? Path.of(parts[1].strip()) : null,
                        text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' names an invalid path: " + e.getMessage(), e);
            }
        }
    }

    /** Whether a data set name is a user data spec (it has a format prefix such as {@code npy:}) rather than a name. */
    public static boolean isSpec(String dataset) {
        return dataset != null && dataset.indexOf(':') > 0;
    }

    /** The file (or, for idx, the folder) the given part of a spec comes from. */
    public static Path fileOf(String spec, Split split) {
        Spec s = Spec.parse(spec);
        return split == Split.TEST && s.test() != null ? s.test() : s.train();
    }

    /**
     * Loads one part of the data set a spec names.
     *
     * @throws IllegalArgumentException if the spec is malformed
     * @throws DataException            naming the file and the fix, if a file is missing, unreadable, malformed, of
     *                                  an unsupported shape or dtype, or holds values outside the rule above
     */
    public static ImageDataset load(String spec, Split split) {
        Spec s = Spec.parse(spec);
        String name = s.text() + "/" + split.label();
        if (s.format() == Format.IDX) return loadIdx(s, split, name);
        boolean separateTest = s.test() != null;
        Path file = split == Split.TEST && separateTest ? s.test() : s.train();
        byte[] bytes = read(file, s);
        Table t = s.format() == Format.NPY ? npy(bytes, file) : csv(bytes, file);
        toUnit(t.values, t.dim(), file);
        int from = 0, to = t.n;
        if (!separateTest) {
            int held = t.n / HOLDOUT_DIVISOR;
            if (held < 1)
                throw new DataException(file + " has " + t.n + " rows; holding out the last 1/" + HOLDOUT_DIVISOR
                        + " for testing needs at least " + HOLDOUT_DIVISOR + ". Add rows, or give a test file: "
                        + s.format().prefix() + ":" + s.train() + ",TEST." + s.format().prefix());
            if (split == Split.TRAIN) to = t.n - held;
            else from = t.n - held;
        }
        int n = to - from, dim = t.dim();
        float[] pixels = from == 0 && to == t.n ? t.values
                : Arrays.copyOfRange(t.values, from * dim, to * dim);
        return new ImageDataset(name, pixels, n, t.width, t.height, new int[n], Checksums.sha256(bytes));
    }

    /** Values read from a file: n rows of height × width. */
    private record Table(float[] values, int n, int height, int width) {
        int dim() {
            return height * width;
        }
    }

    private static byte[] read(Path file, Spec s) {
        if (!Files.isRegularFile(file))
            throw new DataException(file.toAbsolutePath() + " does not exist or is not a file (" + s.format().prefix()
                    + " data of -Dvaelab.dataset=" + s.text() + "). Check the path (relative paths start at the"
                    + " working directory, " + Path.of("").toAbsolutePath() + ").");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + " cannot be read (" + e + "). Check its permissions.", e);
        }
    }

    private static Table npy(byte[] bytes, Path file) {
        Npz.Array a;
        try {
            a = Npz.readNpy(bytes, file.toString());
        } catch (IOException e) {
            throw new DataException(e.getMessage() + ". Write the file with numpy.save (float32, float64 or uint8,"
                    + " C order).", e);
        }
        int[] shape = a.shape();
        if (shape.length == 2) return table(a.data(), shape[0], shape[1], file, Arrays.toString(shape));
        if (shape.length == 3 && shape[1] > 0 && shape[2] > 0)
            return new Table(a.data(), nonEmpty(shape[0], file), shape[1], shape[2]);
        throw new DataException(file + " holds an array of shape " + Arrays.toString(shape) + "; expected n × D (one"
                + " example per row) or n × H × W (images). Reshape it, e.g. np.save(path, x.reshape(len(x), -1)).");
    }

    /** n rows of D values; D that is a square is read as square images (for sample pictures), else as 1 × D. */
    private static Table table(float[] values, int n, int dim, Path file, String shape) {
        nonEmpty(n, file);
        if (dim < 1) throw new DataException(file + " has shape " + shape + ": no values per example.");
        int side = (int) Math.round(Math.sqrt(dim));
        return side * side == dim ? new Table(values, n, side, side) : new Table(values, n, 1, dim);
    }

    private static int nonEmpty(int n, Path file) {
        if (n < 1) throw new DataException(file + " holds no examples (0 rows); give a file with data.");
        return n;
    }

    private static Table csv(byte[] bytes, Path file) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark, as spreadsheet programs write
        float[] values = new float[1024];
        int size = 0, rows = 0, dim = -1, lineNo = 0;
        boolean first = true;
        for (Iterator<String> it = text.lines().iterator(); it.hasNext(); ) {
            String line = it.next();
            lineNo++;
            if (line.isBlank()) continue;
            String[] fields = line.split(",", -1);
            if (first) {
                first = false;
                if (!allNumbers(fields)) continue; // the header: only the first line may be one
            }
            if (dim < 0) dim = fields.length;
            else if (fields.length != dim)
                throw new DataException(file + ", line " + lineNo + ": " + fields.length + " values, but the first data"
                        + " row has " + dim + "; every row must hold one example of the same length.");
            if (size + dim > values.length) {
                long grown = Math.max((long) values.length * 2, (long) size + dim);
                if (grown > Integer.MAX_VALUE - 8)
                    throw new DataException(file + " holds more values than one Java array can; split the file.");
                values = Arrays.copyOf(values, (int) grown);
            }
            for (int c = 0; c < dim; c++) {
                try {
                    values[size + c] = Float.parseFloat(fields[c].strip());
                } catch (NumberFormatException e) {
                    throw new DataException(file + ", line " + lineNo + ", column " + (c + 1) + ": '" + fields[c]
                            + "' is not a number. A CSV data set holds one example per line, numbers only, with at most"
                            + " one header line first.");
                }
            }
            size += dim;
            rows++;
        }
        if (rows == 0) throw new DataException(file + " holds no data rows; give a file with one example per line.");
        return table(Arrays.copyOf(values, size), rows, dim, file, rows + " × " + dim);
    }

    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            try {
                Float.parseFloat(f.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value rule: [0, 1] as is, else whole numbers 0–255 divided by 255, else an error. In place.
     */
    static void toUnit(float[] v, int dim, Path file) {
        boolean unit = true;
        for (float x : v) {
            if (!(x >= 0f && x <= 1f)) { // also false for NaN
                unit = false;
                break;
            }
        }
        if (unit) return;
        int out = -1, above = -1, fraction = -1;
        for (int i = 0; i < v.length && out < 0; i++) {
            float x = v[i];
            if (!(x >= 0f && x <= 255f)) out = i; // also NaN and the infinities
            else if (above < 0 && x > 1f) above = i;
            else if (fraction < 0 && x != Math.rint(x)) fraction = i;
        }
        String rule = " vaelab uses values in [0, 1] as they are and divides whole numbers 0–255 (grey levels) by 255;"
                + " rescale the data to [0, 1] (e.g. (x - x.min()) / (x.max() - x.min())) and save it again.";
        if (out >= 0)
            throw new DataException(file + ": value " + v[out] + " at " + at(out, dim) + " is outside [0, 1] and"
                    + " outside 0–255." + rule);
        if (fraction >= 0)
            throw new DataException(file + ": value " + v[above] + " at " + at(above, dim) + " is above 1, so the"
                    + " values are not in [0, 1], but value " + v[fraction] + " at " + at(fraction, dim) + " is not a"
                    + " whole number, so they are not grey levels 0–255 either." + rule);
        for (int i = 0; i < v.length; i++) v[i] = v[i] / 255f; // the same floats as the IDX loader's byte / 255f
    }

    /** "row r, column c" (1-based) of a flat index. */
    private static String at(int i, int dim) {
        return "row " + (i / dim + 1) + ", column " + (i % dim + 1);
    }

    private static ImageDataset loadIdx(Spec s, Split split, String name) {
        Path dir = s.train();
        if (!Files.isDirectory(dir))
            throw new DataException(dir.toAbsolutePath() + " is not a folder (-Dvaelab.dataset=" + s.text() + "). idx:"
                    + " takes a folder holding the four IDX files {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz].");
        String prefix = split == Split.TRAIN ? "train" : "test";
        Path images = idxFile(dir, prefix, "images", s);
        Path labels = idxFile(dir, prefix, "labels", s);
        byte[] imageBytes = read(images, s);
        byte[] labelBytes = read(labels, s);
        IdxReader.Images img = IdxReader.parseImages(imageBytes, images.toString());
        int[] lab = IdxReader.parseLabels(labelBytes, labels.toString());
        if (lab.length != img.count())
            throw new DataException(labels + " has " + lab.length + " labels but " + images + " has " + img.count()
                    + " images; the two files do not belong together.");
        return new ImageDataset(name, img.toUnitFloats(), img.count(), img.cols(), img.rows(), lab,
                Checksums.combine(Checksums.sha256(imageBytes), Checksums.sha256(labelBytes)));
    }

    /** The one file of the folder for a role, e.g. test images: {@code t10k-images-idx3-ubyte.gz}. */
    private static Path idxFile(Path dir, String split, String kind, Spec s) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = IDX_NAME.matcher(f.getFileName().toString());
                if (!m.matches() || !m.group(2).equals(kind)) continue;
                boolean isTest = !m.group(1).equals("train");
                if (isTest == split.equals("test")) found.add(f);
            }
        } catch (IOException e) {
            throw new DataException(dir + " cannot be listed (" + e + "). Check its permissions.", e);
        }
        String expected = (split.equals("train") ? "train" : "t10k") + "-" + kind + "-idx"
                + (kind.equals("images") ? 3 : 1) + "-ubyte[.gz]";
        if (found.isEmpty())
            throw new DataException(dir.toAbsolutePath() + " has no " + expected + " (-Dvaelab.dataset=" + s.text()
                    + "). idx: takes a folder holding the four files {train,t10k}-{images-idx3,labels-idx1}-ubyte,"
                    + " gzip-compressed or not.");
        if (found.size() > 1) {
            found.sort(null);
            throw new DataException(dir.toAbsolutePath() + " has " + found.size() + " files for " + expected + ": "
                    + found.stream().map(p -> p.getFileName().toString()).toList() + "; keep one.");
        }
        return found.get(0);
    }
}
