package org.vaelab.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.model.Activation;
import org.vaelab.model.Likelihood;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;

/**
 * {@code model.npz} read back by {@link NpyTestReader}, which shares no code with the writer, gives the engine's
 * forward pass when the layers are applied as documented ({@code h = x @ W + b}).
 */
class ModelExportTest {

    private static final VaeArchitecture BERNOULLI = VaeArchitecture.bernoulli(12, List.of(7, 5), 3, Activation.RELU);
    /** Encoder and decoder of different depth and widths, so a mix-up of the two lists shows. */
    private static final VaeArchitecture GAUSSIAN = new VaeArchitecture(12, List.of(6), 3, List.of(4, 8), Activation.TANH,
            Likelihood.GAUSSIAN, 0.3);

    @Test
    void bernoulliForwardPassFromFileMatchesEngine(@TempDir Path dir) throws IOException {
        checkForwardPass(BERNOULLI, dir);
    }

    @Test
    void gaussianForwardPassFromFileMatchesEngine(@TempDir Path dir) throws IOException {
        checkForwardPass(GAUSSIAN, dir);
    }

    private static void checkForwardPass(VaeArchitecture arch, Path dir) throws IOException {
        try (NativeMlpEngine engine = randomEngine(arch, 5)) {
            Path file = dir.resolve("model.npz");
            ModelExport.writeNpz(engine, file);
            Map<String, NpyTestReader.Read> a = NpyTestReader.read(file);

            Random rng = new Random(11);
            int n = 9, d = arch.latentDim(), dim = arch.inputDim();
            double[][] x = new double[n][dim];
            for (double[] row : x) for (int p = 0; p < dim; p++) row[p] = rng.nextDouble();
            double[][] h = x;
            for (int i = 0; i < arch.encoderHidden().size(); i++) h = hidden(h, a, "enc." + i, arch.activation());
            double[][] mu = affine(h, a.get("enc.mu.W"), a.get("enc.mu.b"));
            double[][] logvar = affine(h, a.get("enc.logvar.W"), a.get("enc.logvar.b"));

            Posterior q = engine.encode(Nd4j.createFromArray(x).castTo(DataType.FLOAT));
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) {
                    assertEquals(q.mu(i, j), mu[i][j], 1e-5, "mu[" + i + "," + j + "]");
                    assertEquals(q.logvar(i, j), logvar[i][j], 1e-5, "logvar[" + i + "," + j + "]");
                }

            double[][] z = new double[n][d];
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i][j] = mu[i][j] + Math.exp(0.5 * logvar[i][j]) * rng.nextGaussian();
            h = z;
            for (int i = 0; i < arch.decoderHidden().size(); i++) h = hidden(h, a, "dec." + i, arch.activation());
            double[][] logits = affine(h, a.get("dec.out.W"), a.get("dec.out.b"));
            INDArray mean = engine.decode(Nd4j.createFromArray(z).castTo(DataType.FLOAT));
            for (int i = 0; i < n; i++)
                for (int p = 0; p < dim; p++)
                    assertEquals(mean.getDouble(i, p), 1 / (1 + Math.exp(-logits[i][p])), 1e-5, "mean[" + i + "," + p + "]");

