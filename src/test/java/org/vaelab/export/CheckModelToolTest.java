package org.vaelab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.ExperimentRunner;
import org.vaelab.experiment.Overrides;
import org.vaelab.model.Activation;
import org.vaelab.model.Likelihood;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.train.DataConfig;
import org.vaelab.train.TrainConfig;
import org.vaelab.train.Trainer;
import org.vaelab.weighting.ConstantBeta;

/**
 * {@code tools/check_model.py} against the Java side: its SplittableRandom reproduces Java's, it recomputes the
 * metrics of runs that {@link ExperimentRunner} wrote, and it names the array and the expected shape when a model
 * file is bad. Skipped where no Python with NumPy is found ({@code python3}, {@code /usr/bin/python3}, or the
 * interpreter named by {@code -Dvaelab.python}).
 */
class CheckModelToolTest {

    private static final Path TOOL = Path.of("tools/check_model.py").toAbsolutePath();
    private static String python;

    @BeforeAll
    static void findPython() {
        List<String> candidates = new ArrayList<>();
        if (System.getProperty("vaelab.python") != null) candidates.add(System.getProperty("vaelab.python"));
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String p : candidates) {
            try {
                if (run(List.of(p, "-c", "import numpy")).code == 0) {
                    python = p;
                    return;
                }
            } catch (UncheckedIOException e) {
                // not installed: try the next one
            }
        }
    }

    private record Result(int code, String out) {
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Result tool(String... args) {
        List<String> cmd = new ArrayList<>(List.of(python, TOOL.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Result pythonCode(String code) {
        return run(List.of(python, "-c", "import sys; sys.path.insert(0, '" + TOOL.getParent() + "'); import check_model as c\n" + code));
    }

    /**
     * The binarised test set is a function of Java's SplittableRandom stream, so the script's re-implementation
     * must give the same floats, bit for bit (the scalar class and the vectorised one), and the same longs.
     */
    @Test
    void splittableRandomMatchesJava() {
        assumeTrue(python != null, "no python3 with numpy");
        for (long seed : new long[] {Binarization.STATIC_SEED, 0, -7, Long.MIN_VALUE}) {
            Result r = pythonCode("r = c.SplittableRandom(" + seed + ")\n"
                    + "print(' '.join(repr(r.next_float()) for _ in range(1000)))\n"
                    + "print(' '.join(repr(float(v)) for v in c.next_floats(" + seed + ", 1000)))\n"
                    + "r = c.SplittableRandom(" + seed + ")\n"
                    + "print(' '.join(str(r.next_long()) for _ in range(100)))");
            assertEquals(0, r.code, r.out);
            String[] lines = r.out.strip().split("\n");
            SplittableRandom java = new SplittableRandom(seed);
            String[] scalar = lines[0].split(" "), vector = lines[1].split(" ");
            for (int i = 0; i < 1000; i++) {
                float f = java.nextFloat();
                assertEquals(f, Double.parseDouble(scalar[i]), 0.0, "seed " + seed + " nextFloat #" + i);
                assertEquals(f, Double.parseDouble(vector[i]), 0.0, "seed " + seed + " next_floats[" + i + "]");
            }
            java = new SplittableRandom(seed);
            String[] longs = lines[2].split(" ");
            for (int i = 0; i < 100; i++) assertEquals(java.nextLong(), Long.parseLong(longs[i]), "seed " + seed + " nextLong #" + i);
        }
    }

    /** Whether Fashion-MNIST is where both vaelab and check_model.py look by default. */
    private static boolean fashionInstalled() {
        return Files.isRegularFile(DataSources.DEFAULT_FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz"));
    }

    /**
     * A tiny experiment run as {@code mvn exec:java} would run one: a Bernoulli arm, a Gaussian arm with encoder
     * and decoder of different shapes, and, where it is installed, a statically binarised Fashion-MNIST arm.
     */
    private static Path runExperiment(Path reports) throws IOException {
        TrainConfig train = new TrainConfig(1, 50, 1e-3);
        List<Arm> arms = new ArrayList<>(List.of(
                new Arm("bernoulli", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 300, 120),
                        VaeArchitecture.bernoulli(784, List.of(32), 4, Activation.RELU), new ConstantBeta(1), train),
                new Arm("gaussian", "", new DataConfig("mnist-digits", Binarization.NONE, 300, 90),
                        new VaeArchitecture(784, List.of(24), 4, List.of(16, 32), Activation.TANH, Likelihood.GAUSSIAN, 0.2),
                        new ConstantBeta(1), train)));
        if (fashionInstalled())
            arms.add(new Arm("fashion", "", new DataConfig("fashion-mnist", Binarization.STATIC, 300, 70),
                    VaeArchitecture.bernoulli(784, List.of(16), 3, Activation.RELU), new ConstantBeta(2), train));
        Experiment e = new Experiment() {
            public String name() {
                return "export-check";
            }

            public String summary() {
                return "model files checked by tools/check_model.py";
            }

            public String question() {
                return "Does check_model.py recompute the run's metrics?";
            }

            public List<Arm> arms() {
                return arms;
            }
        };
        Overrides o = new Overrides(1, null, null, null, null, null, false, reports.toString(), null, false, null, 1e-6, null, null);
        // One seed makes this a variant of the experiment's plan: its runs are in the variant's own folder.
        return new ExperimentRunner(new PrintStream(OutputStream.nullOutputStream()), new Trainer()).run(e, o).folder()
                .resolve("runs");
    }

    @Test
    void recomputesTheRunsMetricsAndNamesBadArrays(@TempDir Path dir) throws IOException {
        assumeTrue(python != null, "no python3 with numpy");
        Path runs = runExperiment(dir);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bernoulli-seed1", "mnist-digits/test, 120 images (testLimit 120), dynamic binarisation");
        expected.put("gaussian-seed1", "mnist-digits/test, 90 images (testLimit 90), continuous targets");
        if (fashionInstalled()) expected.put("fashion-seed1", "fashion-mnist/test, 70 images (testLimit 70), static binarisation");
        expected.forEach((run, data) -> {
            Result r = tool(find(runs, run).toString());
            assertEquals(0, r.code, r.out);
            assertTrue(r.out.contains("all numbers agree within tolerance"), r.out);
            assertTrue(r.out.contains("posterior  vs posterior.csv.gz") && r.out.contains(data), r.out);
        });

        Path run = find(runs, "bernoulli-seed1");
        Path model = run.resolve(ModelExport.FILE_NAME);
        byte[] good = Files.readAllBytes(model);

        rewrite(model, a -> a.remove("enc.mu.b"));
        Result r = tool(run.toString());
        assertEquals(2, r.code, r.out);
        assertTrue(r.out.contains("array 'enc.mu.b' is missing; expected a float32 array of shape (4,)"), r.out);

        Files.write(model, good);
        rewrite(model, a -> a.put("dec.out.W", new Npz.Array(new int[] {32, 783}, new float[32 * 783])));
        r = tool(run.toString());
        assertEquals(2, r.code, r.out);
        assertTrue(r.out.contains("array 'dec.out.W' has shape (32, 783); expected (32, 784)"), r.out);

        Files.write(model, java.util.Arrays.copyOf(good, good.length / 2));
        r = tool(run.toString());
        assertEquals(2, r.code, r.out);
        assertTrue(r.out.contains("model.npz: not a readable .npz archive, the file is truncated or corrupt"), r.out);

        // A wrong weight is caught by the numbers, not by the format.
        Files.write(model, good);
        rewrite(model, a -> {
            float[] b = new float[4];
            java.util.Arrays.fill(b, 0.5f);
            a.put("enc.logvar.b", new Npz.Array(new int[] {4}, b));
        });
        r = tool(run.toString());
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("MISMATCH"), r.out);
    }

    /** The run folder whose name is {@code id} plus the run-key suffix. */
    private static Path find(Path runs, String id) {
        try (var s = Files.list(runs)) {
            return s.filter(d -> d.getFileName().toString().startsWith(id + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no run folder " + id + "-* in " + runs));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads model.npz with the test's independent reader, edits the arrays, writes them back. */
    private static void rewrite(Path model, java.util.function.Consumer<Map<String, Npz.Array>> edit) throws IOException {
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        NpyTestReader.read(model).forEach((k, v) -> arrays.put(k, new Npz.Array(v.shape(), v.values())));
        edit.accept(arrays);
        try (OutputStream out = Files.newOutputStream(model)) {
            Npz.write(arrays, out);
        }
    }
}
