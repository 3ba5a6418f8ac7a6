package org.vaelab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import java.nio.Buffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * An MLP VAE whose forward and backward passes are written by hand in ND4J, trained with Adam.
 *
 * <p>Why not SameDiff: its fused sigmoid cross-entropy loss returns a gradient that is batch-size times
 * too large, and its per-step graph overhead dominates at this model size (docs/performance.md). Here every
 * derivative is explicit and checked against finite differences in {@code NativeMlpEngineGradientTest}.
 *
 * <h2>Model</h2>
 * Encoder {@code x → h… (activation) → [μ | log σ²]} (one linear head of 2d columns);
 * {@code z = μ + exp(½·log σ²) ⊙ ε} with ε supplied by the caller; decoder {@code z → h… → logits l}.
 * <ul>
 *   <li>Bernoulli: {@code Rec_i = Σ_p [relu(l) − x·l + log1p(exp(−|l|))]}, the stable form of binary
 *       cross-entropy, valid for continuous targets in [0, 1]; {@code ∂Rec/∂l = sigmoid(l) − x}.</li>
 *   <li>Gaussian, shared σ: mean {@code m = sigmoid(l)}; {@code Rec_i = Σ_p (x − m)²/(2σ²) + (D/2)·log(2πσ²)}.
 *       σ starts as the architecture's and can be replaced with {@link #setDecoderSigma} (the σ-VAE's calibrated
 *       σ); it is a constant for the gradient.</li>
 *   <li>Squared error of the mean, for either likelihood: {@code SSE_i = Σ_p (x − m)²},
 *       {@code ∂SSE/∂l = 2(m − x)·m(1 − m)}.</li>
 *   <li>{@code KL_ij = ½(μ² + exp(lv) − lv − 1)}.</li>
 * </ul>
 * The differentiated loss is {@code L = mean_i [rec·Rec_i + sse·SSE_i + Σ_j kl[j]·KL_ij]} with the coefficients
 * of {@link LossWeights} held constant.
 *
 * <h2>Where the work is done</h2>
 * The matrix products run in OpenBLAS, called directly on the arrays' native memory ({@link Gemm}: ND4J's own
 * {@code Nd4j.gemm} adds about 24 µs per call), into preallocated arrays; everything
 * element-wise (bias, activation, reparameterisation, KL, the likelihood and their derivatives, the bias
 * gradients) runs in {@link HostPasses}, Java loops over heap copies of the products, which replaced ~60 native
 * ND4J ops per step (only tanh, when chosen, is still an ND4J op). For the reference model
 * (784-512-256-32, batch 128) that cut the step's non-matrix-product time from about 7 ms to 2.5 ms, of which
 * Adam is half. The products use both cores (OpenBLAS); the host passes and Adam use both cores between them
 * ({@link RowSplit}), which took a step to about 0.85 of its single-threaded time.
 *
 * <h2>Memory layout</h2>
 * All weights and biases are views of one flat parameter vector, and all their gradients views of one flat
 * gradient vector, so Adam ({@link FlatAdam}) is one pass over the whole model. Weight matrices are stored
 * column-major ({@code 'f'}), the layout {@link Gemm} reads and writes. Activations are
 * row-major, one example per row like the caller's x, so that x needs no copy and the host passes read every
 * matrix with one bulk copy; gemm sees their transposes, which are column-major views, and computes
 * {@code outᵀ = Wᵀ·aᵀ}. Native activation and gradient buffers and the host passes' heap arrays are allocated
 * once per batch size and reused (a few sizes are cached, so the short last batch of an epoch does not
 * reallocate every epoch); a training step allocates no native memory.
 *
 * <h2>Determinism</h2>
 * Initial weights come from a {@link SplittableRandom} seeded with {@code initSeed}, one split per layer, drawn
 * as the run's {@link WeightInit} says (by default He-uniform for ReLU hidden layers, Glorot-uniform for tanh
 * hidden layers and both output layers, biases 0), independent of ND4J's global generator; the engine draws no
 * other random numbers. Equal seeds and inputs give equal runs
 * on one machine.
 *
 * <p>Not thread-safe. A step with non-finite loss still updates the parameters; guarding against
 * divergence is the trainer's job (it sees {@link BatchStats#isFinite()}).
 *
 * <p>Long because the forward pass, the backward pass and evaluation share private state: the flat parameter and
 * gradient vectors, the layer views into them and the per-batch-size buffers. Splitting the file would open those
 * buffers to the whole package; the element-wise work is already out, in {@link HostPasses}.
 */