            if (arch.likelihood() == Likelihood.GAUSSIAN) {
                assertEquals(0, a.get("dec.log_sigma").shape().length, "log sigma is a scalar");
                assertEquals(Math.log(0.3), a.get("dec.log_sigma").values()[0], 1e-7);
            }
        }
    }

    @Test
    void namesShapesAndFormatAreAsDocumented(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.npz");
        try (NativeMlpEngine engine = randomEngine(GAUSSIAN, 1)) {
            ModelExport.writeNpz(engine, file);
        }
        Map<String, NpyTestReader.Read> a = NpyTestReader.read(file);
        assertEquals(List.of("enc.0.W", "enc.0.b", "enc.mu.W", "enc.mu.b", "enc.logvar.W", "enc.logvar.b",
                "dec.0.W", "dec.0.b", "dec.1.W", "dec.1.b", "dec.out.W", "dec.out.b", "dec.log_sigma"), new ArrayList<>(a.keySet()));
        int[][] shapes = {{12, 6}, {6}, {6, 3}, {3}, {6, 3}, {3}, {3, 4}, {4}, {4, 8}, {8}, {8, 12}, {12}, {}};
        int k = 0;
        for (NpyTestReader.Read r : a.values()) {
            assertArrayEquals(shapes[k++], r.shape());
            assertEquals(ZipEntry.STORED, r.entry().getMethod(), "stored uncompressed, as numpy.savez does");
        }

        try (NativeMlpEngine engine = randomEngine(BERNOULLI, 1)) {
            ModelExport.writeNpz(engine, file);
        }
        a = NpyTestReader.read(file);
        assertFalse(a.containsKey("dec.log_sigma"), "a Bernoulli decoder has no sigma");
        assertEquals(14, a.size());
    }

    /** The engine's one [μ | log σ²] layer of 2d columns becomes two heads: μ the first d columns, log σ² the last d. */
    @Test
    void headIsSplitByColumns(@TempDir Path dir) throws IOException {
        try (NativeMlpEngine engine = randomEngine(BERNOULLI, 3)) {
            var head = engine.snapshot().encoder().get(2);
            Path file = dir.resolve("m.npz");
            ModelExport.writeNpz(engine, file);
            Map<String, NpyTestReader.Read> a = NpyTestReader.read(file);
            for (int r = 0; r < 5; r++)
                for (int j = 0; j < 3; j++) {
                    assertEquals(head.w()[r * 6 + j], a.get("enc.mu.W").at(r, j));
                    assertEquals(head.w()[r * 6 + 3 + j], a.get("enc.logvar.W").at(r, j));
                }
            for (int j = 0; j < 3; j++) {
                assertEquals(head.b()[j], a.get("enc.mu.b").values()[j]);
                assertEquals(head.b()[3 + j], a.get("enc.logvar.b").values()[j]);
            }
        }
    }

    @Test
    void rewriteReplacesTheFileLeavesNoTemporaryFileAndIsWorldReadable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.npz");
        try (NativeMlpEngine a = randomEngine(BERNOULLI, 1); NativeMlpEngine b = randomEngine(BERNOULLI, 2)) {
            ModelExport.writeNpz(a, file);
            ModelExport.writeNpz(b, file);
            assertArrayEquals(b.snapshot().decoder().get(0).w(), NpyTestReader.read(file).get("dec.0.W").values());
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
        if (Files.getFileStore(file).supportsFileAttributeView("posix"))
            assertTrue(Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                    "readable by everyone, like the run's other files");
    }

    @Test
    void equalModelsGiveIdenticalBytes(@TempDir Path dir) throws IOException {
        try (NativeMlpEngine engine = randomEngine(BERNOULLI, 4)) {
            ModelExport.writeNpz(engine, dir.resolve("a.npz"));
            ModelExport.writeNpz(engine, dir.resolve("b.npz"));
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.npz")), Files.readAllBytes(dir.resolve("b.npz")));
    }

    @Test
    void npyHeaderIsPaddedTo64Bytes() {
        for (int[] shape : new int[][] {{}, {3}, {784, 512}, {123456, 1}}) {
            int n = 1;
            for (int s : shape) n *= s;
            byte[] npy = Npz.npy(new Npz.Array(shape, new float[n]));
            int headerLen = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLen) % 64, "shape " + java.util.Arrays.toString(shape));
            assertEquals('\n', npy[10 + headerLen - 1]);
            assertEquals(10 + headerLen + 4 * n, npy.length);
        }
    }

    @Test
    void badNamesAndShapesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Npz.write(Map.of("enc/0.W", Npz.Array.scalar(1)), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("enc/0.W"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Npz.Array(new int[] {2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("[2, 3] needs 6 values, got 5"), e.getMessage());
    }

    /** An engine whose weights and biases are all non-zero (a fresh engine has zero biases, which would hide a bias mix-up). */
    private static NativeMlpEngine randomEngine(VaeArchitecture arch, long seed) {
        NativeMlpEngine engine = new NativeMlpEngine(arch, 4, 1e-3, seed, DataType.FLOAT);
        Random rng = new Random(seed);
        INDArray p = engine.parameters();
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.4 * rng.nextGaussian());
        p.assign(Nd4j.createFromArray(v));
        return engine;
    }

    private static double[][] hidden(double[][] x, Map<String, NpyTestReader.Read> a, String layer, Activation act) {
        double[][] h = affine(x, a.get(layer + ".W"), a.get(layer + ".b"));
        for (double[] row : h)
            for (int j = 0; j < row.length; j++) row[j] = act == Activation.RELU ? Math.max(0, row[j]) : Math.tanh(row[j]);
        return h;
    }

    /** x @ W + b in double precision. */
    private static double[][] affine(double[][] x, NpyTestReader.Read w, NpyTestReader.Read b) {
        int in = w.shape()[0], out = w.shape()[1];
        assertEquals(in, x[0].length, "W rows must match the input width");
        assertEquals(out, b.shape()[0], "b must match W's columns");
        double[][] h = new double[x.length][out];
        for (int i = 0; i < x.length; i++)
            for (int c = 0; c < out; c++) {
                double s = b.values()[c];
                for (int r = 0; r < in; r++) s += x[i][r] * w.at(r, c);
                h[i][c] = s;
            }
        return h;
    }
}
