package org.vaelab.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaelab.model.Likelihood;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.model.VaeModel;

/**
 * Writes a trained VAE as {@value #FILE_NAME} and reads it back ({@link #readNpz}, to re-evaluate a run without
 * retraining it): a NumPy {@code .npz} archive ({@link Npz}) with one float32 array
 * per weight matrix and bias, named by layer, so the model can be loaded and checked without vaelab.
 *
 * <h2>Arrays</h2>
 * With {@code k} encoder and {@code m} decoder hidden layers, d latent dimensions and D pixels:
 * <ul>
 *   <li>{@code enc.0.W}, {@code enc.0.b}, …, {@code enc.(k-1).W}, {@code enc.(k-1).b}: encoder hidden layers,
 *       input side first, followed by the hidden activation;</li>
 *   <li>{@code enc.mu.W}, {@code enc.mu.b} and {@code enc.logvar.W}, {@code enc.logvar.b}: the two linear heads
 *       giving μ and log σ² (d columns each; the engine computes them as one layer of 2d columns, split here);</li>
 *   <li>{@code dec.0.W}, {@code dec.0.b}, …, {@code dec.(m-1).W}, {@code dec.(m-1).b}: decoder hidden layers,
 *       latent side first, followed by the hidden activation;</li>
 *   <li>{@code dec.out.W}, {@code dec.out.b}: the linear output layer, giving logits l. Bernoulli decoder:
 *       {@code p(x_p = 1 | z) = sigmoid(l_p)}. Gaussian decoder: mean {@code sigmoid(l)};</li>
 *   <li>{@code dec.log_sigma}, shape {@code ()}, Gaussian decoder only: log of the fixed σ.</li>
 * </ul>
 * Every W has shape in × out and is stored row-major (C order), so in NumPy a layer is {@code h = x @ W + b}
 * with one example per row of x; every b has shape (out,).
 */
public final class ModelExport {

    /** The model file's name inside a run folder. */
    public static final String FILE_NAME = "model.npz";
    /** How to read every W, as recorded in provenance. */
    public static final String LAYOUT = "W is in×out: h = x @ W + b";

    private ModelExport() {
    }

    /** Writes the model's current weights to {@code file}; see {@link #writeNpz(ModelParameters, Path)}. */
    public static void writeNpz(VaeModel model, Path file) throws IOException {
        writeNpz(model.snapshot(), file);
    }