public final class NativeMlpEngine implements VaeEngine {

    /**
     * How this process computes the engine's float matrix products, in a few words for start-up lines and provenance:
     * their bits do not depend on the thread count, by one of two means ({@code Gemm}, docs/performance.md).
     */
    public static String productThreading() {
        return Gemm.describe();
    }

    /** Adam hyperparameters other than the learning rate (Kingma & Ba 2015 defaults). */
    private static final double BETA1 = 0.9, BETA2 = 0.999, ADAM_EPS = 1e-8;
    /**
     * Buffers for at most this many distinct batch sizes are kept: the training batch and its short last batch,
     * the evaluation chunk and its short last chunk, and two spare.
     */
    private static final int MAX_CACHED_BATCH_SIZES = 6;
    /**
     * Evaluation ({@link #encode}, {@link #decode}, {@link #reconstructionNll}) works in chunks of at least this many
     * rows: the products are more efficient on wider matrices. For the importance-weighted NLL of the reference model
     * (1 M decoder rows) 1,024-row chunks took 0.73 of the time of 128-row chunks, 512 rows 0.79 (same JVM,
     * alternating); the buffers for 1,024 rows of the reference model take about 60 MB.
     */
    static final int MIN_EVAL_ROWS = 1024;

    private final VaeArchitecture arch;
    /** Rows per evaluation chunk: max(batch size, {@link #MIN_EVAL_ROWS}). */
    private final int evalRows;
    private final DataType dtype;
    private final int inputDim, latentDim;
    /** The Gaussian decoder's σ (0 for Bernoulli): the architecture's until {@link #setDecoderSigma} changes it. */
    private double sigma;
    /** Gaussian normaliser (D/2)·log(2πσ²) per example; 0 for Bernoulli. */
    private double gaussianConst;

    private final Layer[] encoder, decoder;
    private final INDArray params, grad;
    private final FlatAdam adam;

    /** Per-dimension KL coefficient kl[j] / B of the current backward pass. */
    private final double[] klScale;
    /**
     * The buffers and measurements of the last {@link #forward}, until {@link #step} uses them; null when no step is
     * waiting. Every other pass clears it, because it reuses the buffers of its batch size.
     */
    private Buffers pending;
    private BatchStats pendingStats;

