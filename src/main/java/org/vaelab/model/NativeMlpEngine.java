package org.vaelab.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.vaelab.weighting.LossWeights;
import org.vaelab.weighting.Progress;
import org.vaelab.weighting.Weighting;

/**
 * An MLP VAE whose forward and backward passes are written by hand in ND4J, trained with Adam.
 *
 * <p>Why not SameDiff: its fused sigmoid cross-entropy loss returns a gradient that is batch-size times
 * too large, and its per-step graph overhead dominates at this model size (ND4J-NOTES.md). Here every
 * derivative is explicit and checked against finite differences in {@code NativeMlpEngineGradientTest}.
 *
 * <h2>Model</h2>
 * Encoder {@code x → h… (activation) → [μ | log σ²]} (one linear head of 2d columns);
 * {@code z = μ + exp(½·log σ²) ⊙ ε} with ε supplied by the caller; decoder {@code z → h… → logits l}.
 * <ul>
 *   <li>Bernoulli: {@code Rec_i = Σ_p [relu(l) − x·l + log1p(exp(−|l|))]}, the stable form of binary
 *       cross-entropy, valid for continuous targets in [0, 1]; {@code ∂Rec/∂l = sigmoid(l) − x}.</li>
 *   <li>Gaussian, fixed σ: mean {@code m = sigmoid(l)}; {@code Rec_i = Σ_p (x − m)²/(2σ²) + (D/2)·log(2πσ²)}.</li>
 *   <li>{@code KL_ij = ½(μ² + exp(lv) − lv − 1)}.</li>
 * </ul>
 * The differentiated loss is {@code L = mean_i [rec·Rec_i + Σ_j kl[j]·KL_ij]} with the coefficients of
 * {@link LossWeights} held constant.
 *
 * <h2>Memory layout</h2>
 * All weights and biases are views of one flat parameter vector, and all their gradients views of one flat
 * gradient vector, so Adam runs as a single fused op over the whole model. Weight matrices are stored
 * column-major ({@code 'f'}) because {@link Nd4j#gemm} writes only into {@code 'f'} arrays; activations are
 * {@code 'f'} for the same reason, which also makes the μ and log σ² halves of the encoder head contiguous.
 * Activation and gradient buffers are allocated once per batch size and reused (a few sizes are cached, so
 * the short last batch of an epoch does not reallocate every epoch).
 *
 * <h2>Determinism</h2>
 * Initial weights come from a {@link SplittableRandom} seeded with {@code initSeed} (He-uniform for ReLU
 * hidden layers, Glorot-uniform for tanh hidden layers and both output layers, biases 0), independent of
 * ND4J's global generator; the engine draws no other random numbers. Equal seeds and inputs give equal runs
 * on one machine.
 *
 * <p>Not thread-safe. A step with non-finite loss still updates the parameters; guarding against
 * divergence is the trainer's job (it sees {@link BatchStats#isFinite()}).
 */
public final class NativeMlpEngine implements VaeEngine {

    /** Adam hyperparameters other than the learning rate (Kingma & Ba 2015 defaults). */
    private static final double BETA1 = 0.9, BETA2 = 0.999, ADAM_EPS = 1e-8;
    /** Buffers for at most this many distinct batch sizes are kept. */
    private static final int MAX_CACHED_BATCH_SIZES = 4;

    private final VaeArchitecture arch;
    private final int batchSize;
    private final DataType dtype;
    private final int inputDim, latentDim;
    /** Gaussian normaliser (D/2)·log(2πσ²) per example; 0 for Bernoulli. */
    private final double gaussianConst;

    private final Layer[] encoder, decoder;
    private final INDArray params, grad;
    private final GradientUpdater<?> adam;
    private int updates;

    /** Per-dimension KL coefficient kl[j] / B, as a row vector for broadcasting. */
    private final INDArray klScale;