    /**
     * Writes the model file atomically: into a temporary file beside {@code file}, renamed over it when complete,
     * so a reader never sees half of one.
     */
    public static void writeNpz(ModelParameters model, Path file) throws IOException {
        Map<String, Npz.Array> arrays = arrays(model);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        // Temporary files are private (0600); a model file is as readable as the other files of a run.
        tmp.toFile().setReadable(true, false);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                Npz.write(arrays, out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a model file written by {@link #writeNpz(ModelParameters, Path)} back into the weights of
     * {@code architecture}: the inverse of {@link #arrays}. The file must hold exactly the arrays the architecture
     * needs (names and shapes, see the class comment); the activation, which the file does not record, comes from
     * {@code architecture}. For a Gaussian decoder σ comes from the file's {@code dec.log_sigma} (a σ-VAE calibrates
     * it in training), except that when the file's value is {@code architecture}'s σ rounded to float32 the exact
     * double of {@code architecture} is kept: pass the σ recorded in provenance to evaluate exactly as the run did.
     *
     * @throws IOException naming the file if it is not a readable archive, an array is missing, unexpected or has
     *                     the wrong shape, or a value is not finite
     */
    public static ModelParameters readNpz(Path file, VaeArchitecture architecture) throws IOException {
        Map<String, Npz.Array> arrays = Npz.read(file);
        VaeArchitecture arch = architecture;
        Map<String, Npz.Array> expected = arrays(zeros(architecture));
        List<String> missing = expected.keySet().stream().filter(k -> !arrays.containsKey(k)).toList();
        List<String> extra = arrays.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
        if (!missing.isEmpty() || !extra.isEmpty())
            throw new IOException(file + " does not hold the model " + architecture.describe() + ": "
                    + (missing.isEmpty() ? "" : "missing " + missing) + (missing.isEmpty() || extra.isEmpty() ? "" : ", ")
                    + (extra.isEmpty() ? "" : "unexpected " + extra) + "; was it written for another configuration?");
        for (var e : expected.entrySet()) {
            Npz.Array got = arrays.get(e.getKey());
            if (!Arrays.equals(got.shape(), e.getValue().shape()))
                throw new IOException(file + ": array " + e.getKey() + " has shape " + Arrays.toString(got.shape())
                        + ", the model " + architecture.describe() + " needs " + Arrays.toString(e.getValue().shape()));
            for (float v : got.data())
                if (!Float.isFinite(v)) throw new IOException(file + ": array " + e.getKey() + " holds " + v
                        + "; a model file must be finite (retrain the run)");
        }
        if (arch.likelihood() == Likelihood.GAUSSIAN) {
            float logSigma = arrays.get("dec.log_sigma").data()[0];
            if (logSigma != (float) Math.log(arch.sigma()))
                arch = new VaeArchitecture(arch.inputDim(), arch.encoderHidden(), arch.latentDim(), arch.decoderHidden(),
                        arch.activation(), arch.likelihood(), Math.exp(logSigma));
        }
        int d = arch.latentDim();
        List<ModelParameters.Dense> enc = new ArrayList<>();
        for (int i = 0; i < arch.encoderHidden().size(); i++) enc.add(dense(arrays, "enc." + i));
        // The engine's encoder head is one layer of 2d columns [μ | log σ²]; the file splits it in two.
        Npz.Array muW = arrays.get("enc.mu.W"), lvW = arrays.get("enc.logvar.W");
        int in = muW.shape()[0];
        float[] w = new float[in * 2 * d];
        float[] mw = muW.data(), lw = lvW.data();
        for (int r = 0; r < in; r++) {
            System.arraycopy(mw, r * d, w, r * 2 * d, d);
            System.arraycopy(lw, r * d, w, r * 2 * d + d, d);
        }
        float[] b = new float[2 * d];
        System.arraycopy(arrays.get("enc.mu.b").data(), 0, b, 0, d);
        System.arraycopy(arrays.get("enc.logvar.b").data(), 0, b, d, d);
        enc.add(new ModelParameters.Dense(in, 2 * d, w, b));
        List<ModelParameters.Dense> dec = new ArrayList<>();
        for (int i = 0; i < arch.decoderHidden().size(); i++) dec.add(dense(arrays, "dec." + i));
        dec.add(dense(arrays, "dec.out"));
        return new ModelParameters(arch, enc, dec);
    }

    private static ModelParameters.Dense dense(Map<String, Npz.Array> arrays, String name) {
        Npz.Array w = arrays.get(name + ".W");
        return new ModelParameters.Dense(w.shape()[0], w.shape()[1], w.data(), arrays.get(name + ".b").data());
    }

    /** Zero weights of an architecture: the names and shapes a model file of it must have. */
    private static ModelParameters zeros(VaeArchitecture arch) {
        List<ModelParameters.Dense> enc = new ArrayList<>(), dec = new ArrayList<>();
        int prev = arch.inputDim();
        for (int h : arch.encoderHidden()) {
            enc.add(new ModelParameters.Dense(prev, h, new float[prev * h], new float[h]));
            prev = h;
        }
        enc.add(new ModelParameters.Dense(prev, 2 * arch.latentDim(), new float[prev * 2 * arch.latentDim()],
                new float[2 * arch.latentDim()]));
        prev = arch.latentDim();
        for (int h : arch.decoderHidden()) {
            dec.add(new ModelParameters.Dense(prev, h, new float[prev * h], new float[h]));
            prev = h;
        }
        dec.add(new ModelParameters.Dense(prev, arch.inputDim(), new float[prev * arch.inputDim()], new float[arch.inputDim()]));
        return new ModelParameters(arch, enc, dec);
    }

    /** The named arrays of the model file, in file order (see the class comment). */
    public static Map<String, Npz.Array> arrays(ModelParameters model) {
        VaeArchitecture arch = model.architecture();
        int d = arch.latentDim();
        Map<String, Npz.Array> out = new LinkedHashMap<>();
        List<ModelParameters.Dense> enc = model.encoder();
        for (int i = 0; i < enc.size() - 1; i++) put(out, "enc." + i, enc.get(i), 0, enc.get(i).out());
        ModelParameters.Dense head = enc.get(enc.size() - 1);
        put(out, "enc.mu", head, 0, d);
        put(out, "enc.logvar", head, d, 2 * d);
        List<ModelParameters.Dense> dec = model.decoder();
        for (int i = 0; i < dec.size() - 1; i++) put(out, "dec." + i, dec.get(i), 0, dec.get(i).out());
        put(out, "dec.out", dec.get(dec.size() - 1), 0, arch.inputDim());
        if (arch.likelihood() == Likelihood.GAUSSIAN) out.put("dec.log_sigma", Npz.Array.scalar((float) Math.log(arch.sigma())));
        return out;
    }

    /** Columns [c0, c1) of a layer as {@code NAME.W} (in × (c1−c0)) and {@code NAME.b}. */
    private static void put(Map<String, Npz.Array> out, String name, ModelParameters.Dense layer, int c0, int c1) {
        int in = layer.in(), cols = c1 - c0, width = layer.out();
        float[] w = layer.w(), b = layer.b();
        float[] part = new float[in * cols];
        for (int r = 0; r < in; r++) System.arraycopy(w, r * width + c0, part, r * cols, cols);
        out.put(name + ".W", new Npz.Array(new int[] {in, cols}, part));
        out.put(name + ".b", new Npz.Array(new int[] {cols}, Arrays.copyOfRange(b, c0, c1)));
    }

    /**
     * The {@code model} section of {@code provenance.json}: what an outside reader needs to use the file —
     * its name and format, the W layout, each layer's shape and activation in order, the decoder likelihood and σ,
     * and how z is formed.
     */
    public static Map<String, Object> describe(VaeArchitecture arch) {
        String hidden = arch.activation().name().toLowerCase();
        boolean gaussian = arch.likelihood() == Likelihood.GAUSSIAN;
        int d = arch.latentDim();
        List<Map<String, Object>> layers = new ArrayList<>();
        int prev = arch.inputDim();
        for (int i = 0; i < arch.encoderHidden().size(); i++) {
            int h = arch.encoderHidden().get(i);
            layers.add(layer("enc." + i, prev, h, hidden));
            prev = h;
        }
        layers.add(layer("enc.mu", prev, d, "linear"));
        layers.add(layer("enc.logvar", prev, d, "linear"));
        prev = d;
        for (int i = 0; i < arch.decoderHidden().size(); i++) {
            int h = arch.decoderHidden().get(i);
            layers.add(layer("dec." + i, prev, h, hidden));
            prev = h;
        }
        layers.add(layer("dec.out", prev, arch.inputDim(), gaussian ? "sigmoid" : "logits"));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", FILE_NAME);
        m.put("format", "NumPy .npz (zip of NPY 1.0 files), float32 little-endian, C order");
        m.put("layout", LAYOUT);
        m.put("layers", layers);
        m.put("latent", "z = enc.mu + exp(0.5 * enc.logvar) * eps, eps ~ N(0, I)");
        m.put("likelihood", arch.likelihood().name().toLowerCase());
        if (gaussian) {
            m.put("sigma", arch.sigma());
            m.put("decoderOutput", "mean = sigmoid(dec.out); p(x|z) = N(mean, sigma² I), sigma = exp(dec.log_sigma)");
        } else {
            m.put("decoderOutput", "dec.out gives logits l; p(x_p = 1 | z) = sigmoid(l_p)");
        }
        return m;
    }

    private static Map<String, Object> layer(String name, int in, int out, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("shape", List.of(in, out));
        m.put("activation", activation);
        return m;
    }
}