    private final Map<Integer, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Buffers> eldest) {
            return size() > MAX_CACHED_BATCH_SIZES;
        }
    };

    /**
     * @param arch         the architecture
     * @param batchSize    the training batch size: buffers for it are allocated up front; other batch sizes
     *                     work too. Evaluation ({@link #encode}, {@link #decode}, {@link #reconstructionNll}) runs
     *                     in chunks of max(batchSize, {@value #MIN_EVAL_ROWS}) rows
     * @param learningRate Adam step size
     * @param initSeed     seed of the weight initialisation
     * @param dtype        {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
     */
    public NativeMlpEngine(VaeArchitecture arch, int batchSize, double learningRate, long initSeed, DataType dtype) {
        this(arch, batchSize, learningRate, initSeed, WeightInit.DEFAULT, dtype);
    }

    /**
     * An engine whose initial weights are drawn as {@code init} says; otherwise as
     * {@link #NativeMlpEngine(VaeArchitecture, int, double, long, DataType)}.
     */
    public NativeMlpEngine(VaeArchitecture arch, int batchSize, double learningRate, long initSeed, WeightInit init,
                           DataType dtype) {
        if (arch == null) throw new IllegalArgumentException("architecture must be set");
        if (init == null) throw new IllegalArgumentException("weight initialisation must be set, e.g. WeightInit.DEFAULT");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
        if (!(learningRate > 0) || !Double.isFinite(learningRate))
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE)
            throw new IllegalArgumentException("dtype must be FLOAT or DOUBLE, got " + dtype);
        this.arch = arch;
        this.evalRows = Math.max(batchSize, MIN_EVAL_ROWS);
        this.dtype = dtype;
        this.inputDim = arch.inputDim();
        this.latentDim = arch.latentDim();
        this.sigma = arch.sigma();
        this.gaussianConst = arch.likelihood() == Likelihood.GAUSSIAN
                ? 0.5 * inputDim * Math.log(2 * Math.PI * sigma * sigma) : 0;

        List<int[]> shapes = new ArrayList<>();
        int prev = inputDim;
        for (int h : arch.encoderHidden()) { shapes.add(new int[]{prev, h}); prev = h; }
        shapes.add(new int[]{prev, 2 * latentDim});
        int nEnc = shapes.size();
        prev = latentDim;
        for (int h : arch.decoderHidden()) { shapes.add(new int[]{prev, h}); prev = h; }
        shapes.add(new int[]{prev, inputDim});

        long total = 0;
        for (int[] s : shapes) total += (long) s[0] * s[1] + s[1];
        params = Nd4j.zeros(dtype, total);
        grad = Nd4j.zeros(dtype, total);

        Layer[] layers = new Layer[shapes.size()];
        long offset = 0;
        for (int i = 0; i < layers.length; i++) {
            int in = shapes.get(i)[0], out = shapes.get(i)[1];
            long bias = offset + (long) in * out;
            layers[i] = new Layer(in, out, matrixView(params, offset, in, out), vectorView(params, bias, out),
                    matrixView(grad, offset, in, out), bias);
            offset += (long) in * out + out;
        }
        encoder = Arrays.copyOfRange(layers, 0, nEnc);
        decoder = Arrays.copyOfRange(layers, nEnc, layers.length);
        initialise(initSeed, init);

        adam = new FlatAdam(params, grad, learningRate, BETA1, BETA2, ADAM_EPS);
        klScale = new double[latentDim];
        buffers(batchSize);
    }

    /**
     * An engine holding given weights, e.g. a run's model file read back ({@code ModelExport.readNpz}), to evaluate
     * a trained model without retraining it. Evaluation gives the numbers of the engine the weights were taken from
     * ({@link #snapshot()}) when {@code batchSize} is the same (it sets the evaluation chunk size, see the
     * constructor) and the Gaussian σ is the same double. Adam starts afresh: training on continues from these
     * weights but not from the original optimiser state, so it would not reproduce an uninterrupted run.
     *
     * @param model     the weights and their architecture (including the Gaussian decoder's σ)
     * @param batchSize the training batch size of the run the weights come from
     * @throws IllegalArgumentException if a weight is not finite
     */
    public static NativeMlpEngine fromParameters(ModelParameters model, int batchSize) {
        // The learning rate and seed are placeholders: Adam keeps no state until a step, and the initial weights are
        // overwritten below.
        NativeMlpEngine engine = new NativeMlpEngine(model.architecture(), batchSize, 1e-3, 0, DataType.FLOAT);
        engine.load(engine.encoder, model.encoder(), "encoder");
        engine.load(engine.decoder, model.decoder(), "decoder");
        return engine;
    }

    /** Copies row-major in × out weights into the layers' column-major views of the flat parameter vector. */
    private void load(Layer[] layers, List<ModelParameters.Dense> dense, String part) {
        for (int i = 0; i < layers.length; i++) {
            ModelParameters.Dense d = dense.get(i);
            float[] w = d.w(), b = d.b();
            for (float v : w) if (!Float.isFinite(v)) throw new IllegalArgumentException(part + " layer " + i + " W holds " + v);
            for (float v : b) if (!Float.isFinite(v)) throw new IllegalArgumentException(part + " layer " + i + " b holds " + v);
            layers[i].w.assign(Nd4j.create(w, new long[]{d.in(), d.out()}, 'c').castTo(dtype));
            layers[i].b.assign(Nd4j.createFromArray(b).castTo(dtype));
        }
    }

    /** A matrix (rows × cols) stored column-major at {@code offset} of a flat vector. */
    private INDArray matrixView(INDArray flat, long offset, int rows, int cols) {
        return Nd4j.create(flat.data(), new long[]{rows, cols}, new long[]{1, rows}, offset, 'f', dtype);
    }

    private INDArray vectorView(INDArray flat, long offset, int n) {
        return Nd4j.create(flat.data(), new long[]{n}, new long[]{1}, offset, 'c', dtype);
    }

    private void initialise(long seed, WeightInit init) {
        SplittableRandom rng = new SplittableRandom(seed);
        int nHiddenEnc = arch.encoderHidden().size(), nHiddenDec = arch.decoderHidden().size();
        for (int i = 0; i < encoder.length; i++) fill(encoder[i], rng.split(), i < nHiddenEnc, init);
        for (int i = 0; i < decoder.length; i++) fill(decoder[i], rng.split(), i < nHiddenDec, init);
    }

    /** One layer's weights and biases as {@code init} draws them ({@link WeightInit#draw}). */
    private void fill(Layer layer, SplittableRandom rng, boolean hidden, WeightInit init) {
        double[][] drawn = init.draw(layer.in, layer.out, hidden && arch.activation() == Activation.RELU, rng);
        // Row-major draw order, so the values do not depend on the storage order chosen above; the rows go through
        // the same double[][] → dtype conversion as always, so the default's weights are bit-identical to before.
        double[][] w = new double[layer.in][];
        for (int r = 0; r < layer.in; r++) w[r] = Arrays.copyOfRange(drawn[0], r * layer.out, (r + 1) * layer.out);
        layer.w.assign(Nd4j.createFromArray(w).castTo(dtype));
        if (init.biasBound(layer.in) == 0) layer.b.assign(0);
        else layer.b.assign(Nd4j.createFromArray(drawn[1]).castTo(dtype));
    }

    // ------------------------------------------------------------------ VaeEngine

    @Override
    public VaeArchitecture architecture() {
        return arch;
    }

    @Override
    public BatchStats forward(INDArray x, INDArray eps) {
        Buffers buf = load(x, eps);
        forwardPass(buf);
        pendingStats = stats(buf);
        pending = buf;
        return pendingStats;
    }

    @Override
    public double step(LossWeights w) {
        if (pending == null)
            throw new IllegalStateException("step needs a forward pass on the batch first (one step per forward pass;"
                    + " evaluation in between discards it)");
        double[] kl = checkWeights(w);
        Buffers buf = pending;
        BatchStats stats = pendingStats;
        pending = null;
        pendingStats = null;
        backward(buf, w.rec(), w.sse(), kl);
        adam.step();
        return loss(stats, w, kl);
    }

    @Override
    public Posterior encode(INDArray x) {
        pending = null;
        int n = rows(x, inputDim, "x");
        double[] mu = new double[n * latentDim], logvar = new double[n * latentDim];
        for (int r0 = 0; r0 < n; r0 += evalRows) {
            int r1 = Math.min(n, r0 + evalRows);
            Buffers buf = buffers(r1 - r0);
            buf.setInput(rowRange(x, r0, r1));
            forwardEncoder(buf);
            buf.host.copyPosterior(mu, logvar, r0);
        }
        return new Posterior(n, latentDim, mu, logvar);
    }

    @Override
    public double[] reconstructionNll(INDArray x, INDArray z) {
        return reconstructionNll(x, 1, z);
    }

    /**
     * {@inheritDoc} The Bernoulli decoder scores each latent row against its image in place, so the importance-weighted
     * NLL's K samples per image cost no copies of the image (the Gaussian decoder's pass reads whole batches and is
     * given the repeated rows).
     */
    @Override
    public double[] reconstructionNll(INDArray x, int times, INDArray z) {
        pending = null;
        if (times < 1) throw new IllegalArgumentException("times must be ≥ 1, got " + times);
        int images = rows(x, inputDim, "x"), n = rows(z, latentDim, "z");
        if (times == 1 && images != n)
            throw new IllegalArgumentException("x and z must have equal rows, got " + images + " and " + n);
        if ((long) images * times != n)
            throw new IllegalArgumentException("x has " + images + " rows, so z must have " + images + " × " + times
                    + " = " + (long) images * times + " rows, got " + n);
        if (arch.likelihood() != Likelihood.BERNOULLI && times > 1) return reconstructionNll(x.repeat(0, times), 1, z);
        double[] out = new double[n];
        // The decoder's products need only z in native memory, and the host passes read x: both are bulk-copied
        // straight from the caller's arrays when those are whole row-major buffers (ND4J's row-view assign costs
        // an op call per chunk, and the importance-weighted NLL makes thousands of chunks).
        Buffer xWhole = ownsWholeBuffer(x) ? HostPasses.nio(x) : null;
        Buffer zWhole = ownsWholeBuffer(z) ? HostPasses.nio(z) : null;
        if (xWhole == null && times > 1) {
            INDArray copy = x.castTo(dtype).dup('c');
            xWhole = HostPasses.nio(copy);
        }
        for (int r0 = 0; r0 < n; r0 += evalRows) {
            int r1 = Math.min(n, r0 + evalRows);
            Buffers buf = buffers(r1 - r0);
            Buffer xSrc = xWhole;
            int firstRow = r0;
            if (xWhole == null) {
                buf.setInput(rowRange(x, r0, r1));
                xSrc = buf.x.nio;
                firstRow = 0;
            }
            if (zWhole != null) HostPasses.copy(zWhole, r0 * latentDim, buf.z.nio, (r1 - r0) * latentDim);
            else buf.z.rows.assign(rowRange(z, r0, r1));
            if (arch.likelihood() == Likelihood.BERNOULLI) {
                // Only the logits are needed (no decoder mean, residual or SSE): the importance-weighted NLL
                // calls this for K samples of every image.
                Layer last = decoderHidden(buf);
                buf.host.bernoulliNll(buf.logits.nio, last.biasOffset, xSrc, firstRow, times, buf.recPerRow);
            } else {
                buf.host.readInput(xSrc, firstRow * inputDim);
                forwardDecoder(buf);
                buf.host.likelihood(false, sigma, buf.recPerRow);
            }
            for (int i = 0; i < buf.n; i++) out[r0 + i] = buf.recPerRow[i] + gaussianConst;
        }
        return out;
    }

    @Override
    public INDArray decode(INDArray z) {
        pending = null;
        int n = rows(z, latentDim, "z");
        INDArray out = Nd4j.create(dtype, n, inputDim);
        for (int r0 = 0; r0 < n; r0 += evalRows) {
            int r1 = Math.min(n, r0 + evalRows);
            Buffers buf = buffers(r1 - r0);
            buf.z.rows.assign(rowRange(z, r0, r1));
            forwardDecoder(buf);
            buf.host.writeMean(buf.tmpD.nio);
            out.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()).assign(buf.tmpD.rows);
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return params.length();
    }

    /** Copies every layer's W (column-major here) into the row-major in × out order of {@link ModelParameters}. */
    @Override
    public ModelParameters snapshot() {
        // A σ-VAE calibrates σ during training: the model file must carry the σ in force, not the starting one.
        VaeArchitecture current = arch.likelihood() == Likelihood.GAUSSIAN
                ? new VaeArchitecture(arch.inputDim(), arch.encoderHidden(), arch.latentDim(), arch.decoderHidden(),
                        arch.activation(), arch.likelihood(), sigma)
                : arch;
        return new ModelParameters(current, dense(encoder), dense(decoder));
    }

    private static List<ModelParameters.Dense> dense(Layer[] layers) {
        List<ModelParameters.Dense> out = new ArrayList<>(layers.length);
        for (Layer l : layers) {
            float[] w = new float[l.in * l.out];
            float[][] rows = l.w.toFloatMatrix();
            for (int r = 0; r < l.in; r++) System.arraycopy(rows[r], 0, w, r * l.out, l.out);
            out.add(new ModelParameters.Dense(l.in, l.out, w, l.b.toFloatVector()));
        }
        return out;
    }

    /**
     * Sets the Gaussian decoder's σ for every later step, {@link #reconstructionNll} and {@link #loss}.
     *
     * @throws IllegalStateException    for a Bernoulli decoder, which has no σ
     * @throws IllegalArgumentException unless σ is finite and &gt; 0
     */
    @Override
    public void setDecoderSigma(double sigma) {
        if (arch.likelihood() != Likelihood.GAUSSIAN)
            throw new IllegalStateException("a " + arch.likelihood() + " decoder has no σ to set (got σ = " + sigma + ")");
        if (!(sigma > 0) || !Double.isFinite(sigma))
            throw new IllegalArgumentException("decoder σ must be finite and > 0, got " + sigma);
        this.sigma = sigma;
        this.gaussianConst = 0.5 * inputDim * Math.log(2 * Math.PI * sigma * sigma);
    }

    /** The Gaussian decoder's σ in force (0 for Bernoulli). */
    public double decoderSigma() {
        return sigma;
    }

    // ------------------------------------------------------------------ diagnostics (gradient checks)

    /**
     * The weighted loss {@code mean_i [rec·Rec_i + sse·SSE_i + Σ_j kl[j]·KL_ij]} for this batch and noise, and its
     * gradient with respect to every parameter, written to {@link #gradient()}. Parameters are not changed.
     */
    public double lossAndGradient(INDArray x, INDArray eps, LossWeights w) {
        Buffers buf = load(x, eps);
        forwardPass(buf);
        BatchStats stats = stats(buf);
        double[] kl = checkWeights(w);
        backward(buf, w.rec(), w.sse(), kl);
        return loss(stats, w, kl);
    }

    /** The weighted loss only (forward pass); neither parameters nor {@link #gradient()} change. */
    public double loss(INDArray x, INDArray eps, LossWeights w) {
        Buffers buf = load(x, eps);
        forwardPass(buf);
        return loss(stats(buf), w, checkWeights(w));
    }

    /**
     * The live flat parameter vector (length {@link #parameterCount()}): every weight and bias is a view of
     * it, so writing here changes the model. Layout: encoder layers then decoder layers, input side first;
     * per layer the weight matrix (in × out, column-major) then the bias.
     */
    public INDArray parameters() {
        return params;
    }

    /**
     * The live flat gradient vector, laid out like {@link #parameters()}. Holds ∂L/∂θ after
     * {@link #lossAndGradient}; after {@link #step}, the gradient that step's update was computed from.
     */
    public INDArray gradient() {
        return grad;
    }

    /** Where flat index {@code i} lives, e.g. {@code decoder[1].W[3,4]}, for test messages. */
    String describeParameter(long i) {
        long offset = 0;
        for (int k = 0; k < encoder.length + decoder.length; k++) {
            Layer l = k < encoder.length ? encoder[k] : decoder[k - encoder.length];
            String name = k < encoder.length ? "encoder[" + k + "]" : "decoder[" + (k - encoder.length) + "]";
            long nw = (long) l.in * l.out;
            if (i < offset + nw) {
                long r = i - offset;
                return name + ".W[" + (r % l.in) + "," + (r / l.in) + "]";
            }
            if (i < offset + nw + l.out) return name + ".b[" + (i - offset - nw) + "]";
            offset += nw + l.out;
        }
        throw new IllegalArgumentException("parameter index " + i + " out of range [0, " + params.length() + ")");
    }

    // ------------------------------------------------------------------ forward

    private Buffers load(INDArray x, INDArray eps) {
        pending = null;
        int n = rows(x, inputDim, "x");
        if (rows(eps, latentDim, "eps") != n)
            throw new IllegalArgumentException("x and eps must have equal rows, got " + n + " and " + eps.rows());
        Buffers buf = buffers(n);
        buf.setInput(x);
        buf.host.readInput(buf.x.nio, 0);
        if (ownsWholeBuffer(eps)) {
            buf.host.readNoise(HostPasses.nio(eps));
        } else {
            buf.eps.rows.assign(eps);
            buf.host.readNoise(buf.eps.nio);
        }
        return buf;
    }

    private void forwardPass(Buffers buf) {
        forwardEncoder(buf);
        buf.host.reparameterise(buf.z.nio, buf.klPerDim);
        forwardDecoder(buf);
    }

    private void forwardEncoder(Buffers buf) {
        Mat a = buf.x;
        for (int i = 0; i < encoder.length - 1; i++) {
            hidden(buf, true, i, encoder[i], a, buf.encAct[i]);
            a = buf.encAct[i];
        }
        Layer head = encoder[encoder.length - 1];
        Gemm.product(head.w, true, a.cols, false, buf.encOut.cols);
        buf.host.head(buf.encOut.nio, head.biasOffset);
    }

    /** Decoder from z (in buf.z) to the decoder mean m, which the host passes keep. */
    private void forwardDecoder(Buffers buf) {
        Layer last = decoderHidden(buf);
        buf.host.output(buf.logits.nio, last.biasOffset);
    }

    /** The decoder up to the output product {@code buf.logits = a·W} (bias not yet added); returns the output layer. */
    private Layer decoderHidden(Buffers buf) {
        Mat a = buf.z;
        for (int i = 0; i < decoder.length - 1; i++) {
            hidden(buf, false, i, decoder[i], a, buf.decAct[i]);
            a = buf.decAct[i];
        }
        Layer last = decoder[decoder.length - 1];
        Gemm.product(last.w, true, a.cols, false, buf.logits.cols);
        return last;
    }

    /** out = act(a·W + b), computed as outᵀ = Wᵀ·aᵀ; the activation also stays in the host passes. */
    private void hidden(Buffers buf, boolean isEncoder, int slot, Layer layer, Mat a, Mat out) {
        Gemm.product(layer.w, true, a.cols, false, out.cols);
        boolean relu = arch.activation() == Activation.RELU;
        buf.host.hiddenForward(isEncoder, slot, out.nio, layer.out, layer.biasOffset, relu);
        if (!relu) {
            Nd4j.exec(new Tanh(out.rows, out.rows));
            buf.host.readTanh(isEncoder, slot, out.nio, layer.out);
        }
    }

    /**
     * Batch means of Rec, KL, per-dimension KL and SSE; leaves the residual {@code m − x} in the host passes for
     * the backward pass.
     */
    private BatchStats stats(Buffers buf) {
        int n = buf.n;
        double sse = buf.host.likelihood(arch.likelihood() == Likelihood.BERNOULLI, sigma, buf.recPerRow);
        double recSum = n * gaussianConst;
        for (double r : buf.recPerRow) recSum += r;
        double[] klPerDim = buf.klPerDim.clone();
        double klSum = 0;
        for (int j = 0; j < klPerDim.length; j++) {
            klPerDim[j] /= n;
            klSum += klPerDim[j];
        }
        return new BatchStats(recSum / n, klSum, klPerDim, sse / n);
    }

    private double loss(BatchStats s, LossWeights w, double[] kl) {
        double[] perDim = s.klPerDim();
        double loss = w.rec() * s.rec() + w.sse() * s.sse();
        for (int j = 0; j < kl.length; j++) loss += kl[j] * perDim[j];
        return loss;
    }

    // ------------------------------------------------------------------ backward

    /** Fills {@link #grad} with ∂L/∂θ; expects {@link #stats} to have run on this forward pass. */
    private void backward(Buffers buf, double rec, double sse, double[] kl) {
        int n = buf.n;
        // ∂L/∂l = (rec/B)·∂Rec/∂l + (sse/B)·∂SSE/∂l, with r = m − x, m = sigmoid(l). Every term is r times a
        // factor: Bernoulli ∂Rec/∂l = r; Gaussian ∂Rec/∂l = r·m(1 − m)/σ²; ∂SSE/∂l = 2r·m(1 − m).
        boolean bernoulli = arch.likelihood() == Likelihood.BERNOULLI;
        double plain = bernoulli ? rec / n : 0;
        double curved = (bernoulli ? 0 : rec / (n * sigma * sigma)) + 2 * sse / n;
        boolean relu = arch.activation() == Activation.RELU;
        buf.host.outputDelta(plain, curved, buf.dLogits.nio, decoder[decoder.length - 1].biasOffset);

        Mat delta = buf.dLogits;
        for (int i = decoder.length - 1; i >= 0; i--) {
            Mat in = i > 0 ? buf.decAct[i - 1] : buf.z;
            Mat dIn = i > 0 ? buf.decDelta[i - 1] : buf.dz;
            layerBackward(decoder[i], in, delta, dIn);
            if (i > 0) buf.host.hiddenBackward(false, i - 1, dIn.nio, decoder[i - 1].out, decoder[i - 1].biasOffset, relu);
            delta = dIn;
        }

        // Reparameterisation and KL: klScale[j] = kl[j]/B.
        for (int j = 0; j < latentDim; j++) klScale[j] = kl[j] / n;
        buf.host.headBackward(buf.dz.nio, klScale, buf.dEncOut.nio, encoder[encoder.length - 1].biasOffset);

        delta = buf.dEncOut;
        for (int i = encoder.length - 1; i >= 0; i--) {
            Mat in = i > 0 ? buf.encAct[i - 1] : buf.x;
            Mat dIn = i > 0 ? buf.encDelta[i - 1] : null;
            layerBackward(encoder[i], in, delta, dIn);
            if (i > 0) buf.host.hiddenBackward(true, i - 1, dIn.nio, encoder[i - 1].out, encoder[i - 1].biasOffset, relu);
            delta = dIn;
        }
    }

    /** ∂W = inᵀ·δ and (if dIn is not null) ∂inᵀ = W·δᵀ; ∂b comes from the host passes. */
    private static void layerBackward(Layer layer, Mat in, Mat delta, Mat dIn) {
        Gemm.product(in.cols, false, delta.cols, true, layer.gw);
        if (dIn != null) Gemm.product(layer.w, false, delta.cols, false, dIn.cols);
    }

    // ------------------------------------------------------------------ helpers

    private double[] checkWeights(LossWeights w) {
        double[] kl = w.kl();
        if (kl.length != latentDim)
            throw new IllegalArgumentException("LossWeights has " + kl.length + " KL weights, the model has "
                    + latentDim + " latent dimensions");
        return kl;
    }

    private static int rows(INDArray a, int columns, String name) {
        if (a == null || a.rank() != 2 || a.columns() != columns || a.rows() < 1)
            throw new IllegalArgumentException(name + " must be a non-empty matrix with " + columns
                    + " columns, got " + (a == null ? "null" : Arrays.toString(a.shape())));
        return a.rows();
    }

    private static INDArray rowRange(INDArray a, int r0, int r1) {
        return r0 == 0 && r1 == a.rows() ? a : a.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
    }

    /** Row-major with default strides, of the engine's type, and the whole of its buffer from offset 0. */
    private boolean ownsWholeBuffer(INDArray a) {
        return a.dataType() == dtype && a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.offset() == 0
                && a.data().length() == a.length();
    }

    private Buffers buffers(int n) {
        return buffers.computeIfAbsent(n, Buffers::new);
    }

    /**
     * One dense layer: W (in × out, column-major) and b, views of the flat parameter vector; ∂W, a view of the flat
     * gradient; and where b and ∂b start in the flat vectors (the host passes read b and write ∂b there).
     */
    private record Layer(int in, int out, INDArray w, INDArray b, INDArray gw, long biasOffset) {
    }

    /**
     * A batch-major matrix (one example per row, row-major), its transpose, the column-major view that
     * {@link Gemm} reads and writes without copying, and the NIO view through which the host passes read
     * and write it.
     */
    private record Mat(INDArray rows, INDArray cols, Buffer nio) {
        static Mat of(INDArray rows) {
            return new Mat(rows, rows.transpose(), HostPasses.nio(rows));
        }
    }

    /** Native activation and gradient buffers for one batch size, and the host passes that work on them. */
    private final class Buffers {
        final int n;
        final HostPasses host;
        /** The input: the caller's array itself when it owns a row-major buffer of the engine's type, else {@link #xCopy}. */
        Mat x;
        final Mat xCopy, eps, z, logits, tmpD, dLogits, dz, encOut, dEncOut;
        final Mat[] encAct, encDelta, decAct, decDelta;
        /** Per-example reconstruction term, and per-dimension KL summed over the batch, of the last forward pass. */
        final double[] recPerRow, klPerDim;

        Buffers(int n) {
            this.n = n;
            host = HostPasses.create(dtype, n, arch, params, grad);
            xCopy = Mat.of(m(inputDim));
            x = xCopy;
            eps = Mat.of(m(latentDim));
            z = Mat.of(m(latentDim));
            dz = Mat.of(m(latentDim));
            logits = Mat.of(m(inputDim));
            tmpD = Mat.of(m(inputDim));
            dLogits = Mat.of(m(inputDim));
            encOut = Mat.of(m(2 * latentDim));
            dEncOut = Mat.of(m(2 * latentDim));
            encAct = mats(arch.encoderHidden());
            encDelta = mats(arch.encoderHidden());
            decAct = mats(arch.decoderHidden());
            decDelta = mats(arch.decoderHidden());
            recPerRow = new double[n];
            klPerDim = new double[latentDim];
        }

        /** Uses x in place when gemm and the host passes can read it as it is; copies it otherwise. */
        void setInput(INDArray input) {
            if (ownsWholeBuffer(input)) {
                x = Mat.of(input);
            } else {
                xCopy.rows.assign(input);
                x = xCopy;
            }
        }

        private INDArray m(int columns) {
            return Nd4j.create(dtype, new long[]{n, columns}, 'c');
        }

        private Mat[] mats(List<Integer> widths) {
            Mat[] out = new Mat[widths.size()];
            for (int i = 0; i < out.length; i++) out[i] = Mat.of(m(widths.get(i)));
            return out;
        }
    }
}