    private final Map<Integer, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Buffers> eldest) {
            return size() > MAX_CACHED_BATCH_SIZES;
        }
    };

    /**
     * @param arch         the architecture
     * @param batchSize    the training batch size: buffers for it are allocated up front, and evaluation
     *                     ({@link #encode}, {@link #decode}, {@link #reconstructionNll}) runs in chunks of
     *                     this many rows; other batch sizes work too
     * @param learningRate Adam step size
     * @param initSeed     seed of the weight initialisation
     * @param dtype        {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
     */
    public NativeMlpEngine(VaeArchitecture arch, int batchSize, double learningRate, long initSeed, DataType dtype) {
        if (arch == null) throw new IllegalArgumentException("architecture must be set");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
        if (!(learningRate > 0) || !Double.isFinite(learningRate))
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE)
            throw new IllegalArgumentException("dtype must be FLOAT or DOUBLE, got " + dtype);
        this.arch = arch;
        this.batchSize = batchSize;
        this.dtype = dtype;
        this.inputDim = arch.inputDim();
        this.latentDim = arch.latentDim();
        this.gaussianConst = arch.likelihood() == Likelihood.GAUSSIAN
                ? 0.5 * inputDim * Math.log(2 * Math.PI * arch.sigma() * arch.sigma()) : 0;

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
            layers[i] = new Layer(in, out,
                    matrixView(params, offset, in, out), vectorView(params, offset + (long) in * out, out),
                    matrixView(grad, offset, in, out), vectorView(grad, offset + (long) in * out, out));
            offset += (long) in * out + out;
        }
        encoder = java.util.Arrays.copyOfRange(layers, 0, nEnc);
        decoder = java.util.Arrays.copyOfRange(layers, nEnc, layers.length);
        initialise(initSeed);

        adam = new Adam(learningRate, BETA1, BETA2, ADAM_EPS).instantiate(Nd4j.zeros(dtype, 2 * total), true);
        klScale = Nd4j.zeros(dtype, 1, latentDim);
        buffers(batchSize);
    }

    /** A weight matrix (in × out) stored column-major at {@code offset} of a flat vector. */
    private INDArray matrixView(INDArray flat, long offset, int in, int out) {
        return Nd4j.create(flat.data(), new long[]{in, out}, new long[]{1, in}, offset, 'f', dtype);
    }

    private INDArray vectorView(INDArray flat, long offset, int n) {
        return Nd4j.create(flat.data(), new long[]{n}, new long[]{1}, offset, 'c', dtype);
    }

    private void initialise(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int nHiddenEnc = arch.encoderHidden().size(), nHiddenDec = arch.decoderHidden().size();
        for (int i = 0; i < encoder.length; i++) fill(encoder[i], rng.split(), i < nHiddenEnc);
        for (int i = 0; i < decoder.length; i++) fill(decoder[i], rng.split(), i < nHiddenDec);
    }

    /** He-uniform for ReLU hidden layers, Glorot-uniform otherwise; biases 0. */
    private void fill(Layer layer, SplittableRandom rng, boolean hidden) {
        double limit = hidden && arch.activation() == Activation.RELU
                ? Math.sqrt(6.0 / layer.in)
                : Math.sqrt(6.0 / (layer.in + layer.out));
        // Row-major draw order, so the values do not depend on the storage order chosen above.
        double[][] w = new double[layer.in][layer.out];
        for (double[] row : w) for (int j = 0; j < row.length; j++) row[j] = rng.nextDouble(-limit, limit);
        layer.w.assign(Nd4j.createFromArray(w).castTo(dtype));
        layer.b.assign(0);
    }

    // ------------------------------------------------------------------ VaeEngine

    @Override
    public VaeArchitecture architecture() {
        return arch;
    }

    @Override
    public StepResult step(INDArray x, INDArray eps, Weighting weighting, Progress progress) {
        Buffers buf = load(x, eps);
        forward(buf);
        BatchStats stats = stats(buf);
        LossWeights w = weighting.weights(progress, stats);
        double[] kl = checkWeights(w);
        backward(buf, w.rec(), kl);
        adam.applyUpdater(grad, updates++, progress.epoch());
        params.subi(grad);
        return new StepResult(stats, w, loss(stats, w.rec(), kl));
    }

    @Override
    public Posterior encode(INDArray x) {
        int n = rows(x, inputDim, "x");
        double[] mu = new double[n * latentDim], logvar = new double[n * latentDim];
        for (int r0 = 0; r0 < n; r0 += batchSize) {
            int r1 = Math.min(n, r0 + batchSize);
            Buffers buf = buffers(r1 - r0);
            buf.x.assign(rowRange(x, r0, r1));
            forwardEncoder(buf);
            copyRowMajor(buf.mu, mu, r0);
            copyRowMajor(buf.logvar, logvar, r0);
        }
        return new Posterior(n, latentDim, mu, logvar);
    }

    @Override
    public double[] reconstructionNll(INDArray x, INDArray z) {
        int n = rows(x, inputDim, "x");
        if (rows(z, latentDim, "z") != n)
            throw new IllegalArgumentException("x and z must have equal rows, got " + n + " and " + z.rows());
        double[] out = new double[n];
        for (int r0 = 0; r0 < n; r0 += batchSize) {
            int r1 = Math.min(n, r0 + batchSize);
            Buffers buf = buffers(r1 - r0);
            buf.x.assign(rowRange(x, r0, r1));
            buf.z.assign(rowRange(z, r0, r1));
            forwardDecoder(buf);
            elementwiseRec(buf);
            buf.tmpD.sum(buf.perExample, 1);
            double[] rec = buf.perExample.toDoubleVector();
            for (int i = 0; i < rec.length; i++) out[r0 + i] = rec[i] + gaussianConst;
        }
        return out;
    }

    @Override
    public INDArray decode(INDArray z) {
        int n = rows(z, latentDim, "z");
        INDArray out = Nd4j.create(dtype, n, inputDim);
        for (int r0 = 0; r0 < n; r0 += batchSize) {
            int r1 = Math.min(n, r0 + batchSize);
            Buffers buf = buffers(r1 - r0);
            buf.z.assign(rowRange(z, r0, r1));
            forwardDecoder(buf);
            Nd4j.exec(new Sigmoid(buf.logits, buf.tmpD));
            out.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()).assign(buf.tmpD);
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return params.length();
    }

    // ------------------------------------------------------------------ diagnostics (gradient checks)

    /**
     * The weighted loss {@code mean_i [rec·Rec_i + Σ_j kl[j]·KL_ij]} for this batch and noise, and its
     * gradient with respect to every parameter, written to {@link #gradient()}. Parameters are not changed.
     */
    public double lossAndGradient(INDArray x, INDArray eps, LossWeights w) {
        Buffers buf = load(x, eps);
        forward(buf);
        BatchStats stats = stats(buf);
        double[] kl = checkWeights(w);
        backward(buf, w.rec(), kl);
        return loss(stats, w.rec(), kl);
    }

    /** The weighted loss only (forward pass); neither parameters nor {@link #gradient()} change. */
    public double loss(INDArray x, INDArray eps, LossWeights w) {
        Buffers buf = load(x, eps);
        forward(buf);
        return loss(stats(buf), w.rec(), checkWeights(w));
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
     * {@link #lossAndGradient}; after {@link #step} it holds the Adam update that was applied instead.
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
        int n = rows(x, inputDim, "x");
        if (rows(eps, latentDim, "eps") != n)
            throw new IllegalArgumentException("x and eps must have equal rows, got " + n + " and " + eps.rows());
        Buffers buf = buffers(n);
        buf.x.assign(x);
        buf.eps.assign(eps);
        return buf;
    }

    private void forward(Buffers buf) {
        forwardEncoder(buf);
        // z = μ + exp(½·lv) ⊙ ε
        buf.std.assign(buf.logvar).muli(0.5);
        Nd4j.exec(new Exp(buf.std, buf.std));
        Nd4j.exec(new MulOp(buf.eps, buf.std, buf.z));
        buf.z.addi(buf.mu);
        forwardDecoder(buf);
    }

    private void forwardEncoder(Buffers buf) {
        INDArray a = buf.x;
        for (int i = 0; i < encoder.length; i++) {
            INDArray out = i < buf.encAct.length ? buf.encAct[i] : buf.encOut;
            affine(encoder[i], a, out, i < buf.encAct.length);
            a = out;
        }
    }

    private void forwardDecoder(Buffers buf) {
        INDArray a = buf.z;
        for (int i = 0; i < decoder.length; i++) {
            INDArray out = i < buf.decAct.length ? buf.decAct[i] : buf.logits;
            affine(decoder[i], a, out, i < buf.decAct.length);
            a = out;
        }
    }

    /** out = act(a·W + b) (no activation on output layers). */
    private void affine(Layer layer, INDArray a, INDArray out, boolean activate) {
        Nd4j.gemm(a, layer.w, out, false, false, 1.0, 0.0);
        out.addiRowVector(layer.b);
        if (!activate) return;
        if (arch.activation() == Activation.RELU) Nd4j.exec(new RectifiedLinear(out, out, 0.0));
        else Nd4j.exec(new Tanh(out, out));
    }

    /** Per-element reconstruction term into tmpD, without the Gaussian normaliser. Uses delta as scratch. */
    private void elementwiseRec(Buffers buf) {
        INDArray l = buf.logits, t = buf.tmpD, s = buf.dLogits;
        if (arch.likelihood() == Likelihood.BERNOULLI) {
            // relu(l) − x·l + log1p(exp(−|l|))
            Nd4j.exec(new Abs(l, t));
            t.negi();
            Nd4j.exec(new Exp(t, t));
            Nd4j.exec(new Log1p(t, t));
            Nd4j.exec(new RectifiedLinear(l, s, 0.0));
            t.addi(s);
            Nd4j.exec(new MulOp(buf.x, l, s));
            t.subi(s);
        } else {
            // (x − sigmoid(l))² / (2σ²)
            Nd4j.exec(new Sigmoid(l, s));
            s.subi(buf.x);
            Nd4j.exec(new MulOp(s, s, t));
            t.muli(1.0 / (2 * arch.sigma() * arch.sigma()));
        }
    }

    /**
     * Batch means of Rec, KL, per-dimension KL and SSE. Leaves {@code sigmoid(l) − x} in dLogits for the
     * backward pass.
     */
    private BatchStats stats(Buffers buf) {
        int n = buf.n;
        boolean bernoulli = arch.likelihood() == Likelihood.BERNOULLI;
        if (bernoulli) elementwiseRec(buf); // before dLogits is filled: it uses it as scratch
        Nd4j.exec(new Sigmoid(buf.logits, buf.dLogits));
        buf.dLogits.subi(buf.x);
        double norm = buf.dLogits.norm2Number().doubleValue();
        double sse = norm * norm;
        double recSum = bernoulli
                ? buf.tmpD.sumNumber().doubleValue()
                : sse / (2 * arch.sigma() * arch.sigma()) + n * gaussianConst;

        // KL_ij = ½(μ² + σ² − lv − 1), σ² = std²
        Nd4j.exec(new MulOp(buf.mu, buf.mu, buf.klElem));
        Nd4j.exec(new MulOp(buf.std, buf.std, buf.var));
        buf.klElem.addi(buf.var).subi(buf.logvar).subi(1.0).muli(0.5);
        buf.klElem.sum(buf.klDim, 0);
        double[] klPerDim = buf.klDim.toDoubleVector();
        double klSum = 0;
        for (int j = 0; j < klPerDim.length; j++) {
            klPerDim[j] /= n;
            klSum += klPerDim[j];
        }
        return new BatchStats(recSum / n, klSum, klPerDim, sse / n);
    }

    private double loss(BatchStats s, double rec, double[] kl) {
        double[] perDim = s.klPerDim();
        double loss = rec * s.rec();
        for (int j = 0; j < kl.length; j++) loss += kl[j] * perDim[j];
        return loss;
    }

    // ------------------------------------------------------------------ backward

    /** Fills {@link #grad} with ∂L/∂θ; expects {@link #stats} to have run on this forward pass. */
    private void backward(Buffers buf, double rec, double[] kl) {
        int n = buf.n;
        // ∂L/∂l = (rec/B)·∂Rec/∂l; dLogits holds sigmoid(l) − x.
        INDArray delta = buf.dLogits;
        if (arch.likelihood() == Likelihood.BERNOULLI) {
            delta.muli(rec / n);
        } else {
            // ∂Rec/∂l = (m − x)/σ² · m(1 − m)
            Nd4j.exec(new SigmoidDerivative(buf.logits, buf.tmpD));
            delta.muli(buf.tmpD).muli(rec / (n * arch.sigma() * arch.sigma()));
        }

        for (int i = decoder.length - 1; i >= 0; i--) {
            INDArray in = i > 0 ? buf.decAct[i - 1] : buf.z;
            INDArray dIn = i > 0 ? buf.decDelta[i - 1] : buf.dz;
            layerBackward(decoder[i], in, delta, dIn);
            if (i > 0) activationBackward(in, dIn, buf.decTmp[i - 1]);
            delta = dIn;
        }

        // Reparameterisation and KL: klScale[j] = kl[j]/B.
        for (int j = 0; j < latentDim; j++) klScale.putScalar(0, j, kl[j] / n);
        // ∂L/∂μ = ∂L/∂z + (kl/B)·μ
        buf.dMu.assign(buf.mu).muliRowVector(klScale).addi(buf.dz);
        // ∂L/∂lv = ½·[∂L/∂z ⊙ ε ⊙ exp(½lv) + (kl/B)·(exp(lv) − 1)]
        Nd4j.exec(new MulOp(buf.dz, buf.eps, buf.dLogvar));
        buf.dLogvar.muli(buf.std);
        buf.latentTmp.assign(buf.var).subi(1.0).muliRowVector(klScale);
        buf.dLogvar.addi(buf.latentTmp).muli(0.5);

        delta = buf.dEncOut;
        for (int i = encoder.length - 1; i >= 0; i--) {
            INDArray in = i > 0 ? buf.encAct[i - 1] : buf.x;
            INDArray dIn = i > 0 ? buf.encDelta[i - 1] : null;
            layerBackward(encoder[i], in, delta, dIn);
            if (i > 0) activationBackward(in, dIn, buf.encTmp[i - 1]);
            delta = dIn;
        }
    }

    /** ∂W = inᵀ·δ, ∂b = Σ_rows δ, and (if dIn is not null) ∂in = δ·Wᵀ. */
    private static void layerBackward(Layer layer, INDArray in, INDArray delta, INDArray dIn) {
        Nd4j.gemm(in, delta, layer.gw, true, false, 1.0, 0.0);
        delta.sum(layer.gb, 0);
        if (dIn != null) Nd4j.gemm(delta, layer.w, dIn, false, true, 1.0, 0.0);
    }

    /** δ ← δ ⊙ act'(pre-activation), written in terms of the stored activation a. */
    private void activationBackward(INDArray a, INDArray delta, INDArray tmp) {
        if (arch.activation() == Activation.RELU) {
            Nd4j.exec(new ThresholdReluBp(a, delta, delta, 0.0));
        } else {
            // tanh' = 1 − a²
            Nd4j.exec(new MulOp(a, a, tmp));
            tmp.rsubi(1.0);
            delta.muli(tmp);
        }
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
                    + " columns, got " + (a == null ? "null" : java.util.Arrays.toString(a.shape())));
        return (int) a.rows();
    }

    private static INDArray rowRange(INDArray a, int r0, int r1) {
        return r0 == 0 && r1 == a.rows() ? a : a.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
    }

    private static void copyRowMajor(INDArray m, double[] dst, int rowOffset) {
        double[][] rows = m.toDoubleMatrix();
        int cols = (int) m.columns();
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, dst, (rowOffset + i) * cols, cols);
    }

    private Buffers buffers(int n) {
        return buffers.computeIfAbsent(n, Buffers::new);
    }

    /** One dense layer's parameters and gradients, all views of the flat vectors. */
    private record Layer(int in, int out, INDArray w, INDArray b, INDArray gw, INDArray gb) {
    }

    /** Activations and gradient buffers for one batch size, all column-major ('f'). */
    private final class Buffers {
        final int n;
        final INDArray x, eps, z, std, var, logits, tmpD, dLogits, dz, latentTmp, klElem, klDim, perExample;
        final INDArray encOut, mu, logvar, dEncOut, dMu, dLogvar;
        final INDArray[] encAct, encDelta, encTmp, decAct, decDelta, decTmp;

        Buffers(int n) {
            this.n = n;
            x = m(inputDim);
            eps = m(latentDim);
            z = m(latentDim);
            std = m(latentDim);
            var = m(latentDim);
            latentTmp = m(latentDim);
            klElem = m(latentDim);
            dz = m(latentDim);
            klDim = Nd4j.create(dtype, latentDim);
            perExample = Nd4j.create(dtype, n);
            logits = m(inputDim);
            tmpD = m(inputDim);
            dLogits = m(inputDim);
            encOut = m(2 * latentDim);
            dEncOut = m(2 * latentDim);
            mu = encOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentDim));
            logvar = encOut.get(NDArrayIndex.all(), NDArrayIndex.interval(latentDim, 2 * latentDim));
            dMu = dEncOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentDim));
            dLogvar = dEncOut.get(NDArrayIndex.all(), NDArrayIndex.interval(latentDim, 2 * latentDim));
            encAct = hidden(arch.encoderHidden(), true);
            encDelta = hidden(arch.encoderHidden(), true);
            encTmp = hidden(arch.encoderHidden(), arch.activation() == Activation.TANH);
            decAct = hidden(arch.decoderHidden(), true);
            decDelta = hidden(arch.decoderHidden(), true);
            decTmp = hidden(arch.decoderHidden(), arch.activation() == Activation.TANH);
        }

        private INDArray m(int columns) {
            return Nd4j.create(dtype, new long[]{n, columns}, 'f');
        }

        private INDArray[] hidden(List<Integer> widths, boolean allocate) {
            INDArray[] out = new INDArray[widths.size()];
            if (allocate) for (int i = 0; i < out.length; i++) out[i] = m(widths.get(i));
            return out;
        }
    }
}
